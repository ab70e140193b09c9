/* Check functions of the rule families, named in the table of rules.c. */
#ifndef BW_LINT_RULES_INT_H
#define BW_LINT_RULES_INT_H

#include "lint-int.h"

#define RULE(name) void name(struct lint_ctx *c, const struct lint_rule *r)

/* rules_from.c: base images and stages */
RULE(chk_from_untagged);
RULE(chk_from_latest);
RULE(chk_from_digest);
RULE(chk_from_registry);
RULE(chk_from_platform);
RULE(chk_from_undefined_var);
RULE(chk_stage_dup);
RULE(chk_stage_reserved);
RULE(chk_copy_from_unknown);
RULE(chk_copy_from_self);
RULE(chk_first_instruction);
RULE(chk_user_root);

/* rules_instr.c: instructions other than RUN */
RULE(chk_add_for_copy);
RULE(chk_add_url_checksum);
RULE(chk_add_url_http);
RULE(chk_workdir_relative);
RULE(chk_workdir_sysdir);
RULE(chk_multi_cmd);
RULE(chk_multi_entrypoint);
RULE(chk_multi_healthcheck);
RULE(chk_shell_form_cmd);
RULE(chk_expose_range);
RULE(chk_expose_ssh);
RULE(chk_maintainer);
RULE(chk_chmod_world_writable);
RULE(chk_no_healthcheck);
RULE(chk_copy_multi_dest);
RULE(chk_copy_relative_dest);
RULE(chk_copy_archive);
RULE(chk_volume_sensitive);
RULE(chk_copy_sensitive);
RULE(chk_onbuild_chain);
RULE(chk_env_self_ref);
RULE(chk_consecutive_run);
RULE(chk_unknown_instruction);
RULE(chk_malformed);
RULE(chk_json_invalid);
RULE(chk_empty_continuation);
RULE(chk_legacy_kv);
RULE(chk_inline_ignore);
RULE(chk_keyword_case);

/* rules_pkg.c: package managers */
RULE(chk_apt_pin);
RULE(chk_apk_pin);
RULE(chk_yum_pin);
RULE(chk_dnf_pin);
RULE(chk_zypper_pin);
RULE(chk_pip_pin);
RULE(chk_npm_pin);
RULE(chk_gem_pin);
RULE(chk_go_pin);
RULE(chk_apt_yes);
RULE(chk_apt_recommends);
RULE(chk_apt_lists);
RULE(chk_apk_no_cache);
RULE(chk_yum_clean);
RULE(chk_dnf_clean);
RULE(chk_microdnf_clean);
RULE(chk_zypper_clean);
RULE(chk_pip_cache);
RULE(chk_yarn_cache);
RULE(chk_apt_upgrade);
RULE(chk_apk_upgrade);
RULE(chk_yum_update);
RULE(chk_dnf_update);
RULE(chk_zypper_dist_upgrade);
RULE(chk_apt_cli);
RULE(chk_yum_yes);
RULE(chk_dnf_yes);
RULE(chk_zypper_yes);
RULE(chk_update_alone);

/* rules_run.c: other commands in RUN */
RULE(chk_sudo);
RULE(chk_cd);
RULE(chk_pipe_to_shell);
RULE(chk_pipefail);
RULE(chk_useradd_uid);
RULE(chk_recursive_chown);
RULE(chk_plain_http);
RULE(chk_irrelevant_cmd);
RULE(chk_wget_progress);
RULE(chk_wget_and_curl);
RULE(chk_shell_symlink);
RULE(chk_setuid);
RULE(chk_unverified);
RULE(chk_empty_password);
RULE(chk_nonunique_uid);
RULE(chk_run_credentials);

/* rules_label.c */
RULE(chk_label_key);
RULE(chk_label_missing);
RULE(chk_label_superfluous);
RULE(chk_label_empty);
RULE(chk_label_url);
RULE(chk_label_rfc3339);
RULE(chk_label_spdx);
RULE(chk_label_hash);
RULE(chk_label_semver);
RULE(chk_label_email);

/* rules_secret.c */
RULE(chk_secret_arg_env);
RULE(chk_secret_value);

/* Shared by families */
bool lint_stage_in_final_image(struct lint_ctx *c, int stage);
/* A RUN flag --mount=type=cache|tmpfs covering path (or a parent). */
bool lint_run_mounts(const struct df_instr *in, const char *path);
/* Does any command of s remove path (rm -r… path, or a parent glob)? */
bool lint_script_removes(const struct sh_script *s, const char *path);

#endif
