/* Attribution: a record's cgroup -> the container it belongs to -> its
 * name, image, image digest, labels and Kubernetes pod (the Engine API).
 *
 * The cgroup is named by the record (exec records carry its directory's
 * name), else by its id (a file handle of the cgroup v2 file system: the id
 * is the directory's kernfs id, so it is opened by open_by_handle_at and its
 * path read back; this works while the cgroup exists, whatever became of its
 * processes), else by /proc/PID/cgroup, else by a walk of the cgroup v2 tree.
 * A cgroup none of them names is the host's for now, not for good: the
 * first record of a container is often of a process already gone, and the
 * alerts of the container's later processes must still name it.
 * Container ids come from the runtimes' cgroup naming: Docker's
 * ".../docker/<id>" or "docker-<id>.scope", Podman's "libpod-<id>.scope",
 * containerd's "cri-containerd-<id>.scope" (or kubepods/…/<id>), CRI-O's
 * "crio-<id>.scope". Anything else is the host.
 *
 * Engine answers are cached by container id. A thread follows the engine's
 * /events stream (in one-second windows, so that it can stop) and inspects
 * containers as they are created, started or renamed, so that a new
 * container's first process is usually named before it runs; a container
 * still unknown is inspected at once, with a short time-out. An engine that
 * goes away costs nothing but names: containers are then named by their
 * id, and the thread reconnects when it comes back. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include "monitor-int.h"
#include "engine/engine.h"

struct info {
	char *name, *image, *image_id, *image_digest;
	json_t *labels;
	bool privileged;
	uint64_t start_ns;
};

struct bw_mon_attrib {
	struct bw_mon_hash by_cgroup; /* cgroup id -> struct bw_mon_container */
	pthread_mutex_t mu;	      /* guards by_id, digests and warning */
	struct bw_mon_hash by_id;     /* container id -> struct info (the engine's answers) */
	struct bw_mon_hash digests;   /* image id -> repository digest (char *) */
	struct bw_engine *engine;     /* the loop's own handle */
	char *docker_host;
	bool have_engine;
	double engine_retry_at;
	pthread_t thread;
	bool thread_started;
	volatile int stop;
	char *warning;
	bool engine_down_warned;
	uint64_t host_cgroup;
	char cgroup2[1024];
	int cgroup2_fd; /* the cgroup v2 mount, for open_by_handle_at; -1 */
	bool by_handle; /* file handles work here (CAP_DAC_READ_SEARCH, kernfs) */
	double last_scan;
	struct bw_mon_hash scanned; /* cgroup id -> path, from the last walk */
};

struct bw_mon_users {
	uint32_t *ids;
	char **names;
	size_t n;
	uint32_t *gids;
	char **gnames;
	size_t ng;
	bool loaded;
	double retry_at;
};

static double now_s(void)
{
	return bw_now();
}

/* ---- cgroup naming ------------------------------------------------------------- */

static bool hex64(const char *s, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(bw_isdigit(s[i]) || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

bool bw_mon_container_id_from_cgroup(const char *cg, size_t len, char id[65], const char **runtime)
{
	static const struct {
		const char *prefix, *suffix, *runtime;
	} forms[] = {
	    {"docker-", ".scope", "docker"},
	    {"libpod-", ".scope", "podman"},
	    {"cri-containerd-", ".scope", "containerd"},
	    {"crio-", ".scope", "cri-o"},
	    {"cri-o-", ".scope", "cri-o"},
	};
	/* look at each path component, last first */
	size_t end = len;
	while (end > 0) {
		size_t start = end;
		while (start > 0 && cg[start - 1] != '/')
			start--;
		const char *c = cg + start;
		size_t n = end - start;
		for (size_t i = 0; i < BW_ARRAY_SIZE(forms); i++) {
			size_t pl = strlen(forms[i].prefix), sl = strlen(forms[i].suffix);
			if (n == pl + 64 + sl && memcmp(c, forms[i].prefix, pl) == 0 &&
			    memcmp(c + pl + 64, forms[i].suffix, sl) == 0 && hex64(c + pl, 64)) {
				memcpy(id, c + pl, 64);
				id[64] = '\0';
				*runtime = forms[i].runtime;
				return true;
			}
		}
		if (hex64(c, n)) {
			memcpy(id, c, 64);
			id[64] = '\0';
			/* the directory above names the runtime */
			bool kube = memmem(cg, start, "kubepods", 8) != NULL;
			bool libpod = memmem(cg, start, "libpod", 6) != NULL;
			*runtime = kube ? "containerd" : libpod ? "podman" : "docker";
			return true;
		}
		end = start ? start - 1 : 0;
	}
	return false;
}

/* The cgroup v2 mount point (the unified hierarchy), or "". */
static void find_cgroup2(char *out, size_t size)
{
	out[0] = '\0';
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return;
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS ... - FSTYPE SOURCE SUPER */
		char *dash = strstr(line, " - ");
		if (!dash || strncmp(dash + 3, "cgroup2 ", 8) != 0)
			continue;
		char root[1024], mp[1024];
		if (sscanf(line, "%*s %*s %*s %1023s %1023s", root, mp) == 2 && strcmp(root, "/") == 0) {
			snprintf(out, size, "%s", mp);
			break;
		}
	}
	fclose(f);
}

uint64_t bw_mon_host_cgroup_id(void)
{
	char mp[1024];
	find_cgroup2(mp, sizeof(mp));
	struct stat st;
	if (mp[0] && stat(mp, &st) == 0)
		return (uint64_t)st.st_ino;
	return 1; /* the v2 root's id */
}

static void scan_dir(struct bw_mon_attrib *a, const char *path, size_t base, int depth, size_t *budget)
{
	if (depth > 10 || *budget == 0)
		return;
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) && *budget) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		char *sub = bw_asprintf("%s/%s", path, de->d_name);
		struct stat st;
		if (stat(sub, &st) == 0) {
			(*budget)--;
			char *old = bw_mon_hash_get(&a->scanned, st.st_ino);
			if (!old)
				bw_mon_hash_put(&a->scanned, st.st_ino, bw_strdup(sub + base));
			scan_dir(a, sub, base, depth + 1, budget);
		}
		free(sub);
	}
	closedir(d);
}

static bool free_str(void *ud, uint64_t k, void *v)
{
	free(v);
	return true;
}

/* The cgroup's path from a walk of the v2 tree (at most twice a second). */
static const char *cgroup_by_walk(struct bw_mon_attrib *a, uint64_t id, double now)
{
	const char *p = bw_mon_hash_get(&a->scanned, id);
	if (p || !a->cgroup2[0] || now - a->last_scan < 0.5)
		return p;
	a->last_scan = now;
	bw_mon_hash_sweep(&a->scanned, free_str, NULL);
	size_t budget = 100000;
	scan_dir(a, a->cgroup2, strlen(a->cgroup2), 0, &budget);
	return bw_mon_hash_get(&a->scanned, id);
}

/* The cgroup's path from its id: open the directory by file handle (a
 * kernfs id is its own handle, FILEID_KERNFS), read the path back. NULL
 * when the cgroup is gone or handles are refused (then never tried again). */
static char *cgroup_by_handle(struct bw_mon_attrib *a, uint64_t id)
{
	if (!a->by_handle)
		return NULL;
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + sizeof(uint64_t)];
	} h;
	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = sizeof(uint64_t);
	h.fh.handle_type = 0xfe; /* FILEID_KERNFS */
	memcpy(h.fh.f_handle, &id, sizeof(id));
	int fd = open_by_handle_at(a->cgroup2_fd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EPERM || errno == EOPNOTSUPP || errno == EINVAL || errno == ENOSYS)
			a->by_handle = false;
		return NULL;
	}
	char link[64], path[4096];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	close(fd);
	size_t base = strlen(a->cgroup2);
	if (n <= 0 || (size_t)n < base || memcmp(path, a->cgroup2, base) != 0)
		return NULL;
	path[n] = '\0';
	return bw_strdup(path[base] ? path + base : "/");
}

/* The cgroup path of a process: the v2 line of /proc/PID/cgroup, or the
 * first line naming a container (cgroup v1). */
static char *cgroup_of_pid(uint32_t pid)
{
	char path[64], line[4096];
	snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	char *v2 = NULL, *any = NULL;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *p = strchr(line, ':');
		p = p ? strchr(p + 1, ':') : NULL;
		if (!p)
			continue;
		p++;
		char id[65];
		const char *rt;
		if (strncmp(line, "0::", 3) == 0 && !v2)
			v2 = bw_strdup(p);
		else if (!any && bw_mon_container_id_from_cgroup(p, strlen(p), id, &rt))
			any = bw_strdup(p);
	}
	fclose(f);
	if (v2 && (strcmp(v2, "/") != 0 || !any)) {
		free(any);
		return v2;
	}
	free(v2);
	return any;
}

/* ---- the engine ------------------------------------------------------------------ */

static uint64_t parse_time_ns(const char *s)
{
	if (!s)
		return 0;
	struct tm tm = {0};
	const char *rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!rest)
		return 0;
	time_t t = timegm(&tm);
	if (t <= 0)
		return 0;
	uint64_t ns = 0;
	if (*rest == '.') {
		rest++;
		int digits = 0;
		while (bw_isdigit(*rest)) {
			if (digits < 9) {
				ns = ns * 10 + (uint64_t)(*rest - '0');
				digits++;
			}
			rest++;
		}
		while (digits++ < 9)
			ns *= 10;
	}
	return (uint64_t)t * 1000000000ull + ns;
}

static void info_free(struct info *i)
{
	if (!i)
		return;
	free(i->name);
	free(i->image);
	free(i->image_id);
	free(i->image_digest);
	json_decref(i->labels);
	free(i);
}

/* The image's repository digest, and its id when only its reference is
 * known (a container gone before it was inspected). */
static void image_details(struct bw_engine *e, struct info *i)
{
	const char *ref = *i->image_id ? i->image_id : i->image;
	if (!*ref)
		return;
	char *ipath = bw_asprintf("/images/%s/json", ref);
	json_t *ij = NULL;
	struct bw_error e2 = BW_ERROR_INIT;
	if (bw_engine_get_json(e, ipath, 4u << 20, &ij, &e2) == 0) {
		const char *rd = json_string_value(json_array_get(json_object_get(ij, "RepoDigests"), 0));
		const char *at = rd ? strchr(rd, '@') : NULL;
		if (at && !i->image_digest)
			i->image_digest = bw_strdup(at + 1);
		const char *id = json_string_value(json_object_get(ij, "Id"));
		if (!*i->image_id && id) {
			free(i->image_id);
			i->image_id = bw_strdup(id);
		}
		json_decref(ij);
	}
	free(ipath);
}

static struct info *inspect(struct bw_engine *e, const char *id, struct bw_error *err)
{
	char *path = bw_asprintf("/containers/%s/json", id);
	json_t *j = NULL;
	int rc = bw_engine_get_json(e, path, 4u << 20, &j, err);
	free(path);
	if (rc)
		return NULL;
	struct info *i = bw_calloc(1, sizeof(*i));
	const char *name = json_string_value(json_object_get(j, "Name"));
	i->name = bw_strdup(name && name[0] == '/' ? name + 1 : name ? name : "");
	json_t *cfg = json_object_get(j, "Config");
	const char *img = json_string_value(json_object_get(cfg, "Image"));
	i->image = bw_strdup(img ? img : "");
	const char *imgid = json_string_value(json_object_get(j, "Image"));
	i->image_id = bw_strdup(imgid ? imgid : "");
	json_t *labels = json_object_get(cfg, "Labels");
	i->labels = json_is_object(labels) ? json_deep_copy(labels) : json_object();
	i->privileged = json_is_true(json_object_get(json_object_get(j, "HostConfig"), "Privileged"));
	i->start_ns =
	    parse_time_ns(json_string_value(json_object_get(json_object_get(j, "State"), "StartedAt")));
	json_decref(j);
	image_details(e, i);
	return i;
}

/* What an engine event's attributes say of a container: its name, image
 * and labels (the event lists the labels among its attributes). NULL when
 * it names none. */
static struct info *info_from_event(json_t *attrs)
{
	const char *name = json_string_value(json_object_get(attrs, "name"));
	const char *image = json_string_value(json_object_get(attrs, "image"));
	if (!name || !*name)
		return NULL;
	struct info *i = bw_calloc(1, sizeof(*i));
	i->name = bw_strdup(name);
	i->image = bw_strdup(image ? image : "");
	i->image_id = bw_strdup("");
	i->labels = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(attrs, k, v)
	{
		if (json_is_string(v) && strcmp(k, "name") != 0 && strcmp(k, "image") != 0 &&
		    strcmp(k, "exitCode") != 0 && strcmp(k, "signal") != 0)
			json_object_set(i->labels, k, v);
	}
	return i;
}

static void set_warning(struct bw_mon_attrib *a, char *msg)
{
	pthread_mutex_lock(&a->mu);
	free(a->warning);
	a->warning = msg;
	pthread_mutex_unlock(&a->mu);
}

char *bw_mon_attrib_take_warning(struct bw_mon_attrib *a)
{
	pthread_mutex_lock(&a->mu);
	char *w = a->warning;
	a->warning = NULL;
	pthread_mutex_unlock(&a->mu);
	return w;
}

static void store(struct bw_mon_attrib *a, const char *id, struct info *i)
{
	pthread_mutex_lock(&a->mu);
	struct info *old = bw_mon_hash_sget(&a->by_id, id);
	bw_mon_hash_sput(&a->by_id, id, i);
	pthread_mutex_unlock(&a->mu);
	info_free(old);
}

struct events_ud {
	struct bw_mon_attrib *a;
	struct bw_engine *e;  /* the stream's */
	struct bw_engine *ie; /* inspections while the stream is open (a handle serves one request) */
	struct bw_buf line;
	int64_t last_time;
};

static void on_event(struct events_ud *u, const char *line, size_t len)
{
	json_error_t je;
	json_t *ev = json_loadb(line, len, 0, &je);
	if (!ev)
		return;
	const char *type = json_string_value(json_object_get(ev, "Type"));
	const char *action = json_string_value(json_object_get(ev, "Action"));
	const char *id = json_string_value(json_object_get(json_object_get(ev, "Actor"), "ID"));
	json_int_t t = json_integer_value(json_object_get(ev, "time"));
	if (t > u->last_time)
		u->last_time = t;
	if (type && action && id && strcmp(type, "container") == 0 && hex64(id, strlen(id))) {
		if (strcmp(action, "create") == 0 || strcmp(action, "start") == 0 ||
		    strcmp(action, "rename") == 0 || strcmp(action, "update") == 0) {
			/* the event names the container and its image at once; a
			 * short-lived container may be gone before it is inspected */
			json_t *attrs = json_object_get(json_object_get(ev, "Actor"), "Attributes");
			struct info *known = NULL;
			pthread_mutex_lock(&u->a->mu);
			known = bw_mon_hash_sget(&u->a->by_id, id);
			bool have_full = known && *known->image_id;
			pthread_mutex_unlock(&u->a->mu);
			struct info *fi =
			    !have_full || strcmp(action, "rename") == 0 ? info_from_event(attrs) : NULL;
			if (fi)
				store(u->a, id, fi);
			struct bw_error err = BW_ERROR_INIT;
			struct info *i = u->ie ? inspect(u->ie, id, &err) : NULL;
			if (!i && fi && u->ie) {
				/* gone already: the image by its reference */
				i = info_from_event(attrs);
				image_details(u->ie, i);
			}
			if (i)
				store(u->a, id, i);
		}
		/* "destroy": keep the answer; late records of the container still
		 * name it. The cache is bounded by the containers a run sees. */
	}
	json_decref(ev);
}

static int events_chunk(void *ud, const void *data, size_t len, struct bw_error *err)
{
	struct events_ud *u = ud;
	const char *p = data;
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n') {
			on_event(u, u->line.data ? u->line.data : "", u->line.len);
			bw_buf_reset(&u->line);
		} else if (bw_buf_add(&u->line, &p[i], 1) < 0) {
			bw_buf_reset(&u->line); /* an event larger than any real one: drop it */
		}
	}
	return u->a->stop ? bw_error_set(err, BW_EINPUT, "stopping") : 0;
}

static void *events_thread(void *arg)
{
	struct bw_mon_attrib *a = arg;
	struct events_ud u = {.a = a};
	bw_buf_init(&u.line, 1u << 20);
	u.last_time = (int64_t)time(NULL);
	while (!a->stop) {
		if (!u.e) {
			struct bw_engine_opts eo = {
			    .host = a->docker_host, .connect_timeout_ms = 1000, .timeout_ms = 5000};
			struct bw_error err = BW_ERROR_INIT;
			if (bw_engine_open(&eo, &u.e, &err) < 0 || bw_engine_open(&eo, &u.ie, &err) < 0) {
				bw_engine_free(u.e);
				u.e = NULL;
				if (!a->engine_down_warned) {
					a->engine_down_warned = true;
					set_warning(
					    a, bw_asprintf(
						   "container names unavailable: %s; containers are named "
						   "by id until the engine answers",
						   err.msg));
				}
				for (int i = 0; i < 10 && !a->stop; i++)
					usleep(100000);
				continue;
			}
			if (a->engine_down_warned) {
				a->engine_down_warned = false;
				set_warning(a, bw_asprintf("the Docker Engine at %s answers again",
							   bw_engine_host(u.e)));
			}
		}
		/* one window: events since the last seen, until a second from now */
		int64_t until = (int64_t)time(NULL) + 1;
		char *path = bw_asprintf(
		    "/events?since=%lld&until=%lld&filters=%%7B%%22type%%22%%3A%%5B%%22container%%22%%5D%%7D",
		    (long long)u.last_time, (long long)until);
		struct bw_error err = BW_ERROR_INIT;
		bw_buf_reset(&u.line);
		int rc = bw_engine_get_stream(u.e, path, events_chunk, &u, &err);
		free(path);
		if (rc < 0 && !a->stop) {
			/* the engine went away (or broke the stream): reconnect */
			bw_engine_free(u.e);
			bw_engine_free(u.ie);
			u.e = u.ie = NULL;
			continue;
		}
		if (u.last_time < until - 1)
			u.last_time = until - 1;
	}
	bw_engine_free(u.e);
	bw_engine_free(u.ie);
	bw_buf_release(&u.line);
	return NULL;
}

int bw_mon_attrib_new(const struct bw_monitor_opts *o, struct bw_mon_attrib **out, struct bw_error *err)
{
	struct bw_mon_attrib *a = bw_calloc(1, sizeof(*a));
	pthread_mutex_init(&a->mu, NULL);
	a->docker_host = o->docker_host ? bw_strdup(o->docker_host) : NULL;
	a->host_cgroup = bw_mon_host_cgroup_id();
	find_cgroup2(a->cgroup2, sizeof(a->cgroup2));
	a->cgroup2_fd = a->cgroup2[0] ? open(a->cgroup2, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	a->by_handle = a->cgroup2_fd >= 0;
	struct bw_engine_opts eo = {.host = a->docker_host, .connect_timeout_ms = 1000, .timeout_ms = 2000};
	struct bw_error e2 = BW_ERROR_INIT;
	a->have_engine = bw_engine_open(&eo, &a->engine, &e2) == 0;
	if (pthread_create(&a->thread, NULL, events_thread, a) == 0)
		a->thread_started = true;
	*out = a;
	(void)err;
	return 0;
}

static bool free_info(void *ud, uint64_t k, void *v)
{
	info_free(v);
	return true;
}

static void users_free(struct bw_mon_users *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++)
		free(u->names[i]);
	for (size_t i = 0; i < u->ng; i++)
		free(u->gnames[i]);
	free(u->ids);
	free(u->names);
	free(u->gids);
	free(u->gnames);
	free(u);
}

static bool free_container(void *ud, uint64_t k, void *v)
{
	struct bw_mon_container *c = v;
	free(c->cgroup);
	free(c->id);
	free(c->name);
	free(c->image);
	free(c->image_repo);
	free(c->image_tag);
	free(c->image_id);
	free(c->image_digest);
	free(c->pod_name);
	free(c->pod_ns);
	free(c->pod_uid);
	free(c->k8s_container);
	json_decref(c->labels);
	users_free(c->users);
	free(c);
	return true;
}

void bw_mon_attrib_free(struct bw_mon_attrib *a)
{
	if (!a)
		return;
	a->stop = 1;
	if (a->thread_started) {
		/* the stream ends within a second; an engine that hangs is left behind */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 5;
		if (pthread_timedjoin_np(a->thread, NULL, &ts) != 0)
			pthread_detach(a->thread);
	}
	bw_mon_hash_sweep(&a->by_cgroup, free_container, NULL);
	bw_mon_hash_release(&a->by_cgroup);
	bw_mon_hash_sweep(&a->by_id, free_info, NULL);
	bw_mon_hash_release(&a->by_id);
	bw_mon_hash_sweep(&a->scanned, free_str, NULL);
	bw_mon_hash_release(&a->scanned);
	bw_engine_free(a->engine);
	if (a->cgroup2_fd >= 0)
		close(a->cgroup2_fd);
	free(a->docker_host);
	free(a->warning);
	pthread_mutex_destroy(&a->mu);
	free(a);
}

static void split_image(struct bw_mon_container *c)
{
	const char *img = c->image ? c->image : "";
	const char *at = strchr(img, '@');
	const char *slash = strrchr(img, '/');
	const char *colon = strrchr(img, ':');
	if (at) {
		c->image_repo = bw_strndup(img, (size_t)(at - img));
		c->image_tag = bw_strdup("");
	} else if (colon && (!slash || colon > slash)) {
		c->image_repo = bw_strndup(img, (size_t)(colon - img));
		c->image_tag = bw_strdup(colon + 1);
	} else {
		c->image_repo = bw_strdup(img);
		c->image_tag = bw_strdup(*img ? "latest" : "");
	}
}

static const char *label(json_t *labels, const char *k)
{
	return json_string_value(json_object_get(labels, k));
}

static void apply_info(struct bw_mon_container *c, const struct info *i)
{
	c->partial = !*i->image_id;
	free(c->name);
	c->name = bw_strdup(i->name);
	free(c->image);
	c->image = bw_strdup(i->image);
	free(c->image_id);
	c->image_id = bw_strdup(i->image_id);
	free(c->image_digest);
	c->image_digest = i->image_digest ? bw_strdup(i->image_digest) : NULL;
	free(c->image_repo);
	free(c->image_tag);
	split_image(c);
	json_decref(c->labels);
	c->labels = json_deep_copy(i->labels);
	c->privileged = i->privileged;
	c->start_ns = i->start_ns;
	const char *v;
	if ((v = label(c->labels, "io.kubernetes.pod.name"))) {
		free(c->pod_name);
		c->pod_name = bw_strdup(v);
	}
	if ((v = label(c->labels, "io.kubernetes.pod.namespace"))) {
		free(c->pod_ns);
		c->pod_ns = bw_strdup(v);
	}
	if ((v = label(c->labels, "io.kubernetes.pod.uid"))) {
		free(c->pod_uid);
		c->pod_uid = bw_strdup(v);
	}
	if ((v = label(c->labels, "io.kubernetes.container.name"))) {
		free(c->k8s_container);
		c->k8s_container = bw_strdup(v);
	}
	c->resolved = true;
}

/* Ask the cache, else the engine (briefly); on failure try again later. */
static void resolve(struct bw_mon_attrib *a, struct bw_mon_container *c, double now)
{
	pthread_mutex_lock(&a->mu);
	struct info *i = bw_mon_hash_sget(&a->by_id, c->id);
	if (i)
		apply_info(c, i);
	pthread_mutex_unlock(&a->mu);
	if (c->resolved)
		return;
	if (strcmp(c->runtime, "docker") != 0 && strcmp(c->runtime, "podman") != 0) {
		c->resolved = true; /* no engine to ask: the id is all there is */
		return;
	}
	if (!a->have_engine && now >= a->engine_retry_at) {
		struct bw_engine_opts eo = {
		    .host = a->docker_host, .connect_timeout_ms = 1000, .timeout_ms = 2000};
		struct bw_error e2 = BW_ERROR_INIT;
		a->have_engine = bw_engine_open(&eo, &a->engine, &e2) == 0;
		if (!a->have_engine)
			a->engine_retry_at = now + 2;
	}
	if (a->have_engine) {
		struct bw_error err = BW_ERROR_INIT;
		i = inspect(a->engine, c->id, &err);
		if (i) {
			apply_info(c, i);
			store(a, c->id, i);
			return;
		}
		if (err.code != BW_ENOTFOUND) {
			/* the engine went away: reconnect later */
			bw_engine_free(a->engine);
			a->engine = NULL;
			a->have_engine = false;
			a->engine_retry_at = now + 2;
		}
	}
	c->retry_at = now + 2;
}

/* Name the container of c's cgroup: from the record's cgroup name, the
 * cgroup's id, the process, or the tree. False when none could say. */
static bool identify(struct bw_mon_attrib *a, struct bw_mon_container *c, const char *cgroup_name,
		     size_t name_len, uint32_t pid, double now)
{
	char id[65];
	const char *rt = NULL;
	bool found = false;
	char *cg = NULL;
	if (cgroup_name && name_len) {
		cg = bw_strndup(cgroup_name, name_len);
		found = bw_mon_container_id_from_cgroup(cg, strlen(cg), id, &rt);
	}
	if (!found && c->cgroup_id != a->host_cgroup) {
		char *p = cgroup_by_handle(a, c->cgroup_id);
		if (p) {
			free(cg);
			cg = p;
			found = bw_mon_container_id_from_cgroup(cg, strlen(cg), id, &rt);
			if (!found) {
				/* the cgroup's own path: a host cgroup, for good */
				free(c->cgroup);
				c->cgroup = cg;
				return false;
			}
		}
	}
	if (!found && pid) {
		char *p = cgroup_of_pid(pid);
		if (p) {
			free(cg);
			cg = p;
			found = bw_mon_container_id_from_cgroup(cg, strlen(cg), id, &rt);
		}
	}
	if (!found && c->cgroup_id != a->host_cgroup) {
		const char *p = cgroup_by_walk(a, c->cgroup_id, now);
		if (p) {
			free(cg);
			cg = bw_strdup(p);
			found = bw_mon_container_id_from_cgroup(p, strlen(p), id, &rt);
		}
	}
	if (cg) {
		free(c->cgroup);
		c->cgroup = cg;
	}
	if (!found)
		return false;
	free(c->id);
	free(c->name);
	c->id = bw_strdup(id);
	c->name = NULL;
	c->runtime = rt;
	c->host = false;
	c->unsure = false;
	c->resolved = false;
	c->retry_at = 0;
	return true;
}

struct bw_mon_container *bw_mon_attrib_container(struct bw_mon_attrib *a, uint64_t cgroup_id,
						 const char *cgroup_name, size_t name_len, uint32_t pid,
						 double now)
{
	struct bw_mon_container *c = bw_mon_hash_get(&a->by_cgroup, cgroup_id);
	if (!c) {
		c = bw_calloc(1, sizeof(*c));
		c->cgroup_id = cgroup_id;
		if (!identify(a, c, cgroup_name, name_len, pid, now)) {
			c->host = true;
			c->id = bw_strdup("host");
			c->runtime = "host";
			c->name = bw_strdup("host");
			c->resolved = true;
			/* the host's own cgroups are named by their path; one no
			 * method could read is asked again */
			c->unsure = cgroup_id != a->host_cgroup && !c->cgroup;
			c->unsure_retry_at = now + 0.2;
		}
		bw_mon_hash_put(&a->by_cgroup, cgroup_id, c);
	} else if (c->unsure && ((cgroup_name && name_len) || now >= c->unsure_retry_at)) {
		if (!identify(a, c, cgroup_name, name_len, pid, now)) {
			c->unsure = !c->cgroup;
			c->unsure_retry_at = now + 0.2;
		}
	}
	if (pid && c->pids[0] != pid) {
		memmove(c->pids + 1, c->pids, sizeof(c->pids) - sizeof(c->pids[0]));
		c->pids[0] = pid;
	}
	if (!c->resolved && now >= c->retry_at)
		resolve(a, c, now);
	else if (c->resolved && c->partial && now >= c->retry_at) {
		/* named from an engine event: the inspection's image id may
		 * have come since */
		pthread_mutex_lock(&a->mu);
		struct info *i = bw_mon_hash_sget(&a->by_id, c->id);
		if (i && *i->image_id)
			apply_info(c, i);
		pthread_mutex_unlock(&a->mu);
		c->retry_at = now + 0.2;
	} else if (c->resolved && !c->host && !c->start_ns && now >= c->retry_at) {
		/* answered at "create": the start time comes with "start" */
		pthread_mutex_lock(&a->mu);
		struct info *i = bw_mon_hash_sget(&a->by_id, c->id);
		if (i && i->start_ns)
			c->start_ns = i->start_ns;
		pthread_mutex_unlock(&a->mu);
		c->retry_at = now + 0.2;
	}
	return c;
}

void bw_mon_attrib_settle(struct bw_mon_attrib *a, struct bw_mon_container *c, double max_wait)
{
	if (!c || c->host || (c->resolved && !c->partial) || c->settled || !a->thread_started ||
	    a->engine_down_warned)
		return;
	c->settled = true; /* once a container: an engine that never names it costs one wait */
	double until = now_s() + max_wait;
	for (;;) {
		pthread_mutex_lock(&a->mu);
		struct info *i = bw_mon_hash_sget(&a->by_id, c->id);
		if (i && (!c->resolved || *i->image_id))
			apply_info(c, i);
		pthread_mutex_unlock(&a->mu);
		if ((c->resolved && !c->partial) || now_s() >= until || a->engine_down_warned)
			return;
		usleep(20000);
	}
}

/* ---- users and groups inside a container ---------------------------------------- */

static void parse_db(const char *text, uint32_t **ids, char ***names, size_t *n)
{
	const char *p = text;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		/* name:x:id:... */
		const char *c1 = memchr(p, ':', len);
		const char *c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - p)) : NULL;
		if (c1 && c2 && c1 > p) {
			char *end;
			unsigned long id = strtoul(c2 + 1, &end, 10);
			if (end != c2 + 1 && (*end == ':' || *end == '\n' || !*end) && id <= UINT32_MAX) {
				*ids = bw_realloc(*ids, (*n + 1) * sizeof(**ids));
				*names = bw_realloc(*names, (*n + 1) * sizeof(**names));
				(*ids)[*n] = (uint32_t)id;
				(*names)[*n] = bw_strndup(p, (size_t)(c1 - p));
				(*n)++;
			}
		}
		p += len;
		if (*p == '\n')
			p++;
	}
}

static bool read_db(const char *root, const char *file, struct bw_buf *b)
{
	char *path = bw_asprintf("%s/etc/%s", root, file);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (fd < 0)
		return false;
	struct bw_error err = BW_ERROR_INIT;
	bool ok = bw_buf_read_fd(b, fd, file, &err) == 0;
	close(fd);
	return ok;
}

const char *bw_mon_user_name(struct bw_mon_container *c, uint32_t uid, bool group)
{
	double now = now_s();
	if (!c->users)
		c->users = bw_calloc(1, sizeof(*c->users));
	struct bw_mon_users *u = c->users;
	if (!u->loaded && now >= u->retry_at) {
		struct bw_buf b;
		bw_buf_init(&b, 4u << 20);
		bool ok = false;
		/* through any process of the container still alive */
		for (size_t k = 0; k < BW_ARRAY_SIZE(c->pids) && !ok; k++) {
			char root[64];
			if (c->host)
				snprintf(root, sizeof(root), "%s", "");
			else if (c->pids[k])
				snprintf(root, sizeof(root), "/proc/%u/root", c->pids[k]);
			else
				break;
			bw_buf_reset(&b);
			if (read_db(root, "passwd", &b)) {
				parse_db(b.data ? b.data : "", &u->ids, &u->names, &u->n);
				ok = true;
				bw_buf_reset(&b);
				if (read_db(root, "group", &b))
					parse_db(b.data ? b.data : "", &u->gids, &u->gnames, &u->ng);
			}
			if (c->host)
				break;
		}
		bw_buf_release(&b);
		u->loaded = ok;
		if (!ok)
			u->retry_at = now + 1;
	}
	uint32_t *ids = group ? u->gids : u->ids;
	char **names = group ? u->gnames : u->names;
	size_t n = group ? u->ng : u->n;
	for (size_t i = 0; i < n; i++)
		if (ids[i] == uid)
			return names[i];
	if (uid == 0)
		return "root";
	return NULL;
}
