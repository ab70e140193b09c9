/* The Kubernetes rules (BW-K8S-NNN), in id order. Each row carries its peer
 * ids (Trivy KSV-NNNN and the short KSVNNN form, Kubesec's rule names,
 * kube-score's check names), a rationale and a bad and a good manifest: the
 * unit tests run every example (bad must trigger the rule, good must not)
 * and docs/rules/config.md is generated from the table. */
#include "rules-int.h"

const struct iac_rule iac_k8s_rules[] = {
    {
	.id = "BW-K8S-001",
	.severity = BW_SEV_HIGH,
	.title = "Privileged container",
	.equivalent = {"KSV-0017", "KSV017", "Privileged", "container-security-context-privileged", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_privileged,
	.rationale = "A privileged container has every capability and every device of the node: root in it "
		     "is root on the node.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n"
	       "      securityContext:\n"
	       "        privileged: true\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      securityContext:\n"
		"        privileged: false\n",
	.remediation =
	    "Remove securityContext.privileged or set it to false; grant the one capability needed instead.",
	.fix_scope = IAC_FIX_CONTAINER,
	.fix_path = "securityContext.privileged",
	.fix_value = "false",
    },
    {
	.id = "BW-K8S-002",
	.severity = BW_SEV_MEDIUM,
	.title = "Privilege escalation allowed",
	.equivalent = {"KSV-0001", "KSV001", "AllowPrivilegeEscalation", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_allow_priv_esc,
	.rationale = "Unless allowPrivilegeEscalation is false, a setuid binary or file capability lets a "
		     "process gain more privileges than its parent (no_new_privs is not set).",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      securityContext:\n"
		"        allowPrivilegeEscalation: false\n",
	.remediation = "Set securityContext.allowPrivilegeEscalation: false on every container.",
	.fix_scope = IAC_FIX_CONTAINER,
	.fix_path = "securityContext.allowPrivilegeEscalation",
	.fix_value = "false",
    },
    {
	.id = "BW-K8S-003",
	.severity = BW_SEV_HIGH,
	.title = "Dangerous capability added",
	.equivalent = {"KSV-0005", "KSV005", "KSV-0119", "KSV119", "KSV-0120", "KSV120", "CapSysAdmin", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_caps_dangerous,
	.rationale = "SYS_ADMIN, NET_ADMIN, SYS_MODULE, SYS_PTRACE, NET_RAW, BPF and their like each give a "
		     "container a known way to break out or to attack its neighbours.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n"
	       "      securityContext:\n"
	       "        capabilities:\n"
	       "          add: [SYS_ADMIN]\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      securityContext:\n"
		"        capabilities:\n"
		"          add: [NET_BIND_SERVICE]\n"
		"          drop: [ALL]\n",
	.remediation = "Remove the capability; find the narrower one the program needs.",
    },
    {
	.id = "BW-K8S-004",
	.severity = BW_SEV_LOW,
	.title = "Capabilities added",
	.equivalent = {"KSV-0022", "KSV022", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_caps_added,
	.rationale = "Every added capability widens what a compromised process can do; most programs need "
		     "none once ALL is dropped.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n"
	       "      securityContext:\n"
	       "        capabilities:\n"
	       "          add: [NET_BIND_SERVICE]\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      securityContext:\n"
		"        capabilities:\n"
		"          drop: [ALL]\n",
	.remediation = "Remove securityContext.capabilities.add, or listen on a port above 1023 instead of "
		       "adding NET_BIND_SERVICE.",
    },
    {
	.id = "BW-K8S-005",
	.severity = BW_SEV_LOW,
	.title = "Capabilities not dropped",
	.equivalent = {"KSV-0003", "KSV003", "CapDropAll", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_drop_all,
	.rationale = "The runtime's default set (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, NET_RAW, …) is more "
		     "than most programs use.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      securityContext:\n"
		"        capabilities:\n"
		"          drop: [ALL]\n",
	.remediation = "Add securityContext.capabilities.drop: [ALL] and add back only what is needed.",
	.fix_scope = IAC_FIX_CONTAINER,
	.fix_path = "securityContext.capabilities.drop",
	.fix_value = "[ALL]",
    },
    {
	.id = "BW-K8S-006",
	.severity = BW_SEV_HIGH,
	.title = "Host PID namespace shared",
	.equivalent = {"KSV-0010", "KSV010", "HostPID", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_host_pid,
	.rationale = "With hostPID the container sees and can signal or ptrace every process of the node.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  hostPID: true\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  hostPID: false\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Remove hostPID.",
	.fix_scope = IAC_FIX_POD,
	.fix_path = "hostPID",
	.fix_value = "false",
    },
    {
	.id = "BW-K8S-007",
	.severity = BW_SEV_HIGH,
	.title = "Host IPC namespace shared",
	.equivalent = {"KSV-0008", "KSV008", "HostIPC", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_host_ipc,
	.rationale =
	    "With hostIPC the container reads and writes the shared memory of every process of the node.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  hostIPC: true\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Remove hostIPC.",
	.fix_scope = IAC_FIX_POD,
	.fix_path = "hostIPC",
	.fix_value = "false",
    },
    {
	.id = "BW-K8S-008",
	.severity = BW_SEV_HIGH,
	.title = "Host network namespace shared",
	.equivalent = {"KSV-0009", "KSV009", "HostNetwork", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_host_network,
	.rationale = "With hostNetwork the container binds the node's interfaces, reaches its loopback "
		     "services and bypasses NetworkPolicies.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  hostNetwork: true\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Remove hostNetwork; expose the port through a Service.",
	.fix_scope = IAC_FIX_POD,
	.fix_path = "hostNetwork",
	.fix_value = "false",
    },
    {
	.id = "BW-K8S-009",
	.severity = BW_SEV_CRITICAL,
	.title = "Container engine socket mounted",
	.equivalent = {"KSV-0006", "KSV006", "DockerSock", "CIS-5.32", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_hostpath_socket,
	.rationale = "Whoever talks to the engine socket (docker.sock, containerd.sock, crio.sock) starts "
		     "privileged containers: root on the node.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  volumes:\n"
	       "    - name: sock\n"
	       "      hostPath:\n"
	       "        path: /var/run/docker.sock\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  volumes:\n"
		"    - name: data\n"
		"      emptyDir: {}\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation =
	    "Do not mount the engine socket; use a narrower API (a build service, an authorization proxy).",
    },
    {
	.id = "BW-K8S-010",
	.severity = BW_SEV_HIGH,
	.title = "Sensitive host directory mounted",
	.equivalent = {"KSV-0121", "KSV121", "CIS-5.6", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_hostpath_sensitive,
	.rationale = "Mounting /, /etc, /proc, /sys, /boot, /dev, /usr, /var/run, /var/lib/docker or the "
		     "kubelet's directories hands the node's configuration and secrets to the container.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  volumes:\n"
	       "    - name: etc\n"
	       "      hostPath:\n"
	       "        path: /etc\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  volumes:\n"
		"    - name: data\n"
		"      hostPath:\n"
		"        path: /srv/app-data\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Mount only the application's own data directory, read-only where possible.",
    },
    {
	.id = "BW-K8S-011",
	.severity = BW_SEV_MEDIUM,
	.title = "hostPath volume",
	.equivalent = {"KSV-0023", "KSV023", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_hostpath,
	.rationale = "A hostPath volume ties the pod to a node and exposes the node's filesystem; "
		     "PersistentVolumes and emptyDir do not.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  volumes:\n"
	       "    - name: data\n"
	       "      hostPath:\n"
	       "        path: /srv/app-data\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  volumes:\n"
		"    - name: data\n"
		"      emptyDir: {}\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Use a PersistentVolumeClaim, emptyDir, ConfigMap or Secret instead.",
    },
    {
	.id = "BW-K8S-012",
	.severity = BW_SEV_MEDIUM,
	.title = "Container may run as root",
	.equivalent = {"KSV-0012", "KSV012", "RunAsNonRoot", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_run_as_non_root,
	.rationale =
	    "Without runAsNonRoot (or a non-zero runAsUser) the image decides, and most images run as root.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      securityContext:\n"
		"        runAsNonRoot: true\n",
	.remediation = "Set securityContext.runAsNonRoot: true (pod or container) and a non-zero runAsUser.",
	.fix_scope = IAC_FIX_CONTAINER,
	.fix_path = "securityContext.runAsNonRoot",
	.fix_value = "true",
    },
    {
	.id = "BW-K8S-013",
	.severity = BW_SEV_MEDIUM,
	.title = "Container runs as UID 0",
	.equivalent = {"KSV-0105", "KSV105", "RunAsUser", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_uid_zero,
	.rationale = "runAsUser: 0 makes the process root explicitly, whatever the image says.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n"
	       "      securityContext:\n"
	       "        runAsUser: 0\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      securityContext:\n"
		"        runAsUser: 10001\n",
	.remediation = "Set runAsUser to a non-zero UID.",
    },
    {
	.id = "BW-K8S-014",
	.severity = BW_SEV_HIGH,
	.title = "Root filesystem is writable",
	.equivalent = {"KSV-0014", "KSV014", "ReadOnlyRootFilesystem",
		       "container-security-context-readonlyrootfilesystem", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_read_only_root,
	.rationale = "A writable root filesystem lets an attacker drop tools and change binaries; a "
		     "read-only one with emptyDir for scratch space does not.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      securityContext:\n"
		"        readOnlyRootFilesystem: true\n",
	.remediation = "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the "
		       "program writes.",
	.fix_scope = IAC_FIX_CONTAINER,
	.fix_path = "securityContext.readOnlyRootFilesystem",
	.fix_value = "true",
    },
    {
	.id = "BW-K8S-015",
	.severity = BW_SEV_LOW,
	.title = "CPU limit not set",
	.equivalent = {"KSV-0011", "KSV011", "LimitsCPU", "container-resources", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_cpu_limit,
	.rationale = "Without a CPU limit one container can starve the others on its node.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      resources:\n"
		"        limits:\n"
		"          cpu: 500m\n",
	.remediation = "Set resources.limits.cpu.",
    },
    {
	.id = "BW-K8S-016",
	.severity = BW_SEV_LOW,
	.title = "Memory limit not set",
	.equivalent = {"KSV-0018", "KSV018", "LimitsMemory", "container-resources", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_memory_limit,
	.rationale = "Without a memory limit one container can exhaust the node's memory and get its "
		     "neighbours killed.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      resources:\n"
		"        limits:\n"
		"          memory: 256Mi\n",
	.remediation = "Set resources.limits.memory.",
    },
    {
	.id = "BW-K8S-017",
	.severity = BW_SEV_LOW,
	.title = "CPU request not set",
	.equivalent = {"KSV-0015", "KSV015", "RequestsCPU", "container-resources", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_cpu_request,
	.rationale = "Without requests the scheduler packs pods blindly and the container gets the lowest "
		     "quality of service.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      resources:\n"
		"        requests:\n"
		"          cpu: 100m\n",
	.remediation = "Set resources.requests.cpu.",
    },
    {
	.id = "BW-K8S-018",
	.severity = BW_SEV_LOW,
	.title = "Memory request not set",
	.equivalent = {"KSV-0016", "KSV016", "RequestsMemory", "container-resources", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_memory_request,
	.rationale = "Without requests the scheduler packs pods blindly and the container is evicted first "
		     "under memory pressure.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      resources:\n"
		"        requests:\n"
		"          memory: 128Mi\n",
	.remediation = "Set resources.requests.memory.",
    },
    {
	.id = "BW-K8S-019",
	.severity = BW_SEV_MEDIUM,
	.title = "Image uses the latest tag or no tag",
	.equivalent = {"KSV-0013", "KSV013", "container-image-tag", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_image_latest,
	.rationale =
	    "latest (or no tag) changes under the deployment: rollbacks and audits cannot say what ran.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:latest\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Name a version tag, or better a digest.",
    },
    {
	.id = "BW-K8S-020",
	.severity = BW_SEV_LOW,
	.title = "Image not pinned by digest",
	.equivalent = {NULL},
	.target = IAC_K8S,
	.check = chk_k8s_image_digest,
	.rationale = "A tag can be re-pointed by whoever controls the registry; a digest names exactly the "
		     "bytes reviewed.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good =
	    "apiVersion: v1\n"
	    "kind: Pod\n"
	    "metadata:\n"
	    "  name: web\n"
	    "  namespace: shop\n"
	    "spec:\n"
	    "  containers:\n"
	    "    - name: app\n"
	    "      image: nginx@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5\n",
	.remediation = "Append @sha256:<digest> to the image and let a bot keep it current.",
    },
    {
	.id = "BW-K8S-021",
	.severity = BW_SEV_HIGH,
	.title = "Image from a registry outside the allow-list",
	.equivalent = {"KSV-0125", "KSV125", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_registry,
	.rationale = "Only images from registries the organisation trusts (trusted registries, or the "
		     "baseline's allowed-registries) should run.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: evil.example.com/nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: docker.io/library/nginx:1.27\n",
	.remediation = "Mirror the image into a trusted registry.",
    },
    {
	.id = "BW-K8S-022",
	.severity = BW_SEV_HIGH,
	.title = "Secret in an environment variable value",
	.equivalent = {NULL},
	.target = IAC_K8S,
	.check = chk_k8s_env_secret,
	.rationale = "A secret written into the manifest is in version control and readable by anyone who "
		     "can read the object.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n"
	       "      env:\n"
	       "        - name: DB_PASSWORD\n"
	       "          value: hunter2-Secret-9\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      env:\n"
		"        - name: DB_PASSWORD\n"
		"          valueFrom:\n"
		"            secretKeyRef: {name: db, key: password}\n",
	.remediation = "Reference a Secret with valueFrom.secretKeyRef (or mount it as a file).",
    },
    {
	.id = "BW-K8S-023",
	.severity = BW_SEV_MEDIUM,
	.title = "Service-account token mounted",
	.equivalent = {"KSV-0036", "KSV036", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_sa_token_mounted,
	.rationale = "automountServiceAccountToken: true (or a volume at the token's path) gives every "
		     "process of the pod the API credentials of its service account.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  automountServiceAccountToken: true\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  automountServiceAccountToken: false\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Set automountServiceAccountToken: false unless the pod talks to the API server.",
	.fix_scope = IAC_FIX_POD,
	.fix_path = "automountServiceAccountToken",
	.fix_value = "false",
    },
    {
	.id = "BW-K8S-024",
	.severity = BW_SEV_LOW,
	.title = "Service-account token automounting not disabled",
	.equivalent = {"AutomountServiceAccountToken", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_sa_automount,
	.rationale = "Unless the pod or its service account says otherwise, the API token is mounted into "
		     "every container.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  automountServiceAccountToken: false\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Set automountServiceAccountToken: false in the pod spec (or on its ServiceAccount).",
	.fix_scope = IAC_FIX_POD,
	.fix_path = "automountServiceAccountToken",
	.fix_value = "false",
    },
    {
	.id = "BW-K8S-025",
	.severity = BW_SEV_MEDIUM,
	.title = "Seccomp profile not RuntimeDefault",
	.equivalent = {"KSV-0030", "KSV030", "KSV-0104", "KSV104", "SeccompAny", "container-seccomp-profile",
		       NULL},
	.target = IAC_K8S,
	.check = chk_k8s_seccomp,
	.rationale = "Without a seccomp profile the container may make every system call, including the "
		     "rarely used ones most kernel exploits need.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  securityContext:\n"
		"    seccompProfile:\n"
		"      type: RuntimeDefault\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Set securityContext.seccompProfile.type: RuntimeDefault (pod or container).",
	.fix_scope = IAC_FIX_CONTAINER,
	.fix_path = "securityContext.seccompProfile.type",
	.fix_value = "RuntimeDefault",
    },
    {
	.id = "BW-K8S-026",
	.severity = BW_SEV_HIGH,
	.title = "Seccomp explicitly Unconfined",
	.equivalent = {"SeccompUnconfined", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_seccomp_unconfined,
	.rationale = "Unconfined turns the runtime's default system-call filter off.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n"
	       "      securityContext:\n"
	       "        seccompProfile:\n"
	       "          type: Unconfined\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      securityContext:\n"
		"        seccompProfile:\n"
		"          type: RuntimeDefault\n",
	.remediation = "Use RuntimeDefault, or a Localhost profile written for the program.",
	.fix_scope = IAC_FIX_CONTAINER,
	.fix_path = "securityContext.seccompProfile.type",
	.fix_value = "RuntimeDefault",
    },
    {
	.id = "BW-K8S-027",
	.severity = BW_SEV_MEDIUM,
	.title = "AppArmor profile disabled or custom",
	.equivalent = {"KSV-0002", "KSV002", "ApparmorAny", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_apparmor,
	.rationale = "An AppArmor profile other than runtime/default or a named localhost profile "
		     "(unconfined) removes the mandatory access control around the container.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "  annotations:\n"
	       "    container.apparmor.security.beta.kubernetes.io/app: unconfined\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"  annotations:\n"
		"    container.apparmor.security.beta.kubernetes.io/app: runtime/default\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Use runtime/default (securityContext.appArmorProfile.type: RuntimeDefault).",
    },
    {
	.id = "BW-K8S-028",
	.severity = BW_SEV_LOW,
	.title = "Liveness probe not set",
	.equivalent = {"pod-probes", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_liveness,
	.rationale = "Without a liveness probe a hung process keeps its pod and keeps receiving traffic "
		     "until someone notices.",
	.bad = "apiVersion: apps/v1\n"
	       "kind: Deployment\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  template:\n"
	       "    spec:\n"
	       "      containers:\n"
	       "        - name: app\n"
	       "          image: nginx:1.27\n",
	.good = "apiVersion: apps/v1\n"
		"kind: Deployment\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  template:\n"
		"    spec:\n"
		"      containers:\n"
		"        - name: app\n"
		"          image: nginx:1.27\n"
		"          livenessProbe:\n"
		"            httpGet: {path: /healthz, port: 8080}\n",
	.remediation = "Add a livenessProbe.",
    },
    {
	.id = "BW-K8S-029",
	.severity = BW_SEV_LOW,
	.title = "Readiness probe not set",
	.equivalent = {"pod-probes", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_readiness,
	.rationale = "Without a readiness probe traffic reaches a pod before it can serve it.",
	.bad = "apiVersion: apps/v1\n"
	       "kind: Deployment\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  template:\n"
	       "    spec:\n"
	       "      containers:\n"
	       "        - name: app\n"
	       "          image: nginx:1.27\n",
	.good = "apiVersion: apps/v1\n"
		"kind: Deployment\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  template:\n"
		"    spec:\n"
		"      containers:\n"
		"        - name: app\n"
		"          image: nginx:1.27\n"
		"          readinessProbe:\n"
		"            httpGet: {path: /ready, port: 8080}\n",
	.remediation = "Add a readinessProbe.",
    },
    {
	.id = "BW-K8S-030",
	.severity = BW_SEV_MEDIUM,
	.title = "Service exposed through a NodePort",
	.equivalent = {"service-type", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_nodeport,
	.rationale =
	    "A NodePort opens the port on every node's address, outside any Ingress or load balancer policy.",
	.bad = "apiVersion: v1\n"
	       "kind: Service\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  type: NodePort\n"
	       "  selector: {app: web}\n"
	       "  ports:\n"
	       "    - port: 80\n"
	       "      targetPort: 8080\n",
	.good = "apiVersion: v1\n"
		"kind: Service\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  type: ClusterIP\n"
		"  selector: {app: web}\n"
		"  ports:\n"
		"    - port: 80\n"
		"      targetPort: 8080\n",
	.remediation = "Use a ClusterIP Service behind an Ingress or a LoadBalancer.",
    },
    {
	.id = "BW-K8S-031",
	.severity = BW_SEV_LOW,
	.title = "Service exposed through a LoadBalancer",
	.equivalent = {NULL},
	.target = IAC_K8S,
	.check = chk_k8s_loadbalancer,
	.rationale = "A LoadBalancer Service makes the workload reachable from outside the cluster; it "
		     "should be a decision, not a default.",
	.bad = "apiVersion: v1\n"
	       "kind: Service\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  type: LoadBalancer\n"
	       "  selector: {app: web}\n"
	       "  ports:\n"
	       "    - port: 80\n"
	       "      targetPort: 8080\n",
	.good = "apiVersion: v1\n"
		"kind: Service\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  type: ClusterIP\n"
		"  selector: {app: web}\n"
		"  ports:\n"
		"    - port: 80\n"
		"      targetPort: 8080\n",
	.remediation = "Expose HTTP through an Ingress with TLS, or restrict loadBalancerSourceRanges.",
    },
    {
	.id = "BW-K8S-032",
	.severity = BW_SEV_HIGH,
	.title = "Service with external IPs",
	.equivalent = {"KSV-0108", "KSV108", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_external_ips,
	.rationale = "spec.externalIPs lets the Service claim any address (CVE-2020-8554 man-in-the-middle).",
	.bad = "apiVersion: v1\n"
	       "kind: Service\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  type: ClusterIP\n"
	       "  selector: {app: web}\n"
	       "  ports:\n"
	       "    - port: 80\n"
	       "      targetPort: 8080\n"
	       "  externalIPs: [203.0.113.10]\n",
	.good = "apiVersion: v1\n"
		"kind: Service\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  type: ClusterIP\n"
		"  selector: {app: web}\n"
		"  ports:\n"
		"    - port: 80\n"
		"      targetPort: 8080\n",
	.remediation = "Remove externalIPs; use a LoadBalancer.",
    },
    {
	.id = "BW-K8S-033",
	.severity = BW_SEV_CRITICAL,
	.title = "RBAC rule allows every verb on every resource",
	.equivalent = {"KSV-0044", "KSV044", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_rbac_any_any,
	.rationale = "A wildcard verb on a wildcard resource is cluster-admin in disguise.",
	.bad = "apiVersion: rbac.authorization.k8s.io/v1\n"
	       "kind: Role\n"
	       "metadata:\n"
	       "  name: ops\n"
	       "  namespace: shop\n"
	       "rules:\n"
	       "  - apiGroups: [\"*\"]\n"
	       "    resources: [\"*\"]\n"
	       "    verbs: [\"*\"]\n",
	.good = "apiVersion: rbac.authorization.k8s.io/v1\n"
		"kind: Role\n"
		"metadata:\n"
		"  name: ops\n"
		"  namespace: shop\n"
		"rules:\n"
		"  - apiGroups: [\"\"]\n"
		"    resources: [pods]\n"
		"    verbs: [get, list]\n",
	.remediation = "Name the resources and verbs the subject needs.",
    },
    {
	.id = "BW-K8S-034",
	.severity = BW_SEV_HIGH,
	.title = "RBAC rule allows every verb",
	.equivalent = {"KSV-0045", "KSV045", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_rbac_any_verb,
	.rationale = "A wildcard verb includes delete, escalate, bind and impersonate, and every verb added "
		     "to the API later.",
	.bad = "apiVersion: rbac.authorization.k8s.io/v1\n"
	       "kind: Role\n"
	       "metadata:\n"
	       "  name: ops\n"
	       "  namespace: shop\n"
	       "rules:\n"
	       "  - apiGroups: [\"\"]\n"
	       "    resources: [pods]\n"
	       "    verbs: [\"*\"]\n",
	.good = "apiVersion: rbac.authorization.k8s.io/v1\n"
		"kind: Role\n"
		"metadata:\n"
		"  name: ops\n"
		"  namespace: shop\n"
		"rules:\n"
		"  - apiGroups: [\"\"]\n"
		"    resources: [pods]\n"
		"    verbs: [get, list, watch]\n",
	.remediation = "List the verbs.",
    },
    {
	.id = "BW-K8S-035",
	.severity = BW_SEV_HIGH,
	.title = "RBAC rule applies to every resource",
	.equivalent = {"KSV-0046", "KSV046", "KSV-0112", "KSV112", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_rbac_any_resource,
	.rationale = "A wildcard resource includes secrets, and every resource type installed later.",
	.bad = "apiVersion: rbac.authorization.k8s.io/v1\n"
	       "kind: Role\n"
	       "metadata:\n"
	       "  name: ops\n"
	       "  namespace: shop\n"
	       "rules:\n"
	       "  - apiGroups: [\"\"]\n"
	       "    resources: [\"*\"]\n"
	       "    verbs: [get]\n",
	.good = "apiVersion: rbac.authorization.k8s.io/v1\n"
		"kind: Role\n"
		"metadata:\n"
		"  name: ops\n"
		"  namespace: shop\n"
		"rules:\n"
		"  - apiGroups: [\"\"]\n"
		"    resources: [configmaps]\n"
		"    verbs: [get]\n",
	.remediation = "List the resources.",
    },
    {
	.id = "BW-K8S-036",
	.severity = BW_SEV_MEDIUM,
	.title = "Binding to an admin role",
	.equivalent = {"KSV-0111", "KSV111", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_admin_binding,
	.rationale =
	    "cluster-admin, admin and edit grant far more than a workload needs; bind a role made for it.",
	.bad = "apiVersion: rbac.authorization.k8s.io/v1\n"
	       "kind: ClusterRoleBinding\n"
	       "metadata:\n"
	       "  name: ci\n"
	       "roleRef:\n"
	       "  apiGroup: rbac.authorization.k8s.io\n"
	       "  kind: ClusterRole\n"
	       "  name: cluster-admin\n"
	       "subjects:\n"
	       "  - kind: ServiceAccount\n"
	       "    name: ci\n"
	       "    namespace: build\n",
	.good = "apiVersion: rbac.authorization.k8s.io/v1\n"
		"kind: RoleBinding\n"
		"metadata:\n"
		"  name: ci\n"
		"  namespace: build\n"
		"roleRef:\n"
		"  apiGroup: rbac.authorization.k8s.io\n"
		"  kind: Role\n"
		"  name: deployer\n"
		"subjects:\n"
		"  - kind: ServiceAccount\n"
		"    name: ci\n"
		"    namespace: build\n",
	.remediation = "Write a Role with the verbs and resources needed and bind that.",
    },
    {
	.id = "BW-K8S-037",
	.severity = BW_SEV_LOW,
	.title = "Workload in the default namespace",
	.equivalent = {"KSV-0110", "KSV110", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_default_namespace,
	.rationale = "The default namespace has no policies, quotas or RBAC of its own; workloads there "
		     "share it with whatever else lands there (a missing namespace means default).",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Set metadata.namespace to the application's namespace.",
    },
    {
	.id = "BW-K8S-038",
	.severity = BW_SEV_MEDIUM,
	.title = "Workload in kube-system",
	.equivalent = {"KSV-0037", "KSV037", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_kube_system,
	.rationale = "kube-system holds the control plane's own components and credentials; user workloads "
		     "there can reach them.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: kube-system\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Run the workload in its own namespace.",
    },
    {
	.id = "BW-K8S-039",
	.severity = BW_SEV_HIGH,
	.title = "Host port bound",
	.equivalent = {"KSV-0024", "KSV024", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_host_port,
	.rationale = "A hostPort binds the node's address directly, bypassing Services and NetworkPolicies "
		     "and limiting scheduling.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n"
	       "      ports:\n"
	       "        - containerPort: 8080\n"
	       "          hostPort: 8080\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      ports:\n"
		"        - containerPort: 8080\n",
	.remediation = "Remove hostPort; expose the port through a Service.",
    },
    {
	.id = "BW-K8S-040",
	.severity = BW_SEV_LOW,
	.title = "UID not above 10000",
	.equivalent = {"KSV-0020", "KSV020", "container-security-context-user-group-id", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_uid_10000,
	.rationale = "A UID above 10000 cannot collide with a user of the node, should the container escape.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      securityContext:\n"
		"        runAsUser: 10001\n",
	.remediation = "Set runAsUser above 10000.",
    },
    {
	.id = "BW-K8S-041",
	.severity = BW_SEV_LOW,
	.title = "GID not above 10000",
	.equivalent = {"KSV-0021", "KSV021", "container-security-context-user-group-id", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_gid_10000,
	.rationale =
	    "A GID above 10000 cannot collide with a group of the node, should the container escape.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      securityContext:\n"
		"        runAsGroup: 10001\n",
	.remediation = "Set runAsGroup above 10000.",
    },
    {
	.id = "BW-K8S-042",
	.severity = BW_SEV_MEDIUM,
	.title = "Unsafe sysctl",
	.equivalent = {"KSV-0026", "KSV026", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_sysctls,
	.rationale = "Sysctls outside the namespaced safe set change the node's kernel for every pod on it.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  securityContext:\n"
	       "    sysctls:\n"
	       "      - name: kernel.msgmax\n"
	       "        value: \"65536\"\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  securityContext:\n"
		"    sysctls:\n"
		"      - name: net.ipv4.ip_local_port_range\n"
		"        value: \"32768 60999\"\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Use only the safe sysctls, or set node-level sysctls on the node.",
    },
    {
	.id = "BW-K8S-043",
	.severity = BW_SEV_MEDIUM,
	.title = "Custom SELinux options",
	.equivalent = {"KSV-0025", "KSV025", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_selinux,
	.rationale = "A custom SELinux type, user or role can lift the confinement the runtime's container_t "
		     "type gives.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n"
	       "      securityContext:\n"
	       "        seLinuxOptions:\n"
	       "          type: spc_t\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      securityContext:\n"
		"        seLinuxOptions:\n"
		"          level: \"s0:c123,c456\"\n",
	.remediation = "Leave seLinuxOptions to the runtime, or set only level.",
    },
    {
	.id = "BW-K8S-044",
	.severity = BW_SEV_MEDIUM,
	.title = "Unmasked /proc",
	.equivalent = {"KSV-0027", "KSV027", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_proc_mount,
	.rationale =
	    "procMount: Unmasked exposes the parts of /proc the runtime hides (kcore, sysrq-trigger, …).",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n"
	       "      securityContext:\n"
	       "        procMount: Unmasked\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      securityContext:\n"
		"        procMount: Default\n",
	.remediation = "Remove procMount or set it to Default.",
    },
    {
	.id = "BW-K8S-045",
	.severity = BW_SEV_LOW,
	.title = "Pod manages /etc/hosts",
	.equivalent = {"KSV-0007", "KSV007", "HostAliases", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_host_aliases,
	.rationale =
	    "hostAliases rewrite name resolution inside the pod, which hides where traffic really goes.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  hostAliases:\n"
	       "    - ip: 10.0.0.5\n"
	       "      hostnames: [db.internal]\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Use DNS (a Service or an ExternalName) instead.",
    },
    {
	.id = "BW-K8S-046",
	.severity = BW_SEV_HIGH,
	.title = "ConfigMap holds a secret",
	.equivalent = {"KSV-0109", "KSV109", NULL},
	.target = IAC_K8S,
	.check = chk_k8s_configmap_secret,
	.rationale =
	    "ConfigMaps are not encrypted at rest and are readable by far more subjects than Secrets.",
	.bad = "apiVersion: v1\n"
	       "kind: ConfigMap\n"
	       "metadata:\n"
	       "  name: app\n"
	       "  namespace: shop\n"
	       "data:\n"
	       "  DB_PASSWORD: hunter2-Secret-9\n",
	.good = "apiVersion: v1\n"
		"kind: ConfigMap\n"
		"metadata:\n"
		"  name: app\n"
		"  namespace: shop\n"
		"data:\n"
		"  LOG_LEVEL: info\n",
	.remediation = "Move the value to a Secret.",
    },
    {
	.id = "BW-K8S-047",
	.severity = BW_SEV_MEDIUM,
	.title = "Ingress without TLS",
	.equivalent = {NULL},
	.target = IAC_K8S,
	.check = chk_k8s_ingress_tls,
	.rationale = "An Ingress without spec.tls serves its hosts over plain HTTP: credentials and cookies "
		     "cross the network readable.",
	.bad = "apiVersion: networking.k8s.io/v1\n"
	       "kind: Ingress\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  rules:\n"
	       "    - host: shop.example.com\n"
	       "      http:\n"
	       "        paths:\n"
	       "          - path: /\n"
	       "            pathType: Prefix\n"
	       "            backend:\n"
	       "              service: {name: web, port: {number: 80}}\n",
	.good = "apiVersion: networking.k8s.io/v1\n"
		"kind: Ingress\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  tls:\n"
		"    - hosts: [shop.example.com]\n"
		"      secretName: shop-tls\n"
		"  rules:\n"
		"    - host: shop.example.com\n"
		"      http:\n"
		"        paths:\n"
		"          - path: /\n"
		"            pathType: Prefix\n"
		"            backend:\n"
		"              service: {name: web, port: {number: 80}}\n",
	.remediation = "Add spec.tls with a certificate Secret for every host.",
    },
    {
	.id = "BW-K8S-048",
	.severity = BW_SEV_MEDIUM,
	.title = "Plaintext port open outside the cluster",
	.equivalent = {NULL},
	.target = IAC_K8S,
	.check = chk_k8s_plaintext_service,
	.rationale =
	    "A LoadBalancer or NodePort Service on a port whose protocol has a TLS form (HTTP 80/8080, Redis "
	    "6379, FTP, LDAP, AMQP, MQTT, …) carries credentials and data across networks readable.",
	.bad = "apiVersion: v1\n"
	       "kind: Service\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  type: LoadBalancer\n"
	       "  selector: {app: web}\n"
	       "  ports:\n"
	       "    - port: 80\n"
	       "      targetPort: 8080\n",
	.good = "apiVersion: v1\n"
		"kind: Service\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  type: LoadBalancer\n"
		"  selector: {app: web}\n"
		"  ports:\n"
		"    - port: 443\n"
		"      targetPort: 8080\n",
	.remediation = "Serve TLS on the exposed port (or terminate TLS in an Ingress) and keep plaintext "
		       "ports inside the cluster.",
    },
    {
	.id = "BW-K8S-049",
	.severity = BW_SEV_MEDIUM,
	.title = "Database connection without TLS",
	.equivalent = {NULL},
	.target = IAC_K8S,
	.check = chk_k8s_plaintext_dsn,
	.rationale = "A PostgreSQL URL without sslmode=require (or verify-full), "
		     "PGSSLMODE=disable/allow/prefer, a redis:// or amqp:// URL with credentials: the "
		     "password and the data cross the network in the clear.",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  containers:\n"
	       "    - name: app\n"
	       "      image: nginx:1.27\n"
	       "      env:\n"
	       "        - name: DATABASE_URL\n"
	       "          value: postgres://app@db:5432/shop\n",
	.good = "apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  namespace: shop\n"
		"spec:\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n"
		"      env:\n"
		"        - name: DATABASE_URL\n"
		"          value: postgres://app@db:5432/shop?sslmode=verify-full\n",
	.remediation = "Ask for TLS in the connection string (sslmode=verify-full, rediss://, amqps://).",
    },
};
const size_t iac_n_k8s_rules = BW_ARRAY_SIZE(iac_k8s_rules);
