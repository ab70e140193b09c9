/* Private declarations of src/imgcheck: the rule table, the content
 * analyzer's per-layer records, and the checks the unit tests call
 * directly. */
#ifndef BW_IMGCHECK_INT_H
#define BW_IMGCHECK_INT_H

#include <jansson.h>

#include "imgcheck.h"
#include "image/image.h"
#include "shell/shell.h"

/* Rule indexes into img_rules[] (ids BW-IMG-001 …, in this order). */
enum img_rule_id {
	IMG_ROOT_USER = 0,
	IMG_NO_HEALTHCHECK,
	IMG_SETUID,
	IMG_WORLD_WRITABLE,
	IMG_PRIVATE_KEY,
	IMG_CREDENTIAL_FILE,
	IMG_DOTENV,
	IMG_SHELL_HISTORY,
	IMG_GIT_DIR,
	IMG_PKG_CACHE,
	IMG_LATEST_TAG,
	IMG_ENV_CREDENTIAL,
	IMG_BUILD_ARG_SECRET,
	IMG_UPDATE_ALONE,
	IMG_ADD_IN_HISTORY,
	IMG_SUDO_IN_HISTORY,
	IMG_UPGRADE_IN_HISTORY,
	IMG_SENSITIVE_VOLUME,
	IMG_EMPTY_PASSWORD,
	IMG_DUPLICATE_ID,
	IMG_UNNECESSARY_PKGS,
	IMG_BUILD_TOOLS,
	IMG_UNVERIFIED_PKGS,
	IMG__COUNT,
};

struct img_rule {
	const char *id;
	enum bw_severity severity;
	const char *title;
	const char *equivalent[8];
	const char *rationale;
	const char *bad, *good; /* Dockerfiles */
	const char *remediation;
};
extern const struct img_rule img_rules[IMG__COUNT];

/* ---- content analyzer (collect.c) -------------------------------- */

/* Files whose bytes decide a rule. */
enum img_file_kind {
	IMG_F_NONE = 0,
	IMG_F_KEY,     /* id_rsa, *.pem, *.key, … : a private key? */
	IMG_F_CRED,    /* .npmrc, .pypirc, .git-credentials, docker config.json, … */
	IMG_F_SHADOW,  /* /etc/shadow */
	IMG_F_PASSWD,  /* /etc/passwd */
	IMG_F_GROUP,   /* /etc/group */
	IMG_F_PKGCONF, /* apt sources and apt.conf, yum/dnf configuration and repos */
};
enum img_file_kind img_classify(const char *path);
#define IMG_MAX_CONTENT (4u << 20)

/* A file of one layer that some rule flags; evidence never holds secret bytes. */
struct img_record {
	enum img_file_kind kind;
	const char *path;
	const char *evidence;
	struct img_record *next;
};

struct img_layer {
	struct bw_arena arena;
	struct img_record *recs;
};

struct bw_imgcheck {
	struct bw_analyzer an;
	const struct bw_analyzer *anp[1];
};

/* Content checks: the evidence (in a, at most one line) when the file is
 * flagged, else NULL. `path` decides which format is read. */
const char *img_check_key(struct bw_arena *a, const char *data, size_t len);
const char *img_check_cred(struct bw_arena *a, const char *path, const char *data, size_t len);
const char *img_check_shadow(struct bw_arena *a, const char *data, size_t len);
const char *img_check_ids(struct bw_arena *a, const char *data, size_t len, bool group);
const char *img_check_pkgconf(struct bw_arena *a, const char *path, const char *data, size_t len);

/* ---- configuration and history (config.c) ------------------------ */

/* One history entry's created_by, taken apart. Legacy builder:
 *   "/bin/sh -c #(nop)  CMD [...]", "|2 A=1 B=2 /bin/sh -c make", "/bin/sh -c make"
 * BuildKit: "RUN |1 A=1 /bin/sh -c make # buildkit", "COPY x /y # buildkit". */
struct img_hist {
	char instr[16];	  /* "RUN", "ADD", "COPY", "ENV", … */
	const char *args; /* the rest (RUN: the shell script) */
	size_t args_len;
	const char *build_args; /* "A=1 B=2" of a RUN with build arguments, or NULL */
	size_t build_args_len;
	int n_build_args;
};
void img_hist_parse(const char *created_by, struct img_hist *out);

/* Is the image reference (as given to docker:) tagged latest or not at all? */
bool img_ref_is_latest(const char *ref);
/* The shell script of a history RUN: which rule-worthy commands it runs.
 * Each is set to the command's text (arena) or NULL. */
struct img_run_facts {
	const char *update_alone, *sudo, *upgrade;
};
void img_run_facts(struct bw_arena *a, const char *script, size_t len, struct img_run_facts *out);

/* ---- packages (packages.c) --------------------------------------- */

/* Classify an OS package name: a build tool (compiler, make, git, -dev…),
 * a tool a runtime image does not need (editor, debugger, sshd, …), or neither. */
enum img_pkg_class { IMG_PKG_OTHER = 0, IMG_PKG_BUILD, IMG_PKG_UNNEEDED };
enum img_pkg_class img_pkg_classify(const char *name);
/* Build tools recognised by file path in the final view (for images with no
 * package database): "gcc", "go toolchain", "maven cache", … or NULL. */
const char *img_build_file(const char *path, enum bw_file_type type);

/* ---- finish (check.c) --------------------------------------------- */

struct img_ctx {
	struct bw_imgcheck *li;
	struct bw_image *img;
	const struct bw_image_info *info;
	struct bw_report *r;
	unsigned counts[IMG__COUNT];
	struct bw_arena scratch;
	/* build tools seen as files (img_check_files), for the multi-stage advice */
	const char *tool_label[32], *tool_path[32];
	int tool_layer[32];
	size_t n_tools;
};
#define IMG_MAX_PER_RULE 200

/* Add a finding of rule `rule`. layer < 0: none; in_final -1/0/1. */
void img_report(struct img_ctx *c, enum img_rule_id rule, const char *path, int layer, int in_final,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));
const char *img_layer_digest(const struct img_ctx *c, int layer);

void img_check_config(struct img_ctx *c);
void img_check_history(struct img_ctx *c);
void img_check_files(struct img_ctx *c);
void img_check_records(struct img_ctx *c);
void img_check_packages(struct img_ctx *c, const struct bw_package *pkgs, size_t n_pkgs, bool known);

#endif
