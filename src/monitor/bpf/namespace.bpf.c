/* unshare and setns: a process leaving or joining namespaces. */
#include "common.bpf.h"

BW_SYSCALL_PROG(unshare)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_UNSHARE, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_ns *e = BW_FIXED(s, struct bw_ev_ns);
	e->flags = BW_ARG1(regs);
	e->fd = -1;
	e->pad = 0;
	bw_emit(s, BW_STR0(struct bw_ev_ns));
	return 0;
}

BW_SYSCALL_PROG(setns)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_SETNS, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_ns *e = BW_FIXED(s, struct bw_ev_ns);
	e->fd = (int)BW_ARG1(regs);
	e->flags = BW_ARG2(regs);
	e->pad = 0;
	bw_emit(s, BW_STR0(struct bw_ev_ns));
	return 0;
}
