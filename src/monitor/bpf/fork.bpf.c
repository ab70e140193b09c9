/* sched_process_fork: a new process (threads are left out), in the parent's
 * context. */
#include "common.bpf.h"

SEC("raw_tp/sched_process_fork")
int BPF_PROG(bw_fork, struct task_struct *parent, struct task_struct *child)
{
	struct bw_ev_config *cfg = bw_config();
	if (!cfg || !(cfg->kinds & (1u << BW_EV_FORK)))
		return 0;
	if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
		return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	if (bw_filtered(cfg, t))
		return 0;
	struct bw_scratch *s = bw_scratch();
	if (!s)
		return 0;
	bw_fill_hdr((void *)s->ev, t, BW_EV_FORK, BW_EV_NO_SYSCALL);
	struct bw_ev_fork *e = BW_FIXED(s, struct bw_ev_fork);
	e->child_pid = BPF_CORE_READ(child, tgid);
	e->pad = 0;
	e->child_start = BPF_CORE_READ(child, start_boottime);
	bw_emit(s, BW_STR0(struct bw_ev_fork));
	return 0;
}
