/* Check functions of the rule families, named in the table of rules.c. */
#ifndef BW_LINT_RULES_INT_H
#define BW_LINT_RULES_INT_H

#include "lint-int.h"

/* Every check has lint_check_fn's signature: c is the file being linted and
 * its findings, r the rule's row (its id and severity for lint_report). */

/* rules_from.c: base images and stages */
void chk_from_untagged(struct lint_ctx *c, const struct lint_rule *r);
void chk_from_latest(struct lint_ctx *c, const struct lint_rule *r);
void chk_from_digest(struct lint_ctx *c, const struct lint_rule *r);
void chk_from_registry(struct lint_ctx *c, const struct lint_rule *r);
void chk_from_platform(struct lint_ctx *c, const struct lint_rule *r);
void chk_from_undefined_var(struct lint_ctx *c, const struct lint_rule *r);
void chk_stage_dup(struct lint_ctx *c, const struct lint_rule *r);
void chk_stage_reserved(struct lint_ctx *c, const struct lint_rule *r);
void chk_copy_from_unknown(struct lint_ctx *c, const struct lint_rule *r);
void chk_copy_from_self(struct lint_ctx *c, const struct lint_rule *r);
void chk_first_instruction(struct lint_ctx *c, const struct lint_rule *r);
void chk_user_root(struct lint_ctx *c, const struct lint_rule *r);

/* rules_instr.c: instructions other than RUN */
void chk_add_for_copy(struct lint_ctx *c, const struct lint_rule *r);
void chk_add_url_checksum(struct lint_ctx *c, const struct lint_rule *r);
void chk_add_url_http(struct lint_ctx *c, const struct lint_rule *r);
void chk_workdir_relative(struct lint_ctx *c, const struct lint_rule *r);
void chk_workdir_sysdir(struct lint_ctx *c, const struct lint_rule *r);
void chk_multi_cmd(struct lint_ctx *c, const struct lint_rule *r);
void chk_multi_entrypoint(struct lint_ctx *c, const struct lint_rule *r);
void chk_multi_healthcheck(struct lint_ctx *c, const struct lint_rule *r);
void chk_shell_form_cmd(struct lint_ctx *c, const struct lint_rule *r);
void chk_expose_range(struct lint_ctx *c, const struct lint_rule *r);
void chk_expose_ssh(struct lint_ctx *c, const struct lint_rule *r);
void chk_maintainer(struct lint_ctx *c, const struct lint_rule *r);
void chk_chmod_world_writable(struct lint_ctx *c, const struct lint_rule *r);
void chk_no_healthcheck(struct lint_ctx *c, const struct lint_rule *r);
void chk_copy_multi_dest(struct lint_ctx *c, const struct lint_rule *r);
void chk_copy_relative_dest(struct lint_ctx *c, const struct lint_rule *r);
void chk_copy_archive(struct lint_ctx *c, const struct lint_rule *r);
void chk_volume_sensitive(struct lint_ctx *c, const struct lint_rule *r);
void chk_copy_sensitive(struct lint_ctx *c, const struct lint_rule *r);
void chk_onbuild_chain(struct lint_ctx *c, const struct lint_rule *r);
void chk_env_self_ref(struct lint_ctx *c, const struct lint_rule *r);
void chk_consecutive_run(struct lint_ctx *c, const struct lint_rule *r);
void chk_unknown_instruction(struct lint_ctx *c, const struct lint_rule *r);
void chk_malformed(struct lint_ctx *c, const struct lint_rule *r);
void chk_json_invalid(struct lint_ctx *c, const struct lint_rule *r);
void chk_empty_continuation(struct lint_ctx *c, const struct lint_rule *r);
void chk_legacy_kv(struct lint_ctx *c, const struct lint_rule *r);
void chk_inline_ignore(struct lint_ctx *c, const struct lint_rule *r);
void chk_keyword_case(struct lint_ctx *c, const struct lint_rule *r);

/* rules_pkg.c: package managers */
void chk_apt_pin(struct lint_ctx *c, const struct lint_rule *r);
void chk_apk_pin(struct lint_ctx *c, const struct lint_rule *r);
void chk_yum_pin(struct lint_ctx *c, const struct lint_rule *r);
void chk_dnf_pin(struct lint_ctx *c, const struct lint_rule *r);
void chk_zypper_pin(struct lint_ctx *c, const struct lint_rule *r);
void chk_pip_pin(struct lint_ctx *c, const struct lint_rule *r);
void chk_npm_pin(struct lint_ctx *c, const struct lint_rule *r);
void chk_gem_pin(struct lint_ctx *c, const struct lint_rule *r);
void chk_go_pin(struct lint_ctx *c, const struct lint_rule *r);
void chk_apt_yes(struct lint_ctx *c, const struct lint_rule *r);
void chk_apt_recommends(struct lint_ctx *c, const struct lint_rule *r);
void chk_apt_lists(struct lint_ctx *c, const struct lint_rule *r);
void chk_apk_no_cache(struct lint_ctx *c, const struct lint_rule *r);
void chk_yum_clean(struct lint_ctx *c, const struct lint_rule *r);
void chk_dnf_clean(struct lint_ctx *c, const struct lint_rule *r);
void chk_microdnf_clean(struct lint_ctx *c, const struct lint_rule *r);
void chk_zypper_clean(struct lint_ctx *c, const struct lint_rule *r);
void chk_pip_cache(struct lint_ctx *c, const struct lint_rule *r);
void chk_yarn_cache(struct lint_ctx *c, const struct lint_rule *r);
void chk_apt_upgrade(struct lint_ctx *c, const struct lint_rule *r);
void chk_apk_upgrade(struct lint_ctx *c, const struct lint_rule *r);
void chk_yum_update(struct lint_ctx *c, const struct lint_rule *r);
void chk_dnf_update(struct lint_ctx *c, const struct lint_rule *r);
void chk_zypper_dist_upgrade(struct lint_ctx *c, const struct lint_rule *r);
void chk_apt_cli(struct lint_ctx *c, const struct lint_rule *r);
void chk_yum_yes(struct lint_ctx *c, const struct lint_rule *r);
void chk_dnf_yes(struct lint_ctx *c, const struct lint_rule *r);
void chk_zypper_yes(struct lint_ctx *c, const struct lint_rule *r);
void chk_update_alone(struct lint_ctx *c, const struct lint_rule *r);

/* rules_run.c: other commands in RUN */
void chk_sudo(struct lint_ctx *c, const struct lint_rule *r);
void chk_cd(struct lint_ctx *c, const struct lint_rule *r);
void chk_pipe_to_shell(struct lint_ctx *c, const struct lint_rule *r);
void chk_pipefail(struct lint_ctx *c, const struct lint_rule *r);
void chk_useradd_uid(struct lint_ctx *c, const struct lint_rule *r);
void chk_recursive_chown(struct lint_ctx *c, const struct lint_rule *r);
void chk_plain_http(struct lint_ctx *c, const struct lint_rule *r);
void chk_irrelevant_cmd(struct lint_ctx *c, const struct lint_rule *r);
void chk_wget_progress(struct lint_ctx *c, const struct lint_rule *r);
void chk_wget_and_curl(struct lint_ctx *c, const struct lint_rule *r);
void chk_shell_symlink(struct lint_ctx *c, const struct lint_rule *r);
void chk_setuid(struct lint_ctx *c, const struct lint_rule *r);
void chk_unverified(struct lint_ctx *c, const struct lint_rule *r);
void chk_empty_password(struct lint_ctx *c, const struct lint_rule *r);
void chk_nonunique_uid(struct lint_ctx *c, const struct lint_rule *r);
void chk_run_credentials(struct lint_ctx *c, const struct lint_rule *r);

/* rules_label.c */
void chk_label_key(struct lint_ctx *c, const struct lint_rule *r);
void chk_label_missing(struct lint_ctx *c, const struct lint_rule *r);
void chk_label_superfluous(struct lint_ctx *c, const struct lint_rule *r);
void chk_label_empty(struct lint_ctx *c, const struct lint_rule *r);
void chk_label_url(struct lint_ctx *c, const struct lint_rule *r);
void chk_label_rfc3339(struct lint_ctx *c, const struct lint_rule *r);
void chk_label_spdx(struct lint_ctx *c, const struct lint_rule *r);
void chk_label_hash(struct lint_ctx *c, const struct lint_rule *r);
void chk_label_semver(struct lint_ctx *c, const struct lint_rule *r);
void chk_label_email(struct lint_ctx *c, const struct lint_rule *r);

/* rules_secret.c */
void chk_secret_arg_env(struct lint_ctx *c, const struct lint_rule *r);
void chk_secret_value(struct lint_ctx *c, const struct lint_rule *r);

/* Shared by families */
bool lint_stage_in_final_image(struct lint_ctx *c, int stage);
/* A RUN flag --mount=type=cache|tmpfs covering path (or a parent). */
bool lint_run_mounts(const struct df_instr *in, const char *path);
/* Does any command of s remove path (rm -r… path, or a parent glob)? */
bool lint_script_removes(const struct sh_script *s, const char *path);

#endif
