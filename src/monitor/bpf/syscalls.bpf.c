/* raw_syscalls:sys_exit, the one syscall hook: the kernel-side filter, the
 * learning counters, then a tail call into the program of that syscall
 * (user space puts only the syscalls the loaded rules need into
 * syscall_progs: that table is the per-event-type enable mask). */
#include "common.bpf.h"

SEC("raw_tp/sys_exit")
int BPF_PROG(bw_sys_exit, struct pt_regs *regs, long ret)
{
	struct bw_ev_config *cfg = bw_config();
	if (!cfg)
		return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	if (bw_filtered(cfg, t))
		return 0;
	__u32 nr = (__u32)BW_SYSCALL_NR(regs);
	if (nr >= BW_MAX_SYSCALLS)
		return 0;
	if ((cfg->flags & BW_CFG_LEARN) && !bw_is_runtime_init()) {
		struct bw_ev_count_key k = {.cgroup_id = bpf_get_current_cgroup_id(), .id = nr};
		__u64 one = 1, *v = bpf_map_lookup_elem(&bw_syscall_counts, &k);
		if (v)
			__sync_fetch_and_add(v, 1);
		else
			bpf_map_update_elem(&bw_syscall_counts, &k, &one, BPF_NOEXIST);
	}
	bpf_tail_call(ctx, &bw_syscall_progs, nr & (BW_MAX_SYSCALLS - 1));
	return 0;
}
