/* listen: the socket's local end and the backlog. */
#include "common.bpf.h"

BW_SYSCALL_PROG(listen)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_LISTEN, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_sock *e = BW_FIXED(s, struct bw_ev_sock);
	__builtin_memset(e, 0, sizeof(*e));
	e->fd = (int)BW_ARG1(regs);
	e->arg = (int)BW_ARG2(regs);
	bw_sock_info(t, e->fd, e);
	bw_emit(s, bw_put_missing(s, BW_STR0(struct bw_ev_sock)));
	return 0;
}
