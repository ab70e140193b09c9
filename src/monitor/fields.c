/* The fields the rules may name: Falco's field names (evt.*, proc.*,
 * thread.*, user.*, group.*, fd.*, fs.path.*, container.*, k8s.*), each with
 * its type, where it has a value, and how it is taken from an event. Fields
 * Falco has and this engine cannot fill are listed too (flag
 * BW_FF_UNSUPPORTED), so that a rule naming one is told so instead of being
 * told the field does not exist. */
#include <netdb.h>
#include <sys/socket.h>
#include <time.h>

#include "monitor-int.h"

#define K(x) (1u << BW_EV_##x)
#define KOPEN K(OPEN)
#define KNET (K(CONNECT) | K(ACCEPT) | K(BIND) | K(LISTEN) | K(DUP) | K(TCP_STATE))
#define KFD (KOPEN | KNET | K(MEMFD) | K(SOCKET))
#define KPATH (K(CHMOD) | K(UNLINK) | K(RENAME) | K(LINK) | K(SYMLINK))
#define FX(ev, T) ((const T *)(ev)->fixed)

/* ---- helpers ------------------------------------------------------------------ */

static bool setstr(struct bw_mon_val *out, const char *s)
{
	if (!s)
		return false;
	out->type = BW_FT_STR;
	out->s = s;
	out->len = strlen(s);
	return true;
}

static bool setint(struct bw_mon_val *out, int64_t v)
{
	out->type = BW_FT_INT;
	out->i = v;
	return true;
}

static bool setbool(struct bw_mon_val *out, bool v)
{
	out->type = BW_FT_BOOL;
	out->i = v;
	return true;
}

/* The process of the event, NULL when the record has no process context. */
static struct bw_mon_proc *P(struct bw_mon_event *ev)
{
	if (ev->hdr->flags & BW_EVF_NOPROC)
		return NULL;
	return ev->proc;
}

static struct bw_mon_proc *ancestor(struct bw_mon_event *ev, int64_t n)
{
	struct bw_mon_proc *p = P(ev);
	if (!p || !ev->mon)
		return NULL;
	if (n == 0)
		return p;
	return bw_mon_proctab_ancestor(&ev->mon->procs, p, (int)n);
}

void bw_mon_clean_path(const char *in, size_t len, char *out)
{
	size_t o = 0;
	out[o++] = '/';
	size_t i = 0;
	while (i < len) {
		while (i < len && in[i] == '/')
			i++;
		size_t s = i;
		while (i < len && in[i] != '/')
			i++;
		size_t n = i - s;
		if (n == 0 || (n == 1 && in[s] == '.'))
			continue;
		if (n == 2 && in[s] == '.' && in[s + 1] == '.') {
			if (o > 1) {
				o--; /* the '/' after the last component */
				while (o > 1 && out[o - 1] != '/')
					o--;
			}
			continue;
		}
		if (o > 1 && out[o - 1] != '/')
			out[o++] = '/';
		memcpy(out + o, in + s, n);
		o += n;
		out[o++] = '/';
	}
	if (o > 1)
		o--; /* no trailing slash */
	out[o] = '\0';
}

static const char *clean_join(struct bw_mon_event *ev, const struct bw_mon_str *dir,
			      const struct bw_mon_str *rel)
{
	size_t n = (dir ? dir->len : 0) + 1 + (rel ? rel->len : 0);
	char *buf = malloc(n + 1);
	char *out = malloc(n + 3);
	if (!buf || !out) {
		free(buf);
		free(out);
		return NULL;
	}
	size_t o = 0;
	if (dir && !(dir->flags & BW_STRF_MISSING)) {
		memcpy(buf, dir->p, dir->len);
		o = dir->len;
	}
	buf[o++] = '/';
	if (rel && !(rel->flags & BW_STRF_MISSING)) {
		memcpy(buf + o, rel->p, rel->len);
		o += rel->len;
	}
	bw_mon_clean_path(buf, o, out);
	const char *r = bw_mon_ev_strdup(ev, out, strlen(out));
	free(buf);
	free(out);
	return r;
}

static bool present(const struct bw_mon_event *ev, int i)
{
	return i < ev->nstr && !(ev->str[i].flags & BW_STRF_MISSING);
}

/* A path as given (string `raw`), made absolute with the directory string
 * `dir` the kernel sent for relative paths (or, for opens that worked, the
 * opened file's own path). */
static const char *abs_path(struct bw_mon_event *ev, int raw, int dir, bool dir_is_file)
{
	if (present(ev, raw) && ev->str[raw].len && ev->str[raw].p[0] == '/')
		return clean_join(ev, NULL, &ev->str[raw]);
	if (present(ev, dir)) {
		if (dir_is_file)
			return clean_join(ev, &ev->str[dir], NULL);
		return clean_join(ev, &ev->str[dir], present(ev, raw) ? &ev->str[raw] : NULL);
	}
	if (present(ev, raw) && ev->proc && ev->proc->cwd) {
		struct bw_mon_str cwd = {ev->proc->cwd, (uint32_t)strlen(ev->proc->cwd), 0};
		return clean_join(ev, &cwd, &ev->str[raw]);
	}
	return NULL;
}

const char *bw_mon_fs_path(struct bw_mon_event *ev, int i)
{
	switch (ev->hdr->kind) {
	case BW_EV_CHMOD:
		if (!present(ev, 0)) /* fchmod: the file's path */
			return present(ev, 1) ? clean_join(ev, &ev->str[1], NULL) : NULL;
		return abs_path(ev, 0, 1, false);
	case BW_EV_UNLINK:
		return abs_path(ev, 0, 1, false);
	case BW_EV_RENAME:
	case BW_EV_LINK:
		return abs_path(ev, i, 99, false);
	case BW_EV_SYMLINK:
		if (i == 0) /* the link's target is stored as written */
			return present(ev, 0) ? bw_mon_ev_strdup(ev, ev->str[0].p, ev->str[0].len) : NULL;
		return abs_path(ev, 1, 99, false);
	}
	return NULL;
}

/* The two ends of a socket record, as (client, server): the server is the
 * listening side, or for a connection of unknown direction the lower port. */
struct ends {
	int family; /* 4 or 6; 0 unix or unknown */
	const uint8_t *cip, *sip;
	uint16_t cport, sport;
	bool has_client, has_server;
	const struct bw_ev_sock *sock;
};

static bool sock_ends(struct bw_mon_event *ev, struct ends *e)
{
	memset(e, 0, sizeof(*e));
	uint16_t kind = ev->hdr->kind;
	if (kind == BW_EV_TCP_STATE) {
		const struct bw_ev_tcp *t = FX(ev, struct bw_ev_tcp);
		e->family = t->family == 2 ? 4 : t->family == 10 ? 6 : 0;
		bool local_server = t->lport < t->rport || t->rport == 0;
		e->cip = local_server ? t->raddr : t->laddr;
		e->sip = local_server ? t->laddr : t->raddr;
		e->cport = local_server ? t->rport : t->lport;
		e->sport = local_server ? t->lport : t->rport;
		e->has_client = e->has_server = true;
		return e->family != 0;
	}
	if (!((1u << kind) & (K(CONNECT) | K(ACCEPT) | K(BIND) | K(LISTEN) | K(DUP))))
		return false;
	const struct bw_ev_sock *s = FX(ev, struct bw_ev_sock);
	e->sock = s;
	e->family = s->family == 2 ? 4 : s->family == 10 ? 6 : 0;
	bool local_server;
	switch (kind) {
	case BW_EV_CONNECT:
		local_server = false;
		break;
	case BW_EV_ACCEPT:
	case BW_EV_BIND:
	case BW_EV_LISTEN:
		local_server = true;
		break;
	default:
		local_server = s->rport == 0 || (s->lport && s->lport < s->rport);
	}
	e->cip = local_server ? s->raddr : s->laddr;
	e->sip = local_server ? s->laddr : s->raddr;
	e->cport = local_server ? s->rport : s->lport;
	e->sport = local_server ? s->lport : s->rport;
	e->has_server = true;
	e->has_client = kind != BW_EV_BIND && kind != BW_EV_LISTEN;
	return e->family != 0;
}

static const char *endpoint_str(struct bw_mon_event *ev, int family, const uint8_t *ip, uint16_t port)
{
	const char *a = bw_mon_addr_str(ev, family, ip);
	if (!a)
		return NULL;
	return family == 6 ? bw_mon_ev_printf(ev, "[%s]:%u", a, port)
			   : bw_mon_ev_printf(ev, "%s:%u", a, port);
}

const char *bw_mon_fd_name(struct bw_mon_event *ev)
{
	if (ev->fdname_done)
		return ev->fdname;
	ev->fdname_done = true;
	const char *r = NULL;
	switch (ev->hdr->kind) {
	case BW_EV_OPEN:
		r = abs_path(ev, 0, 1, ev->hdr->ret >= 0);
		break;
	case BW_EV_MEMFD:
		r = present(ev, 0) ? bw_mon_ev_printf(ev, "memfd:%.*s", (int)ev->str[0].len, ev->str[0].p)
				   : NULL;
		break;
	case BW_EV_CONNECT:
	case BW_EV_ACCEPT:
	case BW_EV_BIND:
	case BW_EV_LISTEN:
	case BW_EV_DUP:
	case BW_EV_TCP_STATE: {
		struct ends e;
		if (sock_ends(ev, &e)) {
			const char *srv = endpoint_str(ev, e.family, e.sip, e.sport);
			if (e.has_client && srv) {
				const char *cli = endpoint_str(ev, e.family, e.cip, e.cport);
				r = cli ? bw_mon_ev_printf(ev, "%s->%s", cli, srv) : NULL;
			} else {
				r = srv;
			}
		} else if (e.sock && e.sock->family == 1 && present(ev, 0)) {
			r = bw_mon_ev_strdup(ev, ev->str[0].p, ev->str[0].len);
		}
		break;
	}
	}
	ev->fdname = r;
	return r;
}

static const char *const cap_names[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

const char *bw_mon_cap_name(int cap)
{
	if (cap < 0 || (size_t)cap >= BW_ARRAY_SIZE(cap_names))
		return NULL;
	return cap_names[cap];
}

int bw_mon_cap_by_name(const char *name)
{
	const char *n = bw_strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name;
	for (size_t i = 0; i < BW_ARRAY_SIZE(cap_names); i++)
		if (bw_strcasecmp(cap_names[i] + 4, n) == 0)
			return (int)i;
	return -1;
}

const char *bw_mon_caps_str(struct bw_mon_event *ev, uint64_t caps)
{
	char buf[1024];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < BW_ARRAY_SIZE(cap_names) && i < 64; i++) {
		if (!(caps & (1ull << i)))
			continue;
		int w = snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? " " : "", cap_names[i]);
		if (w > 0 && (size_t)w < sizeof(buf) - len)
			len += (size_t)w;
	}
	return bw_mon_ev_strdup(ev, buf, len);
}

/* ---- names of addresses (fd.sip.name …): names a rule compares with are
 * resolved once, in the background, and an address shows the name it was
 * resolved from. ---------------------------------------------------------- */

struct resolved {
	char *name;
	uint8_t ip[16];
	int family;
};
static pthread_mutex_t res_mu = PTHREAD_MUTEX_INITIALIZER;
static struct resolved *res_tab;
static size_t res_n;

static void *resolve_thread(void *arg)
{
	char *name = arg;
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
	if (getaddrinfo(name, NULL, &hints, &ai) == 0) {
		pthread_mutex_lock(&res_mu);
		for (struct addrinfo *p = ai; p; p = p->ai_next) {
			struct resolved r = {.name = NULL};
			if (p->ai_family == AF_INET) {
				memcpy(r.ip, &((struct sockaddr_in *)p->ai_addr)->sin_addr, 4);
				r.family = 4;
			} else if (p->ai_family == AF_INET6) {
				memcpy(r.ip, &((struct sockaddr_in6 *)p->ai_addr)->sin6_addr, 16);
				r.family = 6;
			} else {
				continue;
			}
			r.name = bw_strdup(name);
			res_tab = bw_realloc(res_tab, (res_n + 1) * sizeof(*res_tab));
			res_tab[res_n++] = r;
		}
		pthread_mutex_unlock(&res_mu);
		freeaddrinfo(ai);
	}
	free(name);
	return NULL;
}

void bw_mon_resolve_later(const char *name)
{
	pthread_mutex_lock(&res_mu);
	for (size_t i = 0; i < res_n; i++)
		if (strcmp(res_tab[i].name, name) == 0) {
			pthread_mutex_unlock(&res_mu);
			return;
		}
	pthread_mutex_unlock(&res_mu);
	pthread_t t;
	char *n = bw_strdup(name);
	if (pthread_create(&t, NULL, resolve_thread, n) == 0)
		pthread_detach(t);
	else
		free(n);
}

static const char *name_of(struct bw_mon_event *ev, int family, const uint8_t *ip)
{
	const char *r = NULL;
	pthread_mutex_lock(&res_mu);
	for (size_t i = 0; i < res_n && !r; i++)
		if (res_tab[i].family == family && memcmp(res_tab[i].ip, ip, family == 4 ? 4 : 16) == 0)
			r = bw_mon_ev_strdup(ev, res_tab[i].name, strlen(res_tab[i].name));
	pthread_mutex_unlock(&res_mu);
	return r;
}

/* ---- extractors -------------------------------------------------------------- */

#define EXTRACT(fn)                                                                                          \
	static bool fn(struct bw_mon_event *ev, const struct bw_mon_field *f, const char *arg, int64_t argn, \
		       struct bw_mon_val *out)

EXTRACT(x_evt_num)
{
	return setint(out, (int64_t)ev->num);
}

EXTRACT(x_evt_type)
{
	return setstr(out, ev->evtype >= 0 ? bw_mon_evtypes[ev->evtype].name : NULL);
}

EXTRACT(x_evt_dir)
{
	return setstr(out, "<");
}

EXTRACT(x_evt_res)
{
	if (!bw_mon_arg(ev, "res", out))
		return false;
	out->type = BW_FT_STR;
	return true;
}

EXTRACT(x_evt_rawres)
{
	uint16_t k = ev->hdr->kind;
	if (k == BW_EV_FORK || k == BW_EV_EXIT || k == BW_EV_TCP_STATE)
		return false;
	return setint(out, ev->hdr->ret);
}

EXTRACT(x_evt_failed)
{
	uint16_t k = ev->hdr->kind;
	if (k == BW_EV_FORK || k == BW_EV_EXIT || k == BW_EV_TCP_STATE)
		return false;
	return setbool(out, ev->hdr->ret < 0);
}

EXTRACT(x_evt_time)
{
	time_t s = (time_t)(ev->ts_ns / 1000000000ull);
	struct tm tm;
	gmtime_r(&s, &tm);
	char buf[64];
	if (strcmp(f->name, "evt.time.iso8601") == 0 || strcmp(f->name, "evt.datetime") == 0) {
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
		return setstr(out, bw_mon_ev_printf(ev, "%s.%09lluZ", buf,
						    (unsigned long long)(ev->ts_ns % 1000000000ull)));
	}
	if (strcmp(f->name, "evt.time.s") == 0) {
		strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
		return setstr(out, bw_mon_ev_strdup(ev, buf, strlen(buf)));
	}
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	return setstr(
	    out, bw_mon_ev_printf(ev, "%s.%09llu", buf, (unsigned long long)(ev->ts_ns % 1000000000ull)));
}

EXTRACT(x_evt_rawtime)
{
	out->type = BW_FT_ABSTIME;
	out->i = (int64_t)ev->ts_ns;
	return true;
}

EXTRACT(x_evt_hostname)
{
	return setstr(out, ev->mon ? ev->mon->hostname : NULL);
}

EXTRACT(x_evt_source)
{
	return setstr(out, "syscall");
}

EXTRACT(x_evt_category)
{
	static const char *const cats[BW_EV__COUNT] = {
	    [BW_EV_EXEC] = "process",	 [BW_EV_EXEC_FAIL] = "process", [BW_EV_FORK] = "process",
	    [BW_EV_EXIT] = "process",	 [BW_EV_OPEN] = "file",		[BW_EV_CONNECT] = "net",
	    [BW_EV_ACCEPT] = "net",	 [BW_EV_BIND] = "net",		[BW_EV_LISTEN] = "net",
	    [BW_EV_SETID] = "user",	 [BW_EV_CAPSET] = "process",	[BW_EV_MOUNT] = "file",
	    [BW_EV_UMOUNT] = "file",	 [BW_EV_PTRACE] = "process",	[BW_EV_MODULE] = "system",
	    [BW_EV_UNSHARE] = "process", [BW_EV_SETNS] = "process",	[BW_EV_MEMFD] = "file",
	    [BW_EV_CHMOD] = "file",	 [BW_EV_UNLINK] = "file",	[BW_EV_RENAME] = "file",
	    [BW_EV_SYMLINK] = "file",	 [BW_EV_LINK] = "file",		[BW_EV_DUP] = "file",
	    [BW_EV_SOCKET] = "net",	 [BW_EV_TCP_STATE] = "net",
	};
	return ev->hdr->kind < BW_EV__COUNT && setstr(out, cats[ev->hdr->kind]);
}

EXTRACT(x_evt_is_open)
{
	if (ev->hdr->kind != BW_EV_OPEN)
		return false;
	uint32_t fl = FX(ev, struct bw_ev_open)->flags;
	uint32_t acc = fl & 3;
	const char *w = f->name + strlen("evt.is_open_");
	if (strcmp(w, "read") == 0)
		return setbool(out, acc == 0 || acc == 2);
	if (strcmp(w, "write") == 0)
		return setbool(out, acc == 1 || acc == 2);
	if (strcmp(w, "create") == 0)
		return setbool(out, (fl & 0100) != 0);
	if (strcmp(w, "exec") == 0)
		return setbool(out, (FX(ev, struct bw_ev_open)->mode & 0111) != 0 && (fl & 0100));
	return false;
}

EXTRACT(x_evt_arg)
{
	bool ok = arg ? bw_mon_arg(ev, arg, out) : bw_mon_arg_index(ev, argn, out);
	out->type = BW_FT_STR;
	return ok;
}

EXTRACT(x_evt_rawarg)
{
	struct bw_mon_val v = {0};
	if (!(arg ? bw_mon_arg(ev, arg, &v) : bw_mon_arg_index(ev, argn, &v)))
		return false;
	if (v.i || (v.s && v.len && (v.s[0] == '-' || bw_isdigit(v.s[0]))))
		return setint(out, v.i ? v.i : strtoll(v.s, NULL, 10));
	*out = v;
	out->type = BW_FT_STR;
	return true;
}

EXTRACT(x_evt_args)
{
	return setstr(out, bw_mon_args_str(ev));
}

/* proc.* and thread.* of the process itself, a parent or an ancestor */

static struct bw_mon_proc *proc_for(struct bw_mon_event *ev, const struct bw_mon_field *f, int64_t argn)
{
	/* proc.pX fields are about the parent, proc.aX[N] about ancestor N */
	if (strncmp(f->name, "proc.p", 6) == 0 && strcmp(f->name, "proc.pid") != 0 &&
	    strcmp(f->name, "proc.pidns_init_start_ts") != 0)
		return ancestor(ev, 1);
	if (strncmp(f->name, "proc.a", 6) == 0 && strcmp(f->name, "proc.args") != 0)
		return ancestor(ev, argn < 0 ? 1 : argn);
	if (strncmp(f->name, "proc.vpgid.", 11) == 0) {
		struct bw_mon_proc *p = P(ev);
		return p && ev->mon ? bw_mon_proctab_get(&ev->mon->procs, p->pgid) : NULL;
	}
	return P(ev);
}

EXTRACT(x_proc_name)
{
	struct bw_mon_proc *p = proc_for(ev, f, argn);
	return p && setstr(out, p->comm);
}

EXTRACT(x_proc_exe)
{
	struct bw_mon_proc *p = proc_for(ev, f, argn);
	return p && setstr(out, p->exe);
}

EXTRACT(x_proc_exepath)
{
	struct bw_mon_proc *p = proc_for(ev, f, argn);
	return p && setstr(out, p->exepath);
}

EXTRACT(x_proc_args)
{
	struct bw_mon_proc *p = proc_for(ev, f, argn);
	return p && setstr(out, p->args ? p->args : "");
}

EXTRACT(x_proc_cmdline)
{
	struct bw_mon_proc *p = proc_for(ev, f, argn);
	if (!p)
		return false;
	if (!p->args || !*p->args)
		return setstr(out, p->comm);
	return setstr(out, bw_mon_ev_printf(ev, "%s %s", p->comm, p->args));
}

EXTRACT(x_proc_exeline)
{
	struct bw_mon_proc *p = proc_for(ev, f, argn);
	if (!p || !p->exe)
		return false;
	if (!p->args || !*p->args)
		return setstr(out, p->exe);
	return setstr(out, bw_mon_ev_printf(ev, "%s %s", p->exe, p->args));
}

EXTRACT(x_proc_cmdnargs)
{
	struct bw_mon_proc *p = proc_for(ev, f, argn);
	if (!p)
		return false;
	int64_t n = 0;
	bool in = false;
	for (const char *s = p->args ? p->args : ""; *s; s++) {
		if (*s != ' ' && !in)
			n++;
		in = *s != ' ';
	}
	return setint(out, n);
}

EXTRACT(x_proc_cmdlenargs)
{
	struct bw_mon_proc *p = proc_for(ev, f, argn);
	return p && setint(out, p->args ? (int64_t)strlen(p->args) : 0);
}

EXTRACT(x_proc_cwd)
{
	struct bw_mon_proc *p = P(ev);
	return p && setstr(out, p->cwd);
}

EXTRACT(x_proc_pid)
{
	struct bw_mon_proc *p = P(ev);
	if (!p)
		return false;
	if (strcmp(f->name, "proc.vpid") == 0)
		return setint(out, p->vpid);
	if (strcmp(f->name, "proc.ppid") == 0)
		return setint(out, p->ppid);
	return setint(out, p->pid);
}

EXTRACT(x_proc_ppid_of)
{
	/* proc.apid[N]: the pid of ancestor N */
	struct bw_mon_proc *p = ancestor(ev, argn < 0 ? 1 : argn);
	return p && setint(out, p->pid);
}

EXTRACT(x_proc_tty)
{
	struct bw_mon_proc *p = P(ev);
	return p && setint(out, p->tty);
}

EXTRACT(x_proc_sid)
{
	struct bw_mon_proc *p = P(ev);
	return p && setint(out, p->sid);
}

EXTRACT(x_proc_sname)
{
	struct bw_mon_proc *p = P(ev);
	if (!p || !ev->mon)
		return false;
	struct bw_mon_proc *s = bw_mon_proctab_get(&ev->mon->procs, p->sid);
	return s && setstr(out, s->comm);
}

EXTRACT(x_proc_is_vpgid_leader)
{
	struct bw_mon_proc *p = P(ev);
	return p && setbool(out, p->pid == p->pgid);
}

EXTRACT(x_proc_duration)
{
	struct bw_mon_proc *p = strcmp(f->name, "proc.ppid.duration") == 0 ? ancestor(ev, 1) : P(ev);
	if (!p || !p->start_boot || ev->hdr->ts < p->start_boot)
		return false;
	out->type = BW_FT_RELTIME;
	out->i = (int64_t)(ev->hdr->ts - p->start_boot);
	return true;
}

EXTRACT(x_proc_memfd)
{
	struct bw_mon_proc *p = P(ev);
	return p && setbool(out, (p->exe_flags & BW_EXEF_MEMFD) != 0);
}

EXTRACT(x_proc_upper)
{
	struct bw_mon_proc *p = P(ev);
	if (!p || !ev->ctr || ev->ctr->host || !ev->mon || !ev->mon->drift)
		return false;
	/* the runtime's own set-up, before the process enters the container */
	if (ev->hdr->mntns == ev->mon->host_mntns)
		return setbool(out, false);
	int d = bw_mon_drift_check(ev->mon->drift, ev->ctr, p);
	if (d < 0) {
		ev->drift_pending = true;
		return false;
	}
	return setbool(out, d == 1);
}

EXTRACT(x_proc_exe_ino)
{
	struct bw_mon_proc *p = P(ev);
	if (!p || !p->exe_ino)
		return false;
	if (strcmp(f->name, "proc.exe_ino") == 0)
		return setint(out, (int64_t)p->exe_ino);
	out->type = BW_FT_ABSTIME;
	if (strcmp(f->name, "proc.exe_ino.ctime") == 0)
		out->i = (int64_t)p->exe_ctime;
	else if (strcmp(f->name, "proc.exe_ino.mtime") == 0)
		out->i = (int64_t)p->exe_mtime;
	else {
		/* ctime_duration_proc_start: from the last change of the file to the start */
		uint64_t start = p->start_boot + (ev->mon ? ev->mon->boot_to_epoch_ns : 0);
		if (!p->exe_ctime || start < p->exe_ctime)
			return false;
		out->type = BW_FT_RELTIME;
		out->i = (int64_t)(start - p->exe_ctime);
	}
	return out->i != 0;
}

EXTRACT(x_thread_tid)
{
	if (ev->hdr->flags & BW_EVF_NOPROC)
		return false;
	if (strcmp(f->name, "thread.ismain") == 0)
		return setbool(out, ev->hdr->tid == ev->hdr->pid);
	return setint(out, ev->hdr->tid);
}

EXTRACT(x_thread_caps)
{
	if (ev->hdr->flags & BW_EVF_NOPROC)
		return false;
	struct bw_mon_proc *p = P(ev);
	uint64_t c = ev->hdr->cap_effective;
	if (strcmp(f->name, "thread.cap_permitted") == 0) {
		if (!p)
			return false;
		c = p->cap_perm;
	} else if (strcmp(f->name, "thread.cap_inheritable") == 0) {
		if (!p)
			return false;
		c = p->cap_inh;
	}
	return setstr(out, bw_mon_caps_str(ev, c));
}

/* user.* and group.* */

EXTRACT(x_user_uid)
{
	if (ev->hdr->flags & BW_EVF_NOPROC)
		return false;
	if (strcmp(f->name, "user.loginuid") == 0)
		return setint(out, (int32_t)ev->hdr->loginuid);
	if (strcmp(f->name, "group.gid") == 0)
		return setint(out, ev->hdr->egid);
	return setint(out, ev->hdr->euid);
}

EXTRACT(x_user_name)
{
	if (ev->hdr->flags & BW_EVF_NOPROC || !ev->ctr)
		return false;
	if (strcmp(f->name, "user.loginname") == 0) {
		if (ev->hdr->loginuid == (uint32_t)-1)
			return false;
		return setstr(out, bw_mon_user_name(ev->ctr, ev->hdr->loginuid, false));
	}
	if (strcmp(f->name, "group.name") == 0)
		return setstr(out, bw_mon_user_name(ev->ctr, ev->hdr->egid, true));
	return setstr(out, bw_mon_user_name(ev->ctr, ev->hdr->euid, false));
}

/* fd.* */

EXTRACT(x_fd_num)
{
	const struct bw_ev_hdr *h = ev->hdr;
	switch (h->kind) {
	case BW_EV_OPEN:
	case BW_EV_ACCEPT:
	case BW_EV_DUP:
	case BW_EV_MEMFD:
	case BW_EV_SOCKET:
		return setint(out, h->ret < 0 ? -1 : h->ret);
	case BW_EV_CONNECT:
	case BW_EV_BIND:
	case BW_EV_LISTEN:
		return setint(out, FX(ev, struct bw_ev_sock)->fd);
	}
	return false;
}

static const char *fd_type(struct bw_mon_event *ev, char *tc)
{
	uint16_t k = ev->hdr->kind;
	int fam = -1;
	if (k == BW_EV_OPEN) {
		uint32_t fk = FX(ev, struct bw_ev_open)->fdkind;
		if (fk == BW_FD_DIR)
			return *tc = 'd', "directory";
		if (fk == BW_FD_PIPE)
			return *tc = 'p', "pipe";
		return *tc = 'f', "file";
	}
	if (k == BW_EV_MEMFD)
		return *tc = 'f', "memfd";
	if (k == BW_EV_SOCKET)
		fam = (int)FX(ev, struct bw_ev_socket)->domain;
	else if (k == BW_EV_TCP_STATE)
		fam = FX(ev, struct bw_ev_tcp)->family;
	else if ((1u << k) & (K(CONNECT) | K(ACCEPT) | K(BIND) | K(LISTEN) | K(DUP)))
		fam = FX(ev, struct bw_ev_sock)->family;
	switch (fam) {
	case 2:
		return *tc = '4', "ipv4";
	case 10:
		return *tc = '6', "ipv6";
	case 1:
		return *tc = 'u', "unix";
	case 16:
		return *tc = 'n', "netlink";
	case -1:
		return NULL;
	}
	return *tc = 'o', "other";
}

EXTRACT(x_fd_type)
{
	char tc = 0;
	const char *t = fd_type(ev, &tc);
	if (!t)
		return false;
	if (f->type == BW_FT_CHAR) {
		out->type = BW_FT_CHAR;
		out->i = tc;
		out->s = bw_mon_ev_strdup(ev, &tc, 1);
		out->len = 1;
		return out->s != NULL;
	}
	return setstr(out, t);
}

EXTRACT(x_fd_name)
{
	return setstr(out, bw_mon_fd_name(ev));
}

EXTRACT(x_fd_nameraw)
{
	if (ev->hdr->kind == BW_EV_OPEN) {
		if (!present(ev, 0))
			return false;
		return setstr(out, bw_mon_ev_strdup(ev, ev->str[0].p, ev->str[0].len));
	}
	return setstr(out, bw_mon_fd_name(ev));
}

EXTRACT(x_fd_dirfile)
{
	if (ev->hdr->kind != BW_EV_OPEN)
		return false;
	const char *n = bw_mon_fd_name(ev);
	if (!n)
		return false;
	const char *slash = strrchr(n, '/');
	if (strcmp(f->name, "fd.filename") == 0)
		return setstr(out, slash ? slash + 1 : n);
	if (!slash)
		return false;
	if (slash == n)
		return setstr(out, "/");
	return setstr(out, bw_mon_ev_strdup(ev, n, (size_t)(slash - n)));
}

EXTRACT(x_fd_ip)
{
	struct ends e;
	if (!sock_ends(ev, &e))
		return false;
	const char *w = f->name + 3; /* after "fd." */
	const uint8_t *ip = NULL;
	bool loc_is_server = e.sock ? e.sip == e.sock->laddr : false;
	if (e.sock == NULL) {
		const struct bw_ev_tcp *t = FX(ev, struct bw_ev_tcp);
		loc_is_server = e.sip == t->laddr;
	}
	if (w[0] == 's' || (w[0] == 'l' && loc_is_server) || (w[0] == 'r' && !loc_is_server))
		ip = e.has_server ? e.sip : NULL;
	else if (w[0] == 'c' || w[0] == 'l' || w[0] == 'r')
		ip = e.has_client ? e.cip : NULL;
	else /* fd.ip, fd.net: the server's (either end, for comparisons: see eval) */
		ip = e.has_server ? e.sip : e.cip;
	if (!ip)
		return false;
	out->type = f->type;
	out->family = e.family;
	memcpy(out->ip, ip, e.family == 4 ? 4 : 16);
	out->s = bw_mon_addr_str(ev, e.family, ip);
	out->len = out->s ? strlen(out->s) : 0;
	/* fd.ip and fd.net match either end: the other end rides along */
	if ((strcmp(f->name, "fd.ip") == 0 || strcmp(f->name, "fd.net") == 0) && e.has_client &&
	    e.has_server) {
		memcpy(out->ip2, e.cip, e.family == 4 ? 4 : 16);
		out->has_ip2 = true;
	}
	return true;
}

EXTRACT(x_fd_ipname)
{
	struct ends e;
	if (!sock_ends(ev, &e))
		return false;
	const uint8_t *ip = f->name[3] == 's' ? e.sip : f->name[3] == 'c' ? e.cip : NULL;
	if (f->name[3] == 'l' || f->name[3] == 'r') {
		bool loc_is_server = e.sock ? e.sip == e.sock->laddr : false;
		ip = (f->name[3] == 'l') == loc_is_server ? e.sip : e.cip;
	}
	return ip && setstr(out, name_of(ev, e.family, ip));
}

EXTRACT(x_fd_port)
{
	struct ends e;
	if (!sock_ends(ev, &e))
		return false;
	const char *w = f->name + 3;
	bool loc_is_server;
	if (e.sock)
		loc_is_server = e.sip == e.sock->laddr;
	else
		loc_is_server = e.sip == FX(ev, struct bw_ev_tcp)->laddr;
	int v = -1;
	if (w[0] == 's' || (w[0] == 'l' && loc_is_server) || (w[0] == 'r' && !loc_is_server))
		v = e.has_server ? e.sport : -1;
	else if (w[0] == 'c' || w[0] == 'l' || w[0] == 'r')
		v = e.has_client ? e.cport : -1;
	else
		v = e.sport;
	if (v < 0)
		return false;
	out->type = BW_FT_PORT;
	out->i = v;
	return true;
}

EXTRACT(x_fd_l4proto)
{
	uint16_t k = ev->hdr->kind;
	if (k == BW_EV_TCP_STATE)
		return setstr(out, "tcp");
	uint32_t type, proto, fam;
	if (k == BW_EV_SOCKET) {
		const struct bw_ev_socket *s = FX(ev, struct bw_ev_socket);
		type = s->type & 0xf;
		proto = s->protocol;
		fam = s->domain;
	} else if ((1u << k) & (K(CONNECT) | K(ACCEPT) | K(BIND) | K(LISTEN) | K(DUP))) {
		const struct bw_ev_sock *s = FX(ev, struct bw_ev_sock);
		type = s->type;
		proto = s->protocol;
		fam = s->family;
	} else {
		return false;
	}
	if (fam != 2 && fam != 10)
		return false;
	if (proto == 6 || (type == 1 && proto == 0))
		return setstr(out, "tcp");
	if (proto == 17 || (type == 2 && proto == 0))
		return setstr(out, "udp");
	if (proto == 1 || proto == 58)
		return setstr(out, "icmp");
	if (type == 3)
		return setstr(out, "raw");
	return setstr(out, "unknown");
}

EXTRACT(x_fd_sockfamily)
{
	char tc = 0;
	const char *t = fd_type(ev, &tc);
	if (!t || (tc != '4' && tc != '6' && tc != 'u'))
		return false;
	return setstr(out, tc == 'u' ? "unix" : "ip");
}

EXTRACT(x_fd_connected)
{
	uint16_t k = ev->hdr->kind;
	if (k == BW_EV_CONNECT)
		return setbool(out, ev->hdr->ret == 0);
	if (k == BW_EV_ACCEPT || k == BW_EV_TCP_STATE)
		return setbool(out, true);
	if (k == BW_EV_DUP)
		return setbool(out, FX(ev, struct bw_ev_sock)->rport != 0);
	if (k == BW_EV_BIND || k == BW_EV_LISTEN || k == BW_EV_SOCKET)
		return setbool(out, false);
	return false;
}

EXTRACT(x_fd_name_changed)
{
	return (KFD & (1u << ev->hdr->kind)) && setbool(out, false);
}

EXTRACT(x_fd_is_server)
{
	uint16_t k = ev->hdr->kind;
	if (k == BW_EV_ACCEPT || k == BW_EV_LISTEN || k == BW_EV_BIND)
		return setbool(out, true);
	if (k == BW_EV_CONNECT)
		return setbool(out, false);
	return false;
}

EXTRACT(x_fd_devino)
{
	if (ev->hdr->kind != BW_EV_OPEN)
		return false;
	const struct bw_ev_open *o = FX(ev, struct bw_ev_open);
	return setint(out, strcmp(f->name, "fd.ino") == 0 ? (int64_t)o->ino : (int64_t)o->dev);
}

EXTRACT(x_fd_containername)
{
	const char *n = bw_mon_fd_name(ev);
	if (!n || !ev->ctr)
		return false;
	const char *id = ev->ctr->host ? "host" : ev->ctr->id;
	if (strcmp(f->name, "fd.containerdirectory") == 0) {
		const char *slash = strrchr(n, '/');
		if (!slash)
			return false;
		return setstr(out,
			      bw_mon_ev_printf(ev, "%.12s:%.*s", id, (int)(slash == n ? 1 : slash - n), n));
	}
	return setstr(out, bw_mon_ev_printf(ev, "%.12s:%s", id, n));
}

/* fs.path.* */

EXTRACT(x_fs_path)
{
	uint16_t k = ev->hdr->kind;
	if (!(KPATH & (1u << k)))
		return false;
	const char *w = f->name + strlen("fs.path.");
	bool two = k == BW_EV_RENAME || k == BW_EV_LINK || k == BW_EV_SYMLINK;
	if (strcmp(w, "name") == 0) {
		if (two)
			return false;
		return setstr(out, bw_mon_fs_path(ev, 0));
	}
	if (strcmp(w, "nameraw") == 0) {
		if (two || !present(ev, 0))
			return false;
		return setstr(out, bw_mon_ev_strdup(ev, ev->str[0].p, ev->str[0].len));
	}
	if (!two)
		return false;
	int i = strncmp(w, "source", 6) == 0 ? 0 : 1;
	if (strstr(w, "raw"))
		return present(ev, i) && setstr(out, bw_mon_ev_strdup(ev, ev->str[i].p, ev->str[i].len));
	return setstr(out, bw_mon_fs_path(ev, i));
}

/* container.* and k8s.* */

static struct bw_mon_container *C(struct bw_mon_event *ev)
{
	return ev->ctr;
}

EXTRACT(x_ctr_str)
{
	struct bw_mon_container *c = C(ev);
	if (!c)
		return false;
	const char *w = f->name;
	if (strcmp(w, "container.id") == 0)
		return setstr(out,
			      c->host ? "host"
				      : bw_mon_ev_strdup(ev, c->id, strlen(c->id) > 12 ? 12 : strlen(c->id)));
	if (strcmp(w, "container.full_id") == 0)
		return setstr(out, c->host ? "host" : c->id);
	if (strcmp(w, "container.name") == 0)
		return setstr(out, c->host ? "host" : c->name);
	if (strcmp(w, "container.type") == 0)
		return setstr(out, c->host ? "host" : c->runtime);
	if (c->host)
		return false;
	if (strcmp(w, "container.image") == 0)
		return setstr(out, c->image);
	if (strcmp(w, "container.image.repository") == 0)
		return setstr(out, c->image_repo);
	if (strcmp(w, "container.image.tag") == 0)
		return setstr(out, c->image_tag);
	if (strcmp(w, "container.image.id") == 0)
		return setstr(out, c->image_id);
	if (strcmp(w, "container.image.digest") == 0)
		return setstr(out, c->image_digest);
	if (strcmp(w, "k8s.pod.name") == 0)
		return setstr(out, c->pod_name);
	if (strcmp(w, "k8s.ns.name") == 0)
		return setstr(out, c->pod_ns);
	if (strcmp(w, "k8s.pod.uid") == 0)
		return setstr(out, c->pod_uid);
	if (strcmp(w, "k8s.container.name") == 0)
		return setstr(out, c->k8s_container);
	return false;
}

EXTRACT(x_ctr_privileged)
{
	struct bw_mon_container *c = C(ev);
	if (!c || c->host || !c->resolved)
		return false;
	return setbool(out, c->privileged);
}

EXTRACT(x_ctr_start)
{
	struct bw_mon_container *c = C(ev);
	if (!c || c->host || !c->start_ns)
		return false;
	if (strcmp(f->name, "container.duration") == 0) {
		out->type = BW_FT_RELTIME;
		out->i = ev->ts_ns > c->start_ns ? (int64_t)(ev->ts_ns - c->start_ns) : 0;
		return true;
	}
	out->type = BW_FT_ABSTIME;
	out->i = (int64_t)c->start_ns;
	return true;
}

EXTRACT(x_ctr_label)
{
	struct bw_mon_container *c = C(ev);
	if (!c || c->host || !c->labels)
		return false;
	if (strcmp(f->name, "container.labels") == 0) {
		char buf[4096];
		size_t len = 0;
		const char *k;
		json_t *v;
		json_object_foreach(c->labels, k, v)
		{
			int w = snprintf(buf + len, sizeof(buf) - len, "%s%s:%s", len ? ", " : "", k,
					 json_string_value(v) ? json_string_value(v) : "");
			if (w < 0 || (size_t)w >= sizeof(buf) - len)
				break;
			len += (size_t)w;
		}
		return setstr(out, bw_mon_ev_strdup(ev, buf, len));
	}
	if (!arg)
		return false;
	json_t *v = json_object_get(c->labels, arg);
	return json_is_string(v) && setstr(out, json_string_value(v));
}

EXTRACT(x_unsupported)
{
	return false;
}

#define F(n, t, fl, k, x, d)                                                                                 \
	{                                                                                                    \
		n, BW_FT_##t, fl, k, x, d                                                                    \
	}
#define U(n, t)                                                                                              \
	{                                                                                                    \
		n, BW_FT_##t, BW_FF_UNSUPPORTED, 0, x_unsupported, "not available from this event source"    \
	}
#define PROC 0
#define AIDX (BW_FF_ARG_OPT | BW_FF_ARG_INDEX | BW_FF_ANY_ANCESTOR)

const struct bw_mon_field bw_mon_fields[] = {
    F("evt.num", INT, 0, 0, x_evt_num, "the event's number in this run (from 1)"),
    F("evt.type", STR, 0, 0, x_evt_type, "the syscall or event name (execve, openat, procexit, …)"),
    F("evt.dir", STR, 0, 0, x_evt_dir, "always '<': events are recorded at the syscall's exit"),
    F("evt.res", STR, 0, 0, x_evt_res, "SUCCESS or the error's name (ENOENT, …)"),
    F("evt.rawres", INT, 0, 0, x_evt_rawres, "the syscall's return value"),
    F("evt.failed", BOOL, 0, 0, x_evt_failed, "the syscall returned an error"),
    F("evt.time", STR, 0, 0, x_evt_time, "hh:mm:ss.nanoseconds (UTC)"),
    F("evt.time.s", STR, 0, 0, x_evt_time, "hh:mm:ss (UTC)"),
    F("evt.time.iso8601", STR, 0, 0, x_evt_time, "ISO 8601 time (UTC)"),
    F("evt.datetime", STR, 0, 0, x_evt_time, "ISO 8601 time (UTC)"),
    F("evt.rawtime", ABSTIME, 0, 0, x_evt_rawtime, "nanoseconds since the epoch"),
    F("evt.hostname", STR, 0, 0, x_evt_hostname, "the machine's host name"),
    F("evt.source", STR, 0, 0, x_evt_source, "always 'syscall'"),
    F("evt.category", STR, 0, 0, x_evt_category, "process, file, net, user or system"),
    F("evt.is_open_read", BOOL, 0, KOPEN, x_evt_is_open, "an open for reading"),
    F("evt.is_open_write", BOOL, 0, KOPEN, x_evt_is_open, "an open for writing"),
    F("evt.is_open_create", BOOL, 0, KOPEN, x_evt_is_open, "an open with O_CREAT"),
    F("evt.is_open_exec", BOOL, 0, KOPEN, x_evt_is_open, "an open creating an executable file"),
    F("evt.arg", STR, BW_FF_ARG_REQ | BW_FF_ARG_DOT, 0, x_evt_arg,
      "an argument by name (evt.arg.flags) or position (evt.arg[0]), rendered"),
    F("evt.rawarg", INT, BW_FF_ARG_REQ | BW_FF_ARG_DOT, 0, x_evt_rawarg, "an argument's raw value"),
    F("evt.args", STR, 0, 0, x_evt_args, "every argument as name=value"),
    F("evt.info", STR, 0, 0, x_evt_args, "every argument as name=value"),
    U("evt.buffer", STR),
    U("evt.buflen", INT),
    U("evt.latency", RELTIME),
    U("evt.cpu", INT),
    U("evt.is_io", BOOL),
    U("evt.is_io_read", BOOL),
    U("evt.is_io_write", BOOL),
    U("evt.is_wait", BOOL),
    U("evt.plugininfo", STR),
    U("evt.asynctype", STR),

    F("proc.name", STR, 0, PROC, x_proc_name, "the process's name (its comm, 15 characters at most)"),
    F("proc.exe", STR, 0, PROC, x_proc_exe, "the first command-line argument (argv[0])"),
    F("proc.exepath", STR, 0, PROC, x_proc_exepath,
      "the executable's full path, as the process's root sees it"),
    F("proc.args", STR, 0, PROC, x_proc_args, "the arguments after argv[0], joined by spaces"),
    F("proc.cmdline", STR, 0, PROC, x_proc_cmdline, "proc.name and proc.args"),
    F("proc.exeline", STR, 0, PROC, x_proc_exeline, "proc.exe and proc.args"),
    F("proc.cmdnargs", INT, 0, PROC, x_proc_cmdnargs, "the number of arguments"),
    F("proc.cmdlenargs", INT, 0, PROC, x_proc_cmdlenargs, "the length of the arguments"),
    F("proc.cwd", STR, 0, PROC, x_proc_cwd, "the working directory, with a trailing '/'"),
    F("proc.pid", INT, 0, PROC, x_proc_pid, "the process id (the host's pid namespace)"),
    F("proc.vpid", INT, 0, PROC, x_proc_pid, "the process id in its own pid namespace"),
    F("proc.ppid", INT, 0, PROC, x_proc_pid, "the parent's process id"),
    F("proc.pname", STR, 0, PROC, x_proc_name, "the parent's name"),
    F("proc.pexe", STR, 0, PROC, x_proc_exe, "the parent's argv[0]"),
    F("proc.pexepath", STR, 0, PROC, x_proc_exepath, "the parent's executable path"),
    F("proc.pcmdline", STR, 0, PROC, x_proc_cmdline, "the parent's command line"),
    F("proc.aname", STR, AIDX, PROC, x_proc_name,
      "ancestor N's name (1 the parent); without [N], any ancestor"),
    F("proc.aexe", STR, AIDX, PROC, x_proc_exe, "ancestor N's argv[0]"),
    F("proc.aexepath", STR, AIDX, PROC, x_proc_exepath, "ancestor N's executable path"),
    F("proc.acmdline", STR, AIDX, PROC, x_proc_cmdline, "ancestor N's command line"),
    F("proc.apid", INT, AIDX, PROC, x_proc_ppid_of, "ancestor N's process id"),
    F("proc.tty", INT, 0, PROC, x_proc_tty, "the controlling terminal (0: none)"),
    F("proc.sid", INT, 0, PROC, x_proc_sid, "the session id"),
    F("proc.sname", STR, 0, PROC, x_proc_sname, "the session leader's name"),
    F("proc.vpgid.name", STR, 0, PROC, x_proc_name, "the process group leader's name"),
    F("proc.vpgid.exe", STR, 0, PROC, x_proc_exe, "the process group leader's argv[0]"),
    F("proc.vpgid.exepath", STR, 0, PROC, x_proc_exepath, "the process group leader's executable path"),
    F("proc.is_vpgid_leader", BOOL, 0, PROC, x_proc_is_vpgid_leader, "the process leads its process group"),
    F("proc.duration", RELTIME, 0, PROC, x_proc_duration, "nanoseconds since the process started"),
    F("proc.ppid.duration", RELTIME, 0, PROC, x_proc_duration, "nanoseconds since the parent started"),
    F("proc.is_exe_from_memfd", BOOL, 0, PROC, x_proc_memfd,
      "the executable is a memfd (fileless execution)"),
    F("proc.is_exe_upper_layer", BOOL, BW_FF_DRIFT | BW_FF_NOFANOTIFY, PROC, x_proc_upper,
      "the executable is not in the container image's layers, or was changed after the container "
      "started (decided from the image, whatever the storage driver)"),
    F("proc.exe_ino", INT, 0, PROC, x_proc_exe_ino, "the executable's inode number"),
    F("proc.exe_ino.ctime", ABSTIME, 0, PROC, x_proc_exe_ino, "the executable's last status change"),
    F("proc.exe_ino.mtime", ABSTIME, 0, PROC, x_proc_exe_ino, "the executable's last modification"),
    F("proc.exe_ino.ctime_duration_proc_start", RELTIME, 0, PROC, x_proc_exe_ino,
      "nanoseconds from the executable's last change to the process's start"),
    U("proc.vpgid", INT),
    U("proc.loginshellid", INT),
    U("proc.is_exe_writable", BOOL),
    U("proc.is_exe_lower_layer", BOOL),
    U("proc.exe_ino.ctime_duration_pidns_start", RELTIME),
    U("proc.pidns_init_start_ts", ABSTIME),
    U("proc.is_container_healthcheck", BOOL),
    U("proc.is_container_liveness_probe", BOOL),
    U("proc.is_container_readiness_probe", BOOL),
    U("proc.nthreads", INT),
    U("proc.nchilds", INT),
    U("proc.env", STR),
    U("proc.aenv", STR),
    U("proc.fdopencount", INT),
    U("proc.fdlimit", INT),
    U("proc.vmsize", INT),
    U("proc.vmrss", INT),
    U("proc.stdin.type", STR),
    U("proc.stdout.type", STR),
    U("proc.stderr.type", STR),
    U("proc.stdin.name", STR),
    U("proc.stdout.name", STR),
    U("proc.stderr.name", STR),
    U("proc.exe_ino.upper_layer", BOOL),
    F("thread.tid", INT, 0, PROC, x_thread_tid, "the thread id"),
    F("thread.ismain", BOOL, 0, PROC, x_thread_tid, "the thread is the process's main thread"),
    F("thread.cap_effective", STR, 0, PROC, x_thread_caps, "effective capabilities (CAP_CHOWN CAP_…)"),
    F("thread.cap_permitted", STR, 0, PROC, x_thread_caps, "permitted capabilities"),
    F("thread.cap_inheritable", STR, 0, PROC, x_thread_caps, "inheritable capabilities"),
    U("thread.vtid", INT),
    U("thread.exectime", RELTIME),
    U("thread.totexectime", RELTIME),

    F("user.uid", INT, 0, PROC, x_user_uid, "the effective user id"),
    F("user.name", STR, 0, PROC, x_user_name, "the effective user's name (the container's /etc/passwd)"),
    F("user.loginuid", INT, 0, PROC, x_user_uid, "the audit login user id (-1: none)"),
    F("user.loginname", STR, 0, PROC, x_user_name, "the login user's name"),
    F("group.gid", INT, 0, PROC, x_user_uid, "the effective group id"),
    F("group.name", STR, 0, PROC, x_user_name, "the effective group's name"),
    U("user.homedir", STR),
    U("user.shell", STR),

    F("fd.num", INT, 0, KFD, x_fd_num, "the file descriptor (-1 when the open failed)"),
    F("fd.type", STR, 0, KFD, x_fd_type, "file, directory, ipv4, ipv6, unix, pipe, memfd, other"),
    F("fd.typechar", CHAR, 0, KFD, x_fd_type, "f, d, 4, 6, u, p, o"),
    F("fd.name", STR, 0, KFD, x_fd_name,
      "a file's full path; a connection's client:port->server:port; a unix socket's path"),
    F("fd.nameraw", STR, 0, KFD, x_fd_nameraw, "the path as the program gave it"),
    F("fd.directory", STR, 0, KOPEN, x_fd_dirfile, "the directory of fd.name"),
    F("fd.filename", STR, 0, KOPEN, x_fd_dirfile, "the last component of fd.name"),
    F("fd.ip", IP, 0, KNET, x_fd_ip, "either end's address"),
    F("fd.cip", IP, 0, KNET, x_fd_ip, "the client's address"),
    F("fd.sip", IP, 0, KNET, x_fd_ip, "the server's address"),
    F("fd.lip", IP, 0, KNET, x_fd_ip, "the local address"),
    F("fd.rip", IP, 0, KNET, x_fd_ip, "the remote address"),
    F("fd.net", NET, 0, KNET, x_fd_ip, "either end's address, compared with a network (a/n)"),
    F("fd.cnet", NET, 0, KNET, x_fd_ip, "the client's address, compared with a network"),
    F("fd.snet", NET, 0, KNET, x_fd_ip, "the server's address, compared with a network"),
    F("fd.lnet", NET, 0, KNET, x_fd_ip, "the local address, compared with a network"),
    F("fd.rnet", NET, 0, KNET, x_fd_ip, "the remote address, compared with a network"),
    F("fd.port", PORT, 0, KNET, x_fd_port, "the server's port"),
    F("fd.cport", PORT, 0, KNET, x_fd_port, "the client's port"),
    F("fd.sport", PORT, 0, KNET, x_fd_port, "the server's port"),
    F("fd.lport", PORT, 0, KNET, x_fd_port, "the local port"),
    F("fd.rport", PORT, 0, KNET, x_fd_port, "the remote port"),
    F("fd.sip.name", STR, 0, KNET, x_fd_ipname,
      "the name a rule compares the server's address with (names are resolved when the rules load)"),
    F("fd.cip.name", STR, 0, KNET, x_fd_ipname, "as fd.sip.name, for the client"),
    F("fd.lip.name", STR, 0, KNET, x_fd_ipname, "as fd.sip.name, for the local end"),
    F("fd.rip.name", STR, 0, KNET, x_fd_ipname, "as fd.sip.name, for the remote end"),
    F("fd.l4proto", STR, 0, KNET | K(SOCKET), x_fd_l4proto, "tcp, udp, icmp or raw"),
    F("fd.sockfamily", STR, 0, KFD, x_fd_sockfamily, "ip or unix"),
    F("fd.is_server", BOOL, 0, KNET, x_fd_is_server, "the process is the server end"),
    F("fd.connected", BOOL, 0, KFD, x_fd_connected, "the socket is connected"),
    F("fd.name_changed", BOOL, 0, KFD, x_fd_name_changed, "always false (sendto/sendmsg are not recorded)"),
    F("fd.dev", INT, 0, KOPEN, x_fd_devino, "the opened file's device"),
    F("fd.ino", INT, 0, KOPEN, x_fd_devino, "the opened file's inode number"),
    F("fd.containername", STR, 0, KFD, x_fd_containername, "container.id:fd.name"),
    F("fd.containerdirectory", STR, 0, KOPEN, x_fd_containername, "container.id:fd.directory"),
    U("fd.types", STR),
    U("fd.uid", STR),
    U("fd.dev.major", INT),
    U("fd.dev.minor", INT),
    U("fd.cproto", STR),
    U("fd.sproto", STR),
    U("fd.lproto", STR),
    U("fd.rproto", STR),

    F("fs.path.name", STR, 0, KPATH, x_fs_path, "the path of unlink, chmod (absolute)"),
    F("fs.path.nameraw", STR, 0, KPATH, x_fs_path, "the path of unlink, chmod as given"),
    F("fs.path.source", STR, 0, KPATH, x_fs_path, "rename, link: the old path; symlink: the link's target"),
    F("fs.path.sourceraw", STR, 0, KPATH, x_fs_path, "fs.path.source as given"),
    F("fs.path.target", STR, 0, KPATH, x_fs_path, "rename, link: the new path; symlink: the link made"),
    F("fs.path.targetraw", STR, 0, KPATH, x_fs_path, "fs.path.target as given"),

    F("container.id", STR, 0, 0, x_ctr_str, "the container's id (12 characters), 'host' on the host"),
    F("container.full_id", STR, 0, 0, x_ctr_str, "the container's full id, 'host' on the host"),
    F("container.name", STR, 0, 0, x_ctr_str, "the container's name, 'host' on the host"),
    F("container.type", STR, 0, 0, x_ctr_str, "docker, podman, containerd, cri-o or host"),
    F("container.image", STR, 0, 0, x_ctr_str, "the image as the container was made from it (repo:tag)"),
    F("container.image.repository", STR, 0, 0, x_ctr_str, "the image's repository"),
    F("container.image.tag", STR, 0, 0, x_ctr_str, "the image's tag"),
    F("container.image.id", STR, 0, 0, x_ctr_str, "the image's id"),
    F("container.image.digest", STR, 0, 0, x_ctr_str, "the image's repository digest"),
    F("container.privileged", BOOL, 0, 0, x_ctr_privileged, "the container runs privileged"),
    F("container.start_ts", ABSTIME, 0, 0, x_ctr_start, "when the container started"),
    F("container.duration", RELTIME, 0, 0, x_ctr_start, "nanoseconds since the container started"),
    F("container.label", STR, BW_FF_ARG_REQ, 0, x_ctr_label, "a label's value: container.label[KEY]"),
    F("container.labels", STR, 0, 0, x_ctr_label, "every label as key:value"),
    F("k8s.pod.name", STR, 0, 0, x_ctr_str, "the pod's name (io.kubernetes.pod.name)"),
    F("k8s.ns.name", STR, 0, 0, x_ctr_str, "the pod's namespace (io.kubernetes.pod.namespace)"),
    F("k8s.pod.uid", STR, 0, 0, x_ctr_str, "the pod's uid (io.kubernetes.pod.uid)"),
    F("k8s.container.name", STR, 0, 0, x_ctr_str, "the container's name in its pod"),
    U("container.mounts", STR),
    U("container.mount", STR),
    U("container.mount.source", STR),
    U("container.mount.dest", STR),
    U("container.mount.mode", STR),
    U("container.mount.rdwr", STR),
    U("container.mount.propagation", STR),
    U("container.healthcheck", STR),
    U("container.liveness_probe", STR),
    U("container.readiness_probe", STR),
    U("container.ip", STR),
    U("container.cni.json", STR),
    U("container.host_pid", BOOL),
    U("container.host_network", BOOL),
    U("container.host_ipc", BOOL),
    U("container.info", STR),
    U("k8s.pod.label", STR),
    U("k8s.pod.labels", STR),
    U("k8s.pod.ip", STR),
    U("k8s.pod.cni.json", STR),
    U("k8s.pod.sandbox_id", STR),
    U("k8s.pod.full_sandbox_id", STR),
    U("k8s.ns.label", STR),
    U("k8s.rc.name", STR),
    U("k8s.svc.name", STR),
    U("k8s.deployment.name", STR),
    U("k8s.rs.name", STR),
};
const size_t bw_mon_n_fields = BW_ARRAY_SIZE(bw_mon_fields);

const struct bw_mon_field *bw_mon_field_find(const char *name, size_t len, const char **arg, size_t *arglen)
{
	*arg = NULL;
	*arglen = 0;
	/* NAME[ARG] */
	size_t base = len;
	const char *br = memchr(name, '[', len);
	if (br && len && name[len - 1] == ']') {
		base = (size_t)(br - name);
		*arg = br + 1;
		*arglen = len - base - 2;
	}
	for (size_t i = 0; i < bw_mon_n_fields; i++) {
		const struct bw_mon_field *f = &bw_mon_fields[i];
		size_t fl = strlen(f->name);
		if (fl == base && memcmp(f->name, name, fl) == 0)
			return f;
	}
	/* evt.arg.NAME */
	for (size_t i = 0; i < bw_mon_n_fields && !br; i++) {
		const struct bw_mon_field *f = &bw_mon_fields[i];
		size_t fl = strlen(f->name);
		if ((f->flags & BW_FF_ARG_DOT) && base > fl + 1 && memcmp(f->name, name, fl) == 0 &&
		    name[fl] == '.') {
			*arg = name + fl + 1;
			*arglen = base - fl - 1;
			return f;
		}
	}
	return NULL;
}

const char *bw_mon_field_render(struct bw_mon_event *ev, const struct bw_mon_field *f, const char *arg,
				int64_t argn)
{
	struct bw_mon_val v = {0};
	if (!f->extract(ev, f, arg, argn, &v))
		return "<NA>";
	switch (v.type) {
	case BW_FT_STR:
	case BW_FT_IP:
	case BW_FT_NET:
	case BW_FT_CHAR:
		return v.s ? bw_mon_ev_strdup(ev, v.s, v.len) : "<NA>";
	case BW_FT_BOOL:
		return v.i ? "true" : "false";
	default: {
		const char *s = bw_mon_ev_printf(ev, "%lld", (long long)v.i);
		return s ? s : "<NA>";
	}
	}
}
