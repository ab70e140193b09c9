/* Check functions of the Kubernetes rules (BW-K8S-NNN), named in the table
 * of rules.c. Every finding points at the offending key; a setting that is
 * missing points at the deepest key that exists on the way to it. */
#include "rules-int.h"

/* (no arithmetic on a NULL array: an object without containers has none) */
#define EACH_CONTAINER(c, k)                                                                                 \
	for (const struct k8s_container *k = (c)->obj->ctr, *k##_end = k ? k + (c)->obj->n_ctr : k;          \
	     k != k##_end; k++)

static const struct bw_yaml_node *first_key(const struct bw_yaml_node *map)
{
	return map->kind == BW_YAML_MAP && map->n ? map->pairs[0].key : map;
}

const struct bw_yaml_node *iac_deepest(const struct bw_yaml_node *map, const char *dotted)
{
	const struct bw_yaml_node *at = first_key(map);
	char key[128];
	const char *s = dotted;
	while (map && *s) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		if (n >= sizeof(key))
			break;
		memcpy(key, s, n);
		key[n] = 0;
		const struct bw_yaml_pair *p = bw_yaml_pair_of(map, key);
		if (!p)
			break;
		at = p->key;
		map = p->value;
		s += n + (dot ? 1 : 0);
	}
	return at;
}

/* A security-context setting of container k, else of its pod. */
static const struct bw_yaml_pair *effective(const struct iac_ctx *c, const struct k8s_container *k,
					    const char *key)
{
	const struct bw_yaml_pair *p = bw_yaml_pair_of(bw_yaml_get(k->node, "securityContext"), key);
	if (!p)
		p = bw_yaml_pair_of(bw_yaml_get(c->obj->pod, "securityContext"), key);
	return p;
}

static const struct bw_yaml_node *ctx_of(const struct k8s_container *k, const char *key)
{
	return bw_yaml_get(bw_yaml_get(k->node, "securityContext"), key);
}

static const char *annotation(const struct iac_ctx *c, const char *key)
{
	const char *v = bw_yaml_str(bw_yaml_get(bw_yaml_get(c->obj->pod_meta, "annotations"), key));
	if (!v)
		v = bw_yaml_str(bw_yaml_get(bw_yaml_get(c->obj->meta, "annotations"), key));
	return v;
}

RULE(chk_k8s_privileged)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_pair *p =
		    bw_yaml_pair_of(bw_yaml_get(k->node, "securityContext"), "privileged");
		if (p && bw_yaml_bool(p->value) == 1)
			iac_emit(c, r, p->key, "container %s runs privileged", k->name);
	}
}

RULE(chk_k8s_allow_priv_esc)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_node *v = ctx_of(k, "allowPrivilegeEscalation");
		if (bw_yaml_bool(v) != 0)
			iac_emit(
			    c, r, iac_deepest(k->node, "securityContext.allowPrivilegeEscalation"),
			    "container %s does not set securityContext.allowPrivilegeEscalation to false",
			    k->name);
	}
}

static const char *const dangerous_caps[] = {
    "ALL", "SYS_ADMIN", "NET_ADMIN",	   "SYS_MODULE", "SYS_PTRACE", "SYS_RAWIO",    "SYS_BOOT", "NET_RAW",
    "BPF", "PERFMON",	"DAC_READ_SEARCH", "SYS_TIME",	 "MAC_ADMIN",  "MAC_OVERRIDE", "SYSLOG"};

bool iac_cap_dangerous(const char *cap)
{
	char n[64];
	iac_cap_norm(cap, n, sizeof(n));
	for (size_t i = 0; i < BW_ARRAY_SIZE(dangerous_caps); i++)
		if (!strcmp(n, dangerous_caps[i]))
			return true;
	return false;
}

RULE(chk_k8s_caps_dangerous)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_node *add = bw_yaml_path(k->node, "securityContext.capabilities.add");
		for (size_t i = 0; add && add->kind == BW_YAML_SEQ && i < add->n; i++)
			if (bw_yaml_str(add->items[i]) && iac_cap_dangerous(add->items[i]->str))
				iac_emit(c, r, add->items[i], "container %s adds capability %s", k->name,
					 add->items[i]->str);
	}
}

RULE(chk_k8s_caps_added)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_node *add = bw_yaml_path(k->node, "securityContext.capabilities.add");
		for (size_t i = 0; add && add->kind == BW_YAML_SEQ && i < add->n; i++)
			if (bw_yaml_str(add->items[i]))
				iac_emit(c, r, add->items[i], "container %s adds capability %s", k->name,
					 add->items[i]->str);
	}
}

RULE(chk_k8s_drop_all)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_node *drop = bw_yaml_path(k->node, "securityContext.capabilities.drop");
		bool all = false;
		for (size_t i = 0; drop && drop->kind == BW_YAML_SEQ && i < drop->n; i++)
			all |= bw_yaml_str(drop->items[i]) && !bw_strcasecmp(drop->items[i]->str, "ALL");
		if (!all)
			iac_emit(c, r, iac_deepest(k->node, "securityContext.capabilities.drop"),
				 "container %s does not drop ALL capabilities", k->name);
	}
}

static void pod_flag(struct iac_ctx *c, const struct iac_rule *r, const char *key)
{
	const struct bw_yaml_pair *p = bw_yaml_pair_of(c->obj->pod, key);
	if (p && bw_yaml_bool(p->value) == 1)
		iac_emit(c, r, p->key, "%s is true", key);
}

RULE(chk_k8s_host_pid)
{
	pod_flag(c, r, "hostPID");
}
RULE(chk_k8s_host_ipc)
{
	pod_flag(c, r, "hostIPC");
}
RULE(chk_k8s_host_network)
{
	pod_flag(c, r, "hostNetwork");
}

/* hostPath volumes of the pod: fn decides on each path */
static void host_paths(struct iac_ctx *c, const struct iac_rule *r, bool (*bad)(const char *),
		       const char *what)
{
	const struct bw_yaml_node *vols = bw_yaml_get(c->obj->pod, "volumes");
	for (size_t i = 0; vols && vols->kind == BW_YAML_SEQ && i < vols->n; i++) {
		const struct bw_yaml_pair *p =
		    bw_yaml_pair_of(bw_yaml_get(vols->items[i], "hostPath"), "path");
		if (p && bw_yaml_str(p->value) && (!bad || bad(p->value->str)))
			iac_emit(c, r, p->key, "volume %s mounts %s%s from the host",
				 bw_yaml_str(bw_yaml_get(vols->items[i], "name"))
				     ? bw_yaml_get(vols->items[i], "name")->str
				     : "",
				 what, p->value->str);
	}
}

RULE(chk_k8s_hostpath_socket)
{
	host_paths(c, r, iac_engine_socket_path, "the container engine socket ");
}
RULE(chk_k8s_hostpath_sensitive)
{
	host_paths(c, r, iac_sensitive_host_path, "");
}
RULE(chk_k8s_hostpath)
{
	host_paths(c, r, NULL, "");
}

RULE(chk_k8s_run_as_non_root)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_pair *nr = effective(c, k, "runAsNonRoot");
		const struct bw_yaml_pair *uid = effective(c, k, "runAsUser");
		long long u = -1;
		if ((nr && bw_yaml_bool(nr->value) == 1) || (uid && bw_yaml_int(uid->value, &u) && u > 0))
			continue;
		iac_emit(c, r, nr ? nr->key : iac_deepest(k->node, "securityContext.runAsNonRoot"),
			 "container %s may run as root: runAsNonRoot is not true", k->name);
	}
}

RULE(chk_k8s_uid_zero)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_pair *uid = effective(c, k, "runAsUser");
		long long u;
		if (uid && bw_yaml_int(uid->value, &u) && u == 0)
			iac_emit(c, r, uid->key, "container %s runs as UID 0", k->name);
	}
}

RULE(chk_k8s_read_only_root)
{
	EACH_CONTAINER(c, k)
	{
		if (bw_yaml_bool(ctx_of(k, "readOnlyRootFilesystem")) != 1)
			iac_emit(c, r, iac_deepest(k->node, "securityContext.readOnlyRootFilesystem"),
				 "container %s has a writable root filesystem", k->name);
	}
}

static void resource(struct iac_ctx *c, const struct iac_rule *r, const char *path, const char *what)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_node *v = bw_yaml_path(k->node, path);
		if (!v || bw_yaml_is_null(v))
			iac_emit(c, r, iac_deepest(k->node, path), "container %s sets no %s", k->name, what);
	}
}

RULE(chk_k8s_cpu_limit)
{
	resource(c, r, "resources.limits.cpu", "CPU limit");
}
RULE(chk_k8s_memory_limit)
{
	resource(c, r, "resources.limits.memory", "memory limit");
}
RULE(chk_k8s_cpu_request)
{
	resource(c, r, "resources.requests.cpu", "CPU request");
}
RULE(chk_k8s_memory_request)
{
	resource(c, r, "resources.requests.memory", "memory request");
}

RULE(chk_k8s_image_latest)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_pair *p = bw_yaml_pair_of(k->node, "image");
		const char *img = p ? bw_yaml_str(p->value) : NULL;
		if (!img)
			continue;
		char tag[256];
		bool digest;
		iac_image_tag(img, tag, sizeof(tag), &digest);
		if (!digest && (!*tag || !strcmp(tag, "latest")))
			iac_emit(c, r, p->key, "container %s uses image %s (%s)", k->name, img,
				 *tag ? "the latest tag" : "no tag");
	}
}

RULE(chk_k8s_image_digest)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_pair *p = bw_yaml_pair_of(k->node, "image");
		const char *img = p ? bw_yaml_str(p->value) : NULL;
		char tag[256];
		bool digest;
		if (!img)
			continue;
		iac_image_tag(img, tag, sizeof(tag), &digest);
		if (!digest)
			iac_emit(c, r, p->key, "container %s uses image %s, not pinned by digest", k->name,
				 img);
	}
}

RULE(chk_k8s_registry)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_pair *p = bw_yaml_pair_of(k->node, "image");
		const char *img = p ? bw_yaml_str(p->value) : NULL;
		if (img && !iac_registry_trusted(c->cfg, img)) {
			char reg[256];
			iac_image_registry(img, reg, sizeof(reg));
			iac_emit(c, r, p->key, "container %s pulls %s from %s, not a trusted registry",
				 k->name, img, reg);
		}
	}
}

RULE(chk_k8s_env_secret)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_node *env = bw_yaml_get(k->node, "env");
		for (size_t i = 0; env && env->kind == BW_YAML_SEQ && i < env->n; i++) {
			const char *name = bw_yaml_str(bw_yaml_get(env->items[i], "name"));
			const struct bw_yaml_pair *v = bw_yaml_pair_of(env->items[i], "value");
			if (name && v && bw_yaml_str(v->value) &&
			    bw_secretname_is_secret(name, strlen(name), v->value->str))
				iac_emit(c, r, v->key, "container %s has a secret in the value of %s",
					 k->name, name);
		}
	}
}

#define SA_PATH "/var/run/secrets/kubernetes.io/serviceaccount"

RULE(chk_k8s_sa_token_mounted)
{
	if (!c->obj->pod)
		return;
	const struct bw_yaml_pair *p = bw_yaml_pair_of(c->obj->pod, "automountServiceAccountToken");
	if (p) {
		if (bw_yaml_bool(p->value) == 1)
			iac_emit(c, r, p->key, "automountServiceAccountToken is true");
		return;
	}
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_node *m = bw_yaml_get(k->node, "volumeMounts");
		for (size_t i = 0; m && m->kind == BW_YAML_SEQ && i < m->n; i++) {
			const struct bw_yaml_pair *mp = bw_yaml_pair_of(m->items[i], "mountPath");
			if (mp && bw_yaml_is(mp->value, SA_PATH))
				iac_emit(c, r, mp->key, "container %s mounts the service-account token",
					 k->name);
		}
	}
}

RULE(chk_k8s_sa_automount)
{
	if (!c->obj->pod)
		return;
	const struct bw_yaml_pair *p = bw_yaml_pair_of(c->obj->pod, "automountServiceAccountToken");
	if (!p)
		iac_emit(c, r, first_key(c->obj->pod), "automountServiceAccountToken is not set to false");
}

static bool seccomp_ok(const char *t)
{
	return t &&
	       (!strcmp(t, "RuntimeDefault") || !strcmp(t, "Localhost") || !strcmp(t, "runtime/default") ||
		!strcmp(t, "docker/default") || !strncmp(t, "localhost/", 10));
}

/* The seccomp profile of container k: its own, its pod's, the annotations. */
static const char *seccomp_of(const struct iac_ctx *c, const struct k8s_container *k,
			      const struct bw_yaml_node **at)
{
	const struct bw_yaml_pair *p =
	    bw_yaml_pair_of(bw_yaml_path(k->node, "securityContext.seccompProfile"), "type");
	if (!p)
		p = bw_yaml_pair_of(bw_yaml_path(c->obj->pod, "securityContext.seccompProfile"), "type");
	if (p) {
		*at = p->key;
		return bw_yaml_str(p->value);
	}
	char key[320];
	snprintf(key, sizeof(key), "container.seccomp.security.alpha.kubernetes.io/%s", k->name);
	const char *a = annotation(c, key);
	if (!a)
		a = annotation(c, "seccomp.security.alpha.kubernetes.io/pod");
	*at = iac_deepest(k->node, "securityContext.seccompProfile.type");
	return a;
}

RULE(chk_k8s_seccomp)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_node *at;
		const char *t = seccomp_of(c, k, &at);
		if (!seccomp_ok(t))
			iac_emit(c, r, at, "container %s %s", k->name,
				 t ? "runs with seccomp Unconfined"
				   : "sets no seccomp profile (RuntimeDefault)");
	}
}

RULE(chk_k8s_seccomp_unconfined)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_node *at;
		const char *t = seccomp_of(c, k, &at);
		if (t && (!strcmp(t, "Unconfined") || !strcmp(t, "unconfined")))
			iac_emit(c, r, at, "container %s runs with seccomp Unconfined", k->name);
	}
}

RULE(chk_k8s_apparmor)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_pair *p =
		    bw_yaml_pair_of(bw_yaml_path(k->node, "securityContext.appArmorProfile"), "type");
		if (!p)
			p = bw_yaml_pair_of(bw_yaml_path(c->obj->pod, "securityContext.appArmorProfile"),
					    "type");
		if (p) {
			const char *t = bw_yaml_str(p->value);
			if (t && strcmp(t, "RuntimeDefault") && strcmp(t, "Localhost"))
				iac_emit(c, r, p->key, "container %s runs with AppArmor %s", k->name, t);
			continue;
		}
		char key[320];
		snprintf(key, sizeof(key), "container.apparmor.security.beta.kubernetes.io/%s", k->name);
		const char *a = annotation(c, key);
		if (a && strcmp(a, "runtime/default") && strncmp(a, "localhost/", 10)) {
			const struct bw_yaml_pair *ap =
			    bw_yaml_pair_of(bw_yaml_get(c->obj->pod_meta, "annotations"), key);
			if (!ap)
				ap = bw_yaml_pair_of(bw_yaml_get(c->obj->meta, "annotations"), key);
			iac_emit(c, r, ap ? ap->key : first_key(k->node),
				 "container %s runs with AppArmor profile %s", k->name, a);
		}
	}
}

static bool long_running(const struct iac_ctx *c)
{
	const char *k = c->obj->kind;
	return strcmp(k, "Job") && strcmp(k, "CronJob") && strcmp(k, "Pod") && strcmp(k, "PodTemplate");
}

static void probe(struct iac_ctx *c, const struct iac_rule *r, const char *key)
{
	if (!long_running(c))
		return;
	EACH_CONTAINER(c, k)
	{
		if (strcmp(k->list, "containers"))
			continue;
		if (!bw_yaml_get(k->node, key))
			iac_emit(c, r, first_key(k->node), "container %s has no %s", k->name, key);
	}
}

RULE(chk_k8s_liveness)
{
	probe(c, r, "livenessProbe");
}
RULE(chk_k8s_readiness)
{
	probe(c, r, "readinessProbe");
}

static void service_type(struct iac_ctx *c, const struct iac_rule *r, const char *type)
{
	if (strcmp(c->obj->kind, "Service"))
		return;
	const struct bw_yaml_pair *p = bw_yaml_pair_of(bw_yaml_get(c->obj->node, "spec"), "type");
	if (p && bw_yaml_is(p->value, type))
		iac_emit(c, r, p->key, "type %s", type);
}

RULE(chk_k8s_nodeport)
{
	service_type(c, r, "NodePort");
}
RULE(chk_k8s_loadbalancer)
{
	service_type(c, r, "LoadBalancer");
}

RULE(chk_k8s_external_ips)
{
	if (strcmp(c->obj->kind, "Service"))
		return;
	const struct bw_yaml_pair *p = bw_yaml_pair_of(bw_yaml_get(c->obj->node, "spec"), "externalIPs");
	if (p && p->value->kind == BW_YAML_SEQ && p->value->n)
		iac_emit(c, r, p->key, "externalIPs set");
}

static bool seq_has(const struct bw_yaml_node *seq, const char *s)
{
	for (size_t i = 0; seq && seq->kind == BW_YAML_SEQ && i < seq->n; i++)
		if (bw_yaml_is(seq->items[i], s))
			return true;
	return false;
}

/* fn is called with each rule (the map) of a Role or ClusterRole */
static void rbac_rules(struct iac_ctx *c, const struct iac_rule *r, int which)
{
	if (strcmp(c->obj->kind, "Role") && strcmp(c->obj->kind, "ClusterRole"))
		return;
	const struct bw_yaml_node *rules = bw_yaml_get(c->obj->node, "rules");
	for (size_t i = 0; rules && rules->kind == BW_YAML_SEQ && i < rules->n; i++) {
		const struct bw_yaml_node *ru = rules->items[i];
		const struct bw_yaml_pair *verbs = bw_yaml_pair_of(ru, "verbs"),
					  *res = bw_yaml_pair_of(ru, "resources");
		bool av = verbs && seq_has(verbs->value, "*"), ar = res && seq_has(res->value, "*");
		if (which == 0 && av && ar)
			iac_emit(c, r, verbs->key, "rule %zu allows every verb on every resource", i + 1);
		else if (which == 1 && av)
			iac_emit(c, r, verbs->key, "rule %zu allows every verb", i + 1);
		else if (which == 2 && ar)
			iac_emit(c, r, res->key, "rule %zu applies to every resource", i + 1);
	}
}

RULE(chk_k8s_rbac_any_any)
{
	rbac_rules(c, r, 0);
}
RULE(chk_k8s_rbac_any_verb)
{
	rbac_rules(c, r, 1);
}
RULE(chk_k8s_rbac_any_resource)
{
	rbac_rules(c, r, 2);
}

RULE(chk_k8s_admin_binding)
{
	if (strcmp(c->obj->kind, "RoleBinding") && strcmp(c->obj->kind, "ClusterRoleBinding"))
		return;
	const struct bw_yaml_pair *p = bw_yaml_pair_of(bw_yaml_get(c->obj->node, "roleRef"), "name");
	if (p && (bw_yaml_is(p->value, "cluster-admin") || bw_yaml_is(p->value, "admin") ||
		  bw_yaml_is(p->value, "edit")))
		iac_emit(c, r, p->key, "binds the %s role", p->value->str);
}

RULE(chk_k8s_default_namespace)
{
	if (!c->obj->pod || !strcmp(c->obj->kind, "PodTemplate"))
		return;
	const struct bw_yaml_pair *p = bw_yaml_pair_of(c->obj->meta, "namespace");
	if (!p)
		iac_emit(c, r, iac_deepest(c->obj->node, "metadata.namespace"),
			 "no namespace: it lands in the default namespace");
	else if (bw_yaml_is(p->value, "default"))
		iac_emit(c, r, p->key, "namespace default");
}

RULE(chk_k8s_kube_system)
{
	if (!c->obj->pod)
		return;
	const struct bw_yaml_pair *p = bw_yaml_pair_of(c->obj->meta, "namespace");
	if (p && bw_yaml_is(p->value, "kube-system"))
		iac_emit(c, r, p->key, "namespace kube-system");
}

RULE(chk_k8s_host_port)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_node *ports = bw_yaml_get(k->node, "ports");
		for (size_t i = 0; ports && ports->kind == BW_YAML_SEQ && i < ports->n; i++) {
			const struct bw_yaml_pair *hp = bw_yaml_pair_of(ports->items[i], "hostPort");
			long long v;
			if (hp && (!bw_yaml_int(hp->value, &v) || v != 0))
				iac_emit(c, r, hp->key, "container %s binds host port %s", k->name,
					 bw_yaml_str(hp->value) ? hp->value->str : "?");
		}
	}
}

static void id_over_10000(struct iac_ctx *c, const struct iac_rule *r, const char *key)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_pair *p = effective(c, k, key);
		long long v;
		if (!p || !bw_yaml_int(p->value, &v) || v <= 10000)
			iac_emit(c, r, p ? p->key : iac_deepest(k->node, "securityContext"),
				 "container %s: %s is not above 10000", k->name, key);
	}
}

RULE(chk_k8s_uid_10000)
{
	id_over_10000(c, r, "runAsUser");
}
RULE(chk_k8s_gid_10000)
{
	id_over_10000(c, r, "runAsGroup");
}

RULE(chk_k8s_sysctls)
{
	static const char *const safe[] = {"kernel.shm_rmid_forced",
					   "net.ipv4.ip_local_port_range",
					   "net.ipv4.ip_unprivileged_port_start",
					   "net.ipv4.tcp_syncookies",
					   "net.ipv4.ping_group_range",
					   "net.ipv4.ip_local_reserved_ports",
					   "net.ipv4.tcp_keepalive_time",
					   "net.ipv4.tcp_fin_timeout",
					   "net.ipv4.tcp_keepalive_intvl",
					   "net.ipv4.tcp_keepalive_probes",
					   "net.ipv4.tcp_rmem",
					   "net.ipv4.tcp_wmem"};
	const struct bw_yaml_node *s = bw_yaml_path(c->obj->pod, "securityContext.sysctls");
	for (size_t i = 0; s && s->kind == BW_YAML_SEQ && i < s->n; i++) {
		const struct bw_yaml_pair *p = bw_yaml_pair_of(s->items[i], "name");
		const char *name = p ? bw_yaml_str(p->value) : NULL;
		bool ok = false;
		for (size_t k = 0; name && k < BW_ARRAY_SIZE(safe); k++)
			ok |= !strcmp(name, safe[k]);
		if (name && !ok)
			iac_emit(c, r, p->key, "unsafe sysctl %s", name);
	}
}

static void selinux_of(struct iac_ctx *c, const struct iac_rule *r, const struct bw_yaml_node *sc,
		       const char *who)
{
	const struct bw_yaml_node *o = bw_yaml_get(sc, "seLinuxOptions");
	if (!o || o->kind != BW_YAML_MAP)
		return;
	const struct bw_yaml_pair *t = bw_yaml_pair_of(o, "type");
	if (t && bw_yaml_str(t->value) && !bw_yaml_is(t->value, "container_t") &&
	    !bw_yaml_is(t->value, "container_init_t") && !bw_yaml_is(t->value, "container_kvm_t"))
		iac_emit(c, r, t->key, "%s sets SELinux type %s", who, t->value->str);
	static const char *const forbidden[] = {"user", "role"};
	for (size_t i = 0; i < 2; i++) {
		const struct bw_yaml_pair *p = bw_yaml_pair_of(o, forbidden[i]);
		if (p)
			iac_emit(c, r, p->key, "%s sets the SELinux %s", who, forbidden[i]);
	}
}

RULE(chk_k8s_selinux)
{
	if (c->obj->pod)
		selinux_of(c, r, bw_yaml_get(c->obj->pod, "securityContext"), "the pod");
	EACH_CONTAINER(c, k)
	selinux_of(c, r, bw_yaml_get(k->node, "securityContext"), k->name);
}

RULE(chk_k8s_proc_mount)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_pair *p =
		    bw_yaml_pair_of(bw_yaml_get(k->node, "securityContext"), "procMount");
		if (p && !bw_yaml_is(p->value, "Default"))
			iac_emit(c, r, p->key, "container %s sets procMount %s", k->name,
				 bw_yaml_str(p->value) ? p->value->str : "");
	}
}

RULE(chk_k8s_host_aliases)
{
	const struct bw_yaml_pair *p = bw_yaml_pair_of(c->obj->pod, "hostAliases");
	if (p)
		iac_emit(c, r, p->key, "the pod manages /etc/hosts through hostAliases");
}

RULE(chk_k8s_configmap_secret)
{
	if (strcmp(c->obj->kind, "ConfigMap"))
		return;
	const struct bw_yaml_node *data = bw_yaml_get(c->obj->node, "data");
	for (size_t i = 0; data && data->kind == BW_YAML_MAP && i < data->n; i++) {
		const struct bw_yaml_pair *p = &data->pairs[i];
		const char *k = bw_yaml_str(p->key), *v = bw_yaml_str(p->value);
		if (!k || !v)
			continue;
		if (bw_secretname_is_secret(k, strlen(k), v)) {
			iac_emit(c, r, p->key, "data key %s holds a secret", k);
			continue;
		}
		/* a configuration file in the value: its NAME=VALUE and NAME: VALUE lines */
		for (const char *l = v; *l;) {
			size_t n = strcspn(l, "\n");
			char line[1024];
			snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1),
				 l);
			size_t nl = strcspn(line, "=:");
			if (line[nl]) {
				const char *val = line + nl + 1;
				while (*val == ' ' || *val == '\t')
					val++;
				size_t s = strspn(line, " \t");
				size_t e = nl;
				while (e > s && (line[e - 1] == ' ' || line[e - 1] == '\t'))
					e--;
				if (e > s && *val && bw_secretname_is_secret(line + s, e - s, val)) {
					iac_emit(c, r, p->key, "data key %s sets %.*s to a secret", k,
						 (int)(e - s), line + s);
					break;
				}
			}
			l += n + (l[n] == '\n');
		}
	}
}

RULE(chk_k8s_ingress_tls)
{
	if (strcmp(c->obj->kind, "Ingress"))
		return;
	const struct bw_yaml_node *spec = bw_yaml_get(c->obj->node, "spec");
	const struct bw_yaml_node *tls = bw_yaml_get(spec, "tls");
	if (!tls || tls->kind != BW_YAML_SEQ || !tls->n)
		iac_emit(c, r, iac_deepest(c->obj->node, "spec.tls"),
			 "Ingress %s serves plain HTTP: no spec.tls", c->obj->name);
}

RULE(chk_k8s_plaintext_service)
{
	if (strcmp(c->obj->kind, "Service"))
		return;
	const struct bw_yaml_node *spec = bw_yaml_get(c->obj->node, "spec");
	const char *type = bw_yaml_str(bw_yaml_get(spec, "type"));
	bool outside = (type && (!strcmp(type, "LoadBalancer") || !strcmp(type, "NodePort"))) ||
		       (bw_yaml_get(spec, "externalIPs") && bw_yaml_get(spec, "externalIPs")->n);
	if (!outside)
		return;
	const struct bw_yaml_node *ports = bw_yaml_get(spec, "ports");
	for (size_t i = 0; ports && ports->kind == BW_YAML_SEQ && i < ports->n; i++) {
		const struct bw_yaml_pair *p = bw_yaml_pair_of(ports->items[i], "port");
		long long v;
		const char *what = p && bw_yaml_int(p->value, &v) ? iac_plaintext_port((int)v) : NULL;
		if (what)
			iac_emit(c, r, p->key, "port %lld (%s) open outside the cluster in the clear", v,
				 what);
	}
}

RULE(chk_k8s_plaintext_dsn)
{
	EACH_CONTAINER(c, k)
	{
		const struct bw_yaml_node *env = bw_yaml_get(k->node, "env");
		for (size_t i = 0; env && env->kind == BW_YAML_SEQ && i < env->n; i++) {
			const char *name = bw_yaml_str(bw_yaml_get(env->items[i], "name"));
			const struct bw_yaml_pair *v = bw_yaml_pair_of(env->items[i], "value");
			const char *why = v ? iac_plaintext_dsn(name, bw_yaml_str(v->value)) : NULL;
			if (why)
				iac_emit(c, r, v->key, "container %s: %s is %s", k->name, name ? name : "env",
					 why);
		}
	}
}
