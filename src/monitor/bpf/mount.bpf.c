/* mount and umount2. */
#include "common.bpf.h"

BW_SYSCALL_PROG(mount)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_MOUNT, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_mount *e = BW_FIXED(s, struct bw_ev_mount);
	e->flags = BW_ARG4(regs);
	__u32 off = BW_STR0(struct bw_ev_mount);
	off = bw_put_str(s, off, (const char *)BW_ARG1(regs), BW_EV_PATH_MAX, true);
	off = bw_put_str(s, off, (const char *)BW_ARG2(regs), BW_EV_PATH_MAX, true);
	off = bw_put_str(s, off, (const char *)BW_ARG3(regs), BW_EV_NAME_MAX, true);
	bw_emit(s, off);
	return 0;
}

BW_SYSCALL_PROG(umount2)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_UMOUNT, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_umount *e = BW_FIXED(s, struct bw_ev_umount);
	e->flags = (__u32)BW_ARG2(regs);
	e->pad = 0;
	bw_emit(s, bw_put_str(s, BW_STR0(struct bw_ev_umount), (const char *)BW_ARG1(regs), BW_EV_PATH_MAX,
			      true));
	return 0;
}
