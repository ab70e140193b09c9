/* unlink, unlinkat, rmdir, rename, renameat, renameat2 of sensitive paths. */
#include "common.bpf.h"

static __always_inline __u32 bw_put_user_path(struct bw_scratch *s, __u32 off, struct task_struct *t,
					      int dirfd, const char *upath)
{
	return bw_put_str(s, off, upath, BW_EV_PATH_MAX, true);
}

static __always_inline int bw_unlink(struct pt_regs *regs, long ret, int dirfd, const char *upath,
				     __u32 flags)
{
	struct bw_ev_config *cfg = bw_config();
	struct bw_scratch *s = bw_scratch();
	if (!cfg || !s)
		return 0;
	bool rel = false;
	bool m = bw_prefix_match(s, cfg, upath, &rel, true);
	if (!(cfg->flags & BW_CFG_ALL_PATHS) && !m && !(rel && (cfg->flags & BW_CFG_OPEN_DOTDOT))) {
		bw_count(BW_STAT_FILTERED);
		return 0;
	}
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	s = bw_begin(t, BW_EV_UNLINK, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_path2 *e = BW_FIXED(s, struct bw_ev_path2);
	e->olddirfd = dirfd;
	e->newdirfd = -1;
	e->flags = flags;
	e->pad = 0;
	__u32 off = bw_put_user_path(s, BW_STR0(struct bw_ev_path2), t, dirfd, upath);
	if (rel && dirfd == BW_AT_FDCWD)
		off = bw_put_cwd(s, off, t);
	else if (rel)
		off = bw_put_fd_path(s, off, t, dirfd);
	else
		off = bw_put_missing(s, off);
	bw_emit(s, off);
	return 0;
}

static __always_inline int bw_rename(struct pt_regs *regs, long ret, int olddirfd, const char *oldp,
				     int newdirfd, const char *newp, __u32 flags)
{
	struct bw_ev_config *cfg = bw_config();
	struct bw_scratch *s = bw_scratch();
	if (!cfg || !s)
		return 0;
	bool rel = false, rel2 = false;
	bool m = bw_prefix_match(s, cfg, oldp, &rel, true);
	if (!m)
		m = bw_prefix_match(s, cfg, newp, &rel2, true);
	if (!(cfg->flags & BW_CFG_ALL_PATHS) && !m && !((rel || rel2) && (cfg->flags & BW_CFG_OPEN_DOTDOT))) {
		bw_count(BW_STAT_FILTERED);
		return 0;
	}
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	s = bw_begin(t, BW_EV_RENAME, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_path2 *e = BW_FIXED(s, struct bw_ev_path2);
	e->olddirfd = olddirfd;
	e->newdirfd = newdirfd;
	e->flags = flags;
	e->pad = 0;
	__u32 off = bw_put_user_path(s, BW_STR0(struct bw_ev_path2), t, olddirfd, oldp);
	off = bw_put_user_path(s, off, t, newdirfd, newp);
	bw_emit(s, off);
	return 0;
}

BW_SYSCALL_PROG(unlink)
{
	return bw_unlink(regs, ret, BW_AT_FDCWD, (const char *)BW_ARG1(regs), 0);
}

BW_SYSCALL_PROG(unlinkat)
{
	return bw_unlink(regs, ret, (int)BW_ARG1(regs), (const char *)BW_ARG2(regs), (__u32)BW_ARG3(regs));
}

BW_SYSCALL_PROG(rename)
{
	return bw_rename(regs, ret, BW_AT_FDCWD, (const char *)BW_ARG1(regs), BW_AT_FDCWD,
			 (const char *)BW_ARG2(regs), 0);
}

BW_SYSCALL_PROG(renameat)
{
	return bw_rename(regs, ret, (int)BW_ARG1(regs), (const char *)BW_ARG2(regs), (int)BW_ARG3(regs),
			 (const char *)BW_ARG4(regs), 0);
}

BW_SYSCALL_PROG(renameat2)
{
	return bw_rename(regs, ret, (int)BW_ARG1(regs), (const char *)BW_ARG2(regs), (int)BW_ARG3(regs),
			 (const char *)BW_ARG4(regs), (__u32)BW_ARG5(regs));
}
