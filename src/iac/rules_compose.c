/* Check functions of the compose rules (BW-COMPOSE-NNN), named in the table
 * of rules.c. A service's settings may come from an extended service in
 * another file: the finding names the file and line of the key itself. */
#include "rules-int.h"

/* Where a missing setting along dotted would go: its deepest existing key,
 * or the service's name when even the first key is absent. */
static const struct bw_yaml_node *svc_missing(const struct iac_ctx *c, const char *dotted)
{
	char first[64];
	size_t n = strcspn(dotted, ".");
	snprintf(first, sizeof(first), "%.*s", (int)n, dotted);
	if (!bw_yaml_pair_of(c->svc->node, first))
		return c->svc->key;
	return iac_deepest(c->svc->node, dotted);
}

static void flag(struct iac_ctx *c, const struct iac_rule *r, const char *key, const char *value)
{
	const struct bw_yaml_pair *p = bw_yaml_pair_of(c->svc->node, key);
	if (!p)
		return;
	if (value ? bw_yaml_is(p->value, value) : bw_yaml_bool(p->value) == 1)
		iac_emit(c, r, p->key, "%s: %s", key, value ? value : "true");
}

RULE(chk_compose_privileged)
{
	flag(c, r, "privileged", NULL);
}
RULE(chk_compose_network_host)
{
	flag(c, r, "network_mode", "host");
}
RULE(chk_compose_pid_host)
{
	flag(c, r, "pid", "host");
}
RULE(chk_compose_ipc_host)
{
	flag(c, r, "ipc", "host");
}
RULE(chk_compose_uts_host)
{
	flag(c, r, "uts", "host");
}
RULE(chk_compose_userns_host)
{
	flag(c, r, "userns_mode", "host");
}

RULE(chk_compose_caps_dangerous)
{
	const struct bw_yaml_node *add = bw_yaml_get(c->svc->node, "cap_add");
	for (size_t i = 0; add && add->kind == BW_YAML_SEQ && i < add->n; i++)
		if (bw_yaml_str(add->items[i]) && iac_cap_dangerous(add->items[i]->str))
			iac_emit(c, r, add->items[i], "cap_add %s", add->items[i]->str);
}

RULE(chk_compose_caps_added)
{
	const struct bw_yaml_node *add = bw_yaml_get(c->svc->node, "cap_add");
	for (size_t i = 0; add && add->kind == BW_YAML_SEQ && i < add->n; i++)
		if (bw_yaml_str(add->items[i]))
			iac_emit(c, r, add->items[i], "cap_add %s", add->items[i]->str);
}

RULE(chk_compose_drop_all)
{
	const struct bw_yaml_node *drop = bw_yaml_get(c->svc->node, "cap_drop");
	for (size_t i = 0; drop && drop->kind == BW_YAML_SEQ && i < drop->n; i++)
		if (bw_yaml_str(drop->items[i]) && !bw_strcasecmp(drop->items[i]->str, "ALL"))
			return;
	iac_emit(c, r, svc_missing(c, "cap_drop"), "cap_drop does not list ALL");
}

/* Each bind mount of the service: its host path and the node to blame. */
static void binds(struct iac_ctx *c, const struct iac_rule *r, bool (*bad)(const char *), const char *what)
{
	const struct bw_yaml_node *vols = bw_yaml_get(c->svc->node, "volumes");
	for (size_t i = 0; vols && vols->kind == BW_YAML_SEQ && i < vols->n; i++) {
		const struct bw_yaml_node *v = vols->items[i];
		char src[512] = "";
		if (v->kind == BW_YAML_SCALAR) {
			const char *colon = strchr(v->str, ':');
			size_t n = colon ? (size_t)(colon - v->str) : 0;
			if (!colon || n >= sizeof(src))
				continue;
			memcpy(src, v->str, n);
			src[n] = 0;
		} else if (v->kind == BW_YAML_MAP) {
			const char *type = bw_yaml_str(bw_yaml_get(v, "type"));
			const char *s = bw_yaml_str(bw_yaml_get(v, "source"));
			if (!type || strcmp(type, "bind") || !s)
				continue;
			snprintf(src, sizeof(src), "%s", s);
		}
		if (src[0] != '/')
			continue; /* a named volume, or a path relative to the project */
		if (bad(src))
			iac_emit(c, r, v, "volume mounts %s%s from the host", what, src);
	}
}

RULE(chk_compose_docker_socket)
{
	binds(c, r, iac_engine_socket_path, "the container engine socket ");
}
RULE(chk_compose_sensitive_mount)
{
	binds(c, r, iac_sensitive_host_path, "");
}

RULE(chk_compose_user_root)
{
	const struct bw_yaml_pair *p = bw_yaml_pair_of(c->svc->node, "user");
	if (!p) {
		iac_emit(c, r, c->svc->key, "no user: the image's user (often root) runs the service");
		return;
	}
	const char *u = bw_yaml_str(p->value);
	char name[128];
	snprintf(name, sizeof(name), "%s", u ? u : "");
	char *colon = strchr(name, ':');
	if (colon)
		*colon = 0;
	if (!strcmp(name, "root") || !strcmp(name, "0") || !*name)
		iac_emit(c, r, p->key, "user %s", u ? u : "");
}

RULE(chk_compose_read_only)
{
	const struct bw_yaml_pair *p = bw_yaml_pair_of(c->svc->node, "read_only");
	if (!p || bw_yaml_bool(p->value) != 1)
		iac_emit(c, r, svc_missing(c, "read_only"), "the root filesystem is writable");
}

static bool has_limit(const struct iac_ctx *c, const char *legacy, const char *legacy2, const char *deploy)
{
	if (bw_yaml_get(c->svc->node, legacy) || (legacy2 && bw_yaml_get(c->svc->node, legacy2)))
		return true;
	const struct bw_yaml_node *v = bw_yaml_path(c->svc->node, deploy);
	return v && !bw_yaml_is_null(v);
}

RULE(chk_compose_memory_limit)
{
	if (!has_limit(c, "mem_limit", NULL, "deploy.resources.limits.memory"))
		iac_emit(c, r, svc_missing(c, "deploy.resources.limits.memory"),
			 "no memory limit (deploy.resources.limits.memory)");
}

RULE(chk_compose_cpu_limit)
{
	if (!has_limit(c, "cpus", "cpu_quota", "deploy.resources.limits.cpus"))
		iac_emit(c, r, svc_missing(c, "deploy.resources.limits.cpus"),
			 "no CPU limit (deploy.resources.limits.cpus)");
}

RULE(chk_compose_pids_limit)
{
	if (!has_limit(c, "pids_limit", NULL, "deploy.resources.limits.pids"))
		iac_emit(c, r, svc_missing(c, "pids_limit"), "no PIDs limit (pids_limit)");
}

static bool opt_is(const char *o, const char *name, const char *value)
{
	size_t n = strlen(name);
	if (strncmp(o, name, n))
		return false;
	if (!value)
		return !o[n] || ((o[n] == ':' || o[n] == '=') && !strcmp(o + n + 1, "true"));
	return (o[n] == ':' || o[n] == '=') && !strcmp(o + n + 1, value);
}

RULE(chk_compose_no_new_privileges)
{
	const struct bw_yaml_node *so = bw_yaml_get(c->svc->node, "security_opt");
	for (size_t i = 0; so && so->kind == BW_YAML_SEQ && i < so->n; i++)
		if (bw_yaml_str(so->items[i]) && opt_is(so->items[i]->str, "no-new-privileges", NULL))
			return;
	iac_emit(c, r, svc_missing(c, "security_opt"), "security_opt does not set no-new-privileges:true");
}

RULE(chk_compose_unconfined)
{
	const struct bw_yaml_node *so = bw_yaml_get(c->svc->node, "security_opt");
	for (size_t i = 0; so && so->kind == BW_YAML_SEQ && i < so->n; i++) {
		const char *o = bw_yaml_str(so->items[i]);
		if (o && (opt_is(o, "seccomp", "unconfined") || opt_is(o, "apparmor", "unconfined") ||
			  opt_is(o, "label", "disable") || opt_is(o, "systempaths", "unconfined")))
			iac_emit(c, r, so->items[i], "security_opt %s", o);
	}
}

RULE(chk_compose_ports_all_interfaces)
{
	const struct bw_yaml_node *ports = bw_yaml_get(c->svc->node, "ports");
	for (size_t i = 0; ports && ports->kind == BW_YAML_SEQ && i < ports->n; i++) {
		struct iac_port pt;
		if (iac_compose_port(ports->items[i], &pt))
			continue;
		if (!pt.host_ip[0] || !strcmp(pt.host_ip, "0.0.0.0") || !strcmp(pt.host_ip, "::"))
			iac_emit(c, r, ports->items[i], "port %d published on every interface of the host",
				 pt.target);
	}
}

RULE(chk_compose_devices)
{
	const struct bw_yaml_pair *p = bw_yaml_pair_of(c->svc->node, "devices");
	if (p && p->value->kind == BW_YAML_SEQ && p->value->n)
		iac_emit(c, r, p->key, "host devices mapped into the container");
}

static const char *svc_image(const struct iac_ctx *c, const struct bw_yaml_node **at)
{
	const struct bw_yaml_pair *p = bw_yaml_pair_of(c->svc->node, "image");
	if (!p || !bw_yaml_str(p->value))
		return NULL;
	*at = p->key;
	return p->value->str;
}

RULE(chk_compose_image_latest)
{
	const struct bw_yaml_node *at;
	const char *img = svc_image(c, &at);
	if (!img || bw_yaml_get(c->svc->node, "build"))
		return;
	char tag[256];
	bool digest;
	iac_image_tag(img, tag, sizeof(tag), &digest);
	if (!digest && (!*tag || !strcmp(tag, "latest")))
		iac_emit(c, r, at, "image %s (%s)", img, *tag ? "the latest tag" : "no tag");
}

RULE(chk_compose_image_digest)
{
	const struct bw_yaml_node *at;
	const char *img = svc_image(c, &at);
	if (!img || bw_yaml_get(c->svc->node, "build"))
		return;
	char tag[256];
	bool digest;
	iac_image_tag(img, tag, sizeof(tag), &digest);
	if (!digest)
		iac_emit(c, r, at, "image %s is not pinned by digest", img);
}

RULE(chk_compose_registry)
{
	const struct bw_yaml_node *at;
	const char *img = svc_image(c, &at);
	if (!img || bw_yaml_get(c->svc->node, "build") || iac_registry_trusted(c->cfg, img))
		return;
	char reg[256];
	iac_image_registry(img, reg, sizeof(reg));
	iac_emit(c, r, at, "image %s comes from %s, not a trusted registry", img, reg);
}

RULE(chk_compose_env_secret)
{
	const struct bw_yaml_node *env = bw_yaml_get(c->svc->node, "environment");
	if (!env)
		return;
	if (env->kind == BW_YAML_MAP) {
		for (size_t i = 0; i < env->n; i++) {
			const char *k = bw_yaml_str(env->pairs[i].key), *v = bw_yaml_str(env->pairs[i].value);
			if (k && v && bw_secretname_is_secret(k, strlen(k), v))
				iac_emit(c, r, env->pairs[i].key, "environment %s holds a secret", k);
		}
	} else if (env->kind == BW_YAML_SEQ) {
		for (size_t i = 0; i < env->n; i++) {
			const char *s = bw_yaml_str(env->items[i]);
			const char *eq = s ? strchr(s, '=') : NULL;
			if (eq && bw_secretname_is_secret(s, (size_t)(eq - s), eq + 1))
				iac_emit(c, r, env->items[i], "environment %.*s holds a secret",
					 (int)(eq - s), s);
		}
	}
}

RULE(chk_compose_plaintext_port)
{
	const struct bw_yaml_node *ports = bw_yaml_get(c->svc->node, "ports");
	for (size_t i = 0; ports && ports->kind == BW_YAML_SEQ && i < ports->n; i++) {
		struct iac_port pt;
		if (iac_compose_port(ports->items[i], &pt))
			continue;
		if (pt.host_ip[0] && (!strncmp(pt.host_ip, "127.", 4) || !strcmp(pt.host_ip, "::1")))
			continue;
		const char *what = iac_plaintext_port(pt.target);
		if (what)
			iac_emit(c, r, ports->items[i], "port %d (%s) published in the clear", pt.target,
				 what);
	}
}

RULE(chk_compose_plaintext_dsn)
{
	const struct bw_yaml_node *env = bw_yaml_get(c->svc->node, "environment");
	for (size_t i = 0; env && (env->kind == BW_YAML_MAP || env->kind == BW_YAML_SEQ) && i < env->n; i++) {
		char name[256] = "";
		const char *value = NULL;
		const struct bw_yaml_node *at;
		if (env->kind == BW_YAML_MAP) {
			snprintf(name, sizeof(name), "%s",
				 bw_yaml_str(env->pairs[i].key) ? env->pairs[i].key->str : "");
			value = bw_yaml_str(env->pairs[i].value);
			at = env->pairs[i].key;
		} else {
			const char *s = bw_yaml_str(env->items[i]);
			const char *eq = s ? strchr(s, '=') : NULL;
			if (!eq)
				continue;
			snprintf(name, sizeof(name), "%.*s", (int)(eq - s), s);
			value = eq + 1;
			at = env->items[i];
		}
		const char *why = iac_plaintext_dsn(name, value);
		if (why)
			iac_emit(c, r, at, "%s is %s", name, why);
	}
}
