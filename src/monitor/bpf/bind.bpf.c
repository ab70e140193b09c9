/* bind: the local end the call asked for. */
#include "common.bpf.h"

BW_SYSCALL_PROG(bind)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_BIND, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_sock *e = BW_FIXED(s, struct bw_ev_sock);
	__builtin_memset(e, 0, sizeof(*e));
	e->fd = (int)BW_ARG1(regs);
	bw_sock_info(t, e->fd, e);
	__u32 off = bw_sockaddr(s, BW_STR0(struct bw_ev_sock), (const void *)BW_ARG2(regs),
				(long)BW_ARG3(regs), e, false);
	bw_emit(s, off);
	return 0;
}
