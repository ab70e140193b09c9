/* The baseline rules (BW-BASE-NNN): findings an organisation's baseline
 * file asks for (baseline.c). They run on Kubernetes objects and compose
 * services alike, only when a baseline is given; the unit tests run the bad
 * and good examples under a fixed baseline. BW-BASE-006 has no check: it
 * is reported for each expired exception once the checks are done. */
#include "rules-int.h"

const struct iac_rule iac_baseline_rules[] = {
    {
	.id = "BW-BASE-001",
	.severity = BW_SEV_HIGH,
	.title = "Capability the baseline forbids",
	.equivalent = {NULL},
	.target = IAC_BASELINE,
	.check = chk_base_caps,
	.rationale =
	    "The organisation's baseline lists capabilities no workload may add (forbidden-capabilities).",
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
	       "          add: [NET_RAW]\n",
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
		"          add: [NET_BIND_SERVICE]\n",
	.remediation =
	    "Remove the capability, or record an exception with an owner, a reason and an expiry date.",
    },
    {
	.id = "BW-BASE-002",
	.severity = BW_SEV_HIGH,
	.title = "Host mount the baseline forbids",
	.equivalent = {NULL},
	.target = IAC_BASELINE,
	.check = chk_base_mounts,
	.rationale = "The organisation's baseline lists host paths no workload may mount, with everything "
		     "under them (forbidden-mounts).",
	.bad = "apiVersion: v1\n"
	       "kind: Pod\n"
	       "metadata:\n"
	       "  name: web\n"
	       "  namespace: shop\n"
	       "spec:\n"
	       "  volumes:\n"
	       "    - name: logs\n"
	       "      hostPath:\n"
	       "        path: /var/log/app\n"
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
		"        path: /srv/app\n"
		"  containers:\n"
		"    - name: app\n"
		"      image: nginx:1.27\n",
	.remediation = "Mount something else (a PersistentVolumeClaim, an emptyDir), or record an exception.",
    },
    {
	.id = "BW-BASE-003",
	.severity = BW_SEV_MEDIUM,
	.title = "CPU limit above the baseline's ceiling",
	.equivalent = {NULL},
	.target = IAC_BASELINE,
	.check = chk_base_cpu,
	.rationale =
	    "The organisation's baseline caps what one container or service may use (resource-ceilings.cpu).",
	.bad = "apiVersion: v1\n"
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
	       "          cpu: \"4\"\n",
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
	.remediation = "Lower the limit to the ceiling, or scale out instead of up.",
    },
    {
	.id = "BW-BASE-004",
	.severity = BW_SEV_MEDIUM,
	.title = "Memory limit above the baseline's ceiling",
	.equivalent = {NULL},
	.target = IAC_BASELINE,
	.check = chk_base_memory,
	.rationale = "The organisation's baseline caps what one container or service may use "
		     "(resource-ceilings.memory).",
	.bad = "apiVersion: v1\n"
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
	       "          memory: 8Gi\n",
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
		"          memory: 512Mi\n",
	.remediation = "Lower the limit to the ceiling.",
    },
    {
	.id = "BW-BASE-005",
	.severity = BW_SEV_HIGH,
	.title = "Setting the baseline requires is missing or different",
	.equivalent = {NULL},
	.target = IAC_BASELINE,
	.check = chk_base_required,
	.rationale = "The organisation's baseline names settings every container, pod or service must have "
		     "(required).",
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
	.remediation = "Set the value the baseline requires (bulwark config --fix writes it).",
	.fix_scope = IAC_FIX_CONTAINER,
    },
    {
	.id = "BW-BASE-006",
	.severity = BW_SEV_MEDIUM,
	.title = "Baseline exception expired",
	.equivalent = {NULL},
	.target = IAC_BASELINE,
	.check = NULL,
	.rationale = "An exception is granted until a date; past it, the finding it covered is reported "
		     "again and the exception itself is, so that it gets renewed with a reason or removed.",
	.bad = "",
	.good = "",
	.remediation =
	    "Fix what the exception covered, or renew the exception with its owner and a new date.",
    },
};
const size_t iac_n_baseline_rules = BW_ARRAY_SIZE(iac_baseline_rules);
