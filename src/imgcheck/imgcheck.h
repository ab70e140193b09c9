/* imgcheck — the image-configuration checks: rules on a built image
 * (Dockle and CIS Docker Benchmark 4.x parity, ids BW-IMG-NNN) beside the
 * Dockerfile linter. They look at its configuration (user, healthcheck,
 * env, volumes, tag), its history (update alone, ADD, sudo, upgrades,
 * build arguments), its files (setuid, world-writable, private keys and
 * credential files, .env, shell histories, .git, package caches,
 * accounts) and its packages (unneeded tools; build tools -> multi-stage
 * advice). One analyzer on the layer walk reads the few files whose bytes
 * decide a rule; everything else comes from the image after the walk.
 *
 * Ownership: a struct bw_imgcheck is made by bw_imgcheck_new() and
 * released by bw_imgcheck_free(); its analyzer belongs to it. Register the
 * analyzer on bw_image_walk(), then call bw_imgcheck_finish() once: it only
 * reads the image and the packages, and adds findings (copied into the
 * report's arena) to the caller's report.
 */
#ifndef BW_IMGCHECK_H
#define BW_IMGCHECK_H

#include "core/core.h"
#include "report/report.h"

struct bw_imgcheck;
struct bw_image;
struct bw_analyzer;

int bw_imgcheck_new(struct bw_imgcheck **out, struct bw_error *err);
void bw_imgcheck_free(struct bw_imgcheck *ic);
/* The analyzers to register on the walk (owned by ic). */
const struct bw_analyzer *const *bw_imgcheck_analyzers(struct bw_imgcheck *ic, size_t *n);
/* After bw_image_walk(): add findings (kind misconfiguration, id
 * BW-IMG-NNN, Dockle and CIS ids in `equivalent`, location with path,
 * layer diff_id and in_final_image where one applies) to r. pkgs are the
 * image's packages as the inventory found them (pkgs_known false: no
 * package list, the package rules then look at files only). Rules that
 * need the configuration are skipped for sources without one (dir:). */
int bw_imgcheck_finish(struct bw_imgcheck *ic, struct bw_image *img, const struct bw_package *pkgs,
		       size_t n_pkgs, bool pkgs_known, struct bw_report *r, struct bw_error *err);

/* The rule table, for listings and documentation (bad/good are
 * Dockerfiles whose built image breaks / follows the rule). */
size_t bw_imgcheck_rule_count(void);
/* i < bw_imgcheck_rule_count(); the strings are static. */
void bw_imgcheck_rule_info(size_t i, struct bw_rule_info *out);

#endif
