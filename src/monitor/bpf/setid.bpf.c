/* setuid, setgid, setreuid, setregid, setresuid, setresgid: the ids asked for
 * (the record's syscall number tells which call). */
#include "common.bpf.h"

static __always_inline int bw_setid(struct pt_regs *regs, long ret, int nargs)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_SETID, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_setid *e = BW_FIXED(s, struct bw_ev_setid);
	e->id[0] = (__u32)BW_ARG1(regs);
	e->id[1] = nargs > 1 ? (__u32)BW_ARG2(regs) : 0xffffffffu;
	e->id[2] = nargs > 2 ? (__u32)BW_ARG3(regs) : 0xffffffffu;
	e->pad = 0;
	bw_emit(s, BW_STR0(struct bw_ev_setid));
	return 0;
}

BW_SYSCALL_PROG(setid1)
{
	return bw_setid(regs, ret, 1);
}

BW_SYSCALL_PROG(setid2)
{
	return bw_setid(regs, ret, 2);
}

BW_SYSCALL_PROG(setid3)
{
	return bw_setid(regs, ret, 3);
}
