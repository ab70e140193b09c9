/* sched_process_exec: a program started. The record carries what the rules
 * and the process table need: the file as given, the executable's resolved
 * path and inode, argv, the working directory, the terminal, the session,
 * the capabilities and the cgroup's name. */
#include "common.bpf.h"

static __always_inline __u32 tty_nr(struct task_struct *t)
{
	struct tty_struct *tty = BPF_CORE_READ(t, signal, tty);
	if (!tty)
		return 0;
	int index = BPF_CORE_READ(tty, index);
	struct tty_driver *drv = BPF_CORE_READ(tty, driver);
	__u32 major = BPF_CORE_READ(drv, major);
	__u32 minor = BPF_CORE_READ(drv, minor_start) + index;
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static __always_inline __u32 signal_pid(struct task_struct *t, int type)
{
	struct pid *p = NULL;
	struct signal_struct *sig = BPF_CORE_READ(t, signal);
	bpf_core_read(&p, sizeof(p), &sig->pids[type & 3]);
	if (!p)
		return 0;
	return BPF_CORE_READ(p, numbers[0].nr);
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(bw_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct bw_ev_config *cfg = bw_config();
	if (!cfg)
		return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	if (bw_filtered(cfg, t))
		return 0;
	struct bw_scratch *s = bw_scratch();
	if (!s)
		return 0;
	struct bw_ev_hdr *h = (void *)s->ev;
	__u16 sc = BW_EV_NO_SYSCALL;
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	if (regs)
		sc = (__u16)BW_SYSCALL_NR(regs);
	bw_fill_hdr(h, t, BW_EV_EXEC, sc);

	struct bw_ev_exec *e = BW_FIXED(s, struct bw_ev_exec);
	e->start_time = BPF_CORE_READ(t, group_leader, start_boottime);
	const struct cred *c = BPF_CORE_READ(t, cred);
	e->cap_permitted = e->cap_inheritable = 0;
	bpf_core_read(&e->cap_permitted, sizeof(__u64), &c->cap_permitted);
	bpf_core_read(&e->cap_inheritable, sizeof(__u64), &c->cap_inheritable);
	struct file *exe = BPF_CORE_READ(t, mm, exe_file);
	struct inode *ino = BPF_CORE_READ(exe, f_inode);
	e->exe_ino = BPF_CORE_READ(ino, i_ino);
	e->exe_dev = BPF_CORE_READ(ino, i_sb, s_dev);
	e->exe_mode = BPF_CORE_READ(ino, i_mode);
	e->exe_nlink = BPF_CORE_READ(ino, __i_nlink);
	e->exe_ctime = e->exe_mtime = 0;
	if (bpf_core_field_exists(ino->i_ctime_sec)) {
		e->exe_ctime =
		    BPF_CORE_READ(ino, i_ctime_sec) * 1000000000ull + BPF_CORE_READ(ino, i_ctime_nsec);
		e->exe_mtime =
		    BPF_CORE_READ(ino, i_mtime_sec) * 1000000000ull + BPF_CORE_READ(ino, i_mtime_nsec);
	}
	e->exe_flags = 0;
	if (e->exe_nlink == 0)
		e->exe_flags |= BW_EXEF_UNLINKED;
	char pfx[8] = {};
	bpf_probe_read_kernel_str(pfx, sizeof(pfx), BPF_CORE_READ(exe, f_path.dentry, d_name.name));
	if (pfx[0] == 'm' && pfx[1] == 'e' && pfx[2] == 'm' && pfx[3] == 'f' && pfx[4] == 'd' &&
	    pfx[5] == ':')
		e->exe_flags |= BW_EXEF_MEMFD;
	e->tty = tty_nr(t);
	e->sid = signal_pid(t, 3 /* PIDTYPE_SID */);
	e->pgid = signal_pid(t, 2 /* PIDTYPE_PGID */);
	e->pad = 0;

	__u32 off = BW_STR0(struct bw_ev_exec);
	off = bw_put_str(s, off, BPF_CORE_READ(bprm, filename), BW_EV_PATH_MAX, false);
	if (exe)
		off = bw_put_path(s, off, t, &exe->f_path);
	else
		off = bw_put_missing(s, off);
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	unsigned long as = BPF_CORE_READ(mm, arg_start), ae = BPF_CORE_READ(mm, arg_end);
	off = bw_put_user_bytes(s, off, (const void *)as, ae > as ? ae - as : 0, BW_EV_ARGS_MAX);
	off = bw_put_cwd(s, off, t);
	off = bw_put_str(s, off, BPF_CORE_READ(t, cgroups, dfl_cgrp, kn, name), BW_EV_NAME_MAX, false);
	bw_emit(s, off);
	return 0;
}
