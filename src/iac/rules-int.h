/* Check functions of the rule families, named in the table of rules.c. */
#ifndef BW_IAC_RULES_INT_H
#define BW_IAC_RULES_INT_H

#include "iac-int.h"

#define RULE(name) void name(struct iac_ctx *c, const struct iac_rule *r)

/* The key node where a setting along dotted is, or the deepest existing
 * key on the way to it (the map's first key when none). */
const struct bw_yaml_node *iac_deepest(const struct bw_yaml_node *map, const char *dotted);
/* A capability that gives a container a way out (SYS_ADMIN, NET_ADMIN, …). */
bool iac_cap_dangerous(const char *cap);

/* rules_k8s.c */
RULE(chk_k8s_privileged);
RULE(chk_k8s_allow_priv_esc);
RULE(chk_k8s_caps_dangerous);
RULE(chk_k8s_caps_added);
RULE(chk_k8s_drop_all);
RULE(chk_k8s_host_pid);
RULE(chk_k8s_host_ipc);
RULE(chk_k8s_host_network);
RULE(chk_k8s_hostpath_socket);
RULE(chk_k8s_hostpath_sensitive);
RULE(chk_k8s_hostpath);
RULE(chk_k8s_run_as_non_root);
RULE(chk_k8s_uid_zero);
RULE(chk_k8s_read_only_root);
RULE(chk_k8s_cpu_limit);
RULE(chk_k8s_memory_limit);
RULE(chk_k8s_cpu_request);
RULE(chk_k8s_memory_request);
RULE(chk_k8s_image_latest);
RULE(chk_k8s_image_digest);
RULE(chk_k8s_registry);
RULE(chk_k8s_env_secret);
RULE(chk_k8s_sa_token_mounted);
RULE(chk_k8s_sa_automount);
RULE(chk_k8s_seccomp);
RULE(chk_k8s_seccomp_unconfined);
RULE(chk_k8s_apparmor);
RULE(chk_k8s_liveness);
RULE(chk_k8s_readiness);
RULE(chk_k8s_nodeport);
RULE(chk_k8s_loadbalancer);
RULE(chk_k8s_external_ips);
RULE(chk_k8s_rbac_any_any);
RULE(chk_k8s_rbac_any_verb);
RULE(chk_k8s_rbac_any_resource);
RULE(chk_k8s_admin_binding);
RULE(chk_k8s_default_namespace);
RULE(chk_k8s_kube_system);
RULE(chk_k8s_host_port);
RULE(chk_k8s_uid_10000);
RULE(chk_k8s_gid_10000);
RULE(chk_k8s_sysctls);
RULE(chk_k8s_selinux);
RULE(chk_k8s_proc_mount);
RULE(chk_k8s_host_aliases);
RULE(chk_k8s_configmap_secret);
RULE(chk_k8s_ingress_tls);
RULE(chk_k8s_plaintext_service);
RULE(chk_k8s_plaintext_dsn);

/* rules_compose.c */
RULE(chk_compose_privileged);
RULE(chk_compose_caps_dangerous);
RULE(chk_compose_caps_added);
RULE(chk_compose_drop_all);
RULE(chk_compose_network_host);
RULE(chk_compose_pid_host);
RULE(chk_compose_ipc_host);
RULE(chk_compose_uts_host);
RULE(chk_compose_userns_host);
RULE(chk_compose_docker_socket);
RULE(chk_compose_sensitive_mount);
RULE(chk_compose_user_root);
RULE(chk_compose_read_only);
RULE(chk_compose_memory_limit);
RULE(chk_compose_cpu_limit);
RULE(chk_compose_pids_limit);
RULE(chk_compose_no_new_privileges);
RULE(chk_compose_unconfined);
RULE(chk_compose_ports_all_interfaces);
RULE(chk_compose_devices);
RULE(chk_compose_image_latest);
RULE(chk_compose_image_digest);
RULE(chk_compose_registry);
RULE(chk_compose_env_secret);
RULE(chk_compose_plaintext_port);
RULE(chk_compose_plaintext_dsn);

/* baseline.c */
RULE(chk_base_caps);
RULE(chk_base_mounts);
RULE(chk_base_cpu);
RULE(chk_base_memory);
RULE(chk_base_required);

#endif
