/* The explicit check table: every CIS Docker Benchmark v1.6 recommendation
 * of sections 1 to 6, in the benchmark's order, with how bulwark decides it
 * and the remediation in our own words. A row without a function is
 * reported as manual. docs/audit.md is written from these rows. */
#include "audit-int.h"

#include "audit-checks.h"

const struct audit_check audit_checks[] = {
    {
	.info =
	    {
		.id = "1.1.1",
		.title = "Ensure a separate partition for containers has been created",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "the engine's data root (data-root, else DockerRootDir, else /var/lib/docker) is a "
		       "mount point in <root>/proc/self/mountinfo or <root>/etc/fstab",
		.remediation = "Put the engine's data root on a partition (or logical volume) of its own, so "
			       "a container filling it cannot fill the host's root filesystem.",
	    },
	.global = check_1_1_1_partition,
    },
    {
	.info =
	    {
		.id = "1.1.2",
		.title = "Ensure only trusted users are allowed to control Docker daemon",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "members of the docker group in <root>/etc/group are listed (info) — each is "
		       "root-equivalent",
		.remediation = "Remove every user who must not be root from the docker group (gpasswd -d "
			       "USER docker); grant access through sudo or an authorization plugin instead.",
	    },
	.global = check_1_1_2_docker_group,
    },
    {
	.info =
	    {
		.id = "1.1.3",
		.title = "Ensure auditing is configured for the Docker daemon",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /usr/bin/dockerd (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /usr/bin/dockerd -k docker` to "
			       "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths = "/usr/bin/dockerd|/usr/sbin/dockerd",
    },
    {
	.info =
	    {
		.id = "1.1.4",
		.title = "Ensure auditing is configured for Docker files and directories - /run/containerd",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /run/containerd (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /run/containerd -k docker` to "
			       "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths = "/run/containerd",
    },
    {
	.info =
	    {
		.id = "1.1.5",
		.title = "Ensure auditing is configured for Docker files and directories - /var/lib/docker",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /var/lib/docker (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /var/lib/docker -k docker` to "
			       "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths = "/var/lib/docker",
    },
    {
	.info =
	    {
		.id = "1.1.6",
		.title = "Ensure auditing is configured for Docker files and directories - /etc/docker",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /etc/docker (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /etc/docker -k docker` to "
			       "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths = "/etc/docker",
    },
    {
	.info =
	    {
		.id = "1.1.7",
		.title = "Ensure auditing is configured for Docker files and directories - docker.service",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /lib/systemd/system/docker.service (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /lib/systemd/system/docker.service -k docker` "
			       "to /etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths =
	    "/lib/systemd/system/docker.service|/usr/lib/systemd/system/docker.service|/etc/systemd/system/"
	    "docker.service",
    },
    {
	.info =
	    {
		.id = "1.1.8",
		.title = "Ensure auditing is configured for Docker files and directories - containerd.sock",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /run/containerd/containerd.sock (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /run/containerd/containerd.sock -k docker` to "
			       "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths = "/run/containerd/containerd.sock",
    },
    {
	.info =
	    {
		.id = "1.1.9",
		.title = "Ensure auditing is configured for Docker files and directories - docker.socket",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /lib/systemd/system/docker.socket (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /lib/systemd/system/docker.socket -k docker` to "
			       "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths =
	    "/lib/systemd/system/docker.socket|/usr/lib/systemd/system/docker.socket|/etc/systemd/system/"
	    "docker.socket",
    },
    {
	.info =
	    {
		.id = "1.1.10",
		.title =
		    "Ensure auditing is configured for Docker files and directories - /etc/default/docker",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /etc/default/docker (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /etc/default/docker -k docker` to "
			       "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths = "/etc/default/docker",
    },
    {
	.info =
	    {
		.id = "1.1.11",
		.title = "Ensure auditing is configured for Docker files and directories - "
			 "/etc/docker/daemon.json",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /etc/docker/daemon.json (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /etc/docker/daemon.json -k docker` to "
			       "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths = "/etc/docker/daemon.json",
    },
    {
	.info =
	    {
		.id = "1.1.12",
		.title = "Ensure auditing is configured for Docker files and directories - "
			 "/etc/containerd/config.toml",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /etc/containerd/config.toml (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /etc/containerd/config.toml -k docker` to "
			       "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths = "/etc/containerd/config.toml",
    },
    {
	.info =
	    {
		.id = "1.1.13",
		.title =
		    "Ensure auditing is configured for Docker files and directories - /etc/sysconfig/docker",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /etc/sysconfig/docker (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /etc/sysconfig/docker -k docker` to "
			       "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths = "/etc/sysconfig/docker",
    },
    {
	.info =
	    {
		.id = "1.1.14",
		.title =
		    "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /usr/bin/containerd (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /usr/bin/containerd -k docker` to "
			       "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths = "/usr/bin/containerd|/usr/sbin/containerd",
    },
    {
	.info =
	    {
		.id = "1.1.15",
		.title = "Ensure auditing is configured for Docker files and directories - "
			 "/usr/bin/containerd-shim",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /usr/bin/containerd-shim (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /usr/bin/containerd-shim -k docker` to "
			       "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths = "/usr/bin/containerd-shim",
    },
    {
	.info = {"1.1.16",
		 "Ensure auditing is configured for Docker files and directories - "
		 "/usr/bin/containerd-shim-runc-v1",
		 BW_AUDIT_HOST, true, true, BW_SEV_LOW,
		 "an auditd watch on /usr/bin/containerd-shim-runc-v1 (-w PATH, or -F path=/dir=) in "
		 "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this host, "
		 "`auditctl "
		 "-l`; info when the path does not exist",
		 "Add a watch rule such as `-w /usr/bin/containerd-shim-runc-v1 -k docker` to "
		 "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load)."},
	.global = check_1_1_audit_rule,
	.paths = "/usr/bin/containerd-shim-runc-v1",
    },
    {
	.info = {"1.1.17",
		 "Ensure auditing is configured for Docker files and directories - "
		 "/usr/bin/containerd-shim-runc-v2",
		 BW_AUDIT_HOST, true, true, BW_SEV_LOW,
		 "an auditd watch on /usr/bin/containerd-shim-runc-v2 (-w PATH, or -F path=/dir=) in "
		 "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this host, "
		 "`auditctl "
		 "-l`; info when the path does not exist",
		 "Add a watch rule such as `-w /usr/bin/containerd-shim-runc-v2 -k docker` to "
		 "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load)."},
	.global = check_1_1_audit_rule,
	.paths = "/usr/bin/containerd-shim-runc-v2",
    },
    {
	.info =
	    {
		.id = "1.1.18",
		.title = "Ensure auditing is configured for Docker files and directories - /usr/bin/runc",
		.scope = BW_AUDIT_HOST,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "an auditd watch on /usr/bin/runc (-w PATH, or -F path=/dir=) in "
		       "<root>/etc/audit/audit.rules, <root>/etc/audit/rules.d/*.rules or, live on this "
		       "host, `auditctl -l`; info when the path does not exist",
		.remediation = "Add a watch rule such as `-w /usr/bin/runc -k docker` to "
			       "/etc/audit/rules.d/docker.rules and reload auditd (augenrules --load).",
	    },
	.global = check_1_1_audit_rule,
	.paths = "/usr/bin/runc|/usr/sbin/runc",
    },
    {
	.info =
	    {
		.id = "1.2.1",
		.title = "Ensure the container host has been Hardened",
		.scope = BW_AUDIT_HOST,
		.cis_automated = false,
		.decided = false,
		.severity = BW_SEV_MEDIUM,
		.how = "manual: review the host against a hardening guide (the CIS benchmark of its "
		       "distribution)",
		.remediation =
		    "Harden the host itself: minimal packages, patched kernel, an LSM, restricted logins.",
	    },
    },
    {
	.info =
	    {
		.id = "1.2.2",
		.title = "Ensure that the version of Docker is up to date",
		.scope = BW_AUDIT_HOST,
		.cis_automated = false,
		.decided = false,
		.severity = BW_SEV_MEDIUM,
		.how = "manual: the engine's version (engine info) is reported for comparison with supported "
		       "releases",
		.remediation = "Keep the engine on a supported release and apply its security updates.",
	    },
	.global = check_1_2_2_version,
    },
    {
	.info =
	    {
		.id = "2.1",
		.title = "Run the Docker daemon as a non-root user, if possible",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = false,
		.decided = false,
		.severity = BW_SEV_MEDIUM,
		.how = "manual: pass when engine info reports name=rootless, else a note",
		.remediation =
		    "Where it fits, run the engine in rootless mode (dockerd-rootless-setuptool.sh).",
	    },
	.global = check_2_1_rootless,
    },
    {
	.info =
	    {
		.id = "2.2",
		.title = "Ensure network traffic is restricted between containers on the default bridge",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "icc is false in daemon.json or on dockerd's command line (--icc=false); default true",
		.remediation = "Set \"icc\": false in daemon.json (or --icc=false) and connect containers "
			       "that must talk through user-defined networks.",
	    },
	.global = check_2_2_icc,
    },
    {
	.info =
	    {
		.id = "2.3",
		.title = "Ensure the logging level is set to 'info'",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "log-level unset or info, and debug not set",
		.remediation = "Set \"log-level\": \"info\" (or remove log-level and debug) in daemon.json.",
	    },
	.global = check_2_3_log_level,
    },
    {
	.info =
	    {
		.id = "2.4",
		.title = "Ensure Docker is allowed to make changes to iptables",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "iptables is not false",
		.remediation = "Remove \"iptables\": false / --iptables=false so the engine keeps its "
			       "firewall rules consistent with its networks.",
	    },
	.global = check_2_4_iptables,
    },
    {
	.info = {"2.5", "Ensure insecure registries are not used", BW_AUDIT_DAEMON, true, true, BW_SEV_HIGH,
		 "insecure-registries empty in the configuration, and no index marked Secure=false in engine "
		 "info",
		 "Remove insecure-registries; give every private registry a TLS certificate (its CA in "
		 "/etc/docker/certs.d/REGISTRY/ca.crt)."},
	.global = check_2_5_insecure_registries,
    },
    {
	.info =
	    {
		.id = "2.6",
		.title = "Ensure aufs storage driver is not used",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "storage-driver (configuration, else engine info Driver) is not aufs",
		.remediation = "Use overlay2 (\"storage-driver\": \"overlay2\"); aufs is unmaintained.",
	    },
	.global = check_2_6_aufs,
    },
    {
	.info =
	    {
		.id = "2.7",
		.title = "Ensure TLS authentication for Docker daemon is configured",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_HIGH,
		.how = "when hosts includes a TCP address: tlsverify with tlscacert, tlscert and tlskey; "
		       "pass when the daemon listens on no TCP address",
		.remediation = "Listen on TCP only with \"tlsverify\": true and tlscacert / tlscert / tlskey "
			       "set, so only clients with a certificate from your CA connect.",
	    },
	.global = check_2_7_tls,
    },
    {
	.info =
	    {
		.id = "2.8",
		.title = "Ensure the default ulimit is configured appropriately",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = false,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "default-ulimits set in the configuration (info otherwise)",
		.remediation =
		    "Set default-ulimits (e.g. nofile, nproc) in daemon.json to limits that fit the host.",
	    },
	.global = check_2_8_ulimits,
    },
    {
	.info =
	    {
		.id = "2.9",
		.title = "Enable user namespace support",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "userns-remap set, or engine info SecurityOptions has name=userns",
		.remediation = "Set \"userns-remap\": \"default\" so root in a container maps to an "
			       "unprivileged host user.",
	    },
	.global = check_2_9_userns,
    },
    {
	.info =
	    {
		.id = "2.10",
		.title = "Ensure the default cgroup usage has been confirmed",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "cgroup-parent unset (pass) or set (info: confirm it)",
		.remediation = "Leave cgroup-parent unset unless a deliberate cgroup layout needs it.",
	    },
	.global = check_2_10_cgroup_parent,
    },
    {
	.info =
	    {
		.id = "2.11",
		.title = "Ensure base device size is not changed until needed",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "no dm.basesize among storage-opts",
		.remediation =
		    "Remove dm.basesize from storage-opts unless a workload needs larger base devices.",
	    },
	.global = check_2_11_base_device,
    },
    {
	.info =
	    {
		.id = "2.12",
		.title = "Ensure that authorization for Docker client commands is enabled",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "authorization-plugins set, or engine info Plugins.Authorization non-empty",
		.remediation = "Install an authorization plugin (e.g. opa-docker-authz) and list it in "
			       "\"authorization-plugins\".",
	    },
	.global = check_2_12_authz,
    },
    {
	.info =
	    {
		.id = "2.13",
		.title = "Ensure centralized and remote logging is configured",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "log-driver (configuration, else engine info LoggingDriver) is not json-file, local "
		       "or none",
		.remediation = "Send container logs off the host: \"log-driver\": \"syslog\", \"journald\" "
			       "with forwarding, \"fluentd\", \"gelf\"….",
	    },
	.global = check_2_13_remote_logging,
    },
    {
	.info =
	    {
		.id = "2.14",
		.title = "Ensure containers are restricted from acquiring new privileges",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "no-new-privileges is true",
		.remediation = "Set \"no-new-privileges\": true in daemon.json so setuid binaries cannot "
			       "raise privileges in any container.",
	    },
	.global = check_2_14_no_new_privileges,
    },
    {
	.info =
	    {
		.id = "2.15",
		.title = "Ensure live restore is enabled",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "live-restore true (configuration, else engine info LiveRestoreEnabled)",
		.remediation = "Set \"live-restore\": true so containers keep running while the daemon "
			       "restarts or upgrades.",
	    },
	.global = check_2_15_live_restore,
    },
    {
	.info =
	    {
		.id = "2.16",
		.title = "Ensure Userland Proxy is Disabled",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "userland-proxy is false",
		.remediation = "Set \"userland-proxy\": false to forward published ports with "
			       "iptables/hairpin NAT instead of a proxy process.",
	    },
	.global = check_2_16_userland_proxy,
    },
    {
	.info =
	    {
		.id = "2.17",
		.title = "Ensure that a daemon-wide custom seccomp profile is applied if appropriate",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = false,
		.decided = false,
		.severity = BW_SEV_LOW,
		.how = "manual: the daemon-wide seccomp-profile, if any, is reported",
		.remediation = "Keep the default seccomp profile or set \"seccomp-profile\" to a stricter "
			       "one that your workloads allow.",
	    },
	.global = check_2_17_seccomp_profile,
    },
    {
	.info =
	    {
		.id = "2.18",
		.title = "Ensure that experimental features are not implemented in production",
		.scope = BW_AUDIT_DAEMON,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "experimental is not true (configuration, else engine info ExperimentalBuild)",
		.remediation = "Remove \"experimental\": true from production daemons.",
	    },
	.global = check_2_18_experimental,
    },
    {
	.info = {"3.1", "Ensure that the docker.service file ownership is set to root:root", BW_AUDIT_FILES,
		 true, true, BW_SEV_MEDIUM,
		 "owner of /lib/systemd/system/docker.service is root:root (names from <root>/etc/passwd and "
		 "group)",
		 "chown root:root on the file."},
	.global = check_3_file,
	.paths =
	    "/lib/systemd/system/docker.service|/usr/lib/systemd/system/docker.service|/etc/systemd/system/"
	    "docker.service",
	.owner = "root:root",
    },
    {
	.info =
	    {
		.id = "3.2",
		.title = "Ensure that docker.service file permissions are appropriately set",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "mode of /lib/systemd/system/docker.service is 0644 or stricter",
		.remediation = "chmod 644 (or stricter) on the file.",
	    },
	.global = check_3_file,
	.paths =
	    "/lib/systemd/system/docker.service|/usr/lib/systemd/system/docker.service|/etc/systemd/system/"
	    "docker.service",
	.mode = 0644,
    },
    {
	.info = {"3.3", "Ensure that docker.socket file ownership is set to root:root", BW_AUDIT_FILES, true,
		 true, BW_SEV_MEDIUM,
		 "owner of /lib/systemd/system/docker.socket is root:root (names from <root>/etc/passwd and "
		 "group)",
		 "chown root:root on the file."},
	.global = check_3_file,
	.paths =
	    "/lib/systemd/system/docker.socket|/usr/lib/systemd/system/docker.socket|/etc/systemd/system/"
	    "docker.socket",
	.owner = "root:root",
    },
    {
	.info =
	    {
		.id = "3.4",
		.title = "Ensure that docker.socket file permissions are set to 644 or more restrictive",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "mode of /lib/systemd/system/docker.socket is 0644 or stricter",
		.remediation = "chmod 644 (or stricter) on the file.",
	    },
	.global = check_3_file,
	.paths =
	    "/lib/systemd/system/docker.socket|/usr/lib/systemd/system/docker.socket|/etc/systemd/system/"
	    "docker.socket",
	.mode = 0644,
    },
    {
	.info =
	    {
		.id = "3.5",
		.title = "Ensure that the /etc/docker directory ownership is set to root:root",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "owner of /etc/docker is root:root (names from <root>/etc/passwd and group)",
		.remediation = "chown root:root on the file.",
	    },
	.global = check_3_file,
	.paths = "/etc/docker",
	.owner = "root:root",
    },
    {
	.info =
	    {
		.id = "3.6",
		.title = "Ensure that /etc/docker directory permissions are set to 755 or more restrictively",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "mode of /etc/docker is 0755 or stricter",
		.remediation = "chmod 755 (or stricter) on the file.",
	    },
	.global = check_3_file,
	.paths = "/etc/docker",
	.mode = 0755,
    },
    {
	.info =
	    {
		.id = "3.7",
		.title = "Ensure that registry certificate file ownership is set to root:root",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "owner of every file under /etc/docker/certs.d/*/ is root:root",
		.remediation = "chown root:root /etc/docker/certs.d/*/*",
	    },
	.global = check_3_registry_certs,
	.owner = "root:root",
    },
    {
	.info =
	    {
		.id = "3.8",
		.title =
		    "Ensure that registry certificate file permissions are set to 444 or more restrictively",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "mode of every file under /etc/docker/certs.d/*/ is 0444 or stricter",
		.remediation = "chmod 444 /etc/docker/certs.d/*/*",
	    },
	.global = check_3_registry_certs,
	.mode = 0444,
    },
    {
	.info =
	    {
		.id = "3.9",
		.title = "Ensure that TLS CA certificate file ownership is set to root:root",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "owner of the file named by tlscacert is root:root (names from <root>/etc/passwd and "
		       "group)",
		.remediation = "chown root:root on the file.",
	    },
	.global = check_3_file,
	.paths = "@tlscacert",
	.owner = "root:root",
    },
    {
	.info =
	    {
		.id = "3.10",
		.title =
		    "Ensure that TLS CA certificate file permissions are set to 444 or more restrictively",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "mode of the file named by tlscacert is 0444 or stricter",
		.remediation = "chmod 444 (or stricter) on the file.",
	    },
	.global = check_3_file,
	.paths = "@tlscacert",
	.mode = 0444,
    },
    {
	.info =
	    {
		.id = "3.11",
		.title = "Ensure that Docker server certificate file ownership is set to root:root",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "owner of the file named by tlscert is root:root (names from <root>/etc/passwd and "
		       "group)",
		.remediation = "chown root:root on the file.",
	    },
	.global = check_3_file,
	.paths = "@tlscert",
	.owner = "root:root",
    },
    {
	.info = {"3.12",
		 "Ensure that the Docker server certificate file permissions are set to 444 or more "
		 "restrictively",
		 BW_AUDIT_FILES, true, true, BW_SEV_MEDIUM,
		 "mode of the file named by tlscert is 0444 or stricter",
		 "chmod 444 (or stricter) on the file."},
	.global = check_3_file,
	.paths = "@tlscert",
	.mode = 0444,
    },
    {
	.info =
	    {
		.id = "3.13",
		.title = "Ensure that the Docker server certificate key file ownership is set to root:root",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_HIGH,
		.how =
		    "owner of the file named by tlskey is root:root (names from <root>/etc/passwd and group)",
		.remediation = "chown root:root on the file.",
	    },
	.global = check_3_file,
	.paths = "@tlskey",
	.owner = "root:root",
    },
    {
	.info =
	    {
		.id = "3.14",
		.title = "Ensure that the Docker server certificate key file permissions are set to 400",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_HIGH,
		.how = "mode of the file named by tlskey is 0400 or stricter",
		.remediation = "chmod 400 (or stricter) on the file.",
	    },
	.global = check_3_file,
	.paths = "@tlskey",
	.mode = 0400,
    },
    {
	.info =
	    {
		.id = "3.15",
		.title = "Ensure that the Docker socket file ownership is set to root:docker",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_HIGH,
		.how = "owner of /run/docker.sock is root:docker (names from <root>/etc/passwd and group)",
		.remediation = "chown root:docker on the file.",
	    },
	.global = check_3_file,
	.paths = "/run/docker.sock|/var/run/docker.sock",
	.owner = "root:docker",
    },
    {
	.info =
	    {
		.id = "3.16",
		.title =
		    "Ensure that the Docker socket file permissions are set to 660 or more restrictively",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_HIGH,
		.how = "mode of /run/docker.sock is 0660 or stricter",
		.remediation = "chmod 660 (or stricter) on the file.",
	    },
	.global = check_3_file,
	.paths = "/run/docker.sock|/var/run/docker.sock",
	.mode = 0660,
    },
    {
	.info =
	    {
		.id = "3.17",
		.title = "Ensure that the daemon.json file ownership is set to root:root",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how =
		    "owner of /etc/docker/daemon.json is root:root (names from <root>/etc/passwd and group)",
		.remediation = "chown root:root on the file.",
	    },
	.global = check_3_file,
	.paths = "/etc/docker/daemon.json",
	.owner = "root:root",
    },
    {
	.info =
	    {
		.id = "3.18",
		.title = "Ensure that daemon.json file permissions are set to 644 or more restrictive",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "mode of /etc/docker/daemon.json is 0644 or stricter",
		.remediation = "chmod 644 (or stricter) on the file.",
	    },
	.global = check_3_file,
	.paths = "/etc/docker/daemon.json",
	.mode = 0644,
    },
    {
	.info =
	    {
		.id = "3.19",
		.title = "Ensure that the /etc/default/docker file ownership is set to root:root",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "owner of /etc/default/docker is root:root (names from <root>/etc/passwd and group)",
		.remediation = "chown root:root on the file.",
	    },
	.global = check_3_file,
	.paths = "/etc/default/docker",
	.owner = "root:root",
    },
    {
	.info =
	    {
		.id = "3.20",
		.title = "Ensure that the /etc/default/docker file permissions are set to 644 or more "
			 "restrictively",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "mode of /etc/default/docker is 0644 or stricter",
		.remediation = "chmod 644 (or stricter) on the file.",
	    },
	.global = check_3_file,
	.paths = "/etc/default/docker",
	.mode = 0644,
    },
    {
	.info =
	    {
		.id = "3.21",
		.title = "Ensure that the /etc/sysconfig/docker file permissions are set to 644 or more "
			 "restrictively",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "mode of /etc/sysconfig/docker is 0644 or stricter",
		.remediation = "chmod 644 (or stricter) on the file.",
	    },
	.global = check_3_file,
	.paths = "/etc/sysconfig/docker",
	.mode = 0644,
    },
    {
	.info =
	    {
		.id = "3.22",
		.title = "Ensure that the /etc/sysconfig/docker file ownership is set to root:root",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "owner of /etc/sysconfig/docker is root:root (names from <root>/etc/passwd and group)",
		.remediation = "chown root:root on the file.",
	    },
	.global = check_3_file,
	.paths = "/etc/sysconfig/docker",
	.owner = "root:root",
    },
    {
	.info =
	    {"3.23", "Ensure that the Containerd socket file ownership is set to root:root", BW_AUDIT_FILES,
	     true, true, BW_SEV_HIGH,
	     "owner of /run/containerd/containerd.sock is root:root (names from <root>/etc/passwd and group)",
	     "chown root:root on the file."},
	.global = check_3_file,
	.paths = "/run/containerd/containerd.sock",
	.owner = "root:root",
    },
    {
	.info =
	    {
		.id = "3.24",
		.title =
		    "Ensure that the Containerd socket file permissions are set to 660 or more restrictively",
		.scope = BW_AUDIT_FILES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_HIGH,
		.how = "mode of /run/containerd/containerd.sock is 0660 or stricter",
		.remediation = "chmod 660 (or stricter) on the file.",
	    },
	.global = check_3_file,
	.paths = "/run/containerd/containerd.sock",
	.mode = 0660,
    },
    {
	.info =
	    {
		.id = "4.1",
		.title = "Ensure that a user for the container has been created",
		.scope = BW_AUDIT_IMAGES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how =
		    "live: every image a container uses, by BW-IMG-001 (configuration User empty, root or 0)",
		.remediation = "Create an unprivileged user in the image and end the Dockerfile with USER "
			       "<uid> (see docs/rules/image.md, BW-IMG-001).",
	    },
	.global = check_4_image_rules,
    },
    {
	.info =
	    {
		.id = "4.2",
		.title = "Ensure that containers use only trusted base images",
		.scope = BW_AUDIT_IMAGES,
		.cis_automated = false,
		.decided = false,
		.severity = BW_SEV_MEDIUM,
		.how = "manual: a built image does not record which registry its base came from (BW-DF-005 "
		       "checks FROM against trusted-registries in Dockerfiles)",
		.remediation = "Build only from base images of registries you trust; list them in the lint "
			       "configuration's trusted-registries.",
	    },
    },
    {
	.info =
	    {
		.id = "4.3",
		.title = "Ensure that unnecessary packages are not installed in the container",
		.scope = BW_AUDIT_IMAGES,
		.cis_automated = false,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "live: every image a container uses, by BW-IMG-021 (editors, debuggers, sshd, sudo…) "
		       "and BW-IMG-022 (compilers, make, git, -dev packages, build caches)",
		.remediation = "Install only what the service runs; build in a separate stage "
			       "(docs/rules/image.md, BW-IMG-021/022).",
	    },
	.global = check_4_image_rules,
    },
    {
	.info =
	    {"4.4", "Ensure images are scanned and rebuilt to include security patches", BW_AUDIT_IMAGES,
	     false, false, BW_SEV_MEDIUM,
	     "manual: scan the images (`bulwark image --scanners vuln`) and rebuild them on patched bases",
	     "Scan images regularly and rebuild them on updated base images."},
    },
    {
	.info =
	    {
		.id = "4.5",
		.title = "Ensure Content trust for Docker is Enabled",
		.scope = BW_AUDIT_IMAGES,
		.cis_automated = true,
		.decided = false,
		.severity = BW_SEV_MEDIUM,
		.how = "manual: content trust is a client setting (DOCKER_CONTENT_TRUST) the engine does not "
		       "report (BW-DF-003 checks digest pinning in Dockerfiles)",
		.remediation =
		    "export DOCKER_CONTENT_TRUST=1 for clients that pull and push, or pin images by digest.",
	    },
    },
    {
	.info =
	    {
		.id = "4.6",
		.title = "Ensure that HEALTHCHECK instructions have been added to container images",
		.scope = BW_AUDIT_IMAGES,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how =
		    "live: every image a container uses, by BW-IMG-002 (no Healthcheck, or HEALTHCHECK NONE)",
		.remediation =
		    "Add a HEALTHCHECK instruction to the image (docs/rules/image.md, BW-IMG-002).",
	    },
	.global = check_4_image_rules,
    },
    {
	.info =
	    {
		.id = "4.7",
		.title = "Ensure update instructions are not used alone in the Dockerfile",
		.scope = BW_AUDIT_IMAGES,
		.cis_automated = false,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "live: every image a container uses, by BW-IMG-014 (a history step that updates the "
		       "package index without installing)",
		.remediation = "Update and install in the same RUN (docs/rules/image.md, BW-IMG-014).",
	    },
	.global = check_4_image_rules,
    },
    {
	.info = {"4.8", "Ensure setuid and setgid permissions are removed", BW_AUDIT_IMAGES, false, true,
		 BW_SEV_MEDIUM,
		 "live: every image a container uses, by BW-IMG-003 (setuid/setgid files of the final "
		 "filesystem)",
		 "Remove setuid/setgid bits the service does not need (docs/rules/image.md, BW-IMG-003)."},
	.global = check_4_image_rules,
    },
    {
	.info =
	    {
		.id = "4.9",
		.title = "Ensure that COPY is used instead of ADD in Dockerfiles",
		.scope = BW_AUDIT_IMAGES,
		.cis_automated = false,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "live: every image a container uses, by BW-IMG-015 (ADD in the history, the base root "
		       "filesystem excepted)",
		.remediation = "Use COPY for local files (docs/rules/image.md, BW-IMG-015).",
	    },
	.global = check_4_image_rules,
    },
    {
	.info =
	    {
		.id = "4.10",
		.title = "Ensure secrets are not stored in Dockerfiles",
		.scope = BW_AUDIT_IMAGES,
		.cis_automated = false,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "live: every image a container uses, by BW-IMG-005/006/007/012/013 (private keys, "
		       "credential files, .env, credentials in Env or build arguments)",
		.remediation =
		    "Use build secrets and run-time secrets; rotate what shipped (docs/rules/image.md).",
	    },
	.global = check_4_image_rules,
    },
    {
	.info =
	    {
		.id = "4.11",
		.title = "Ensure only verified packages are installed",
		.scope = BW_AUDIT_IMAGES,
		.cis_automated = false,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "live: every image a container uses, by BW-IMG-023 (apt [trusted=yes], "
		       "AllowUnauthenticated, gpgcheck=0)",
		.remediation = "Keep package signature checks on (docs/rules/image.md, BW-IMG-023).",
	    },
	.global = check_4_image_rules,
    },
    {
	.info =
	    {
		.id = "4.12",
		.title = "Ensure all signed artifacts are validated",
		.scope = BW_AUDIT_IMAGES,
		.cis_automated = false,
		.decided = false,
		.severity = BW_SEV_MEDIUM,
		.how = "manual: validate signatures of images and attestations before use",
		.remediation = "Verify signed artifacts before they are deployed.",
	    },
    },
    {
	.info =
	    {
		.id = "5.1",
		.title = "Ensure swarm mode is not Enabled, if not needed",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "engine info Swarm.LocalNodeState is not active (info when unknown)",
		.remediation = "Leave swarm mode (docker swarm leave) on hosts that do not need it.",
	    },
	.global = check_5_1_swarm,
    },
    {
	.info =
	    {
		.id = "5.2",
		.title = "Ensure that, if applicable, an AppArmor Profile is enabled",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how =
		    "AppArmorProfile non-empty and not unconfined, and no apparmor=unconfined security-opt",
		.remediation = "Run with an AppArmor profile (the engine's docker-default, or --security-opt "
			       "apparmor=PROFILE) on hosts with AppArmor.",
	    },
	.container = check_5_2_apparmor,
    },
    {
	.info =
	    {
		.id = "5.3",
		.title = "Ensure that, if applicable, SELinux security options are set",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "a label security-opt or a ProcessLabel; label=disable warns",
		.remediation = "On SELinux hosts run the daemon with --selinux-enabled and containers with "
			       "--security-opt label=…",
	    },
	.container = check_5_3_selinux,
    },
    {
	.info =
	    {
		.id = "5.4",
		.title = "Ensure that Linux kernel capabilities are restricted within containers",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_HIGH,
		.how = "HostConfig.CapAdd minus CapDrop is empty; the added capabilities are named",
		.remediation = "Do not --cap-add; start from --cap-drop ALL and add back only the "
			       "capabilities the process needs.",
	    },
	.container = check_5_4_capabilities,
    },
    {
	.info =
	    {
		.id = "5.5",
		.title = "Ensure that privileged containers are not used",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_CRITICAL,
		.how = "HostConfig.Privileged is false",
		.remediation =
		    "Do not use --privileged; grant the specific capability or device the workload needs.",
	    },
	.container = check_5_5_privileged,
    },
    {
	.info = {"5.6", "Ensure sensitive host system directories are not mounted on containers",
		 BW_AUDIT_CONTAINER, true, true, BW_SEV_HIGH,
		 "no bind mount whose source is /, or is or lies under /boot, /dev, /etc, /lib, /proc, /sys "
		 "or /usr",
		 "Do not bind-mount host system directories; if one is unavoidable, mount the narrowest path "
		 "read-only."},
	.container = check_5_6_sensitive_mounts,
    },
    {
	.info =
	    {
		.id = "5.7",
		.title = "Ensure sshd is not run within containers",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "live on a local engine: no sshd process whose cgroup names the container; always: "
		       "the command (Path, Args) is not sshd",
		.remediation = "Remove sshd from the container; use docker exec for debugging.",
	    },
	.container = check_5_7_sshd,
    },
    {
	.info =
	    {
		.id = "5.8",
		.title = "Ensure privileged ports are not mapped within containers",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "no HostConfig.PortBindings host port below 1024",
		.remediation = "Publish on host ports 1024 and above (-p 8080:80).",
	    },
	.container = check_5_8_privileged_ports,
    },
    {
	.info =
	    {"5.9", "Ensure that only needed ports are open on the container", BW_AUDIT_CONTAINER, false,
	     false, BW_SEV_LOW,
	     "manual: compare the published ports (HostConfig.PortBindings) with the ones the service needs",
	     "Publish only the ports the service needs; do not use -P."},
    },
    {
	.info =
	    {
		.id = "5.10",
		.title = "Ensure that the host's network namespace is not shared",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_HIGH,
		.how = "HostConfig.NetworkMode is not host",
		.remediation = "Do not use --network host.",
	    },
	.container = check_5_10_net_ns,
    },
    {
	.info =
	    {
		.id = "5.11",
		.title = "Ensure that the memory usage for containers is limited",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "HostConfig.Memory is above 0",
		.remediation = "Set a memory limit (--memory 512m).",
	    },
	.container = check_5_11_memory,
    },
    {
	.info =
	    {
		.id = "5.12",
		.title = "Ensure that CPU priority is set appropriately on containers",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "CpuShares set to other than 0/1024, or NanoCpus or CpuQuota set",
		.remediation = "Set --cpu-shares or --cpus so one container cannot starve the others.",
	    },
	.container = check_5_12_cpu,
    },
    {
	.info =
	    {
		.id = "5.13",
		.title = "Ensure that the container's root filesystem is mounted as read only",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "HostConfig.ReadonlyRootfs is true",
		.remediation =
		    "Run with --read-only and mount writable volumes or tmpfs only where the process writes.",
	    },
	.container = check_5_13_readonly_rootfs,
    },
    {
	.info =
	    {
		.id = "5.14",
		.title = "Ensure that incoming container traffic is bound to a specific host interface",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "every HostConfig.PortBindings entry has a HostIp other than empty, 0.0.0.0 or ::",
		.remediation = "Publish ports on a specific address (-p 127.0.0.1:8080:80).",
	    },
	.container = check_5_14_host_interface,
    },
    {
	.info =
	    {
		.id = "5.15",
		.title = "Ensure that the 'on-failure' container restart policy is set to '5'",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "restart policy none, or on-failure with 1 to 5 retries; always / unless-stopped / "
		       "unbounded on-failure warn",
		.remediation = "Use --restart on-failure:5.",
	    },
	.container = check_5_15_restart,
    },
    {
	.info =
	    {
		.id = "5.16",
		.title = "Ensure that the host's process namespace is not shared",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_HIGH,
		.how = "HostConfig.PidMode is not host",
		.remediation = "Do not use --pid host.",
	    },
	.container = check_5_16_pid_ns,
    },
    {
	.info =
	    {
		.id = "5.17",
		.title = "Ensure that the host's IPC namespace is not shared",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_HIGH,
		.how = "HostConfig.IpcMode is not host",
		.remediation = "Do not use --ipc host.",
	    },
	.container = check_5_17_ipc_ns,
    },
    {
	.info =
	    {
		.id = "5.18",
		.title = "Ensure that host devices are not directly exposed to containers",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = false,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "HostConfig.Devices is empty; exposed devices are named",
		.remediation =
		    "Do not pass host devices (--device); if one is needed, grant it read-only (:r).",
	    },
	.container = check_5_18_devices,
    },
    {
	.info =
	    {
		.id = "5.19",
		.title = "Ensure that the default ulimit is overwritten at runtime if needed",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = false,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "HostConfig.Ulimits listed (info) when the daemon's defaults are overridden",
		.remediation = "Override ulimits per container only where a workload needs it.",
	    },
	.container = check_5_19_ulimits,
    },
    {
	.info =
	    {
		.id = "5.20",
		.title = "Ensure mount propagation mode is not set to shared",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "no mount with Propagation shared or rshared",
		.remediation = "Do not mount volumes with shared propagation.",
	    },
	.container = check_5_20_propagation,
    },
    {
	.info =
	    {
		.id = "5.21",
		.title = "Ensure that the host's UTS namespace is not shared",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "HostConfig.UTSMode is not host",
		.remediation = "Do not use --uts host.",
	    },
	.container = check_5_21_uts_ns,
    },
    {
	.info =
	    {
		.id = "5.22",
		.title = "Ensure the default seccomp profile is not Disabled",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_HIGH,
		.how = "no seccomp=unconfined security-opt, and not privileged (privileged containers run "
		       "without seccomp)",
		.remediation = "Do not use --security-opt seccomp=unconfined; write a custom profile if a "
			       "system call is missing.",
	    },
	.container = check_5_22_seccomp,
    },
    {
	.info =
	    {
		.id = "5.23",
		.title = "Ensure that docker exec commands are not used with the privileged option",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_HIGH,
		.how = "live: no exec session (ExecIDs, GET /exec/ID/json) is privileged; offline: info when "
		       "exec sessions exist",
		.remediation = "Do not use docker exec --privileged.",
	    },
	.container = check_5_23_exec_privileged,
    },
    {
	.info =
	    {
		.id = "5.24",
		.title = "Ensure that docker exec commands are not used with the user=root option",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = false,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "live: no exec session runs as root (its user, else the container's); offline: info "
		       "when exec sessions exist",
		.remediation = "Use docker exec --user with an unprivileged user.",
	    },
	.container = check_5_24_exec_root,
    },
    {
	.info =
	    {
		.id = "5.25",
		.title = "Ensure that cgroup usage is confirmed",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "HostConfig.CgroupParent is empty",
		.remediation = "Leave --cgroup-parent unset unless deliberately placing the container.",
	    },
	.container = check_5_25_cgroup,
    },
    {
	.info =
	    {
		.id = "5.26",
		.title = "Ensure that the container is restricted from acquiring additional privileges",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "security-opt no-new-privileges, or the daemon's no-new-privileges",
		.remediation = "Run with --security-opt no-new-privileges (or set it daemon-wide).",
	    },
	.container = check_5_26_no_new_privileges,
    },
    {
	.info =
	    {
		.id = "5.27",
		.title = "Ensure that container health is checked at runtime",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "Config.Healthcheck.Test is set and not NONE",
		.remediation = "Add a HEALTHCHECK to the image or --health-cmd to the container.",
	    },
	.container = check_5_27_health,
    },
    {
	.info =
	    {
		.id = "5.28",
		.title = "Ensure that Docker commands always make use of the latest version of their image",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = false,
		.decided = false,
		.severity = BW_SEV_LOW,
		.how = "manual: pull images by digest or refresh them before use",
		.remediation = "Pin images by digest and refresh them deliberately.",
	    },
    },
    {
	.info =
	    {
		.id = "5.29",
		.title = "Ensure that the PIDs cgroup limit is used",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_MEDIUM,
		.how = "HostConfig.PidsLimit is above 0",
		.remediation = "Set --pids-limit (e.g. 200).",
	    },
	.container = check_5_29_pids_limit,
    },
    {
	.info =
	    {
		.id = "5.30",
		.title = "Ensure that Docker's default bridge 'docker0' is not used",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = false,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "NetworkMode is not default/bridge and the container is not attached to the bridge "
		       "network",
		.remediation = "Attach containers to user-defined networks (or none).",
	    },
	.container = check_5_30_default_bridge,
    },
    {
	.info =
	    {
		.id = "5.31",
		.title = "Ensure that the host's user namespaces are not shared",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_HIGH,
		.how = "HostConfig.UsernsMode is not host",
		.remediation = "Do not use --userns host.",
	    },
	.container = check_5_31_userns,
    },
    {
	.info =
	    {
		.id = "5.32",
		.title = "Ensure that the Docker socket is not mounted inside any containers",
		.scope = BW_AUDIT_CONTAINER,
		.cis_automated = true,
		.decided = true,
		.severity = BW_SEV_CRITICAL,
		.how = "no mount whose source is an engine socket (docker.sock, containerd.sock, "
		       "podman.sock, …) or the whole /run or /var/run",
		.remediation = "Never mount the engine's socket; it gives root on the host to the container.",
	    },
	.container = check_5_32_socket,
    },
    {
	.info =
	    {
		.id = "6.1",
		.title = "Ensure that image sprawl is avoided",
		.scope = BW_AUDIT_OPS,
		.cis_automated = false,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "live: images and how many of them containers use (info)",
		.remediation = "Remove unused images regularly (docker image prune).",
	    },
	.global = check_6_1_images,
    },
    {
	.info =
	    {
		.id = "6.2",
		.title = "Ensure that container sprawl is avoided",
		.scope = BW_AUDIT_OPS,
		.cis_automated = false,
		.decided = true,
		.severity = BW_SEV_LOW,
		.how = "containers, running and not (info)",
		.remediation = "Remove stopped containers regularly (docker container prune).",
	    },
	.global = check_6_2_containers,
    },
};
const size_t audit_n_checks = BW_ARRAY_SIZE(audit_checks);
