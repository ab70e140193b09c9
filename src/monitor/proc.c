/* The process table: what the rules know of a process beyond one record —
 * its name, command line, executable, working directory, terminal, parent
 * (for proc.pname and proc.aname[N]). Filled from exec and fork records;
 * processes that started before the monitor, or whose records were lost,
 * are read from /proc once. Dead processes stay a while so that their
 * children's lineage still reads; the table is bounded (a fork bomb evicts
 * the oldest dead entries first and counts what it had to drop). */
#include <dirent.h>
#include <fcntl.h>

#include "monitor-int.h"

static void proc_free(struct bw_mon_proc *p)
{
	if (!p)
		return;
	free(p->exe);
	free(p->exepath);
	free(p->args);
	free(p->cwd);
	free(p);
}

void bw_mon_proctab_init(struct bw_mon_proctab *t, size_t max)
{
	memset(t, 0, sizeof(*t));
	t->max = max ? max : 262144;
}

static bool free_all(void *ud, uint64_t key, void *val)
{
	proc_free(val);
	return true;
}

void bw_mon_proctab_release(struct bw_mon_proctab *t)
{
	bw_mon_hash_sweep(&t->by_pid, free_all, NULL);
	bw_mon_hash_release(&t->by_pid);
	t->n = 0;
}

struct bw_mon_proc *bw_mon_proctab_peek(const struct bw_mon_proctab *t, uint32_t pid)
{
	return bw_mon_hash_get(&t->by_pid, pid);
}

/* "a\0b\0c\0" -> exe "a", args "b c" */
static void set_argv(struct bw_mon_proc *p, const char *s, size_t len)
{
	free(p->exe);
	free(p->args);
	while (len && s[len - 1] == '\0')
		len--;
	size_t first = strnlen(s, len);
	p->exe = bw_strndup(s, first);
	if (first >= len) {
		p->args = bw_strdup("");
		return;
	}
	char *a = bw_strndup(s + first + 1, len - first - 1);
	for (size_t i = 0; i < len - first - 1; i++)
		if (a[i] == '\0')
			a[i] = ' ';
	p->args = a;
}

static char *str_dup(const struct bw_mon_str *s)
{
	if (s->flags & BW_STRF_MISSING)
		return NULL;
	return bw_strndup(s->p, s->len);
}

static char *read_link(int dirfd, const char *name)
{
	char buf[4096];
	ssize_t n = readlinkat(dirfd, name, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return bw_strdup(buf);
}

static ssize_t read_small(int dirfd, const char *name, char *buf, size_t size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* The process as /proc describes it now, or NULL. */
static struct bw_mon_proc *from_proc(uint32_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%u", pid);
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return NULL;
	char stat[1024];
	ssize_t n = read_small(dfd, "stat", stat, sizeof(stat));
	char *lp = n > 0 ? strchr(stat, '(') : NULL, *rp = n > 0 ? strrchr(stat, ')') : NULL;
	if (!lp || !rp || rp < lp) {
		close(dfd);
		return NULL;
	}
	struct bw_mon_proc *p = bw_calloc(1, sizeof(*p));
	p->pid = pid;
	p->drift = -1;
	p->from_proc = true;
	size_t cl = (size_t)(rp - lp - 1);
	if (cl > BW_EV_COMM)
		cl = BW_EV_COMM;
	memcpy(p->comm, lp + 1, cl);
	char state;
	int ppid, pgid, sid, tty;
	unsigned long long start = 0;
	/* fields after the name: state ppid pgrp session tty_nr ... starttime (22nd) */
	if (sscanf(rp + 2, "%c %d %d %d %d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
		   &state, &ppid, &pgid, &sid, &tty, &start) == 6) {
		p->ppid = (uint32_t)ppid;
		p->pgid = (uint32_t)pgid;
		p->sid = (uint32_t)sid;
		p->tty = (uint32_t)tty;
		long hz = sysconf(_SC_CLK_TCK);
		p->start_boot = hz > 0 ? start * (1000000000ull / (unsigned long long)hz) : 0;
	}
	char *cmd = malloc(8192);
	if (cmd) {
		n = read_small(dfd, "cmdline", cmd, 8192);
		if (n > 0)
			set_argv(p, cmd, (size_t)n);
		free(cmd);
	}
	if (!p->exe)
		p->exe = bw_strdup(p->comm);
	if (!p->args)
		p->args = bw_strdup("");
	p->exepath = read_link(dfd, "exe");
	char *cwd = read_link(dfd, "cwd");
	if (cwd) {
		p->cwd = bw_asprintf("%s%s", cwd, strcmp(cwd, "/") == 0 ? "" : "/");
		free(cwd);
	}
	char status[4096];
	if (read_small(dfd, "status", status, sizeof(status)) > 0) {
		char *u = strstr(status, "\nUid:");
		unsigned ru, eu;
		if (u && sscanf(u + 5, "%u %u", &ru, &eu) == 2) {
			p->uid = ru;
			p->euid = eu;
		}
		char *g = strstr(status, "\nGid:");
		if (g && sscanf(g + 5, "%u %u", &ru, &eu) == 2) {
			p->gid = ru;
			p->egid = eu;
		}
		char *ce = strstr(status, "\nCapEff:");
		if (ce)
			p->cap_eff = strtoull(ce + 8, NULL, 16);
		char *cp = strstr(status, "\nCapPrm:");
		if (cp)
			p->cap_perm = strtoull(cp + 8, NULL, 16);
		char *ci = strstr(status, "\nCapInh:");
		if (ci)
			p->cap_inh = strtoull(ci + 8, NULL, 16);
	}
	close(dfd);
	return p;
}

static bool gc_dead(void *ud, uint64_t key, void *val)
{
	struct bw_mon_proc *p = val;
	double *cut = ud;
	if (p->dead && p->dead_at <= *cut) {
		proc_free(p);
		return true;
	}
	return false;
}

void bw_mon_proctab_gc(struct bw_mon_proctab *t, double now, double grace)
{
	double cut = now - grace;
	size_t before = t->by_pid.n;
	bw_mon_hash_sweep(&t->by_pid, gc_dead, &cut);
	t->n = t->by_pid.n;
	(void)before;
}

static bool evict_one(void *ud, uint64_t key, void *val)
{
	int *left = ud;
	if (*left <= 0)
		return false;
	(*left)--;
	proc_free(val);
	return true;
}

static void insert(struct bw_mon_proctab *t, struct bw_mon_proc *p)
{
	struct bw_mon_proc *old = bw_mon_hash_get(&t->by_pid, p->pid);
	if (old) {
		proc_free(old);
	} else if (t->by_pid.n >= t->max) {
		/* full: drop dead entries now, then anything (a fork bomb) */
		double cut = 1e300;
		bw_mon_hash_sweep(&t->by_pid, gc_dead, &cut);
		if (t->by_pid.n >= t->max) {
			int left = (int)(t->max / 16) + 1;
			t->evicted += (uint64_t)left;
			bw_mon_hash_sweep(&t->by_pid, evict_one, &left);
		}
	}
	bw_mon_hash_put(&t->by_pid, p->pid, p);
	t->n = t->by_pid.n;
}

struct bw_mon_proc *bw_mon_proctab_get(struct bw_mon_proctab *t, uint32_t pid)
{
	if (pid == 0)
		return NULL;
	struct bw_mon_proc *p = bw_mon_hash_get(&t->by_pid, pid);
	if (p)
		return p;
	p = from_proc(pid);
	if (p)
		insert(t, p);
	return p;
}

void bw_mon_proctab_seed(struct bw_mon_proctab *t)
{
	DIR *d = opendir("/proc");
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);
		if (*end || !pid || pid > UINT32_MAX)
			continue;
		if (bw_mon_hash_get(&t->by_pid, pid))
			continue;
		struct bw_mon_proc *p = from_proc((uint32_t)pid);
		if (p)
			insert(t, p);
	}
	closedir(d);
}

static struct bw_mon_proc *from_hdr(struct bw_mon_proctab *t, const struct bw_ev_hdr *h)
{
	struct bw_mon_proc *p = bw_mon_proctab_get(t, h->pid);
	if (p)
		return p;
	p = bw_calloc(1, sizeof(*p));
	p->pid = h->pid;
	p->ppid = h->ppid;
	p->drift = -1;
	memcpy(p->comm, h->comm, BW_EV_COMM);
	p->exe = bw_strndup(h->comm, strnlen(h->comm, BW_EV_COMM));
	p->args = bw_strdup("");
	insert(t, p);
	return p;
}

void bw_mon_proc_fill_exec(struct bw_mon_proc *p, const struct bw_ev_hdr *h, const void *fixed,
			   const struct bw_mon_str *strs, int nstr)
{
	const struct bw_ev_exec *e = fixed;
	p->from_proc = false;
	p->dead = false;
	p->ppid = h->ppid;
	p->vpid = h->vpid;
	memcpy(p->comm, h->comm, BW_EV_COMM);
	p->comm[BW_EV_COMM] = '\0';
	p->start_boot = e->start_time;
	p->tty = e->tty;
	p->sid = e->sid;
	p->pgid = e->pgid;
	p->cap_eff = h->cap_effective;
	p->cap_perm = e->cap_permitted;
	p->cap_inh = e->cap_inheritable;
	p->exe_ino = e->exe_ino;
	p->exe_ctime = e->exe_ctime;
	p->exe_mtime = e->exe_mtime;
	p->exe_flags = e->exe_flags;
	p->exe_mode = e->exe_mode;
	p->exe_nlink = e->exe_nlink;
	p->exe_dev = e->exe_dev;
	p->cgroup_id = h->cgroup_id;
	p->drift = -1;
	if (nstr > 2 && !(strs[2].flags & BW_STRF_MISSING)) {
		set_argv(p, strs[2].p, strs[2].len);
		p->args_trunc = (strs[2].flags & BW_STRF_TRUNCATED) != 0;
	} else if (nstr > 0) {
		free(p->exe);
		free(p->args);
		p->exe = str_dup(&strs[0]);
		p->args = bw_strdup("");
	}
	free(p->exepath);
	p->exepath = nstr > 1 ? str_dup(&strs[1]) : NULL;
	p->exepath_trunc = nstr > 1 && (strs[1].flags & BW_STRF_TRUNCATED);
	free(p->cwd);
	p->cwd = NULL;
	if (nstr > 3 && !(strs[3].flags & BW_STRF_MISSING)) {
		bool root = strs[3].len == 1 && strs[3].p[0] == '/';
		p->cwd = bw_asprintf("%.*s%s", (int)strs[3].len, strs[3].p, root ? "" : "/");
		p->cwd_trunc = (strs[3].flags & BW_STRF_TRUNCATED) != 0;
	}
}

void bw_mon_proc_release_strings(struct bw_mon_proc *p)
{
	free(p->exe);
	free(p->exepath);
	free(p->args);
	free(p->cwd);
	p->exe = p->exepath = p->args = p->cwd = NULL;
}

struct bw_mon_proc *bw_mon_proctab_apply(struct bw_mon_proctab *t, const struct bw_ev_hdr *h,
					 const void *fixed, const struct bw_mon_str *strs, int nstr,
					 double now)
{
	if (h->flags & BW_EVF_NOPROC)
		return NULL;
	struct bw_mon_proc *p;
	switch (h->kind) {
	case BW_EV_FORK: {
		const struct bw_ev_fork *f = fixed;
		struct bw_mon_proc *parent = from_hdr(t, h);
		struct bw_mon_proc *c = bw_calloc(1, sizeof(*c));
		*c = *parent;
		c->pid = f->child_pid;
		c->ppid = h->pid;
		c->start_boot = f->child_start;
		c->dead = false;
		c->exe = parent->exe ? bw_strdup(parent->exe) : NULL;
		c->exepath = parent->exepath ? bw_strdup(parent->exepath) : NULL;
		c->args = parent->args ? bw_strdup(parent->args) : NULL;
		c->cwd = parent->cwd ? bw_strdup(parent->cwd) : NULL;
		insert(t, c);
		/* insert may have evicted the parent: look it up again */
		return bw_mon_hash_get(&t->by_pid, h->pid);
	}
	case BW_EV_EXEC: {
		p = bw_mon_hash_get(&t->by_pid, h->pid);
		if (!p) {
			p = bw_calloc(1, sizeof(*p));
			p->pid = h->pid;
			insert(t, p);
		}
		bw_mon_proc_fill_exec(p, h, fixed, strs, nstr);
		break;
	}
	case BW_EV_EXIT:
		p = bw_mon_hash_get(&t->by_pid, h->pid);
		if (p) {
			p->dead = true;
			p->dead_at = now;
		}
		return p;
	default:
		p = from_hdr(t, h);
		break;
	}
	p->uid = h->uid;
	p->gid = h->gid;
	p->euid = h->euid;
	p->egid = h->egid;
	p->loginuid = h->loginuid;
	p->cgroup_id = h->cgroup_id;
	return p;
}

struct bw_mon_proc *bw_mon_proctab_ancestor(struct bw_mon_proctab *t, struct bw_mon_proc *p, int n)
{
	for (int i = 0; i < n && p; i++) {
		if (p->ppid == 0 || p->ppid == p->pid)
			return NULL;
		p = bw_mon_proctab_get(t, p->ppid);
	}
	return p;
}
