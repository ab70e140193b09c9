/* capset: the sets asked for (a v3 header: two 32-bit words per set). */
#include "common.bpf.h"

struct bw_cap_header {
	__u32 version;
	int pid;
};
struct bw_cap_data {
	__u32 effective, permitted, inheritable;
};

BW_SYSCALL_PROG(capset)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_CAPSET, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_capset *e = BW_FIXED(s, struct bw_ev_capset);
	struct bw_cap_header hd = {};
	struct bw_cap_data d[2] = {};
	bpf_probe_read_user(&hd, sizeof(hd), (const void *)BW_ARG1(regs));
	bpf_probe_read_user(&d, sizeof(d), (const void *)BW_ARG2(regs));
	e->effective = d[0].effective | ((__u64)d[1].effective << 32);
	e->permitted = d[0].permitted | ((__u64)d[1].permitted << 32);
	e->inheritable = d[0].inheritable | ((__u64)d[1].inheritable << 32);
	e->target_pid = hd.pid;
	e->pad = 0;
	bw_emit(s, BW_STR0(struct bw_ev_capset));
	return 0;
}
