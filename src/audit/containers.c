/* CIS section 5: container runtime, decided on each container's inspect
 * document (the same JSON live and offline, so both modes agree). */
#include "audit-int.h"

#include "audit-checks.h"

static json_t *hc(const struct audit_container *c)
{
	return jget(c->inspect, "HostConfig");
}

static bool has_opt(json_t *list, const char *prefix)
{
	size_t i;
	json_t *s;
	json_array_foreach(list, i, s)
	{
		const char *v = json_string_value(s);
		if (v && strncmp(v, prefix, strlen(prefix)) == 0)
			return true;
	}
	return false;
}

/* The value of "key=v" or "key:v" in HostConfig.SecurityOpt. */
static const char *security_opt(const struct audit_container *c, const char *key)
{
	size_t i, n = strlen(key);
	json_t *s;
	json_array_foreach(jget(c->inspect, "HostConfig.SecurityOpt"), i, s)
	{
		const char *v = json_string_value(s);
		if (v && strncmp(v, key, n) == 0 && (v[n] == '=' || v[n] == ':'))
			return v + n + 1;
	}
	return NULL;
}

int check_5_2_apparmor(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	const char *p = jstr(c->inspect, "AppArmorProfile");
	const char *opt = security_opt(c, "apparmor");
	if (opt && strcmp(opt, "unconfined") == 0)
		return verdict(v, BW_STATUS_WARN, "security-opt apparmor=unconfined");
	if (p && *p && strcmp(p, "unconfined") != 0)
		return verdict(v, BW_STATUS_PASS, "AppArmor profile %s", p);
	if (p && strcmp(p, "unconfined") == 0)
		return verdict(v, BW_STATUS_WARN, "AppArmor profile unconfined");
	return verdict(v, BW_STATUS_WARN, "no AppArmor profile (AppArmorProfile is empty%s)",
		       c->running ? "" : "; the container has not run");
}

int check_5_3_selinux(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	const char *label = security_opt(c, "label");
	const char *ml = jstr(c->inspect, "MountLabel"), *pl = jstr(c->inspect, "ProcessLabel");
	if (label && strcmp(label, "disable") == 0)
		return verdict(v, BW_STATUS_WARN, "security-opt label=disable");
	if (label || (pl && *pl))
		return verdict(v, BW_STATUS_PASS, "SELinux options: %s%s%s", label ? label : "",
			       label && pl && *pl ? ", process label " : "", pl && *pl ? pl : "");
	return verdict(v, BW_STATUS_WARN, "no SELinux options (no label security-opt, empty ProcessLabel%s)",
		       ml && *ml ? "" : " and MountLabel");
}

static bool in_list(json_t *list, const char *cap)
{
	size_t i;
	json_t *s;
	json_array_foreach(list, i, s)
	{
		const char *v = json_string_value(s);
		if (!v)
			continue;
		if (bw_strncasecmp(v, "CAP_", 4) == 0)
			v += 4;
		if (bw_strcasecmp(v, cap) == 0)
			return true;
	}
	return false;
}

int check_5_4_capabilities(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	json_t *add = jget(c->inspect, "HostConfig.CapAdd"), *drop = jget(c->inspect, "HostConfig.CapDrop");
	char added[1024] = "";
	size_t n = 0, i;
	json_t *s;
	json_array_foreach(add, i, s)
	{
		const char *cap = json_string_value(s);
		if (!cap)
			continue;
		const char *bare = bw_strncasecmp(cap, "CAP_", 4) == 0 ? cap + 4 : cap;
		if (in_list(drop, bare) && bw_strcasecmp(bare, "ALL") != 0)
			continue; /* added and dropped again */
		size_t len = strlen(added);
		snprintf(added + len, sizeof(added) - len, "%s%s", n ? ", " : "", cap);
		n++;
	}
	bool drop_all = in_list(drop, "ALL");
	if (n)
		return verdict(v, BW_STATUS_WARN, "capabilities added: %s%s", added,
			       drop_all ? " (on top of --cap-drop ALL)" : "");
	if (drop_all)
		return verdict(v, BW_STATUS_PASS, "no capability added; all dropped (--cap-drop ALL)");
	if (json_array_size(drop))
		return verdict(v, BW_STATUS_PASS, "no capability added; %zu dropped", json_array_size(drop));
	return verdict(v, BW_STATUS_PASS,
		       "no capability added (the engine's default set; --cap-drop ALL is better)");
}

int check_5_5_privileged(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	if (jtrue(c->inspect, "HostConfig.Privileged"))
		return verdict(v, BW_STATUS_WARN, "HostConfig.Privileged is true");
	return verdict(v, BW_STATUS_PASS, "not privileged");
}

static const char *const sensitive_dirs[] = {"/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr"};

/* Append "what" to a comma list in buf. */
static void add_item(char *buf, size_t len, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_item(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	size_t used = strlen(buf);
	if (used + 8 >= len)
		return;
	if (*n)
		used += (size_t)snprintf(buf + used, len - used, ", ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
	(*n)++;
}

int check_5_6_sensitive_mounts(struct audit_ctx *ctx, const struct audit_container *c,
			       struct audit_verdict *v)
{
	char found[1024] = "";
	size_t n = 0, i;
	json_t *m;
	json_array_foreach(jget(c->inspect, "Mounts"), i, m)
	{
		const char *src = jstr(m, "Source"), *type = jstr(m, "Type");
		if (!src || (type && strcmp(type, "bind") != 0))
			continue;
		for (size_t k = 0; k < BW_ARRAY_SIZE(sensitive_dirs); k++) {
			const char *d = sensitive_dirs[k];
			size_t dl = strlen(d);
			bool hit = strcmp(d, "/") == 0
				       ? strcmp(src, "/") == 0
				       : (strncmp(src, d, dl) == 0 && (src[dl] == '\0' || src[dl] == '/'));
			if (hit) {
				add_item(found, sizeof(found), &n, "%s -> %s (%s)", src,
					 jstr(m, "Destination") ? jstr(m, "Destination") : "?",
					 jtrue(m, "RW") ? "read-write" : "read-only");
				break;
			}
		}
	}
	if (n)
		return verdict(v, BW_STATUS_WARN, "host directories mounted: %s", found);
	return verdict(v, BW_STATUS_PASS, "no sensitive host directory mounted");
}

static bool mentions_sshd(json_t *j)
{
	const char *s = json_string_value(j);
	if (!s)
		return false;
	const char *b = bw_path_base(s);
	return strcmp(b, "sshd") == 0 || strstr(s, "/sshd ") || strncmp(s, "sshd ", 5) == 0;
}

int check_5_7_sshd(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	if (c->sshd == 1)
		return verdict(v, BW_STATUS_WARN, "%s", c->sshd_evidence);
	bool cmd = mentions_sshd(jget(c->inspect, "Path"));
	size_t i;
	json_t *a;
	json_array_foreach(jget(c->inspect, "Args"), i, a) cmd = cmd || mentions_sshd(a);
	if (cmd)
		return verdict(v, BW_STATUS_WARN, "the container's command runs sshd (%s)",
			       jstr(c->inspect, "Path"));
	if (c->sshd == 0)
		return verdict(v, BW_STATUS_PASS,
			       "no sshd process in the container, and its command is not sshd");
	return verdict(v, BW_STATUS_PASS, "the container's command is not sshd%s",
		       c->running ? " (its processes are not visible from here)" : "");
}

/* Iterate HostConfig.PortBindings: {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}. */
typedef void (*binding_fn)(const char *port, const char *host_ip, const char *host_port, void *ud);
static void each_binding(const struct audit_container *c, binding_fn fn, void *ud)
{
	const char *k;
	json_t *list;
	json_object_foreach(jget(c->inspect, "HostConfig.PortBindings"), k, list)
	{
		size_t i;
		json_t *b;
		json_array_foreach(list, i, b) fn(k, jstr(b, "HostIp"), jstr(b, "HostPort"), ud);
	}
}

struct port_acc {
	char buf[1024];
	size_t n;
};

static void privileged_port(const char *port, const char *ip, const char *hp, void *ud)
{
	struct port_acc *a = ud;
	char *end;
	long p = hp && *hp ? strtol(hp, &end, 10) : -1;
	if (p >= 0 && p < 1024 && *end == '\0')
		add_item(a->buf, sizeof(a->buf), &a->n, "host port %ld -> %s", p, port);
}

int check_5_8_privileged_ports(struct audit_ctx *ctx, const struct audit_container *c,
			       struct audit_verdict *v)
{
	struct port_acc a = {"", 0};
	each_binding(c, privileged_port, &a);
	if (a.n)
		return verdict(v, BW_STATUS_WARN, "privileged ports mapped: %s", a.buf);
	return verdict(v, BW_STATUS_PASS, "no host port below 1024 mapped");
}

static int namespace(const struct audit_container *c, const char *field, const char *what,
		     struct audit_verdict *v)
{
	const char *m = jstr(hc(c), field);
	if (m && strcmp(m, "host") == 0)
		return verdict(v, BW_STATUS_WARN, "HostConfig.%s is host: the container shares the host's %s",
			       field, what);
	return verdict(v, BW_STATUS_PASS, "HostConfig.%s is %s", field, m && *m ? m : "private (empty)");
}

int check_5_10_net_ns(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	return namespace(c, "NetworkMode", "network namespace", v);
}

int check_5_16_pid_ns(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	return namespace(c, "PidMode", "process namespace", v);
}

int check_5_17_ipc_ns(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	return namespace(c, "IpcMode", "IPC namespace", v);
}

int check_5_21_uts_ns(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	return namespace(c, "UTSMode", "UTS namespace", v);
}

int check_5_31_userns(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	return namespace(c, "UsernsMode", "user namespace", v);
}

int check_5_11_memory(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	long long m = jint(hc(c), "Memory", 0);
	if (m <= 0)
		return verdict(v, BW_STATUS_WARN, "no memory limit (HostConfig.Memory is 0)");
	return verdict(v, BW_STATUS_PASS, "memory limited to %lld bytes", m);
}

int check_5_12_cpu(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	long long shares = jint(hc(c), "CpuShares", 0), nano = jint(hc(c), "NanoCpus", 0),
		  quota = jint(hc(c), "CpuQuota", 0);
	if (shares > 0 && shares != 1024)
		return verdict(v, BW_STATUS_PASS, "CPU shares %lld", shares);
	if (nano > 0)
		return verdict(v, BW_STATUS_PASS, "CPUs limited to %.2f", (double)nano / 1e9);
	if (quota > 0)
		return verdict(v, BW_STATUS_PASS, "CPU quota %lld", quota);
	return verdict(v, BW_STATUS_WARN, "no CPU shares or limit (CpuShares %lld, NanoCpus 0, CpuQuota 0)",
		       shares);
}

int check_5_13_readonly_rootfs(struct audit_ctx *ctx, const struct audit_container *c,
			       struct audit_verdict *v)
{
	if (jtrue(hc(c), "ReadonlyRootfs"))
		return verdict(v, BW_STATUS_PASS, "root filesystem read-only");
	return verdict(v, BW_STATUS_WARN, "root filesystem writable (HostConfig.ReadonlyRootfs is false)");
}

static void wildcard_binding(const char *port, const char *ip, const char *hp, void *ud)
{
	struct port_acc *a = ud;
	if (!ip || !*ip || !strcmp(ip, "0.0.0.0") || !strcmp(ip, "::"))
		add_item(a->buf, sizeof(a->buf), &a->n, "%s on %s:%s", port, ip && *ip ? ip : "*",
			 hp && *hp ? hp : "(any)");
}

int check_5_14_host_interface(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	struct port_acc a = {"", 0};
	each_binding(c, wildcard_binding, &a);
	if (a.n)
		return verdict(v, BW_STATUS_WARN, "ports bound to every host interface: %s", a.buf);
	if (json_object_size(jget(hc(c), "PortBindings")))
		return verdict(v, BW_STATUS_PASS, "every published port is bound to a specific address");
	return verdict(v, BW_STATUS_PASS, "no published port");
}

int check_5_15_restart(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	const char *name = jstr(hc(c), "RestartPolicy.Name");
	long long max = jint(hc(c), "RestartPolicy.MaximumRetryCount", 0);
	if (!name || !*name || !strcmp(name, "no"))
		return verdict(v, BW_STATUS_PASS, "no restart policy");
	if (!strcmp(name, "on-failure") && max >= 1 && max <= 5)
		return verdict(v, BW_STATUS_PASS, "restart policy on-failure:%lld", max);
	if (!strcmp(name, "on-failure"))
		return verdict(v, BW_STATUS_WARN, "restart policy on-failure with %lld retries (%s)", max,
			       max ? "more than 5" : "unbounded");
	return verdict(v, BW_STATUS_WARN, "restart policy %s restarts without bound", name);
}

int check_5_18_devices(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	char found[1024] = "";
	size_t n = 0, i;
	json_t *d;
	json_array_foreach(jget(hc(c), "Devices"), i, d) add_item(
	    found, sizeof(found), &n, "%s -> %s (%s)", jstr(d, "PathOnHost") ? jstr(d, "PathOnHost") : "?",
	    jstr(d, "PathInContainer") ? jstr(d, "PathInContainer") : "?",
	    jstr(d, "CgroupPermissions") ? jstr(d, "CgroupPermissions") : "rwm");
	if (n)
		return verdict(v, BW_STATUS_WARN, "host devices exposed: %s", found);
	return verdict(v, BW_STATUS_PASS, "no host device exposed");
}

int check_5_19_ulimits(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	char found[1024] = "";
	size_t n = 0, i;
	json_t *u;
	json_array_foreach(jget(hc(c), "Ulimits"), i, u)
	    add_item(found, sizeof(found), &n, "%s=%lld:%lld", jstr(u, "Name") ? jstr(u, "Name") : "?",
		     jint(u, "Soft", -1), jint(u, "Hard", -1));
	if (n)
		return verdict(v, BW_STATUS_INFO, "the daemon's default ulimits are overridden: %s", found);
	return verdict(v, BW_STATUS_PASS, "the daemon's default ulimits apply");
}

int check_5_20_propagation(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	char found[1024] = "";
	size_t n = 0, i;
	json_t *m;
	json_array_foreach(jget(c->inspect, "Mounts"), i, m)
	{
		const char *p = jstr(m, "Propagation");
		if (p && (!strcmp(p, "shared") || !strcmp(p, "rshared")))
			add_item(found, sizeof(found), &n, "%s (%s)",
				 jstr(m, "Destination") ? jstr(m, "Destination") : "?", p);
	}
	if (n)
		return verdict(v, BW_STATUS_WARN, "mounts with shared propagation: %s", found);
	return verdict(v, BW_STATUS_PASS, "no mount with shared propagation");
}

int check_5_22_seccomp(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	const char *s = security_opt(c, "seccomp");
	if (s && strcmp(s, "unconfined") == 0)
		return verdict(v, BW_STATUS_WARN, "seccomp disabled (security-opt seccomp=unconfined)");
	if (jtrue(hc(c), "Privileged"))
		return verdict(v, BW_STATUS_WARN, "privileged: the engine applies no seccomp profile");
	return verdict(v, BW_STATUS_PASS, "%s",
		       s ? "a custom seccomp profile" : "the default seccomp profile");
}

/* Exec sessions: live only; offline their settings are not in the inspect. */
static int exec_check(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v,
		      bool want_privileged)
{
	json_t *ids = jget(c->inspect, "ExecIDs");
	if (!json_array_size(ids))
		return verdict(v, BW_STATUS_PASS, "no exec session");
	if (!ctx->engine)
		return verdict(v, BW_STATUS_INFO,
			       "%zu exec session(s); their options are not in a saved inspect",
			       json_array_size(ids));
	char found[1024] = "";
	size_t n = 0, i;
	json_t *id;
	json_array_foreach(ids, i, id)
	{
		if (!json_string_value(id))
			continue;
		bw_autofree char *esc = bw_engine_escape(json_string_value(id));
		bw_autofree char *path = bw_asprintf("/exec/%s/json", esc);
		json_t *ex = NULL;
		struct bw_error err = BW_ERROR_INIT;
		double t0 = bw_now();
		int rc = bw_engine_get_json(ctx->engine, path, 0, &ex, &err);
		ctx->engine_seconds += bw_now() - t0;
		if (rc && audit_out_of_time(ctx))
			return verdict(v, BW_STATUS_INFO, "exec sessions not checked: %s", err.msg);
		if (rc)
			continue;
		const char *user = jstr(ex, "ProcessConfig.user");
		const char *cuser = jstr(c->inspect, "Config.User");
		bool root = user && *user
				? (!strcmp(user, "root") || !strcmp(user, "0") || !strncmp(user, "0:", 2) ||
				   !strncmp(user, "root:", 5))
				: (!cuser || !*cuser || !strcmp(cuser, "root") || !strcmp(cuser, "0"));
		if (want_privileged ? jtrue(ex, "ProcessConfig.privileged") : root)
			add_item(found, sizeof(found), &n, "%.12s (%s)", json_string_value(id),
				 jstr(ex, "ProcessConfig.entrypoint") ? jstr(ex, "ProcessConfig.entrypoint")
								      : "?");
		json_decref(ex);
	}
	if (n)
		return verdict(v, BW_STATUS_WARN, "exec sessions %s: %s",
			       want_privileged ? "with --privileged" : "as root", found);
	return verdict(v, BW_STATUS_PASS, "%zu exec session(s), none %s", json_array_size(ids),
		       want_privileged ? "privileged" : "as root");
}

int check_5_23_exec_privileged(struct audit_ctx *ctx, const struct audit_container *c,
			       struct audit_verdict *v)
{
	return exec_check(ctx, c, v, true);
}

int check_5_24_exec_root(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	return exec_check(ctx, c, v, false);
}

int check_5_25_cgroup(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	const char *p = jstr(hc(c), "CgroupParent");
	if (p && *p)
		return verdict(v, BW_STATUS_WARN, "cgroup parent set to %s: confirm it is intended", p);
	return verdict(v, BW_STATUS_PASS, "the default cgroup parent");
}

int check_5_26_no_new_privileges(struct audit_ctx *ctx, const struct audit_container *c,
				 struct audit_verdict *v)
{
	const char *s = security_opt(c, "no-new-privileges");
	if (has_opt(jget(hc(c), "SecurityOpt"), "no-new-privileges") && (!s || strcmp(s, "false") != 0))
		return verdict(v, BW_STATUS_PASS, "security-opt no-new-privileges");
	const char *src;
	if (!s && json_is_true(audit_daemon_get(ctx, "no-new-privileges", &src)))
		return verdict(v, BW_STATUS_PASS,
			       "the daemon sets no-new-privileges for every container (%s)", src);
	return verdict(v, BW_STATUS_WARN, "no-new-privileges is not set");
}

int check_5_27_health(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	json_t *test = jget(c->inspect, "Config.Healthcheck.Test");
	const char *first = json_string_value(json_array_get(test, 0));
	if (!json_array_size(test) || (first && !strcmp(first, "NONE")))
		return verdict(v, BW_STATUS_WARN, "no health check%s", first ? " (disabled with NONE)" : "");
	const char *status = jstr(c->inspect, "State.Health.Status");
	return verdict(v, BW_STATUS_PASS, "health check %s%s%s", first ? first : "", status ? ", now " : "",
		       status ? status : "");
}

int check_5_29_pids_limit(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	long long p = jint(hc(c), "PidsLimit", 0);
	if (p <= 0)
		return verdict(v, BW_STATUS_WARN, "no PIDs limit (HostConfig.PidsLimit is %s)",
			       jget(hc(c), "PidsLimit") ? (p < 0 ? "unlimited" : "0") : "unset");
	return verdict(v, BW_STATUS_PASS, "PIDs limited to %lld", p);
}

int check_5_30_default_bridge(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	const char *m = jstr(hc(c), "NetworkMode");
	if (!m || !strcmp(m, "default") || !strcmp(m, "bridge"))
		return verdict(v, BW_STATUS_WARN, "on the default bridge (NetworkMode %s)", m ? m : "unset");
	json_t *nets = jget(c->inspect, "NetworkSettings.Networks");
	if (json_object_get(nets, "bridge"))
		return verdict(v, BW_STATUS_WARN, "connected to the default bridge network");
	return verdict(v, BW_STATUS_PASS, "NetworkMode %s", m);
}

static bool is_engine_socket(const char *path)
{
	static const char *const names[] = {"docker.sock", "containerd.sock", "podman.sock",
					    "crio.sock",   "dockershim.sock", NULL};
	return bw_str_in(bw_path_base(path), names);
}

int check_5_32_socket(struct audit_ctx *ctx, const struct audit_container *c, struct audit_verdict *v)
{
	char found[1024] = "";
	size_t n = 0, i;
	json_t *m;
	json_array_foreach(jget(c->inspect, "Mounts"), i, m)
	{
		const char *src = jstr(m, "Source");
		if (src && is_engine_socket(src))
			add_item(found, sizeof(found), &n, "%s -> %s", src,
				 jstr(m, "Destination") ? jstr(m, "Destination") : "?");
	}
	/* a mount of the whole run directory carries the socket too */
	json_array_foreach(jget(c->inspect, "Mounts"), i, m)
	{
		const char *src = jstr(m, "Source");
		if (src && (!strcmp(src, "/var/run") || !strcmp(src, "/run")))
			add_item(found, sizeof(found), &n, "%s -> %s (holds docker.sock)", src,
				 jstr(m, "Destination") ? jstr(m, "Destination") : "?");
	}
	if (n)
		return verdict(v, BW_STATUS_WARN, "engine socket mounted: %s", found);
	return verdict(v, BW_STATUS_PASS, "no engine socket mounted");
}
