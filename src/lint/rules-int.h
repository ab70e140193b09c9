/* Check functions of the rule families, named in the table of rules.c. */
#ifndef BW_LINT_RULES_INT_H
#define BW_LINT_RULES_INT_H

#include "lint-int.h"

/* Every check is a lint_check_fn: c is the file being linted and its
 * findings, r the rule's row (its id and severity for lint_report). */

/* rules_from.c: base images and stages */
lint_check_fn chk_from_untagged, chk_from_latest, chk_from_digest, chk_from_registry, chk_from_platform,
    chk_from_undefined_var, chk_stage_dup, chk_stage_reserved, chk_copy_from_unknown, chk_copy_from_self,
    chk_first_instruction, chk_user_root, chk_from_targetplatform, chk_user_nonnumeric;

/* rules_instr.c: instructions other than RUN */
lint_check_fn chk_add_for_copy, chk_add_url_checksum, chk_add_url_http, chk_workdir_relative,
    chk_workdir_sysdir, chk_multi_cmd, chk_multi_entrypoint, chk_multi_healthcheck, chk_shell_form_cmd,
    chk_expose_range, chk_expose_ssh, chk_maintainer, chk_chmod_world_writable, chk_no_healthcheck,
    chk_copy_multi_dest, chk_copy_relative_dest, chk_copy_archive, chk_volume_sensitive, chk_copy_sensitive,
    chk_onbuild_chain, chk_env_self_ref, chk_consecutive_run, chk_unknown_instruction, chk_malformed,
    chk_json_invalid, chk_empty_continuation, chk_legacy_kv, chk_inline_ignore, chk_keyword_case,
    chk_copy_root_fs;

/* rules_pkg.c: package managers */
lint_check_fn chk_apt_pin, chk_apk_pin, chk_yum_pin, chk_dnf_pin, chk_zypper_pin, chk_pip_pin, chk_npm_pin,
    chk_gem_pin, chk_go_pin, chk_apt_yes, chk_apt_recommends, chk_apt_lists, chk_apk_no_cache, chk_yum_clean,
    chk_dnf_clean, chk_microdnf_clean, chk_zypper_clean, chk_pip_cache, chk_yarn_cache, chk_apt_upgrade,
    chk_apk_upgrade, chk_yum_update, chk_dnf_update, chk_zypper_dist_upgrade, chk_apt_cli, chk_yum_yes,
    chk_dnf_yes, chk_zypper_yes, chk_update_alone;

/* rules_run.c: other commands in RUN */
lint_check_fn chk_sudo, chk_cd, chk_pipe_to_shell, chk_pipefail, chk_useradd_uid, chk_recursive_chown,
    chk_plain_http, chk_irrelevant_cmd, chk_wget_progress, chk_wget_and_curl, chk_shell_symlink, chk_setuid,
    chk_unverified, chk_empty_password, chk_nonunique_uid, chk_run_credentials;

/* rules_label.c */
lint_check_fn chk_label_key, chk_label_missing, chk_label_superfluous, chk_label_empty, chk_label_url,
    chk_label_rfc3339, chk_label_spdx, chk_label_hash, chk_label_semver, chk_label_email;

/* rules_secret.c */
lint_check_fn chk_secret_arg_env, chk_secret_value;

/* Shared by families */
bool lint_stage_in_final_image(struct lint_ctx *c, int stage);
/* A RUN flag --mount=type=cache|tmpfs covering path (or a parent). */
bool lint_run_mounts(const struct df_instr *in, const char *path);
/* Does any command of s remove path (rm -r… path, or a parent glob)? */
bool lint_script_removes(const struct sh_script *s, const char *path);

#endif
