/* socket: every domain but AF_UNIX and AF_NETLINK (the busy local ones). */
#include "common.bpf.h"

BW_SYSCALL_PROG(socket)
{
	__u32 domain = (__u32)BW_ARG1(regs);
	if (domain == 1 || domain == 16) {
		bw_count(BW_STAT_FILTERED);
		return 0;
	}
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_SOCKET, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_socket *e = BW_FIXED(s, struct bw_ev_socket);
	e->domain = domain;
	e->type = (__u32)BW_ARG2(regs);
	e->protocol = (__u32)BW_ARG3(regs);
	e->pad = 0;
	bw_emit(s, BW_STR0(struct bw_ev_socket));
	return 0;
}
