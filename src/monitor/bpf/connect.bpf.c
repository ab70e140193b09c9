/* connect: the remote end from the call's sockaddr (known even when it
 * failed), the local end and the socket type from the socket. */
#include "common.bpf.h"

BW_SYSCALL_PROG(connect)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_CONNECT, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_sock *e = BW_FIXED(s, struct bw_ev_sock);
	__builtin_memset(e, 0, sizeof(*e));
	e->fd = (int)BW_ARG1(regs);
	bw_sock_info(t, e->fd, e);
	__u32 off = bw_sockaddr(s, BW_STR0(struct bw_ev_sock), (const void *)BW_ARG2(regs),
				(long)BW_ARG3(regs), e, true);
	bw_emit(s, off);
	return 0;
}
