/* open, openat, openat2, creat. Opens are the busiest hook: the kernel side
 * keeps only those the loaded rules can use (writes, sensitive prefixes,
 * relative or ".." paths — see bw_ev_config.flags). */
#include "common.bpf.h"

#define BW_O_ACCMODE 3
#define BW_O_CREAT 0100
#define BW_O_TRUNC 01000
#define BW_O_APPEND 02000

static __always_inline int bw_open(struct pt_regs *regs, long ret, int dirfd, const char *upath, __u32 flags,
				   __u32 mode, __u64 resolve)
{
	struct bw_ev_config *cfg = bw_config();
	struct bw_scratch *s = bw_scratch();
	if (!cfg || !s)
		return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	bool pass = cfg->flags & BW_CFG_ALL_OPENS;
	bool write = (flags & BW_O_ACCMODE) || (flags & (BW_O_CREAT | BW_O_TRUNC | BW_O_APPEND));
	if (!pass && write && (cfg->flags & BW_CFG_OPEN_WRITES) && ret >= 0)
		pass = true;
	bool rel = false;
	if (!pass) {
		bool m = bw_prefix_match(s, cfg, upath, &rel, write);
		if (m && (ret >= 0 || (cfg->flags & BW_CFG_OPEN_FAILED)))
			pass = true;
		if (rel && (cfg->flags & BW_CFG_OPEN_DOTDOT))
			pass = true;
	}
	if (!pass) {
		bw_count(BW_STAT_FILTERED);
		return 0;
	}
	s = bw_begin(t, BW_EV_OPEN, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_open *e = BW_FIXED(s, struct bw_ev_open);
	e->dirfd = dirfd;
	e->flags = flags;
	e->mode = mode;
	e->resolve = resolve;
	e->dev = 0;
	e->ino = 0;
	e->pad = 0;
	struct file *f = ret >= 0 ? bw_fd_file(t, ret) : NULL;
	e->fdkind = bw_file_kind(f);
	if (f) {
		e->ino = BPF_CORE_READ(f, f_inode, i_ino);
		e->dev = BPF_CORE_READ(f, f_inode, i_sb, s_dev);
	}
	__u32 off = BW_STR0(struct bw_ev_open);
	off = bw_put_str(s, off, upath, BW_EV_PATH_MAX, true);
	char first = 0;
	bpf_probe_read_user(&first, 1, upath);
	if (first == '/')
		off = bw_put_missing(s, off);
	else if (f)
		off = bw_put_path(s, off, t, &f->f_path);
	else if (dirfd == BW_AT_FDCWD)
		off = bw_put_cwd(s, off, t);
	else
		off = bw_put_fd_path(s, off, t, dirfd);
	bw_emit(s, off);
	return 0;
}

BW_SYSCALL_PROG(openat)
{
	return bw_open(regs, ret, (int)BW_ARG1(regs), (const char *)BW_ARG2(regs), (__u32)BW_ARG3(regs),
		       (__u32)BW_ARG4(regs), 0);
}

BW_SYSCALL_PROG(open)
{
	return bw_open(regs, ret, BW_AT_FDCWD, (const char *)BW_ARG1(regs), (__u32)BW_ARG2(regs),
		       (__u32)BW_ARG3(regs), 0);
}

BW_SYSCALL_PROG(creat)
{
	return bw_open(regs, ret, BW_AT_FDCWD, (const char *)BW_ARG1(regs), 01 | BW_O_CREAT | BW_O_TRUNC,
		       (__u32)BW_ARG2(regs), 0);
}

BW_SYSCALL_PROG(openat2)
{
	struct open_how how = {};
	bpf_probe_read_user(&how, sizeof(how), (const void *)BW_ARG3(regs));
	return bw_open(regs, ret, (int)BW_ARG1(regs), (const char *)BW_ARG2(regs), (__u32)how.flags,
		       (__u32)how.mode, how.resolve);
}
