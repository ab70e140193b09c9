/* init_module and finit_module: a kernel module load, allowed or not. */
#include "common.bpf.h"

static __always_inline int bw_module(struct pt_regs *regs, long ret, __u64 len_or_fd, const char *uargs,
				     __u32 flags)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_MODULE, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_module *e = BW_FIXED(s, struct bw_ev_module);
	e->len_or_fd = len_or_fd;
	e->flags = flags;
	e->pad = 0;
	bw_emit(s, bw_put_str(s, BW_STR0(struct bw_ev_module), uargs, BW_EV_NAME_MAX, true));
	return 0;
}

BW_SYSCALL_PROG(init_module)
{
	return bw_module(regs, ret, BW_ARG2(regs), (const char *)BW_ARG3(regs), 0);
}

BW_SYSCALL_PROG(finit_module)
{
	return bw_module(regs, ret, BW_ARG1(regs), (const char *)BW_ARG2(regs), (__u32)BW_ARG3(regs));
}
