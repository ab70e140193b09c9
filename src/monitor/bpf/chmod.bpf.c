/* chmod, fchmod, fchmodat, fchmodat2: kept when a set-id bit is asked for or
 * the path is a sensitive one. */
#include "common.bpf.h"

#define BW_S_ISID 06000

static __always_inline int bw_chmod(struct pt_regs *regs, long ret, int dirfd, const char *upath, __u32 mode,
				    __u32 flags)
{
	struct bw_ev_config *cfg = bw_config();
	struct bw_scratch *s = bw_scratch();
	if (!cfg || !s)
		return 0;
	bool rel = false;
	bool m = upath && bw_prefix_match(s, cfg, upath, &rel, true);
	if (!(cfg->flags & BW_CFG_ALL_PATHS) && !(mode & BW_S_ISID) && !m) {
		bw_count(BW_STAT_FILTERED);
		return 0;
	}
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	s = bw_begin(t, BW_EV_CHMOD, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_chmod *e = BW_FIXED(s, struct bw_ev_chmod);
	e->dirfd = dirfd;
	e->mode = mode;
	e->flags = flags;
	e->pad = 0;
	__u32 off = BW_STR0(struct bw_ev_chmod);
	if (upath) {
		off = bw_put_str(s, off, upath, BW_EV_PATH_MAX, true);
		char first = 0;
		bpf_probe_read_user(&first, 1, upath);
		if (first == '/')
			off = bw_put_missing(s, off);
		else if (dirfd == BW_AT_FDCWD)
			off = bw_put_cwd(s, off, t);
		else
			off = bw_put_fd_path(s, off, t, dirfd);
	} else {
		off = bw_put_missing(s, off);
		off = bw_put_fd_path(s, off, t, dirfd);
	}
	bw_emit(s, off);
	return 0;
}

BW_SYSCALL_PROG(chmod)
{
	return bw_chmod(regs, ret, BW_AT_FDCWD, (const char *)BW_ARG1(regs), (__u32)BW_ARG2(regs), 0);
}

BW_SYSCALL_PROG(fchmod)
{
	return bw_chmod(regs, ret, (int)BW_ARG1(regs), NULL, (__u32)BW_ARG2(regs), 0);
}

BW_SYSCALL_PROG(fchmodat)
{
	return bw_chmod(regs, ret, (int)BW_ARG1(regs), (const char *)BW_ARG2(regs), (__u32)BW_ARG3(regs),
			(__u32)BW_ARG4(regs));
}
