/* accept, accept4: both ends of the new connection, from its socket. */
#include "common.bpf.h"

static __always_inline int bw_accept(struct pt_regs *regs, long ret, int flags)
{
	if (ret < 0)
		return 0; /* EAGAIN on non-blocking listeners: noise */
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_ACCEPT, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_sock *e = BW_FIXED(s, struct bw_ev_sock);
	__builtin_memset(e, 0, sizeof(*e));
	e->fd = ret;
	e->arg = flags;
	bw_sock_info(t, ret, e);
	bw_emit(s, bw_put_missing(s, BW_STR0(struct bw_ev_sock)));
	return 0;
}

BW_SYSCALL_PROG(accept)
{
	return bw_accept(regs, ret, 0);
}

BW_SYSCALL_PROG(accept4)
{
	return bw_accept(regs, ret, (int)BW_ARG4(regs));
}
