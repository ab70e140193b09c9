/* execve and execveat that failed (a successful one is sched_process_exec's):
 * the file asked for and the first arguments, still in the caller's memory. */
#include "common.bpf.h"

#define BW_FAIL_ARGS 8

static __always_inline int bw_execfail(struct pt_regs *regs, long ret, const char *file,
				       const char *const *argv)
{
	if (ret >= 0)
		return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_scratch *s = bw_begin(t, BW_EV_EXEC_FAIL, regs, ret);
	if (!s)
		return 0;
	struct bw_ev_exec_fail *e = BW_FIXED(s, struct bw_ev_exec_fail);
	e->pad = 0;
	__u32 off = bw_put_str(s, BW_STR0(struct bw_ev_exec_fail), file, BW_EV_PATH_MAX, true);
	__u32 n = 0;
	for (int i = 0; i < BW_FAIL_ARGS; i++) {
		const char *a = NULL;
		if (!argv || bpf_probe_read_user(&a, sizeof(a), &argv[i]) < 0 || !a)
			break;
		off = bw_put_str(s, off, a, BW_EV_NAME_MAX, true);
		n++;
	}
	e->argc_read = n;
	bw_emit(s, off);
	return 0;
}

BW_SYSCALL_PROG(execve)
{
	return bw_execfail(regs, ret, (const char *)BW_ARG1(regs), (const char *const *)BW_ARG2(regs));
}

BW_SYSCALL_PROG(execveat)
{
	return bw_execfail(regs, ret, (const char *)BW_ARG2(regs), (const char *const *)BW_ARG3(regs));
}
