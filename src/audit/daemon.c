/* CIS section 2: the daemon's options, from daemon.json and dockerd's
 * command line (see daemon_config.c), with the engine's own /info as a
 * witness where it reports the running value. Also 5.1 (swarm mode). */
#include "audit-int.h"

#include "audit-checks.h"

/* "set in <src>" or "not set" for evidence. */
static const char *where(const char *src)
{
	return src ? src : "default";
}

static bool have_config(struct audit_ctx *ctx)
{
	return ctx->daemon.have_json || ctx->daemon.have_cmdline;
}

/* When neither source was read, a check that relies on them says so. */
static int unknown(struct audit_ctx *ctx, struct audit_verdict *v, const char *what)
{
	return verdict(
	    v, BW_STATUS_INFO,
	    "%s cannot be decided: neither daemon.json (%s) nor dockerd's command line could be read", what,
	    ctx->daemon.json_path ? ctx->daemon.json_path : "?");
}

int check_2_1_rootless(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	json_t *opts = jget(ctx->info, "SecurityOptions");
	size_t i;
	json_t *s;
	json_array_foreach(opts, i, s)
	{
		if (json_string_value(s) && strstr(json_string_value(s), "name=rootless"))
			return verdict(v, BW_STATUS_PASS, "the daemon runs rootless (%s)",
				       json_string_value(s));
	}
	return verdict(v, BW_STATUS_MANUAL, "the daemon runs as root%s; consider rootless mode where it fits",
		       ctx->info ? "" : " (assumed: engine info unknown)");
}

static int bool_option(struct audit_ctx *ctx, struct audit_verdict *v, const char *key, bool want, bool dflt,
		       const char *info_field)
{
	const char *src;
	json_t *val = audit_daemon_get(ctx, key, &src);
	bool b = dflt;
	if (json_is_boolean(val)) {
		b = json_is_true(val);
	} else if (info_field && jget(ctx->info, info_field) &&
		   json_is_boolean(jget(ctx->info, info_field))) {
		b = jtrue(ctx->info, info_field);
		src = "engine info";
	} else if (!have_config(ctx) && !info_field) {
		return unknown(ctx, v, key);
	}
	return verdict(v, b == want ? BW_STATUS_PASS : BW_STATUS_WARN, "%s is %s (%s)", key,
		       b ? "true" : "false", where(src));
}

int check_2_2_icc(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	return bool_option(ctx, v, "icc", false, true, NULL);
}

int check_2_3_log_level(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	const char *src;
	const char *lvl = json_string_value(audit_daemon_get(ctx, "log-level", &src));
	if (json_is_true(audit_daemon_get(ctx, "debug", NULL)))
		return verdict(v, BW_STATUS_WARN, "debug is true: the daemon logs at debug level");
	if (!lvl && jtrue(ctx->info, "Debug"))
		return verdict(v, BW_STATUS_WARN, "the engine reports debug mode (engine info)");
	if (!lvl || !strcmp(lvl, "info"))
		return verdict(v, BW_STATUS_PASS, "log-level is info (%s)", where(src));
	return verdict(v, BW_STATUS_WARN, "log-level is %s (%s)", lvl, where(src));
}

int check_2_4_iptables(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	return bool_option(ctx, v, "iptables", true, true, NULL);
}

int check_2_5_insecure_registries(struct audit_ctx *ctx, const struct audit_check *chk,
				  struct audit_verdict *v)
{
	const char *src;
	json_t *regs = audit_daemon_get(ctx, "insecure-registries", &src);
	char found[1024] = "";
	size_t len = 0, i;
	json_t *r;
	json_array_foreach(regs, i, r) len +=
	    (size_t)snprintf(found + len, len < sizeof(found) ? sizeof(found) - len : 0, "%s%s",
			     i ? ", " : "", json_string_value(r) ? json_string_value(r) : "?");
	if (json_array_size(regs))
		return verdict(v, BW_STATUS_WARN, "insecure registries: %s (%s)", found, where(src));
	/* the engine's view: index configs marked insecure (127.0.0.0/8 is always implied) */
	const char *k;
	json_t *ic;
	size_t n = 0;
	json_object_foreach(jget(ctx->info, "RegistryConfig.IndexConfigs"), k, ic)
	{
		if (json_is_false(json_object_get(ic, "Secure"))) {
			len = strlen(found);
			snprintf(found + len, sizeof(found) - len, "%s%s", n++ ? ", " : "", k);
		}
	}
	if (n)
		return verdict(v, BW_STATUS_WARN, "insecure registries: %s (engine info)", found);
	return verdict(v, BW_STATUS_PASS, "no insecure registry");
}

int check_2_6_aufs(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	const char *src;
	const char *d = json_string_value(audit_daemon_get(ctx, "storage-driver", &src));
	if (!d && jstr(ctx->info, "Driver")) {
		d = jstr(ctx->info, "Driver");
		src = "engine info";
	}
	if (!d)
		return have_config(ctx)
			   ? verdict(v, BW_STATUS_PASS, "storage driver not set (the engine picks overlay2)")
			   : unknown(ctx, v, "the storage driver");
	if (!strcmp(d, "aufs"))
		return verdict(v, BW_STATUS_WARN, "storage driver aufs (%s)", where(src));
	return verdict(v, BW_STATUS_PASS, "storage driver %s (%s)", d, where(src));
}

int check_2_7_tls(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	const char *src;
	json_t *hosts = audit_daemon_get(ctx, "hosts", &src);
	char tcp[512] = "";
	size_t i, n = 0;
	json_t *h;
	json_array_foreach(hosts, i, h)
	{
		const char *s = json_string_value(h);
		if (s && (!strncmp(s, "tcp://", 6) || !strncmp(s, "http", 4) ||
			  (s[0] != '/' && !strstr(s, "://") && strchr(s, ':')))) {
			size_t len = strlen(tcp);
			snprintf(tcp + len, sizeof(tcp) - len, "%s%s", n++ ? ", " : "", s);
		}
	}
	if (!n)
		return have_config(ctx) ? verdict(v, BW_STATUS_PASS, "the daemon does not listen on TCP")
					: unknown(ctx, v, "whether the daemon listens on TCP");
	bool verify = json_is_true(audit_daemon_get(ctx, "tlsverify", NULL));
	const char *ca = json_string_value(audit_daemon_get(ctx, "tlscacert", NULL));
	const char *cert = json_string_value(audit_daemon_get(ctx, "tlscert", NULL));
	const char *key = json_string_value(audit_daemon_get(ctx, "tlskey", NULL));
	if (verify && ca && cert && key)
		return verdict(v, BW_STATUS_PASS, "listens on %s with tlsverify, CA %s", tcp, ca);
	return verdict(v, BW_STATUS_WARN,
		       "listens on %s without client certificate verification (tlsverify %s%s%s%s)", tcp,
		       verify ? "on" : "off", ca ? "" : ", no tlscacert", cert ? "" : ", no tlscert",
		       key ? "" : ", no tlskey");
}

int check_2_8_ulimits(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	const char *src;
	json_t *u = audit_daemon_get(ctx, "default-ulimits", &src);
	if (json_object_size(u) || json_array_size(u)) {
		char buf[512] = "";
		const char *k;
		json_t *x;
		size_t len = 0;
		json_object_foreach(u, k, x)
		{
			len = strlen(buf);
			snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? ", " : "", k);
		}
		return verdict(v, BW_STATUS_PASS, "default ulimits set: %s (%s)", buf, where(src));
	}
	return verdict(v, BW_STATUS_INFO, "no default-ulimits: containers inherit the daemon's limits");
}

int check_2_9_userns(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	const char *src;
	const char *u = json_string_value(audit_daemon_get(ctx, "userns-remap", &src));
	if (u && *u)
		return verdict(v, BW_STATUS_PASS, "userns-remap %s (%s)", u, where(src));
	size_t i;
	json_t *s;
	json_array_foreach(
	    jget(ctx->info, "SecurityOptions"), i,
	    s) if (json_string_value(s) &&
		   strstr(json_string_value(s),
			  "name=userns")) return verdict(v, BW_STATUS_PASS,
							 "user namespaces on (engine info: %s)",
							 json_string_value(s));
	if (!have_config(ctx) && !ctx->info)
		return unknown(ctx, v, "userns-remap");
	return verdict(v, BW_STATUS_WARN, "userns-remap is not set: root in a container is root on the host");
}

int check_2_10_cgroup_parent(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	const char *src;
	const char *p = json_string_value(audit_daemon_get(ctx, "cgroup-parent", &src));
	if (p && *p)
		return verdict(v, BW_STATUS_INFO, "cgroup-parent %s (%s): confirm it is intended", p,
			       where(src));
	return verdict(v, BW_STATUS_PASS, "the default cgroup parent");
}

int check_2_11_base_device(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	const char *src;
	json_t *opts = audit_daemon_get(ctx, "storage-opts", &src);
	size_t i;
	json_t *o;
	json_array_foreach(
	    opts, i, o) if (json_string_value(o) &&
			    strstr(json_string_value(o),
				   "dm.basesize")) return verdict(v, BW_STATUS_WARN, "storage-opt %s (%s)",
								  json_string_value(o), where(src));
	return verdict(v, BW_STATUS_PASS, "base device size not changed");
}

int check_2_12_authz(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	const char *src;
	json_t *p = audit_daemon_get(ctx, "authorization-plugins", &src);
	if (json_array_size(p))
		return verdict(
		    v, BW_STATUS_PASS, "authorization plugin %s (%s)",
		    json_string_value(json_array_get(p, 0)) ? json_string_value(json_array_get(p, 0)) : "?",
		    where(src));
	json_t *info_p = jget(ctx->info, "Plugins.Authorization");
	if (json_array_size(info_p))
		return verdict(v, BW_STATUS_PASS, "authorization plugin %s (engine info)",
			       json_string_value(json_array_get(info_p, 0))
				   ? json_string_value(json_array_get(info_p, 0))
				   : "?");
	if (!have_config(ctx) && !ctx->info)
		return unknown(ctx, v, "the authorization plugin");
	return verdict(v, BW_STATUS_WARN,
		       "no authorization plugin: every client of the socket is all-powerful");
}

int check_2_13_remote_logging(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	static const char *const local[] = {"json-file", "local", "none", ""};
	const char *src;
	const char *d = json_string_value(audit_daemon_get(ctx, "log-driver", &src));
	if (!d && jstr(ctx->info, "LoggingDriver")) {
		d = jstr(ctx->info, "LoggingDriver");
		src = "engine info";
	}
	if (!d && !have_config(ctx))
		return unknown(ctx, v, "the log driver");
	if (!d)
		d = "json-file";
	for (size_t i = 0; i < BW_ARRAY_SIZE(local); i++)
		if (!strcmp(d, local[i]))
			return verdict(v, BW_STATUS_WARN, "log driver %s keeps logs on this host (%s)", d,
				       where(src));
	return verdict(v, BW_STATUS_PASS, "log driver %s (%s)", d, where(src));
}

int check_2_14_no_new_privileges(struct audit_ctx *ctx, const struct audit_check *chk,
				 struct audit_verdict *v)
{
	return bool_option(ctx, v, "no-new-privileges", true, false, NULL);
}

int check_2_15_live_restore(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	return bool_option(ctx, v, "live-restore", true, false, "LiveRestoreEnabled");
}

int check_2_16_userland_proxy(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	return bool_option(ctx, v, "userland-proxy", false, true, NULL);
}

int check_2_17_seccomp_profile(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	const char *src;
	const char *p = json_string_value(audit_daemon_get(ctx, "seccomp-profile", &src));
	if (p && *p)
		return verdict(v, BW_STATUS_INFO, "daemon-wide seccomp profile %s (%s)", p, where(src));
	return verdict(v, BW_STATUS_INFO, "the engine's default seccomp profile applies daemon-wide");
}

int check_2_18_experimental(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	return bool_option(ctx, v, "experimental", false, false, "ExperimentalBuild");
}

int check_1_2_2_version(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	const char *sv = jstr(ctx->info, "ServerVersion");
	return verdict(v, BW_STATUS_MANUAL, "engine version %s: compare with the supported releases",
		       sv ? sv : "unknown");
}

int check_5_1_swarm(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	const char *s = jstr(ctx->info, "Swarm.LocalNodeState");
	if (!s)
		return verdict(v, BW_STATUS_INFO, "swarm state unknown (no engine info)");
	if (!strcmp(s, "active"))
		return verdict(v, BW_STATUS_WARN, "swarm mode is active: confirm this host needs it");
	return verdict(v, BW_STATUS_PASS, "swarm mode is %s", *s ? s : "inactive");
}
