/* A monitor run: the event loop. Each record from the source updates the
 * process table, is attributed to its container, is recorded or compared
 * when learning or checking drift, and is matched against the rules of its
 * event type; alerts go to the sinks. The loop polls with a short time-out
 * so that signals (SIGINT/SIGTERM stop, SIGHUP reloads the rules), the
 * counters and the bounded-run limits are served on time. */
#include <signal.h>
#include <sys/stat.h>
#include <time.h>

#include "monitor-int.h"

static volatile sig_atomic_t g_stop, g_reload;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		g_reload = 1;
	else
		g_stop = 1;
}

void bw_mon_log(struct bw_mon *m, int level, const char *fmt, ...)
{
	if (!m->o->log)
		return;
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	m->o->log(m->o->log_ud, level, msg);
}

static uint64_t boot_to_epoch(void)
{
	struct timespec rt, bt;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	int64_t d = ((int64_t)rt.tv_sec - bt.tv_sec) * 1000000000ll + (rt.tv_nsec - bt.tv_nsec);
	return d > 0 ? (uint64_t)d : 0;
}

static const char *iso_time(char *buf, size_t size, uint64_t ns)
{
	time_t s = (time_t)(ns / 1000000000ull);
	struct tm tm;
	gmtime_r(&s, &tm);
	char b[32];
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%06lluZ", b, (unsigned long long)(ns % 1000000000ull / 1000));
	return buf;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(bw_utf8_valid(v, strlen(v)) ? v : "<not UTF-8>"));
}

/* A JSON string of bytes from the kernel: invalid UTF-8 is escaped. */
static json_t *jstr(const char *s)
{
	if (!s)
		return json_null();
	size_t n = strlen(s);
	if (bw_utf8_valid(s, n))
		return json_stringn(s, n);
	struct bw_buf b;
	bw_buf_init(&b, 1u << 20);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80)
			bw_buf_add(&b, &s[i], 1);
		else
			bw_buf_printf(&b, "\\x%02x", c);
	}
	json_t *j = json_stringn(b.data ? b.data : "", b.len);
	bw_buf_release(&b);
	return j;
}

void bw_mon_emit_alert(struct bw_mon *m, struct bw_mon_event *ev, const char *id, const char *title,
		       enum bw_severity sev, const char *priority, const char *rule, const char *output,
		       const char *const *equivalent, size_t n_equivalent, const char *const *tags,
		       size_t n_tags, json_t *extra)
{
	if ((int)sev < m->o->min_severity) {
		json_decref(extra);
		return;
	}
	struct bw_mon_container *c = ev->ctr;
	struct bw_mon_proc *p = (ev->hdr->flags & BW_EVF_NOPROC) ? NULL : ev->proc;
	struct bw_report *r = bw_report_new("host", m->hostname);
	struct bw_finding *f = bw_report_add_finding(r, BW_KIND_RUNTIME);
	f->id = bw_report_str(r, id);
	f->title = bw_report_str(r, title);
	f->severity = sev;
	f->status = BW_STATUS_FAIL;
	for (size_t i = 0; i < n_equivalent; i++)
		bw_finding_add_equivalent(r, f, equivalent[i]);
	const char *cname = c ? (c->host ? "host" : c->name && *c->name ? c->name : c->id) : NULL;
	char shortid[13];
	if (c && !c->host && (!c->name || !*c->name)) {
		snprintf(shortid, sizeof(shortid), "%.12s", c->id);
		cname = shortid;
	}
	f->location.container = bw_report_str(r, cname);
	const char *path = bw_mon_fd_name(ev);
	if (!path && p)
		path = p->exepath;
	f->location.path = bw_report_str(r, path);
	f->evidence = bw_report_str(r, output);
	json_t *o = bw_report_finding_json(f);
	bw_report_free(r);

	char tbuf[64];
	json_object_set_new(o, "type", json_string("alert"));
	json_object_set_new(o, "time", json_string(iso_time(tbuf, sizeof(tbuf), ev->ts_ns)));
	set_str(o, "rule", rule);
	set_str(o, "priority", priority);
	json_object_set_new(o, "output", jstr(output));
	json_object_set_new(o, "source", json_string("syscall"));
	if (n_tags) {
		json_t *t = json_array();
		for (size_t i = 0; i < n_tags; i++)
			json_array_append_new(t, jstr(tags[i]));
		json_object_set_new(o, "tags", t);
	}
	json_t *ctr = json_object();
	if (c) {
		json_object_set_new(ctr, "id", jstr(c->host ? "host" : c->id));
		json_object_set_new(ctr, "name", jstr(cname));
		if (!c->host) {
			set_str(ctr, "image", c->image);
			set_str(ctr, "image_id", c->image_id);
			set_str(ctr, "image_digest", c->image_digest);
			set_str(ctr, "runtime", c->runtime);
			set_str(ctr, "k8s_pod", c->pod_name);
			set_str(ctr, "k8s_namespace", c->pod_ns);
		}
	}
	json_object_set_new(o, "container", ctr);
	if (p) {
		json_t *pj = json_object();
		json_object_set_new(pj, "pid", json_integer(p->pid));
		json_object_set_new(pj, "name", jstr(p->comm));
		json_object_set_new(pj, "exepath", jstr(p->exepath));
		json_object_set_new(pj, "args", jstr(p->args));
		json_object_set_new(pj, "ppid", json_integer(p->ppid));
		struct bw_mon_proc *pp = bw_mon_proctab_ancestor(&m->procs, p, 1);
		if (pp)
			json_object_set_new(pj, "pname", jstr(pp->comm));
		if (p->args_trunc)
			json_object_set_new(pj, "args_truncated", json_true());
		json_object_set_new(o, "process", pj);
	}
	json_t *ej = json_object();
	json_object_set_new(ej, "type", json_string(ev->evtype >= 0 ? bw_mon_evtypes[ev->evtype].name : "?"));
	json_object_set_new(ej, "num", json_integer((json_int_t)ev->num));
	bool trunc =
	    (ev->hdr->flags & BW_EVF_TRUNCATED) || (p && (p->args_trunc || p->exepath_trunc || p->cwd_trunc));
	if (trunc) {
		json_object_set_new(ej, "truncated", json_true());
		json_t *which = json_array();
		for (int i = 0; i < ev->nstr; i++)
			if (ev->str[i].flags & BW_STRF_TRUNCATED)
				json_array_append_new(which, json_integer(i));
		json_object_set_new(ej, "truncated_strings", which);
	}
	json_object_set_new(o, "event", ej);
	if (extra) {
		const char *k;
		json_t *v;
		json_object_foreach(extra, k, v)
		{
			json_object_set(o, k, v);
		}
		json_decref(extra);
	}
	char *text = NULL;
	if (asprintf(&text, "%s %s %s: %s%s", iso_time(tbuf, sizeof(tbuf), ev->ts_ns), priority, rule, output,
		     trunc ? " (truncated)" : "") < 0)
		text = NULL;
	bw_mon_sinks_alert(m->sinks, o, text, sev);
	free(text);
	m->nalerts++;
}

static void rule_alert(struct bw_mon *m, struct bw_mon_rule *r, struct bw_mon_event *ev, double now)
{
	if (m->o->rate_per_rule > 0) {
		double burst = m->o->rate_burst > 0 ? m->o->rate_burst : 10;
		if (r->last == 0)
			r->tokens = burst;
		else
			r->tokens += (now - r->last) * m->o->rate_per_rule;
		if (r->tokens > burst)
			r->tokens = burst;
		r->last = now;
		if (r->tokens < 1) {
			r->limited++;
			return;
		}
		r->tokens -= 1;
	}
	r->fired++;
	/* a container first seen a moment ago: its name is on its way */
	bw_mon_attrib_settle(m->attrib, ev->ctr, 2.0);
	const char *out = bw_mon_format(r, ev);
	json_t *fields = json_object();
	for (size_t i = 0; i < r->n_out_fields; i++) {
		const struct bw_mon_field *f = r->out_fields[i];
		char key[256];
		if (r->out_args[i])
			snprintf(key, sizeof(key), f->flags & BW_FF_ARG_DOT ? "%s.%s" : "%s[%s]", f->name,
				 r->out_args[i]);
		else if (r->out_argns[i] >= 0)
			snprintf(key, sizeof(key), "%s[%lld]", f->name, (long long)r->out_argns[i]);
		else
			snprintf(key, sizeof(key), "%s", f->name);
		json_object_set_new(fields, key,
				    jstr(bw_mon_field_render(ev, f, r->out_args[i], r->out_argns[i])));
	}
	json_t *extra = json_object();
	json_object_set_new(extra, "output_fields", fields);
	bw_mon_emit_alert(m, ev, r->id, r->name, r->severity, r->priority, r->name, out, r->equivalent,
			  r->n_equivalent, r->tags, r->n_tags, extra);
}

/* Match an event against the rules of its type (only_drift: the rules that
 * waited for an image's file list). */
static void match(struct bw_mon *m, struct bw_mon_event *ev, bool only_drift, double now)
{
	if (ev->evtype < 0)
		return;
	struct bw_mon_decision *d = m->rs->by_type[ev->evtype];
	size_t n = m->rs->n_by_type[ev->evtype];
	/* made once, before the scratch space is rolled back after each rule */
	if (n)
		bw_mon_fd_name(ev);
	for (size_t i = 0; i < n; i++) {
		if (only_drift && !d[i].rule->needs_drift)
			continue;
		size_t mark = ev->scratch_used;
		bool pending_before = ev->drift_pending;
		ev->drift_pending = false;
		bool hit = bw_mon_eval(d[i].cond, ev);
		bool pending = ev->drift_pending;
		ev->drift_pending = pending_before || (pending && !hit);
		if (hit)
			rule_alert(m, d[i].rule, ev, now);
		else
			ev->scratch_used = mark;
	}
}

static void prepare(struct bw_mon *m, struct bw_mon_event *ev)
{
	ev->scratch = m->scratch;
	ev->scratch_used = 0;
	ev->scratch_cap = sizeof(m->scratch);
	ev->mon = m;
	ev->ts_ns = ev->hdr->ts + m->boot_to_epoch_ns;
}

static void on_record(void *ud, const void *rec, size_t len)
{
	struct bw_mon *m = ud;
	if (m->o->max_events && m->nevents >= m->o->max_events)
		return;
	m->nevents++;
	struct bw_mon_event ev;
	memset(&ev, 0, sizeof(ev));
	if (!bw_mon_decode(rec, len, &ev)) {
		m->ndecode_errors++;
		return;
	}
	prepare(m, &ev);
	ev.num = m->nevents;
	double now = bw_now();
	ev.proc = bw_mon_proctab_apply(&m->procs, ev.hdr, ev.fixed, ev.str, ev.nstr, now);
	const char *cgname = NULL;
	size_t cglen = 0;
	if (ev.hdr->kind == BW_EV_EXEC && ev.nstr > 4 && !(ev.str[4].flags & BW_STRF_MISSING)) {
		cgname = ev.str[4].p;
		cglen = ev.str[4].len;
	}
	ev.ctr = bw_mon_attrib_container(m->attrib, ev.hdr->cgroup_id, cgname, cglen,
					 (ev.hdr->flags & BW_EVF_NOPROC) ? 0 : ev.hdr->pid, now);
	if ((m->o->containers_only || m->o->learn_image) && ev.ctr->host)
		return;
	if (m->learn)
		bw_mon_learn_event(m->learn, &ev);
	match(m, &ev, false, now);
	if (ev.drift_pending && m->drift) {
		bw_mon_drift_defer(m->drift, ev.ctr, rec, len);
		m->ndeferred++;
	}
}

/* A record whose drift check waited for its image: the process table has
 * moved on, so it is not applied again; the rules that waited are asked. */
static void on_deferred(void *ud, const void *rec, size_t len)
{
	struct bw_mon *m = ud;
	struct bw_mon_event ev;
	memset(&ev, 0, sizeof(ev));
	if (!bw_mon_decode(rec, len, &ev))
		return;
	prepare(m, &ev);
	ev.num = 0;
	double now = bw_now();
	struct bw_mon_proc *cur =
	    ev.hdr->flags & BW_EVF_NOPROC ? NULL : bw_mon_proctab_peek(&m->procs, ev.hdr->pid);
	ev.ctr = bw_mon_attrib_container(m->attrib, ev.hdr->cgroup_id, NULL, 0, 0, now);
	if (ev.hdr->kind != BW_EV_EXEC) {
		if (!cur)
			return;
		ev.proc = cur;
		match(m, &ev, true, now);
		return;
	}
	/* the process may have exec'd again, or be gone, since: judge the
	 * record's own exec (the table's entry for its lineage, the record for
	 * the rest) */
	struct bw_mon_proc tmp;
	if (cur) {
		tmp = *cur;
	} else {
		memset(&tmp, 0, sizeof(tmp));
		tmp.pid = ev.hdr->pid;
	}
	tmp.exe = tmp.exepath = tmp.args = tmp.cwd = NULL;
	bw_mon_proc_fill_exec(&tmp, ev.hdr, ev.fixed, ev.str, ev.nstr);
	ev.proc = &tmp;
	match(m, &ev, true, now);
	bw_mon_proc_release_strings(&tmp);
}

static json_t *stats_json(struct bw_mon *m, bool final)
{
	struct bw_mon_src_counters c = {0};
	if (m->src->counters)
		m->src->counters(m->src_state, &c);
	char tbuf[64];
	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string("stats"));
	json_object_set_new(
	    o, "time",
	    json_string(
		iso_time(tbuf, sizeof(tbuf), (uint64_t)rt.tv_sec * 1000000000ull + (uint64_t)rt.tv_nsec)));
	json_object_set_new(o, "final", json_boolean(final));
	json_object_set_new(o, "source", json_string(m->src->name));
	json_object_set_new(o, "events", json_integer((json_int_t)m->nevents));
	json_object_set_new(o, "events_kernel", json_integer((json_int_t)c.events));
	json_object_set_new(o, "drops", json_integer((json_int_t)c.drops));
	json_t *pc = json_array();
	for (int i = 0; i < c.ncpu; i++)
		json_array_append_new(pc, json_integer((json_int_t)c.drops_cpu[i]));
	json_object_set_new(o, "drops_per_cpu", pc);
	json_object_set_new(o, "filtered_in_kernel", json_integer((json_int_t)c.filtered));
	json_object_set_new(o, "decode_errors", json_integer((json_int_t)m->ndecode_errors));
	json_object_set_new(o, "alerts", json_integer((json_int_t)m->nalerts));
	uint64_t limited = 0;
	for (size_t i = 0; i < m->rs->n_rules; i++)
		limited += m->rs->rules[i]->limited;
	json_object_set_new(o, "rate_limited", json_integer((json_int_t)limited));
	json_object_set_new(o, "deferred", json_integer((json_int_t)m->ndeferred));
	json_object_set_new(o, "processes", json_integer((json_int_t)m->procs.n));
	json_object_set_new(o, "processes_evicted", json_integer((json_int_t)m->procs.evicted));
	uint64_t sent, failed, dropped, werr;
	bw_mon_sinks_counters(m->sinks, &sent, &failed, &dropped, &werr);
	if (m->o->webhook_url) {
		json_t *w = json_object();
		json_object_set_new(w, "sent", json_integer((json_int_t)sent));
		json_object_set_new(w, "failed", json_integer((json_int_t)failed));
		json_object_set_new(w, "dropped", json_integer((json_int_t)dropped));
		json_object_set_new(o, "webhook", w);
	}
	json_object_set_new(o, "write_errors", json_integer((json_int_t)werr));
	return o;
}

static void report_stats(struct bw_mon *m, bool final, uint64_t *last_drops)
{
	json_t *s = stats_json(m, final);
	uint64_t drops = (uint64_t)json_integer_value(json_object_get(s, "drops"));
	if (drops > *last_drops)
		bw_mon_log(m, 1, "the kernel dropped %llu events (the ring buffer was full): %llu in all",
			   (unsigned long long)(drops - *last_drops), (unsigned long long)drops);
	*last_drops = drops;
	if (final)
		bw_mon_log(
		    m, 0, "%llu events, %llu alerts, %llu dropped by the kernel, %llu filtered in the kernel",
		    (unsigned long long)m->nevents, (unsigned long long)m->nalerts, (unsigned long long)drops,
		    (unsigned long long)json_integer_value(json_object_get(s, "filtered_in_kernel")));
	bw_mon_sinks_stats(m->sinks, s);
}

static const struct bw_mon_source_ops *pick_source(const char *name, struct bw_error *err)
{
	if (!name || strcmp(name, "auto") == 0 || strcmp(name, "bpf") == 0 || strcmp(name, "ebpf") == 0)
		return &bw_mon_source_bpf;
	if (strcmp(name, "fanotify") == 0)
		return &bw_mon_source_fanotify;
	bw_error_set(err, BW_EUSAGE, "unknown event source '%s' (bpf, fanotify)", name);
	return NULL;
}

/* What the kernel side keeps: the rules' needs, and learning's. */
static void kconfig_for(struct bw_mon *m, struct bw_mon_kconfig *k)
{
	*k = m->rs->k;
	if (m->learn) {
		k->flags |= BW_CFG_OPEN_WRITES | BW_CFG_LEARN;
		static const char *const want[] = {"connect", "accept",	 "accept4",  "bind",
						   "listen",  "execve",	 "execveat", "open",
						   "openat",  "openat2", "creat"};
		for (size_t i = 0; i < BW_ARRAY_SIZE(want); i++) {
			int t = bw_mon_evtype_by_name(want[i]);
			if (t >= 0)
				k->evtype_on[t] = true;
		}
		/* learning watches writes, not sensitive reads: without rule prefixes,
		 * the open filter passes writes only */
	}
}

static int reload(struct bw_mon *m, struct bw_error *err)
{
	struct bw_mon_ruleset *rs;
	int rc = bw_mon_rules_load(&m->o->rules, &rs, err);
	if (rc)
		return rc;
	struct bw_mon_ruleset *old = m->rs;
	m->rs = rs;
	struct bw_mon_kconfig k;
	kconfig_for(m, &k);
	if (m->src->configure && (rc = m->src->configure(m->src_state, &k, err)) != 0) {
		m->rs = old;
		bw_mon_ruleset_free(rs);
		return rc;
	}
	bw_mon_ruleset_free(old);
	for (size_t i = 0; i < rs->check.n_warnings; i++)
		bw_mon_log(m, 1, "%s", rs->check.warnings[i]);
	bw_mon_log(m, 0, "rules reloaded: %zu rules", rs->check.n_loaded);
	return 0;
}

int bw_monitor_run(const struct bw_monitor_opts *o, struct bw_monitor_result *res, struct bw_error *err)
{
	if (res)
		memset(res, 0, sizeof(*res));
	struct bw_mon *m = bw_calloc(1, sizeof(*m));
	m->o = o;
	int rc = 0;
	m->src = pick_source(o->source, err);
	if (!m->src) {
		free(m);
		return BW_EUSAGE;
	}
	if ((rc = bw_mon_rules_load(&o->rules, &m->rs, err)) != 0) {
		free(m);
		return rc;
	}
	for (size_t i = 0; i < m->rs->check.n_warnings; i++)
		bw_mon_log(m, 1, "%s", m->rs->check.warnings[i]);
	if (gethostname(m->hostname, sizeof(m->hostname) - 1) != 0)
		snprintf(m->hostname, sizeof(m->hostname), "%s", "localhost");
	m->boot_to_epoch_ns = boot_to_epoch();
	struct stat st;
	if (stat("/proc/1/ns/mnt", &st) == 0 || stat("/proc/self/ns/mnt", &st) == 0)
		m->host_mntns = (uint32_t)st.st_ino;
	bw_mon_proctab_init(&m->procs, 0);
	if ((rc = bw_mon_sinks_open(o, &m->sinks, err)) != 0)
		goto out;
	if (o->learn_image || o->drift) {
		if ((rc = bw_mon_learn_new(m, &m->learn, err)) != 0)
			goto out;
	}
	if ((rc = bw_mon_attrib_new(o, &m->attrib, err)) != 0)
		goto out;
	if (m->rs->needs_drift && !o->no_image_drift)
		bw_mon_drift_new(m, &m->drift);
	bw_mon_proctab_seed(&m->procs);
	struct bw_mon_kconfig k;
	kconfig_for(m, &k);
	/* learning watches containers only */
	struct bw_monitor_opts src_o = *o;
	if (o->learn_image)
		src_o.containers_only = true;
	m->src_opts = src_o;
	if ((rc = m->src->open(&m->src_opts, &k, &m->src_state, o->log, o->log_ud, err)) != 0)
		goto out;
	bw_mon_log(m, 0, "monitoring with %zu rules (%zu skipped, %zu inert)%s", m->rs->check.n_loaded,
		   m->rs->check.n_skipped, m->rs->check.n_inert,
		   o->containers_only ? ", containers only" : "");

	struct sigaction sa = {0}, old_int, old_term, old_hup;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	g_stop = g_reload = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);

	double start = bw_now(), last_stats = start, last_gc = start, last_learn = start;
	uint64_t last_drops = 0;
	while (!g_stop) {
		int n = m->src->poll(m->src_state, 100, on_record, m);
		if (n < 0 && !g_stop) {
			rc = bw_error_set(err, BW_EIO, "the %s event source failed: %s", m->src->name,
					  strerror(-n));
			break;
		}
		double now = bw_now();
		if (g_reload) {
			g_reload = 0;
			struct bw_error rerr = BW_ERROR_INIT;
			if (reload(m, &rerr) != 0)
				bw_mon_log(m, 2, "rules not reloaded, the old ones stay: %s", rerr.msg);
		}
		if (m->drift)
			bw_mon_drift_ready(m->drift, on_deferred, m);
		char *w;
		while ((w = bw_mon_attrib_take_warning(m->attrib))) {
			bw_mon_log(m, 1, "%s", w);
			free(w);
		}
		if (m->learn && now - last_learn >= 1) {
			bw_mon_learn_poll(m->learn);
			last_learn = now;
		}
		if (now - last_gc >= 5) {
			bw_mon_proctab_gc(&m->procs, now, 30);
			last_gc = now;
		}
		if (o->stats_interval > 0 && now - last_stats >= o->stats_interval) {
			report_stats(m, false, &last_drops);
			last_stats = now;
		}
		if (o->duration > 0 && now - start >= o->duration)
			break;
		if (o->max_events && m->nevents >= o->max_events)
			break;
	}
	/* records waiting for an image's file list are not dropped at the end:
	 * give the image a while (a second SIGINT or SIGTERM cuts it short) */
	if (m->drift && bw_mon_drift_pending(m->drift)) {
		bw_mon_log(m, 0, "waiting for images being read to check executables against them");
		g_stop = 0;
		double until = bw_now() + 120;
		while (bw_mon_drift_pending(m->drift) && bw_now() < until && !g_stop) {
			usleep(100000);
			bw_mon_drift_ready(m->drift, on_deferred, m);
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (m->learn)
		bw_mon_learn_poll(m->learn);
	report_stats(m, true, &last_drops);
	if (res) {
		res->events = m->nevents;
		res->alerts = m->nalerts;
		res->drops = last_drops;
	}
	if (m->learn && o->learn_image) {
		struct bw_error lerr = BW_ERROR_INIT;
		if (bw_mon_learn_finish(m->learn, bw_now() - start, &lerr) != 0 && rc == 0) {
			*err = lerr;
			rc = lerr.code;
		}
	}
out:
	if (m->src_state)
		m->src->close(m->src_state);
	bw_mon_drift_free(m->drift);
	bw_mon_learn_free(m->learn);
	bw_mon_attrib_free(m->attrib);
	bw_mon_sinks_close(m->sinks);
	bw_mon_proctab_release(&m->procs);
	bw_mon_ruleset_free(m->rs);
	free(m);
	return rc;
}
