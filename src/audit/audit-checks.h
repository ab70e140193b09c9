/* The check functions of the table in checks.c (private to src/audit). */
#ifndef BW_AUDIT_CHECKS_H
#define BW_AUDIT_CHECKS_H

#include "audit-int.h"

int check_1_1_1_partition(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_1_1_2_docker_group(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_1_1_audit_rule(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_1_rootless(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_2_icc(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_3_log_level(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_4_iptables(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_5_insecure_registries(struct audit_ctx *ctx, const struct audit_check *chk,
				  struct audit_verdict *v);
int check_2_6_aufs(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_7_tls(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_8_ulimits(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_9_userns(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_10_cgroup_parent(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_11_base_device(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_12_authz(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_13_remote_logging(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_14_no_new_privileges(struct audit_ctx *ctx, const struct audit_check *chk,
				 struct audit_verdict *v);
int check_2_15_live_restore(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_16_userland_proxy(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_17_seccomp_profile(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_2_18_experimental(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_1_2_2_version(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_4_image_rules(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_5_1_swarm(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_3_file(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_3_registry_certs(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_6_1_images(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_6_2_containers(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v);
int check_5_2_apparmor(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_3_selinux(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_4_capabilities(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_5_privileged(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_6_sensitive_mounts(struct audit_ctx *ctx, const struct audit_container *c,
			       struct audit_verdict *v);
int check_5_7_sshd(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_8_privileged_ports(struct audit_ctx *ctx, const struct audit_container *c,
			       struct audit_verdict *v);
int check_5_10_net_ns(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_16_pid_ns(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_17_ipc_ns(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_21_uts_ns(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_31_userns(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_11_memory(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_12_cpu(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_13_readonly_rootfs(struct audit_ctx *ctx, const struct audit_container *c,
			       struct audit_verdict *v);
int check_5_14_host_interface(struct audit_ctx *ctx, const struct audit_container *c,
			      struct audit_verdict *v);
int check_5_15_restart(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_18_devices(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_19_ulimits(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_20_propagation(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_22_seccomp(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_23_exec_privileged(struct audit_ctx *ctx, const struct audit_container *c,
			       struct audit_verdict *v);
int check_5_24_exec_root(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_25_cgroup(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_26_no_new_privileges(struct audit_ctx *ctx, const struct audit_container *c,
				 struct audit_verdict *v);
int check_5_27_health(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_29_pids_limit(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);
int check_5_30_default_bridge(struct audit_ctx *ctx, const struct audit_container *c,
			      struct audit_verdict *v);
int check_5_32_socket(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v);

#endif
