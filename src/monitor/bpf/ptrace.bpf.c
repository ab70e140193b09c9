/* ptrace: the request and its target. */
#include "common.bpf.h"

BW_SYSCALL_PROG(ptrace)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_PTRACE, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_ptrace *e = BW_FIXED(s, struct bw_ev_ptrace);
	e->request = BW_ARG1(regs);
	e->target_pid = (__u32)BW_ARG2(regs);
	e->pad = 0;
	bw_emit(s, BW_STR0(struct bw_ev_ptrace));
	return 0;
}
