/* memfd_create: an anonymous file, the first step of a fileless execution. */
#include "common.bpf.h"

BW_SYSCALL_PROG(memfd_create)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_MEMFD, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_memfd *e = BW_FIXED(s, struct bw_ev_memfd);
	e->flags = (__u32)BW_ARG2(regs);
	e->pad = 0;
	bw_emit(
	    s, bw_put_str(s, BW_STR0(struct bw_ev_memfd), (const char *)BW_ARG1(regs), BW_EV_NAME_MAX, true));
	return 0;
}
