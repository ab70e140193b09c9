/* Learned behaviour. While learning (--learn --image IMAGE), what the
 * image's containers do is counted: executables run, files written,
 * network peers connected to and ports listened on, capabilities granted
 * (the cap_capable tracepoint; else inferred from syscalls) and syscalls
 * made (per cgroup, counted in the kernel). At the end the counts are
 * merged into the image's profile in the layer cache's database
 * ("bulwark.profile/v1", its own table).
 *
 * With --drift, containers of images that have a profile are compared with
 * it: each thing never (or rarely) seen while learning raises one drift
 * alert with an anomaly score, 1 / (1 + times seen) — 1.0 for the first
 * exec of a program never run while learning — explained in words ("first
 * exec of /usr/bin/nc in 10 minutes of learning"). Alerts at or above the
 * threshold are raised, each thing once a run. */
#include <time.h>

#include "monitor-int.h"
#include "cache/cache.h"
#include "engine/engine.h"

#define PROFILE_SCHEMA 1
#define PROFILE_SCHEMA_NAME "bulwark.profile/v1"
#define MAX_ITEMS 20000

enum { CAT_EXEC = 0, CAT_FILE, CAT_CONNECT, CAT_LISTEN, CAT_CAP, CAT_SYSCALL, CAT__N };
static const char *const cat_key[CAT__N] = {"executables", "files_written", "connect",
					    "listen",	   "capabilities",  "syscalls"};
static const char *const cat_id[CAT__N] = {"BW-DRIFT-EXEC",   "BW-DRIFT-FILE",	     "BW-DRIFT-CONNECT",
					   "BW-DRIFT-LISTEN", "BW-DRIFT-CAPABILITY", "BW-DRIFT-SYSCALL"};
static const char *const cat_verb[CAT__N] = {"exec of",	     "write to",	  "connection to",
					     "listening on", "use of capability", "syscall"};

struct bw_mon_learned {
	char *image_id;
	json_t *names;	      /* image names seen */
	json_t *cats[CAT__N]; /* item -> count */
	double seconds;	      /* learned before this run */
	int sessions;
	bool capabilities_inferred;
	bool from_store;
};

struct bw_mon_learn {
	struct bw_mon *m;
	struct bw_cache *cache;
	bool learning;
	char *target_id;
	struct bw_mon_learned *target;
	struct bw_mon_hash profiles; /* image id -> struct bw_mon_learned (drift); NULL value: none stored */
	struct bw_mon_hash alerted;  /* "image\tcat\titem" already raised */
	struct bw_mon_hash cg_image; /* cgroup id -> image id (char *) */
	double threshold;
	bool has_capable;
};

static struct bw_mon_learned *learned_new(const char *image_id)
{
	struct bw_mon_learned *l = bw_calloc(1, sizeof(*l));
	l->image_id = bw_strdup(image_id);
	l->names = json_array();
	for (int i = 0; i < CAT__N; i++)
		l->cats[i] = json_object();
	return l;
}

static void learned_free(struct bw_mon_learned *l)
{
	if (!l)
		return;
	free(l->image_id);
	json_decref(l->names);
	for (int i = 0; i < CAT__N; i++)
		json_decref(l->cats[i]);
	free(l);
}

static void count(json_t *obj, const char *key, uint64_t n)
{
	if (!key || !*key || !bw_utf8_valid(key, strlen(key)))
		return;
	json_t *v = json_object_get(obj, key);
	if (v) {
		json_integer_set(v, json_integer_value(v) + (json_int_t)n);
		return;
	}
	if (json_object_size(obj) >= MAX_ITEMS)
		key = "(more)";
	v = json_object_get(obj, key);
	if (v)
		json_integer_set(v, json_integer_value(v) + (json_int_t)n);
	else
		json_object_set_new(obj, key, json_integer((json_int_t)n));
}

/* ---- the stored document ---------------------------------------------------------- */

static json_t *learned_json(const struct bw_mon_learned *l)
{
	json_t *o = json_object();
	json_object_set_new(o, "schema", json_string(PROFILE_SCHEMA_NAME));
	json_t *img = json_object();
	json_object_set_new(img, "id", json_string(l->image_id));
	json_object_set(img, "names", l->names);
	json_object_set_new(o, "image", img);
	json_object_set_new(o, "learned_seconds", json_real(l->seconds));
	json_object_set_new(o, "sessions", json_integer(l->sessions));
	char buf[64];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(o, "updated", json_string(buf));
	json_object_set_new(o, "capabilities_source",
			    json_string(l->capabilities_inferred ? "inferred" : "tracepoint"));
	json_object_set(o, cat_key[CAT_EXEC], l->cats[CAT_EXEC]);
	json_object_set(o, cat_key[CAT_FILE], l->cats[CAT_FILE]);
	json_t *net = json_object();
	json_object_set(net, "connect", l->cats[CAT_CONNECT]);
	json_object_set(net, "listen", l->cats[CAT_LISTEN]);
	json_object_set_new(o, "network", net);
	json_object_set(o, cat_key[CAT_CAP], l->cats[CAT_CAP]);
	json_object_set(o, cat_key[CAT_SYSCALL], l->cats[CAT_SYSCALL]);
	return o;
}

static struct bw_mon_learned *learned_from_json(json_t *o, struct bw_error *err)
{
	if (strcmp(json_string_value(json_object_get(o, "schema"))
		       ? json_string_value(json_object_get(o, "schema"))
		       : "",
		   PROFILE_SCHEMA_NAME) != 0) {
		bw_error_set(err, BW_EINPUT, "a stored profile of an unknown schema");
		return NULL;
	}
	json_t *img = json_object_get(o, "image");
	const char *id = json_string_value(json_object_get(img, "id"));
	if (!id) {
		bw_error_set(err, BW_EINPUT, "a stored profile without an image id");
		return NULL;
	}
	struct bw_mon_learned *l = learned_new(id);
	json_t *names = json_object_get(img, "names");
	if (json_is_array(names)) {
		json_decref(l->names);
		l->names = json_deep_copy(names);
	}
	l->seconds = json_number_value(json_object_get(o, "learned_seconds"));
	l->sessions = (int)json_integer_value(json_object_get(o, "sessions"));
	const char *cs = json_string_value(json_object_get(o, "capabilities_source"));
	l->capabilities_inferred = cs && strcmp(cs, "inferred") == 0;
	json_t *net = json_object_get(o, "network");
	json_t *src[CAT__N] = {
	    json_object_get(o, cat_key[CAT_EXEC]), json_object_get(o, cat_key[CAT_FILE]),
	    json_object_get(net, "connect"),	   json_object_get(net, "listen"),
	    json_object_get(o, cat_key[CAT_CAP]),  json_object_get(o, cat_key[CAT_SYSCALL])};
	for (int i = 0; i < CAT__N; i++) {
		if (!json_is_object(src[i]))
			continue;
		const char *k;
		json_t *v;
		json_object_foreach(src[i], k, v)
		{
			if (json_is_integer(v) && json_integer_value(v) >= 0)
				count(l->cats[i], k, (uint64_t)json_integer_value(v));
		}
	}
	l->from_store = true;
	return l;
}

static struct bw_mon_learned *load_stored(struct bw_cache *cache, const char *image_id)
{
	if (!cache)
		return NULL;
	struct bw_buf b;
	bw_buf_init(&b, BW_CACHE_MAX_RECORD);
	bool hit = false;
	struct bw_mon_learned *l = NULL;
	if (bw_cache_profile_get(cache, image_id, PROFILE_SCHEMA, &b, &hit) == 0 && hit) {
		json_error_t je;
		json_t *o = json_loadb(b.data ? b.data : "", b.len, 0, &je);
		struct bw_error err = BW_ERROR_INIT;
		if (o)
			l = learned_from_json(o, &err);
		json_decref(o);
	}
	bw_buf_release(&b);
	return l;
}

/* ---- setup --------------------------------------------------------------------------- */

static char *resolve_image(const struct bw_monitor_opts *o, const char *image, struct bw_error *err);

int bw_mon_learn_new(struct bw_mon *m, struct bw_mon_learn **out, struct bw_error *err)
{
	*out = NULL;
	const struct bw_monitor_opts *o = m->o;
	struct bw_mon_learn *l = bw_calloc(1, sizeof(*l));
	l->m = m;
	l->threshold = o->drift_threshold > 0 ? o->drift_threshold : 0.9;
	struct bw_error cerr = BW_ERROR_INIT;
	if (bw_cache_open(o->cache_dir, &l->cache, &cerr) != 0 || !l->cache) {
		if (o->learn_image) {
			bw_mon_learn_free(l);
			return bw_error_set(
			    err, BW_EIO, "cannot open the layer cache's database for the profile%s%s",
			    cerr.msg[0] ? ": " : " (another bulwark version is using it)", cerr.msg);
		}
		bw_mon_log(
		    m, 1,
		    "--drift: the layer cache's database is not available; no profiles to compare with");
	}
	if (o->learn_image) {
		l->learning = true;
		l->target_id = resolve_image(o, o->learn_image, err);
		if (!l->target_id) {
			bw_mon_learn_free(l);
			return err->code ? err->code : BW_ENOTFOUND;
		}
		l->target = learned_new(l->target_id);
		json_array_append_new(l->target->names, json_string(o->learn_image));
		bw_mon_log(m, 0, "learning image %s (%s)", o->learn_image, l->target_id);
	}
	*out = l;
	return 0;
}

static bool free_learned(void *ud, uint64_t k, void *v)
{
	learned_free(v);
	return true;
}

static bool free_plain(void *ud, uint64_t k, void *v)
{
	free(v);
	return true;
}

void bw_mon_learn_free(struct bw_mon_learn *l)
{
	if (!l)
		return;
	learned_free(l->target);
	bw_mon_hash_sweep(&l->profiles, free_learned, NULL);
	bw_mon_hash_release(&l->profiles);
	bw_mon_hash_release(&l->alerted);
	bw_mon_hash_sweep(&l->cg_image, free_plain, NULL);
	bw_mon_hash_release(&l->cg_image);
	bw_cache_free(l->cache);
	free(l->target_id);
	free(l);
}

/* ---- events ---------------------------------------------------------------------------- */

static const char *endpoint(struct bw_mon_event *ev, bool local)
{
	const char *n = bw_mon_fd_name(ev);
	if (!n)
		return NULL;
	const char *arrow = strstr(n, "->");
	const struct bw_ev_sock *s = ev->fixed;
	const char *proto = s->type == 2 ? "udp" : s->family == 1 ? "unix" : "tcp";
	if (s->family == 1)
		return bw_mon_ev_printf(ev, "unix:%s", n);
	if (local)
		return bw_mon_ev_printf(ev, "%.*s/%s", (int)(arrow ? (size_t)(arrow - n) : strlen(n)), n,
					proto);
	return bw_mon_ev_printf(ev, "%s/%s", arrow ? arrow + 2 : n, proto);
}

/* The item an event adds to a category, or NULL. */
static const char *item_of(struct bw_mon_event *ev, int *cat)
{
	const struct bw_ev_hdr *h = ev->hdr;
	switch (h->kind) {
	case BW_EV_EXEC:
		*cat = CAT_EXEC;
		return ev->proc ? ev->proc->exepath : NULL;
	case BW_EV_OPEN: {
		const struct bw_ev_open *o = ev->fixed;
		if (h->ret < 0 || !(o->flags & 3 || o->flags & 01100))
			return NULL;
		*cat = CAT_FILE;
		return bw_mon_fd_name(ev);
	}
	case BW_EV_CONNECT:
		if (h->ret < 0 && h->ret != -115 /* EINPROGRESS */)
			return NULL;
		*cat = CAT_CONNECT;
		return endpoint(ev, false);
	case BW_EV_BIND:
	case BW_EV_LISTEN:
		if (h->ret < 0)
			return NULL;
		*cat = CAT_LISTEN;
		return endpoint(ev, true);
	}
	return NULL;
}

static const char *image_of_container(struct bw_mon_container *c)
{
	return c && !c->host && c->image_id && *c->image_id ? c->image_id : NULL;
}

static char *human_seconds(double s, char *buf, size_t size)
{
	long t = (long)(s + 0.5);
	if (t < 120)
		snprintf(buf, size, "%ld second%s", t, t == 1 ? "" : "s");
	else if (t < 7200)
		snprintf(buf, size, "%ld minutes", t / 60);
	else
		snprintf(buf, size, "%ld hours %ld minutes", t / 3600, (t % 3600) / 60);
	return buf;
}

static struct bw_mon_learned *profile_for(struct bw_mon_learn *l, const char *image_id)
{
	if (bw_mon_hash_sget(&l->profiles, image_id) == NULL) {
		struct bw_mon_learned *p = load_stored(l->cache, image_id);
		if (!p)
			p = learned_new(image_id); /* nothing learned: an empty marker */
		bw_mon_hash_sput(&l->profiles, image_id, p);
	}
	struct bw_mon_learned *p = bw_mon_hash_sget(&l->profiles, image_id);
	return p && p->from_store ? p : NULL;
}

/* A thing a container did against what its image's profile holds. */
static void compare(struct bw_mon_learn *l, struct bw_mon_event *ev, struct bw_mon_learned *p, int cat,
		    const char *item)
{
	json_t *seen = json_object_get(p->cats[cat], item);
	uint64_t n = seen ? (uint64_t)json_integer_value(seen) : 0;
	double score = 1.0 / (1.0 + (double)n);
	char why[256] = "";
	/* a file never written in a directory that was: less surprising */
	if (!n && cat == CAT_FILE) {
		const char *slash = strrchr(item, '/');
		size_t dl = slash ? (size_t)(slash - item) + 1 : 0;
		const char *k;
		json_t *v;
		uint64_t dn = 0;
		json_object_foreach(p->cats[cat], k, v)
		{
			if (dl && strncmp(k, item, dl) == 0 && !strchr(k + dl, '/'))
				dn += (uint64_t)json_integer_value(v);
		}
		if (dn) {
			score = 0.5 / (1.0 + (double)dn);
			snprintf(why, sizeof(why), " (its directory was written %llu times)",
				 (unsigned long long)dn);
		}
	}
	if (score < l->threshold)
		return;
	char key[4096];
	snprintf(key, sizeof(key), "%s\t%d\t%s", p->image_id, cat, item);
	if (bw_mon_hash_sget(&l->alerted, key))
		return;
	bw_mon_hash_sput(&l->alerted, key, (void *)1);
	char dur[64], out[1024];
	human_seconds(p->seconds, dur, sizeof(dur));
	const char *imgname = ev->ctr && ev->ctr->image ? ev->ctr->image : p->image_id;
	if (n == 0)
		snprintf(out, sizeof(out), "first %s %s in %s of learning%s (image %s, container %s)",
			 cat_verb[cat], item, dur, why, imgname,
			 ev->ctr && ev->ctr->name ? ev->ctr->name : "?");
	else
		snprintf(out, sizeof(out),
			 "%s %s seen %llu time%s in %s of learning (image %s, container %s)", cat_verb[cat],
			 item, (unsigned long long)n, n == 1 ? "" : "s", dur, imgname,
			 ev->ctr && ev->ctr->name ? ev->ctr->name : "?");
	char title[512];
	snprintf(title, sizeof(title), "Drift from the learned profile: %s %s", cat_verb[cat], item);
	json_t *extra = json_object();
	json_object_set_new(extra, "type", json_string("drift"));
	json_t *an = json_object();
	json_object_set_new(an, "score", json_real(score));
	json_object_set_new(an, "threshold", json_real(l->threshold));
	json_object_set_new(an, "category", json_string(cat_key[cat]));
	json_object_set_new(an, "item",
			    json_string(bw_utf8_valid(item, strlen(item)) ? item : "<not UTF-8>"));
	json_object_set_new(an, "seen_while_learning", json_integer((json_int_t)n));
	json_object_set_new(an, "learned_seconds", json_real(p->seconds));
	json_object_set_new(an, "explanation", json_string(out));
	json_object_set_new(extra, "anomaly", an);
	enum bw_severity sev = score >= 1.0 ? BW_SEV_HIGH : BW_SEV_MEDIUM;
	bw_mon_emit_alert(l->m, ev, cat_id[cat], title, sev, score >= 1.0 ? "WARNING" : "NOTICE",
			  "Drift from learned profile", out, NULL, 0, NULL, 0, extra);
}

void bw_mon_learn_event(struct bw_mon_learn *l, struct bw_mon_event *ev)
{
	const char *img = image_of_container(ev->ctr);
	if (!img)
		return;
	/* the container runtime setting the container up is not the image's
	 * behaviour (its needs are added to profiles apart) */
	if (strncmp(ev->hdr->comm, "runc:", 5) == 0 || ev->hdr->mntns == l->m->host_mntns)
		return;
	if (!bw_mon_hash_get(&l->cg_image, ev->hdr->cgroup_id))
		bw_mon_hash_put(&l->cg_image, ev->hdr->cgroup_id, bw_strdup(img));
	int cat = -1;
	const char *item = item_of(ev, &cat);
	if (!item)
		return;
	if (l->learning) {
		if (strcmp(img, l->target_id) == 0) {
			count(l->target->cats[cat], item, 1);
			if (ev->ctr->image) {
				bool known = false;
				size_t i;
				json_t *v;
				json_array_foreach(l->target->names, i, v) known |=
				    strcmp(json_string_value(v), ev->ctr->image) == 0;
				if (!known)
					json_array_append_new(l->target->names, json_string(ev->ctr->image));
			}
		}
		return;
	}
	struct bw_mon_learned *p = profile_for(l, img);
	if (p)
		compare(l, ev, p, cat, item);
}

/* Capabilities a syscall implies, when the kernel has no capability
 * tracepoint (a floor, not the whole truth: permission checks that pass
 * for the owner need none). */
static void infer_caps(json_t *caps, const char *sc, uint64_t n)
{
	static const struct {
		const char *sc, *cap;
	} t[] = {
	    {"chown", "CAP_CHOWN"},
	    {"fchown", "CAP_CHOWN"},
	    {"fchownat", "CAP_CHOWN"},
	    {"lchown", "CAP_CHOWN"},
	    {"setuid", "CAP_SETUID"},
	    {"setreuid", "CAP_SETUID"},
	    {"setresuid", "CAP_SETUID"},
	    {"setgid", "CAP_SETGID"},
	    {"setregid", "CAP_SETGID"},
	    {"setresgid", "CAP_SETGID"},
	    {"setgroups", "CAP_SETGID"},
	    {"mknod", "CAP_MKNOD"},
	    {"mknodat", "CAP_MKNOD"},
	    {"chroot", "CAP_SYS_CHROOT"},
	    {"mount", "CAP_SYS_ADMIN"},
	    {"umount2", "CAP_SYS_ADMIN"},
	    {"ptrace", "CAP_SYS_PTRACE"},
	    {"init_module", "CAP_SYS_MODULE"},
	    {"finit_module", "CAP_SYS_MODULE"},
	    {"sethostname", "CAP_SYS_ADMIN"},
	    {"settimeofday", "CAP_SYS_TIME"},
	    {"clock_settime", "CAP_SYS_TIME"},
	    {"reboot", "CAP_SYS_BOOT"},
	    {"kill", "CAP_KILL"},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(t); i++)
		if (strcmp(t[i].sc, sc) == 0)
			count(caps, t[i].cap, n);
}

struct poll_ud {
	struct bw_mon_learn *l;
	int which;
};

static const char *cgroup_image(struct bw_mon_learn *l, uint64_t cg)
{
	const char *img = bw_mon_hash_get(&l->cg_image, cg);
	if (img)
		return img;
	struct bw_mon_container *c = bw_mon_attrib_container(l->m->attrib, cg, NULL, 0, 0, bw_now());
	img = image_of_container(c);
	if (img)
		bw_mon_hash_put(&l->cg_image, cg, bw_strdup(img));
	return img;
}

static void on_count(void *ud, uint64_t cg, uint32_t id, uint64_t n)
{
	struct poll_ud *u = ud;
	struct bw_mon_learn *l = u->l;
	const char *img = cgroup_image(l, cg);
	if (!img)
		return;
	const char *item = u->which ? bw_mon_cap_name((int)id) : bw_mon_syscall_name((int)id);
	char tmp[32];
	if (!item) {
		snprintf(tmp, sizeof(tmp), "%s%u", u->which ? "cap" : "syscall_", id);
		item = tmp;
	}
	int cat = u->which ? CAT_CAP : CAT_SYSCALL;
	if (l->learning) {
		if (strcmp(img, l->target_id) != 0)
			return;
		count(l->target->cats[cat], item, n);
		if (!u->which && !l->has_capable) {
			l->target->capabilities_inferred = true;
			infer_caps(l->target->cats[CAT_CAP], item, n);
		}
		return;
	}
	struct bw_mon_learned *p = profile_for(l, img);
	if (!p)
		return;
	/* no event to hang the alert on: one of the container */
	struct bw_ev_hdr h = {0};
	h.kind = 0;
	h.flags = BW_EVF_NOPROC;
	h.cgroup_id = cg;
	struct bw_mon_event ev = {0};
	ev.hdr = &h;
	ev.evtype = -1;
	ev.mon = l->m;
	ev.scratch = l->m->scratch;
	ev.scratch_cap = sizeof(l->m->scratch);
	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	ev.ts_ns = (uint64_t)rt.tv_sec * 1000000000ull + (uint64_t)rt.tv_nsec;
	ev.ctr = bw_mon_attrib_container(l->m->attrib, cg, NULL, 0, 0, bw_now());
	compare(l, &ev, p, cat, item);
}

void bw_mon_learn_poll(struct bw_mon_learn *l)
{
	struct bw_mon *m = l->m;
	if (!m->src_state || !m->src->learn_counts)
		return;
	l->has_capable = m->src->has_capable && m->src->has_capable(m->src_state);
	struct poll_ud u = {l, 0};
	m->src->learn_counts(m->src_state, 0, on_count, &u);
	if (l->has_capable) {
		u.which = 1;
		m->src->learn_counts(m->src_state, 1, on_count, &u);
	}
}

int bw_mon_learn_finish(struct bw_mon_learn *l, double seconds, struct bw_error *err)
{
	if (!l->learning)
		return 0;
	struct bw_mon_learned *t = l->target;
	t->seconds = seconds;
	t->sessions = 1;
	struct bw_mon_learned *old = load_stored(l->cache, t->image_id);
	if (old) {
		/* merge: counts add up, so do the learning times */
		t->seconds += old->seconds;
		t->sessions += old->sessions;
		for (int i = 0; i < CAT__N; i++) {
			const char *k;
			json_t *v;
			json_object_foreach(old->cats[i], k, v)
			    count(t->cats[i], k, (uint64_t)json_integer_value(v));
		}
		size_t i;
		json_t *v;
		json_array_foreach(old->names, i, v)
		{
			bool known = false;
			size_t j;
			json_t *w;
			json_array_foreach(t->names, j, w) known |= json_equal(v, w);
			if (!known)
				json_array_append(t->names, v);
		}
		t->capabilities_inferred |= old->capabilities_inferred;
		learned_free(old);
	}
	json_t *doc = learned_json(t);
	char *s = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	int rc = s ? bw_cache_profile_put(l->cache, t->image_id, PROFILE_SCHEMA, s, strlen(s)) : BW_ENOMEM;
	free(s);
	if (rc)
		return bw_error_set(err, BW_EIO, "cannot store the learned profile of %s in %s", t->image_id,
				    bw_cache_path(l->cache));
	bw_mon_log(l->m, 0,
		   "profile of %s stored (%zu executables, %zu files written, %zu peers, %zu ports, %zu "
		   "capabilities, %zu syscalls)",
		   t->image_id, json_object_size(t->cats[CAT_EXEC]), json_object_size(t->cats[CAT_FILE]),
		   json_object_size(t->cats[CAT_CONNECT]), json_object_size(t->cats[CAT_LISTEN]),
		   json_object_size(t->cats[CAT_CAP]), json_object_size(t->cats[CAT_SYSCALL]));
	return 0;
}

/* ---- profiles for `bulwark profile` -------------------------------------------------------- */

/* An image name or id -> its id, through the engine (an id passes as is). */
static char *resolve_image(const struct bw_monitor_opts *o, const char *image, struct bw_error *err)
{
	return bw_mon_image_id(o->docker_host, image, err);
}

char *bw_mon_image_id(const char *docker_host, const char *image, struct bw_error *err)
{
	if (strncmp(image, "sha256:", 7) == 0 && bw_digest_valid(image))
		return bw_strdup(image);
	struct bw_engine_opts eo = {.host = docker_host, .connect_timeout_ms = 2000, .timeout_ms = 10000};
	struct bw_engine *e = NULL;
	int rc = bw_engine_open(&eo, &e, err);
	if (rc)
		return NULL;
	char *esc = bw_engine_escape(image);
	char *path = bw_asprintf("/images/%s/json", esc);
	json_t *j = NULL;
	rc = bw_engine_get_json(e, path, 16u << 20, &j, err);
	free(path);
	free(esc);
	bw_engine_free(e);
	if (rc == BW_ENOTFOUND) {
		bw_error_set(err, BW_ENOTFOUND, "image '%s' not found in the Docker Engine", image);
		return NULL;
	}
	if (rc)
		return NULL;
	const char *id = json_string_value(json_object_get(j, "Id"));
	char *r = id ? bw_strdup(id) : NULL;
	json_decref(j);
	if (!r)
		bw_error_set(err, BW_EREMOTE, "the engine gave no id for image '%s'", image);
	return r;
}

struct bw_monitor_profile {
	struct bw_mon_learned *l;
};

int bw_monitor_profile_load(const char *image, const char *cache_dir, const char *docker_host,
			    struct bw_monitor_profile **out, struct bw_error *err)
{
	*out = NULL;
	char *id = bw_mon_image_id(docker_host, image, err);
	if (!id)
		return err->code ? err->code : BW_ENOTFOUND;
	struct bw_cache *cache = NULL;
	struct bw_error cerr = BW_ERROR_INIT;
	if (bw_cache_open(cache_dir, &cache, &cerr) != 0 || !cache) {
		free(id);
		return bw_error_set(err, BW_EIO, "cannot open the layer cache's database%s%s",
				    cerr.msg[0] ? ": " : "", cerr.msg);
	}
	struct bw_mon_learned *l = load_stored(cache, id);
	bw_cache_free(cache);
	if (!l) {
		int rc = bw_error_set(
		    err, BW_ENOTFOUND,
		    "nothing was learned for image %s (%s): run `bulwark monitor --learn --image %s "
		    "--for 10m` while it works",
		    image, id, image);
		free(id);
		return rc;
	}
	free(id);
	struct bw_monitor_profile *p = bw_calloc(1, sizeof(*p));
	p->l = l;
	*out = p;
	return 0;
}

void bw_monitor_profile_free(struct bw_monitor_profile *p)
{
	if (!p)
		return;
	learned_free(p->l);
	free(p);
}

json_t *bw_monitor_profile_json(const struct bw_monitor_profile *p)
{
	return learned_json(p->l);
}

json_t *bw_mon_profile_syscalls(const struct bw_monitor_profile *p)
{
	return p->l->cats[CAT_SYSCALL];
}

const char **bw_monitor_profile_caps(const struct bw_monitor_profile *p)
{
	json_t *caps = p->l->cats[CAT_CAP];
	const char **out = bw_calloc(json_object_size(caps) + 1, sizeof(*out));
	size_t n = 0;
	for (int c = 0; bw_mon_cap_name(c); c++)
		if (json_object_get(caps, bw_mon_cap_name(c)))
			out[n++] = bw_mon_cap_name(c);
	return out;
}
