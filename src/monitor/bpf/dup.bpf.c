/* dup, dup2, dup3 whose new descriptor is a socket (a shell's standard
 * streams redirected to the network); other dups are not recorded. */
#include "common.bpf.h"

static __always_inline int bw_dup(struct pt_regs *regs, long ret, int oldfd)
{
	if (ret < 0)
		return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct file *f = bw_fd_file(t, ret);
	if (bw_file_kind(f) != BW_FD_SOCK) {
		bw_count(BW_STAT_FILTERED);
		return 0;
	}
	struct bw_scratch *s = bw_begin(t, BW_EV_DUP, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_sock *e = BW_FIXED(s, struct bw_ev_sock);
	__builtin_memset(e, 0, sizeof(*e));
	e->fd = ret;
	e->arg = oldfd;
	bw_sock_info(t, ret, e);
	bw_emit(s, bw_put_missing(s, BW_STR0(struct bw_ev_sock)));
	return 0;
}

BW_SYSCALL_PROG(dup)
{
	return bw_dup(regs, ret, (int)BW_ARG1(regs));
}
