/* A learned profile as a Docker/OCI seccomp profile: the default action
 * refuses (EPERM), and one rule allows exactly the syscalls the image's
 * containers made while learning, plus what the container runtime itself
 * calls between installing the filter and starting the program (runc's
 * init: it installs the filter before it drops privileges and execs, and
 * Go's runtime runs meanwhile). Learning leaves the runtime's own process
 * out, so its needs are this list, kept short and explained. */
#include "monitor-int.h"

/* runc's init after seccomp is installed (runc 1.1, standard_init_linux.go):
 * finalizeNamespace — closing inherited descriptors through /proc/self/fd
 * (openat, fstatfs to check it is procfs, getdents64, fcntl, close), capget,
 * prctl (bounding set, keep-caps), setgroups, setgid and setuid (Go runs
 * them on every thread: tgkill, rt_sigreturn, futex), chdir, capset — then
 * getppid, the program's lookup in PATH (newfstatat, faccessat2), the exec
 * fifo (openat, write), execve; and the Go runtime meanwhile (mmap, futex,
 * nanosleep, epoll, signals). Checked by tests/integration: a learned
 * workload runs under the profile with --cap-drop ALL. */
static const char *const runtime_needs[] = {
    "arch_prctl",      "brk",
    "capget",	       "capset",
    "chdir",	       "close",
    "close_range",     "dup3",
    "epoll_create1",   "epoll_ctl",
    "epoll_pwait",     "epoll_wait",
    "execve",	       "exit",
    "exit_group",      "faccessat",
    "faccessat2",      "fchdir",
    "fchown",	       "fcntl",
    "fstat",	       "fstatfs",
    "futex",	       "getcwd",
    "getdents64",      "getegid",
    "geteuid",	       "getgid",
    "getpid",	       "getppid",
    "getrandom",       "gettid",
    "getuid",	       "lseek",
    "madvise",	       "mmap",
    "mprotect",	       "munmap",
    "nanosleep",       "newfstatat",
    "openat",	       "prctl",
    "prlimit64",       "read",
    "readlinkat",      "rseq",
    "rt_sigaction",    "rt_sigprocmask",
    "rt_sigreturn",    "sched_getaffinity",
    "sched_yield",     "set_robust_list",
    "set_tid_address", "setgid",
    "setgroups",       "setresgid",
    "setresuid",       "setuid",
    "sigaltstack",     "statfs",
    "tgkill",	       "umask",
    "write",	       "clone",
    "clone3",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

json_t *bw_monitor_profile_seccomp(const struct bw_monitor_profile *p)
{
	json_t *seen = bw_mon_profile_syscalls(p);
	size_t cap = json_object_size(seen) + BW_ARRAY_SIZE(runtime_needs);
	const char **names = bw_calloc(cap + 1, sizeof(*names));
	size_t n = 0;
	const char *k;
	json_t *v;
	json_object_foreach(seen, k, v)
	{
		if (bw_mon_syscall_nr(k) >= 0)
			names[n++] = k;
	}
	for (size_t i = 0; i < BW_ARRAY_SIZE(runtime_needs); i++) {
		if (bw_mon_syscall_nr(runtime_needs[i]) < 0 || json_object_get(seen, runtime_needs[i]))
			continue;
		names[n++] = runtime_needs[i];
	}
	qsort(names, n, sizeof(*names), cmp_str);
	json_t *o = json_object();
	json_object_set_new(o, "defaultAction", json_string("SCMP_ACT_ERRNO"));
	json_object_set_new(o, "defaultErrnoRet", json_integer(1));
	json_t *arch = json_array();
#if defined(__x86_64__)
	json_array_append_new(arch, json_string("SCMP_ARCH_X86_64"));
#elif defined(__aarch64__)
	json_array_append_new(arch, json_string("SCMP_ARCH_AARCH64"));
#endif
	json_object_set_new(o, "architectures", arch);
	json_t *rules = json_array();
	json_t *allow = json_object();
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(names[i]));
	json_object_set_new(allow, "names", arr);
	json_object_set_new(allow, "action", json_string("SCMP_ACT_ALLOW"));
	json_object_set_new(
	    allow, "comment",
	    json_string("learned by bulwark monitor --learn, plus the container runtime's needs"));
	json_array_append_new(rules, allow);
	json_object_set_new(o, "syscalls", rules);
	free(names);
	return o;
}
