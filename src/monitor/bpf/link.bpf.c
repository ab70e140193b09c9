/* symlink, symlinkat, link, linkat: links over sensitive files. Rare enough
 * to keep them all. */
#include "common.bpf.h"

static __always_inline int bw_link(struct pt_regs *regs, long ret, __u16 kind, int olddirfd, const char *oldp,
				   int newdirfd, const char *newp, __u32 flags)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, kind, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_path2 *e = BW_FIXED(s, struct bw_ev_path2);
	e->olddirfd = olddirfd;
	e->newdirfd = newdirfd;
	e->flags = flags;
	e->pad = 0;
	__u32 off = bw_put_str(s, BW_STR0(struct bw_ev_path2), oldp, BW_EV_PATH_MAX, true);
	off = bw_put_str(s, off, newp, BW_EV_PATH_MAX, true);
	bw_emit(s, off);
	return 0;
}

BW_SYSCALL_PROG(symlink)
{
	return bw_link(regs, ret, BW_EV_SYMLINK, BW_AT_FDCWD, (const char *)BW_ARG1(regs), BW_AT_FDCWD,
		       (const char *)BW_ARG2(regs), 0);
}

BW_SYSCALL_PROG(symlinkat)
{
	return bw_link(regs, ret, BW_EV_SYMLINK, BW_AT_FDCWD, (const char *)BW_ARG1(regs), (int)BW_ARG2(regs),
		       (const char *)BW_ARG3(regs), 0);
}

BW_SYSCALL_PROG(link)
{
	return bw_link(regs, ret, BW_EV_LINK, BW_AT_FDCWD, (const char *)BW_ARG1(regs), BW_AT_FDCWD,
		       (const char *)BW_ARG2(regs), 0);
}

BW_SYSCALL_PROG(linkat)
{
	return bw_link(regs, ret, BW_EV_LINK, (int)BW_ARG1(regs), (const char *)BW_ARG2(regs),
		       (int)BW_ARG3(regs), (const char *)BW_ARG4(regs), (__u32)BW_ARG5(regs));
}
