/* What every eBPF program of the monitor shares: the maps (defined weak
 * and identical in every program's file; `bpftool gen object` merges them
 * when it links the programs into one object), the record header, the kernel-side filter, string and
 * path helpers, and the one way a record leaves: emit(), which counts what
 * the ring buffer could not take and never waits for user space. */
#ifndef BW_COMMON_BPF_H
#define BW_COMMON_BPF_H

/* generated from the build host's BTF into the build directory; the
 * libbpf headers below need its types first */
#include <vmlinux.h>

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "events.h"

/* The record being built: strings are appended at an offset kept below
 * BW_OFF_LIMIT, and every write is masked so the verifier sees it inside. */
#define BW_EVBUF 16384
#define BW_OFF_MASK 8191
#define BW_OFF_LIMIT (BW_OFF_MASK - 8)
#define BW_PATHBUF 4096
#define BW_PATH_DEPTH 48
#define BW_WAKEUP_BYTES (256 * 1024)
#define BW_MAX_SYSCALLS 512

struct bw_scratch {
	__u8 ev[BW_EVBUF];
	char path[BW_PATHBUF + 256];
	__u32 wpos, wtrunc; /* bw_walk_path()'s state */
};

struct bw_ringbuf_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* user space resizes it before load */
};
struct bw_config_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bw_ev_config);
};
struct bw_prefix_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BW_EV_PREFIXES);
	__type(key, __u32);
	__type(value, struct bw_ev_prefix);
};
struct bw_scratch_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bw_scratch);
};
struct bw_stats_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BW_STAT__COUNT);
	__type(key, __u32);
	__type(value, __u64);
};
struct bw_progs_map {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, BW_MAX_SYSCALLS);
	__type(key, __u32);
	__type(value, __u32);
};
struct bw_counts_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct bw_ev_count_key);
	__type(value, __u64);
};

struct bw_ringbuf_map bw_events SEC(".maps") __weak;
struct bw_config_map bw_cfg SEC(".maps") __weak;
struct bw_prefix_map bw_prefixes SEC(".maps") __weak;
struct bw_scratch_map bw_scratch_buf SEC(".maps") __weak;
struct bw_stats_map bw_stats SEC(".maps") __weak;
struct bw_progs_map bw_syscall_progs SEC(".maps") __weak;
struct bw_counts_map bw_syscall_counts SEC(".maps") __weak;
struct bw_counts_map bw_cap_counts SEC(".maps") __weak;

#define BW_AT_FDCWD -100
#define BW_S_IFMT 00170000
#define BW_S_IFSOCK 0140000
#define BW_S_IFDIR 0040000
#define BW_S_IFREG 0100000
#define BW_S_IFIFO 0010000

static __always_inline struct bw_ev_config *bw_config(void)
{
	__u32 k = 0;
	return bpf_map_lookup_elem(&bw_cfg, &k);
}

static __always_inline struct bw_scratch *bw_scratch(void)
{
	__u32 k = 0;
	return bpf_map_lookup_elem(&bw_scratch_buf, &k);
}

static __always_inline void bw_count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&bw_stats, &which);
	if (v)
		*v += 1;
}

static __always_inline __u32 bw_task_mntns(struct task_struct *t)
{
	return BPF_CORE_READ(t, nsproxy, mnt_ns, ns.inum);
}

/* The kernel-side filter every hook applies first: the monitor itself, and
 * with --containers-only the host (its cgroup, or its mount namespace). True
 * when the event is to be dropped. */
static __always_inline bool bw_filtered(struct bw_ev_config *cfg, struct task_struct *t)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	if (pid == cfg->self_pid)
		return true;
	if (cfg->flags & BW_CFG_CONTAINERS_ONLY) {
		if (bpf_get_current_cgroup_id() == cfg->host_cgroup_id ||
		    bw_task_mntns(t) == cfg->host_mntns) {
			bw_count(BW_STAT_FILTERED);
			return true;
		}
	}
	return false;
}

static __always_inline __u32 bw_pid_nr_in_own_ns(struct pid *p)
{
	unsigned int level = BPF_CORE_READ(p, level);
	struct upid up;
	if (bpf_core_read(&up, sizeof(up), &p->numbers[level & 31]))
		return 0;
	return up.nr;
}

static __always_inline void bw_fill_hdr(struct bw_ev_hdr *h, struct task_struct *t, __u16 kind, __u16 sc)
{
	__u64 id = bpf_get_current_pid_tgid();
	h->kind = kind;
	h->syscall = sc;
	h->flags = 0;
	h->pid = id >> 32;
	h->tid = (__u32)id;
	h->ppid = BPF_CORE_READ(t, real_parent, tgid);
	h->vpid = bw_pid_nr_in_own_ns(BPF_CORE_READ(t, group_leader, thread_pid));
	const struct cred *c = BPF_CORE_READ(t, cred);
	h->uid = BPF_CORE_READ(c, uid.val);
	h->gid = BPF_CORE_READ(c, gid.val);
	h->euid = BPF_CORE_READ(c, euid.val);
	h->egid = BPF_CORE_READ(c, egid.val);
	h->cap_effective = 0;
	bpf_core_read(&h->cap_effective, sizeof(h->cap_effective), &c->cap_effective);
	h->loginuid = (__u32)-1;
	if (bpf_core_field_exists(t->loginuid))
		h->loginuid = BPF_CORE_READ(t, loginuid.val);
	h->mntns = bw_task_mntns(t);
	h->pidns = BPF_CORE_READ(t, nsproxy, pid_ns_for_children, ns.inum);
	h->pad = 0;
	h->ts = bpf_ktime_get_boot_ns();
	h->cgroup_id = bpf_get_current_cgroup_id();
	h->ret = 0;
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

/* Send the record s->ev[0..size): never waits; a full ring buffer is a drop,
 * counted per CPU. User space is woken only once enough has piled up (it
 * also polls on a short timer), so a busy machine does not pay a wake-up
 * per event — except for execs. */
static __always_inline void bw_emit(struct bw_scratch *s, __u32 size)
{
	struct bw_ev_hdr *h = (void *)s->ev;
	if (size > BW_OFF_MASK + 4 + BW_EV_ARGS_MAX)
		return;
	h->size = size;
	long avail = bpf_ringbuf_query(&bw_events, BPF_RB_AVAIL_DATA);
	/* an exec wakes user space at once: it reads the new process's
	 * /proc (its container's users) while the process still lives */
	__u64 flags =
	    avail >= BW_WAKEUP_BYTES || h->kind == BW_EV_EXEC ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	__u64 n = size;
	asm volatile("" : "+r"(n)); /* keep the mask: the verifier needs it on this register */
	n &= (BW_EVBUF - 1);
	if (bpf_ringbuf_output(&bw_events, s->ev, n, flags) < 0)
		bw_count(BW_STAT_DROPS);
	else
		bw_count(BW_STAT_EVENTS);
}

/* ---- strings -------------------------------------------------------------- */

static __always_inline struct bw_ev_str *bw_str_at(struct bw_scratch *s, __u32 off)
{
	return (struct bw_ev_str *)&s->ev[off & BW_OFF_MASK];
}

/* Append a string that is not there (flags BW_STRF_MISSING). */
static __always_inline __u32 bw_put_missing(struct bw_scratch *s, __u32 off)
{
	if (off > BW_OFF_LIMIT)
		return off;
	struct bw_ev_str *h = bw_str_at(s, off);
	h->len = 0;
	h->flags = BW_STRF_MISSING;
	return off + sizeof(*h);
}

/* Append a NUL-terminated string from user (user) or kernel memory, at most
 * max - 1 bytes (max a power of two, at most BW_EV_ARGS_MAX); longer ones are
 * cut and flagged. Returns the new offset. */
static __always_inline __u32 bw_put_str(struct bw_scratch *s, __u32 off, const void *src, __u32 max,
					bool user)
{
	if (off > BW_OFF_LIMIT)
		return off;
	if (!src)
		return bw_put_missing(s, off);
	struct bw_ev_str *h = bw_str_at(s, off);
	void *dst = &s->ev[(off + sizeof(*h)) & BW_OFF_MASK];
	long n = user ? bpf_probe_read_user_str(dst, max & (2 * BW_EV_ARGS_MAX - 1), src)
		      : bpf_probe_read_kernel_str(dst, max & (2 * BW_EV_ARGS_MAX - 1), src);
	if (n <= 0) {
		h->len = 0;
		h->flags = BW_STRF_MISSING;
		return off + sizeof(*h);
	}
	h->len = n - 1; /* without the NUL */
	h->flags = 0;
	if ((__u32)n == max) {
		/* filled: longer unless the last byte read was the real end */
		char probe = 0;
		const char *p = (const char *)src + (max - 1);
		if (user)
			bpf_probe_read_user(&probe, 1, p);
		else
			bpf_probe_read_kernel(&probe, 1, p);
		if (probe) {
			h->flags = BW_STRF_TRUNCATED;
			((struct bw_ev_hdr *)s->ev)->flags |= BW_EVF_TRUNCATED;
		}
	}
	return off + sizeof(*h) + h->len;
}

/* Append len bytes of user memory (a command line), cut at max - 1. */
static __always_inline __u32 bw_put_user_bytes(struct bw_scratch *s, __u32 off, const void *src, __u64 len,
					       __u32 max)
{
	if (off > BW_OFF_LIMIT)
		return off;
	struct bw_ev_str *h = bw_str_at(s, off);
	h->flags = 0;
	if (len > max - 1) {
		len = max - 1;
		h->flags = BW_STRF_TRUNCATED;
		((struct bw_ev_hdr *)s->ev)->flags |= BW_EVF_TRUNCATED;
	}
	len &= (BW_EV_ARGS_MAX - 1);
	void *dst = &s->ev[(off + sizeof(*h)) & BW_OFF_MASK];
	if (len && bpf_probe_read_user(dst, len, src) < 0) {
		h->len = 0;
		h->flags = BW_STRF_MISSING;
		return off + sizeof(*h);
	}
	h->len = len;
	return off + sizeof(*h) + len;
}

/* ---- paths ---------------------------------------------------------------- */

/* Write the path of (dentry, vfsmount) as the task whose root is `root`
 * sees it into s->path, backwards from its end: the path starts at the
 * returned offset and ends at BW_PATHBUF. Walks up through mount points;
 * a path deeper than BW_PATH_DEPTH or longer than the buffer is cut at its
 * start and *trunc set. */
static __always_inline __u32 bw_walk_path(struct bw_scratch *s, struct dentry *d, struct vfsmount *vm,
					  const struct path *root, bool *trunc)
{
	struct dentry *root_d = BPF_CORE_READ(root, dentry);
	struct vfsmount *root_m = BPF_CORE_READ(root, mnt);
	struct mount *mnt = container_of(vm, struct mount, mnt);
	/* The write position lives in the map, not in a register: the verifier
	 * then sees every iteration alike instead of one state per length. */
	s->wpos = BW_PATHBUF;
	s->wtrunc = 0;
	for (int i = 0; i < BW_PATH_DEPTH; i++) {
		if (d == root_d && vm == root_m)
			break;
		struct dentry *mnt_root = BPF_CORE_READ(vm, mnt_root);
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		if (d == parent && d != mnt_root && s->wpos == BW_PATHBUF) {
			/* a pseudo file's own dentry (memfd, pipe): its name alone,
			 * "memfd:NAME", as Falco shows it */
			__u32 len = BPF_CORE_READ(d, d_name.len) & 255;
			__u32 pos = BW_PATHBUF - len;
			bpf_probe_read_kernel(&s->path[pos & (BW_PATHBUF - 1)], len,
					      BPF_CORE_READ(d, d_name.name));
			s->wpos = pos;
			s->wtrunc = 2; /* no leading '/' */
			break;
		}
		if (d == mnt_root || d == parent) {
			struct mount *mp = BPF_CORE_READ(mnt, mnt_parent);
			if (mp == mnt || d != mnt_root)
				break; /* the global root, or a detached dentry */
			d = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = mp;
			vm = (struct vfsmount *)__builtin_preserve_access_index(&mp->mnt);
			continue;
		}
		__u32 len = BPF_CORE_READ(d, d_name.len) & 255;
		const unsigned char *name = BPF_CORE_READ(d, d_name.name);
		__u32 pos = s->wpos;
		if (len + 1 > pos || pos > BW_PATHBUF) {
			s->wtrunc = 1;
			break;
		}
		pos -= len;
		bpf_probe_read_kernel(&s->path[pos & (BW_PATHBUF - 1)], len, name);
		pos -= 1;
		s->path[pos & (BW_PATHBUF - 1)] = '/';
		s->wpos = pos;
		d = parent;
		if (i == BW_PATH_DEPTH - 1)
			s->wtrunc = 1;
	}
	__u32 pos = s->wpos;
	if (pos >= BW_PATHBUF) {
		pos = BW_PATHBUF - 1;
		s->path[pos] = '/';
	}
	*trunc = s->wtrunc == 1;
	return pos;
}

/* Append the path walked into s->path (from pos) as a string. */
static __always_inline __u32 bw_put_walked(struct bw_scratch *s, __u32 off, __u32 pos, bool trunc)
{
	if (off > BW_OFF_LIMIT)
		return off;
	struct bw_ev_str *h = bw_str_at(s, off);
	__u32 len = BW_PATHBUF - (pos & (BW_PATHBUF - 1));
	h->flags = 0;
	if (len > BW_EV_PATH_MAX - 1) {
		len = BW_EV_PATH_MAX - 1;
		trunc = true;
	}
	if (trunc) {
		h->flags = BW_STRF_TRUNCATED;
		((struct bw_ev_hdr *)s->ev)->flags |= BW_EVF_TRUNCATED;
	}
	len &= (BW_EV_PATH_MAX - 1);
	bpf_probe_read_kernel(&s->ev[(off + sizeof(*h)) & BW_OFF_MASK], len,
			      &s->path[pos & (BW_PATHBUF - 1)]);
	h->len = len;
	return off + sizeof(*h) + len;
}

static __always_inline __u32 bw_put_path(struct bw_scratch *s, __u32 off, struct task_struct *t,
					 const struct path *p)
{
	bool trunc;
	struct fs_struct *fs = BPF_CORE_READ(t, fs);
	if (!fs)
		return bw_put_missing(s, off);
	__u32 pos = bw_walk_path(s, BPF_CORE_READ(p, dentry), BPF_CORE_READ(p, mnt), &fs->root, &trunc);
	return bw_put_walked(s, off, pos, trunc);
}

static __always_inline __u32 bw_put_cwd(struct bw_scratch *s, __u32 off, struct task_struct *t)
{
	struct fs_struct *fs = BPF_CORE_READ(t, fs);
	if (!fs)
		return bw_put_missing(s, off);
	return bw_put_path(s, off, t, &fs->pwd);
}

/* The struct file of descriptor fd of the current task, or NULL. */
static __always_inline struct file *bw_fd_file(struct task_struct *t, long fd)
{
	if (fd < 0)
		return NULL;
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	if (!fdt || (unsigned long)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	bpf_core_read(&f, sizeof(f), &fds[fd & 0xfffff]);
	return f;
}

static __always_inline __u32 bw_put_fd_path(struct bw_scratch *s, __u32 off, struct task_struct *t, long fd)
{
	struct file *f = bw_fd_file(t, fd);
	if (!f)
		return bw_put_missing(s, off);
	return bw_put_path(s, off, t, &f->f_path);
}

/* ---- the path filter: open, unlink, rename, chmod ------------------------- */

/* Read the user path into s->path (as scratch) and decide whether it passes
 * the sensitive-prefix filter. Cheap by design: a bounded compare against at
 * most BW_EV_PREFIXES prefixes. A prefix that is for writes only matches
 * only when write is true. */
static __always_inline bool bw_prefix_match(struct bw_scratch *s, struct bw_ev_config *cfg, const char *upath,
					    bool *relative_or_dotdot, bool write)
{
	long n = bpf_probe_read_user_str(s->path, BW_EV_PREFIX_LEN, upath);
	*relative_or_dotdot = false;
	if (n <= 0)
		return false;
	if (s->path[0] != '/') {
		*relative_or_dotdot = true;
		return false;
	}
	/* a ".." component: looked for byte by byte only when a word of the
	 * path holds a '.' at all (most paths have none in their first bytes;
	 * bytes after the NUL may be stale, which costs time, not answers) */
	const __u64 *w = (const __u64 *)s->path;
	bool dot = false;
	for (int k = 0; k < BW_EV_PREFIX_LEN / 8; k++) {
		__u64 x = w[k] ^ 0x2e2e2e2e2e2e2e2eull;
		if ((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull) {
			dot = true;
			break;
		}
	}
	for (int j = 0; dot && j + 2 < BW_EV_PREFIX_LEN; j++) {
		if (!s->path[j])
			break;
		if (s->path[j] == '.' && s->path[j + 1] == '.' && (j == 0 || s->path[j - 1] == '/')) {
			*relative_or_dotdot = true;
			break;
		}
	}
	__u64 head = w[0];
	__u32 np = cfg->n_prefixes;
	for (__u32 i = 0; i < BW_EV_PREFIXES; i++) {
		if (i >= np)
			break;
		__u32 k = i;
		struct bw_ev_prefix *p = bpf_map_lookup_elem(&bw_prefixes, &k);
		if (!p)
			break;
		if ((head & p->mask) != p->head)
			continue;
		__u32 len = p->len;
		if (len == 0 || len > BW_EV_PREFIX_LEN - 1)
			continue;
		if ((p->flags & BW_PFX_WRITE_ONLY) && !write)
			continue;
		bool ok = true;
		for (__u32 j = 8; j < BW_EV_PREFIX_LEN - 1; j++) {
			if (j >= len)
				break;
			if (s->path[j] != p->s[j]) {
				ok = false;
				break;
			}
		}
		if (ok)
			return true;
	}
	return false;
}

/* ---- sockets ----------------------------------------------------------------- */

static __always_inline __u16 bw_file_kind(struct file *f)
{
	if (!f)
		return BW_FD_UNKNOWN;
	__u32 mode = BPF_CORE_READ(f, f_inode, i_mode) & BW_S_IFMT;
	switch (mode) {
	case BW_S_IFSOCK:
		return BW_FD_SOCK;
	case BW_S_IFDIR:
		return BW_FD_DIR;
	case BW_S_IFREG:
		return BW_FD_FILE;
	case BW_S_IFIFO:
		return BW_FD_PIPE;
	}
	return BW_FD_OTHER;
}

/* Fill the end points of the socket behind fd (family, type, protocol,
 * local and remote address and port). */
static __always_inline void bw_sock_info(struct task_struct *t, long fd, struct bw_ev_sock *e)
{
	struct file *f = bw_fd_file(t, fd);
	e->fdkind = bw_file_kind(f);
	if (e->fdkind != BW_FD_SOCK)
		return;
	struct socket *sock = BPF_CORE_READ(f, private_data);
	struct sock *sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return;
	e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->type = BPF_CORE_READ(sock, type);
	e->protocol = BPF_CORE_READ(sk, sk_protocol);
	e->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->rport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (e->family == 2) { /* AF_INET */
		bpf_core_read(e->laddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(e->raddr, 4, &sk->__sk_common.skc_daddr);
	} else if (e->family == 10) { /* AF_INET6 */
		bpf_core_read(e->laddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(e->raddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

/* Copy a user sockaddr (connect, bind) into e's remote (remote true) or
 * local end; a unix socket's path is appended as the record's string. */
struct bw_sockaddr {
	__u16 family;
	__u16 port;
	__u32 addr4;
	__u8 rest[104];
};

static __always_inline __u32 bw_sockaddr(struct bw_scratch *s, __u32 off, const void *uaddr, long ulen,
					 struct bw_ev_sock *e, bool remote)
{
	struct bw_sockaddr sa = {};
	if (!uaddr || ulen < 2)
		return bw_put_missing(s, off);
	if (ulen > (long)sizeof(sa))
		ulen = sizeof(sa);
	if (bpf_probe_read_user(&sa, ulen & 127, uaddr) < 0)
		return bw_put_missing(s, off);
	__u8 *addr = remote ? e->raddr : e->laddr;
	e->family = sa.family;
	if (sa.family == 2) {
		__builtin_memcpy(addr, &sa.addr4, 4);
		if (remote)
			e->rport = __builtin_bswap16(sa.port);
		else
			e->lport = __builtin_bswap16(sa.port);
	} else if (sa.family == 10) {
		/* sockaddr_in6: port, flowinfo (4), addr (16) */
		__builtin_memcpy(addr, &sa.rest[0], 16);
		if (remote)
			e->rport = __builtin_bswap16(sa.port);
		else
			e->lport = __builtin_bswap16(sa.port);
	} else if (sa.family == 1) { /* AF_UNIX: the path starts after the family */
		return bw_put_str(s, off, (const char *)uaddr + 2, 128, true);
	}
	return bw_put_missing(s, off);
}

/* The container runtime's own set-up process ("runc:[2:INIT]"): left out
 * of learned profiles, since the runtime's needs are added to them apart. */
static __always_inline bool bw_is_runtime_init(void)
{
	char c[8];
	bpf_get_current_comm(c, sizeof(c));
	return c[0] == 'r' && c[1] == 'u' && c[2] == 'n' && c[3] == 'c' && c[4] == ':';
}

/* Syscall arguments from the sys_exit tracepoint's saved registers. */
#define BW_ARG1(regs) PT_REGS_PARM1_CORE_SYSCALL(regs)
#define BW_ARG2(regs) PT_REGS_PARM2_CORE_SYSCALL(regs)
#define BW_ARG3(regs) PT_REGS_PARM3_CORE_SYSCALL(regs)
#define BW_ARG4(regs) PT_REGS_PARM4_CORE_SYSCALL(regs)
#define BW_ARG5(regs) PT_REGS_PARM5_CORE_SYSCALL(regs)

#if defined(__TARGET_ARCH_x86)
#define BW_SYSCALL_NR(regs) BPF_CORE_READ(regs, orig_ax)
#elif defined(__TARGET_ARCH_arm64)
#define BW_SYSCALL_NR(regs) BPF_CORE_READ(regs, syscallno)
#else
#error "the monitor's eBPF programs know x86 and arm64 registers only"
#endif

/* The header of a syscall record of the current task, in the scratch
 * buffer: NULL when there is no scratch (never). */
static __always_inline struct bw_scratch *bw_begin(struct task_struct *t, __u16 kind, struct pt_regs *regs,
						   long ret)
{
	struct bw_scratch *s = bw_scratch();
	if (!s)
		return NULL;
	struct bw_ev_hdr *h = (void *)s->ev;
	bw_fill_hdr(h, t, kind, (__u16)BW_SYSCALL_NR(regs));
	h->ret = ret;
	return s;
}

/* A syscall's program, two entry points around one body (which sees the
 * syscall's saved registers and its return value):
 *   bw_sys_NAME  tail-called from the raw sys_exit hook (syscalls.bpf.c),
 *                which filters first; every syscall pays for that hook
 *   bw_tp_NAME   attached to the syscall's own tracepoint,
 *                syscalls:sys_exit_NAME (needs tracefs), filtering itself;
 *                syscalls no rule watches cost no program at all
 * User space loads one set of the two (source_bpf.c), so the verifier sees
 * each body once. */
struct bw_tp_sys_exit {
	__u64 common; /* the trace event's common fields */
	__s32 nr;
	__s32 pad;
	__s64 ret;
};

#define BW_SYSCALL_PROG(name)                                                                                \
	static __always_inline int bw_body_##name(struct pt_regs *regs, long ret);                           \
	SEC("raw_tp")                                                                                        \
	int BPF_PROG(bw_sys_##name, struct pt_regs *regs, long ret)                                          \
	{                                                                                                    \
		return bw_body_##name(regs, ret);                                                            \
	}                                                                                                    \
	SEC("tp")                                                                                            \
	int bw_tp_##name(struct bw_tp_sys_exit *ctx)                                                         \
	{                                                                                                    \
		struct bw_ev_config *cfg = bw_config();                                                      \
		if (!cfg || bw_filtered(cfg, (struct task_struct *)bpf_get_current_task()))                  \
			return 0;                                                                            \
		struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());       \
		if (!regs)                                                                                   \
			return 0;                                                                            \
		return bw_body_##name(regs, ctx->ret);                                                       \
	}                                                                                                    \
	static __always_inline int bw_body_##name(struct pt_regs *regs, long ret)

#define BW_FIXED(s, type) ((type *)&(s)->ev[sizeof(struct bw_ev_hdr)])
#define BW_STR0(type) ((__u32)(sizeof(struct bw_ev_hdr) + sizeof(type)))

#endif
