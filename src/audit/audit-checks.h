/* The check functions of the table in checks.c (private to src/audit). */
#ifndef BW_AUDIT_CHECKS_H
#define BW_AUDIT_CHECKS_H

#include "audit-int.h"

audit_global_fn check_1_1_1_partition, check_1_1_2_docker_group, check_1_1_audit_rule, check_2_1_rootless,
    check_2_2_icc, check_2_3_log_level, check_2_4_iptables, check_2_5_insecure_registries, check_2_6_aufs,
    check_2_7_tls, check_2_8_ulimits, check_2_9_userns, check_2_10_cgroup_parent, check_2_11_base_device,
    check_2_12_authz, check_2_13_remote_logging, check_2_14_no_new_privileges, check_2_15_live_restore,
    check_2_16_userland_proxy, check_2_17_seccomp_profile, check_2_18_experimental, check_1_2_2_version,
    check_4_image_rules, check_5_1_swarm, check_3_file, check_3_registry_certs, check_6_1_images,
    check_6_2_containers;

audit_container_fn check_5_2_apparmor, check_5_3_selinux, check_5_4_capabilities, check_5_5_privileged,
    check_5_6_sensitive_mounts, check_5_7_sshd, check_5_8_privileged_ports, check_5_10_net_ns,
    check_5_16_pid_ns, check_5_17_ipc_ns, check_5_21_uts_ns, check_5_31_userns, check_5_11_memory,
    check_5_12_cpu, check_5_13_readonly_rootfs, check_5_14_host_interface, check_5_15_restart,
    check_5_18_devices, check_5_19_ulimits, check_5_20_propagation, check_5_22_seccomp,
    check_5_23_exec_privileged, check_5_24_exec_root, check_5_25_cgroup, check_5_26_no_new_privileges,
    check_5_27_health, check_5_29_pids_limit, check_5_30_default_bridge, check_5_32_socket;

#endif
