/* sched_process_exit of a thread-group leader: the process table forgets it. */
#include "common.bpf.h"

SEC("raw_tp/sched_process_exit")
int BPF_PROG(bw_exit, struct task_struct *p)
{
	struct bw_ev_config *cfg = bw_config();
	if (!cfg || !(cfg->kinds & (1u << BW_EV_EXIT)))
		return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	if (BPF_CORE_READ(t, pid) != BPF_CORE_READ(t, tgid))
		return 0;
	if (bw_filtered(cfg, t))
		return 0;
	struct bw_scratch *s = bw_scratch();
	if (!s)
		return 0;
	bw_fill_hdr((void *)s->ev, t, BW_EV_EXIT, BW_EV_NO_SYSCALL);
	struct bw_ev_exit *e = BW_FIXED(s, struct bw_ev_exit);
	e->exit_code = BPF_CORE_READ(t, exit_code);
	e->pad = 0;
	bw_emit(s, BW_STR0(struct bw_ev_exit));
	return 0;
}
