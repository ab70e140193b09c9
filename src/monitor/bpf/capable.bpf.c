/* capability:cap_capable (kernels from 6.14): while learning, count the
 * capabilities each cgroup was granted (and used: probing checks are left
 * out). An optional hook: where the kernel
 * lacks the tracepoint, user space infers capabilities from the syscalls. */
#include "common.bpf.h"

SEC("raw_tp/cap_capable")
int BPF_PROG(bw_cap_capable, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret)
{
	struct bw_ev_config *cfg = bw_config();
	if (!cfg || !(cfg->flags & BW_CFG_LEARN) || ret != 0)
		return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	if (bw_filtered(cfg, t) || bw_is_runtime_init())
		return 0;
	/* checks that only probe (the memory accounting's CAP_SYS_ADMIN test on
	 * every brk and mmap of root, the *_noaudit helpers) are not uses */
	__u64 st[4] = {};
	long n = bpf_get_stack(ctx, st, sizeof(st), 0);
	for (int i = 1; i < 4; i++) {
		if (i * 8 >= n)
			break;
		for (int r = 0; r < BW_EV_NOAUDIT; r++)
			if (st[i] >= cfg->noaudit[r][0] && st[i] < cfg->noaudit[r][1])
				return 0;
	}
	struct bw_ev_count_key k = {.cgroup_id = bpf_get_current_cgroup_id(), .id = (__u32)cap};
	__u64 one = 1, *v = bpf_map_lookup_elem(&bw_cap_counts, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&bw_cap_counts, &k, &one, BPF_NOEXIST);
	return 0;
}
