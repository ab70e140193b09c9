/* The compose rules (BW-COMPOSE-NNN), in id order, with the CIS Docker
 * Benchmark 5.x sections (numbered as `bulwark audit` numbers them) that
 * check the same setting on a running container, a rationale and a bad and
 * a good compose file (run by the unit tests, shown in docs/rules/config.md). */
#include "rules-int.h"

const struct iac_rule iac_compose_rules[] = {
    {
	.id = "BW-COMPOSE-001",
	.severity = BW_SEV_HIGH,
	.title = "Privileged service",
	.equivalent = {"CIS-5.5", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_privileged,
	.rationale = "A privileged container has every capability and every device of the host: root in it "
		     "is root on the host.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    privileged: true\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    privileged: false\n",
	.remediation = "Remove privileged; add the one capability needed instead.",
	.fix_scope = IAC_FIX_SERVICE,
	.fix_path = "privileged",
	.fix_value = "false",
    },
    {
	.id = "BW-COMPOSE-002",
	.severity = BW_SEV_HIGH,
	.title = "Dangerous capability added",
	.equivalent = {"CIS-5.4", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_caps_dangerous,
	.rationale = "SYS_ADMIN, NET_ADMIN, SYS_MODULE, SYS_PTRACE, NET_RAW, BPF and their like each give a "
		     "container a known way out.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    cap_add: [SYS_ADMIN]\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    cap_add: [NET_BIND_SERVICE]\n",
	.remediation = "Remove the capability.",
    },
    {
	.id = "BW-COMPOSE-003",
	.severity = BW_SEV_LOW,
	.title = "Capabilities added",
	.equivalent = {"CIS-5.4", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_caps_added,
	.rationale = "Every added capability widens what a compromised process can do.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    cap_add: [CHOWN]\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    cap_drop: [ALL]\n",
	.remediation = "Remove cap_add.",
    },
    {
	.id = "BW-COMPOSE-004",
	.severity = BW_SEV_LOW,
	.title = "Capabilities not dropped",
	.equivalent = {"CIS-5.4", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_drop_all,
	.rationale = "The engine's default capability set is more than most programs use.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    cap_drop: [ALL]\n",
	.remediation = "Add cap_drop: [ALL] and add back only what is needed.",
	.fix_scope = IAC_FIX_SERVICE,
	.fix_path = "cap_drop",
	.fix_value = "[ALL]",
    },
    {
	.id = "BW-COMPOSE-005",
	.severity = BW_SEV_HIGH,
	.title = "Host network namespace shared",
	.equivalent = {"CIS-5.10", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_network_host,
	.rationale = "network_mode: host puts the service on the host's interfaces and loopback, outside "
		     "every compose network.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    network_mode: host\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    networks: [front]\n"
		"networks:\n"
		"  front: {}\n",
	.remediation = "Use a compose network and publish the ports needed.",
    },
    {
	.id = "BW-COMPOSE-006",
	.severity = BW_SEV_HIGH,
	.title = "Host PID namespace shared",
	.equivalent = {"CIS-5.16", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_pid_host,
	.rationale = "pid: host lets the service see, signal and ptrace every process of the host.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    pid: host\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n",
	.remediation = "Remove pid: host.",
    },
    {
	.id = "BW-COMPOSE-007",
	.severity = BW_SEV_HIGH,
	.title = "Host IPC namespace shared",
	.equivalent = {"CIS-5.17", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_ipc_host,
	.rationale = "ipc: host shares the host's shared memory with the service.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    ipc: host\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    ipc: private\n",
	.remediation = "Remove ipc: host.",
    },
    {
	.id = "BW-COMPOSE-008",
	.severity = BW_SEV_MEDIUM,
	.title = "Host UTS namespace shared",
	.equivalent = {"CIS-5.21", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_uts_host,
	.rationale = "uts: host lets the service change the host's name.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    uts: host\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n",
	.remediation = "Remove uts: host.",
    },
    {
	.id = "BW-COMPOSE-009",
	.severity = BW_SEV_MEDIUM,
	.title = "Host user namespace shared",
	.equivalent = {"CIS-5.31", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_userns_host,
	.rationale = "userns_mode: host turns off the engine's user-namespace remapping for the service.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    userns_mode: host\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n",
	.remediation = "Remove userns_mode: host.",
    },
    {
	.id = "BW-COMPOSE-010",
	.severity = BW_SEV_CRITICAL,
	.title = "Container engine socket mounted",
	.equivalent = {"CIS-5.32", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_docker_socket,
	.rationale = "Whoever talks to the engine socket starts privileged containers: root on the host.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    volumes:\n"
	       "      - /var/run/docker.sock:/var/run/docker.sock\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    volumes:\n"
		"      - data:/var/lib/app\n"
		"volumes:\n"
		"  data: {}\n",
	.remediation = "Do not mount the engine socket; use a narrower API or an authorization plugin.",
    },
    {
	.id = "BW-COMPOSE-011",
	.severity = BW_SEV_HIGH,
	.title = "Sensitive host directory mounted",
	.equivalent = {"CIS-5.6", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_sensitive_mount,
	.rationale = "Mounting /, /etc, /proc, /sys, /boot, /dev, /usr or /var/run hands the host's "
		     "configuration and secrets to the container.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    volumes:\n"
	       "      - /etc:/host/etc:ro\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    volumes:\n"
		"      - /srv/app:/data\n",
	.remediation = "Mount only the application's own data.",
    },
    {
	.id = "BW-COMPOSE-012",
	.severity = BW_SEV_MEDIUM,
	.title = "Service runs as root",
	.equivalent = {"CIS-4.1", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_user_root,
	.rationale = "Without user (or with root/0) the process is root inside the container, one kernel bug "
		     "from root on the host.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    user: root\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    user: \"10001:10001\"\n",
	.remediation = "Set user: to an unprivileged UID:GID.",
    },
    {
	.id = "BW-COMPOSE-013",
	.severity = BW_SEV_MEDIUM,
	.title = "Root filesystem is writable",
	.equivalent = {"CIS-5.13", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_read_only,
	.rationale = "A writable root filesystem lets an attacker drop tools and change binaries.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    read_only: true\n"
		"    tmpfs: [/tmp]\n",
	.remediation = "Set read_only: true and a tmpfs where the program writes.",
	.fix_scope = IAC_FIX_SERVICE,
	.fix_path = "read_only",
	.fix_value = "true",
    },
    {
	.id = "BW-COMPOSE-014",
	.severity = BW_SEV_LOW,
	.title = "Memory limit not set",
	.equivalent = {"CIS-5.11", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_memory_limit,
	.rationale = "Without a memory limit one service can exhaust the host's memory.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    deploy:\n"
		"      resources:\n"
		"        limits:\n"
		"          memory: 256M\n",
	.remediation = "Set deploy.resources.limits.memory (or mem_limit).",
    },
    {
	.id = "BW-COMPOSE-015",
	.severity = BW_SEV_LOW,
	.title = "CPU limit not set",
	.equivalent = {"CIS-5.12", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_cpu_limit,
	.rationale = "Without a CPU limit one service can starve the others.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    deploy:\n"
		"      resources:\n"
		"        limits:\n"
		"          cpus: \"0.5\"\n",
	.remediation = "Set deploy.resources.limits.cpus (or cpus).",
    },
    {
	.id = "BW-COMPOSE-016",
	.severity = BW_SEV_LOW,
	.title = "PIDs limit not set",
	.equivalent = {"CIS-5.29", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_pids_limit,
	.rationale = "Without a PIDs limit a fork bomb in one container takes the host down.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    pids_limit: 200\n",
	.remediation = "Set pids_limit (or deploy.resources.limits.pids).",
    },
    {
	.id = "BW-COMPOSE-017",
	.severity = BW_SEV_MEDIUM,
	.title = "no-new-privileges not set",
	.equivalent = {"CIS-5.26", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_no_new_privileges,
	.rationale =
	    "Without no-new-privileges a setuid binary or file capability raises a process's privileges.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    security_opt: [\"no-new-privileges:true\"]\n",
	.remediation = "Add security_opt: [\"no-new-privileges:true\"].",
	.fix_scope = IAC_FIX_SERVICE,
    },
    {
	.id = "BW-COMPOSE-018",
	.severity = BW_SEV_HIGH,
	.title = "Confinement turned off",
	.equivalent = {"CIS-5.22", "CIS-5.2", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_unconfined,
	.rationale = "seccomp:unconfined, apparmor:unconfined or label:disable remove a layer of the "
		     "kernel's protection around the container.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    security_opt: [\"seccomp:unconfined\"]\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    security_opt: [\"no-new-privileges:true\"]\n",
	.remediation = "Remove the option; write a profile for the program if the default blocks it.",
    },
    {
	.id = "BW-COMPOSE-019",
	.severity = BW_SEV_MEDIUM,
	.title = "Port published on every interface",
	.equivalent = {"CIS-5.14", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_ports_all_interfaces,
	.rationale = "A port without a host address is published on 0.0.0.0 (and ::), every network the host "
		     "is on; Docker's iptables rules also bypass the host firewall.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    ports: [\"8080:80\"]\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    ports: [\"127.0.0.1:8080:80\"]\n",
	.remediation = "Bind the port to one address (127.0.0.1:8080:80) or put a proxy in front.",
	.fix_scope = IAC_FIX_SERVICE,
    },
    {
	.id = "BW-COMPOSE-020",
	.severity = BW_SEV_MEDIUM,
	.title = "Host devices mapped",
	.equivalent = {"CIS-5.18", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_devices,
	.rationale = "A host device inside the container is a direct line to a kernel driver.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    devices: [\"/dev/sda:/dev/sda\"]\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n",
	.remediation = "Remove devices.",
    },
    {
	.id = "BW-COMPOSE-021",
	.severity = BW_SEV_MEDIUM,
	.title = "Image uses the latest tag or no tag",
	.equivalent = {"KSV-0013", NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_image_latest,
	.rationale =
	    "latest (or no tag) changes under the project: rollbacks and audits cannot say what ran.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n",
	.remediation = "Name a version tag, or better a digest.",
    },
    {
	.id = "BW-COMPOSE-022",
	.severity = BW_SEV_LOW,
	.title = "Image not pinned by digest",
	.equivalent = {NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_image_digest,
	.rationale = "A tag can be re-pointed by whoever controls the registry; a digest names exactly the "
		     "bytes reviewed.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5\n",
	.remediation = "Append @sha256:<digest> to the image.",
    },
    {
	.id = "BW-COMPOSE-023",
	.severity = BW_SEV_HIGH,
	.title = "Image from a registry outside the allow-list",
	.equivalent = {NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_registry,
	.rationale = "Only images from registries the organisation trusts should run.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: evil.example.com/nginx:1.27\n",
	.good = "services:\n"
		"  web:\n"
		"    image: docker.io/library/nginx:1.27\n",
	.remediation = "Mirror the image into a trusted registry.",
    },
    {
	.id = "BW-COMPOSE-024",
	.severity = BW_SEV_HIGH,
	.title = "Secret in an environment value",
	.equivalent = {NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_env_secret,
	.rationale = "A secret written into the compose file is in version control and in `docker inspect` "
		     "of every container.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    environment:\n"
	       "      DB_PASSWORD: hunter2-Secret-9\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    environment:\n"
		"      DB_PASSWORD_FILE: /run/secrets/db\n",
	.remediation = "Use compose secrets (or ${VAR} from an environment kept out of the repository).",
    },
    {
	.id = "BW-COMPOSE-025",
	.severity = BW_SEV_MEDIUM,
	.title = "Plaintext port published",
	.equivalent = {NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_plaintext_port,
	.rationale = "A published port whose protocol has a TLS form (HTTP 80/8080, Redis 6379, FTP, LDAP, "
		     "AMQP, MQTT, the Docker API 2375, …) carries credentials and data readable by every "
		     "network the host is on.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    ports: [\"80:80\"]\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    ports: [\"443:443\"]\n",
	.remediation = "Publish the TLS port, or put a TLS-terminating proxy in front; keep plaintext ports "
		       "on 127.0.0.1.",
    },
    {
	.id = "BW-COMPOSE-026",
	.severity = BW_SEV_MEDIUM,
	.title = "Database connection without TLS",
	.equivalent = {NULL},
	.target = IAC_COMPOSE,
	.check = chk_compose_plaintext_dsn,
	.rationale = "A PostgreSQL URL without sslmode=require (or verify-full), "
		     "PGSSLMODE=disable/allow/prefer, a redis:// or amqp:// URL with credentials: the "
		     "password and the data cross the network in the clear.",
	.bad = "services:\n"
	       "  web:\n"
	       "    image: nginx:1.27\n"
	       "    environment:\n"
	       "      DATABASE_URL: postgres://app@db:5432/shop\n",
	.good = "services:\n"
		"  web:\n"
		"    image: nginx:1.27\n"
		"    environment:\n"
		"      DATABASE_URL: postgres://app@db:5432/shop?sslmode=require\n",
	.remediation = "Ask for TLS in the connection string (sslmode=verify-full, rediss://, amqps://).",
    },
};
const size_t iac_n_compose_rules = BW_ARRAY_SIZE(iac_compose_rules);
