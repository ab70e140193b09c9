/* The seccomp-bpf allow-list (libseccomp). What a parsing process needs:
 * files through descriptors and paths (Landlock decides which paths),
 * memory, threads, time, signals to itself; with the network, new sockets
 * of the unix, IP and netlink families and connect(). Everything else, and
 * first of all execve, execveat, ptrace, mount, bpf, module loading,
 * namespaces, io_uring, raising a limit and signals to other processes,
 * is refused: the call fails with EPERM, and the SIGSYS handler writes one
 * line naming it, once per system call, to the policy's report fd. Where
 * the handler cannot set a return value (architectures other than x86-64
 * and AArch64) refused calls fail with EPERM unreported. */
#include <errno.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <ucontext.h>

#include "sandbox-int.h"

#if defined(__x86_64__) || defined(__aarch64__)
#define SB_TRAP 1
#else
#define SB_TRAP 0
#endif

static const char *const allowed[] = {
    /* files, by descriptor and by path */
    "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2", "pwritev2",
    "lseek", "_llseek", "open", "openat", "openat2", "creat", "close", "close_range", "dup", "dup2", "dup3",
    "fcntl", "fcntl64", "flock", "fsync", "fdatasync", "sync_file_range", "ftruncate", "ftruncate64",
    "truncate", "fallocate", "fadvise64", "fadvise64_64", "readahead", "copy_file_range", "sendfile",
    "sendfile64", "splice", "tee", "stat", "lstat", "fstat", "stat64", "lstat64", "fstat64", "newfstatat",
    "fstatat64", "statx", "statfs", "fstatfs", "statfs64", "fstatfs64", "access", "faccessat", "faccessat2",
    "readlink", "readlinkat", "getdents", "getdents64", "getcwd", "chdir", "fchdir", "umask", "mkdir",
    "mkdirat", "rmdir", "unlink", "unlinkat", "rename", "renameat", "renameat2", "link", "linkat", "utime",
    "utimes", "utimensat", "futimesat", "fchmod", "fchown", "getxattr", "lgetxattr", "fgetxattr", "listxattr",
    "llistxattr", "flistxattr", "pipe", "pipe2",
    /* waiting on descriptors */
    "poll", "ppoll", "select", "_newselect", "pselect6", "epoll_create", "epoll_create1", "epoll_ctl",
    "epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2",
    /* sockets already open (standard streams, the engine's connection) */
    "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "getsockopt", "setsockopt",
    "getsockname", "getpeername", "shutdown",
    /* memory */
    "mmap", "mmap2", "munmap", "mprotect", "mremap", "madvise", "brk", "msync", "mincore", "membarrier",
    /* threads, the scheduler, the process's own identity */
    "futex", "futex_waitv", "set_robust_list", "get_robust_list", "set_tid_address", "rseq", "exit",
    "exit_group", "wait4", "waitid", "gettid", "getpid", "getppid", "getuid", "geteuid", "getgid", "getegid",
    "getuid32", "geteuid32", "getgid32", "getegid32", "getgroups", "getresuid", "getresgid", "getpgrp",
    "getpgid", "getsid", "getpriority", "sched_yield", "sched_getaffinity", "sched_getparam",
    "sched_getscheduler", "getcpu", "arch_prctl", "prctl", "capget", "uname", "sysinfo", "getrusage", "times",
    "getrlimit", "ugetrlimit", "restart_syscall",
    /* time and signals */
    "clock_gettime", "clock_gettime64", "clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday",
    "time", "alarm", "setitimer", "getitimer", "timer_create", "timer_settime", "timer_gettime",
    "timer_delete", "timer_getoverrun", "timerfd_create", "timerfd_settime", "timerfd_gettime",
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigreturn", "rt_sigtimedwait", "rt_sigpending",
    "rt_sigsuspend", "sigaltstack", "getrandom"};

/* ioctl requests: terminals' size and attributes, non-blocking mode */
static const unsigned long allowed_ioctl[] = {TCGETS,  TIOCGWINSZ, TIOCGPGRP, FIONREAD,
					      FIONBIO, FIOCLEX,	   FIONCLEX};

/* socket families with the network: the engine's unix socket, registries
 * over IPv4 and IPv6, the resolver's netlink query of local addresses */
static const int allowed_family[] = {AF_UNIX, AF_INET, AF_INET6, AF_NETLINK};

#define NAMES_MAX 512 /* past the highest system call number of x86-64 and AArch64 */
static char *names[NAMES_MAX];
static volatile sig_atomic_t reported[NAMES_MAX];
static char prefix[64];
static size_t prefix_len;
static int report_fd = STDERR_FILENO;

#if SB_TRAP
static void put(char *line, size_t *n, size_t cap, const char *s)
{
	while (*s && *n < cap)
		line[(*n)++] = *s++;
}

/* SIGSYS from the filter: report the call once, make it return -EPERM. */
static void on_sigsys(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	int saved = errno;
	int nr = si->si_syscall;
	ucontext_t *uc = ucv;
#if defined(__x86_64__)
	uc->uc_mcontext.gregs[REG_RAX] = -EPERM;
#else
	uc->uc_mcontext.regs[0] = (unsigned long long)(long long)-EPERM;
#endif
	if (nr >= 0 && nr < NAMES_MAX) {
		if (reported[nr])
			goto out;
		reported[nr] = 1;
	}
	char line[256], num[24];
	size_t n = 0;
	put(line, &n, sizeof(line) - 1, prefix);
	put(line, &n, sizeof(line) - 1, "refused by the sandbox: system call ");
	if (nr >= 0 && nr < NAMES_MAX && names[nr]) {
		put(line, &n, sizeof(line) - 1, names[nr]);
	} else {
		size_t k = sizeof(num) - 1;
		unsigned v = nr < 0 ? 0u : (unsigned)nr;
		num[k] = '\0';
		do
			num[--k] = (char)('0' + v % 10);
		while ((v /= 10) && k);
		put(line, &n, sizeof(line) - 1, num + k);
	}
	line[n++] = '\n';
	ssize_t w = write(report_fd, line, n);
	(void)w;
out:
	errno = saved;
}
#endif

static int add(scmp_filter_ctx ctx, const char *name, unsigned n_args, const struct scmp_arg_cmp *args)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return 0; /* not a system call of this architecture */
	int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, n_args, args);
	return nr < 0 ? 0 : rc;
}

int sb_seccomp(struct bw_sandbox *sb, struct bw_error *err)
{
	scmp_filter_ctx ctx = seccomp_init(SB_TRAP ? SCMP_ACT_TRAP : SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		return bw_error_set(err, BW_EIO, "sandbox: libseccomp could not start a filter");
	int rc = 0;
	size_t n_allowed = 0;
	/* the threads already running (an engine stream's pump) share the filter */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	for (size_t i = 0; !rc && i < BW_ARRAY_SIZE(allowed); i++, n_allowed++)
		rc = add(ctx, allowed[i], 0, NULL);
	/* threads, and posix_spawn's vfork child, but no new namespace */
	const uint64_t ns = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
			    CLONE_NEWPID | CLONE_NEWNET;
	struct scmp_arg_cmp a[1];
	a[0] = SCMP_A0(SCMP_CMP_MASKED_EQ, ns, 0);
	if (!rc)
		rc = add(ctx, "clone", 1, a);
	/* clone3's flags are behind a pointer: ENOSYS sends glibc to clone */
	if (!rc)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* signals to this process only */
	a[0] = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid());
	if (!rc)
		rc = add(ctx, "kill", 1, a);
	if (!rc)
		rc = add(ctx, "tgkill", 1, a);
	/* prlimit64 to read a limit, never to set one (root could raise it) */
	a[0] = SCMP_A2(SCMP_CMP_EQ, 0);
	if (!rc)
		rc = add(ctx, "prlimit64", 1, a);
	for (size_t i = 0; !rc && i < BW_ARRAY_SIZE(allowed_ioctl); i++) {
		a[0] = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffULL, allowed_ioctl[i]);
		rc = add(ctx, "ioctl", 1, a);
	}
	n_allowed += 6;
	if (sb->network) {
		for (size_t i = 0; !rc && i < BW_ARRAY_SIZE(allowed_family); i++) {
			a[0] = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)allowed_family[i]);
			rc = add(ctx, "socket", 1, a);
		}
		if (!rc)
			rc = add(ctx, "socketpair", 0, NULL);
		if (!rc)
			rc = add(ctx, "connect", 0, NULL);
		n_allowed += 3;
	}
#if BW_SANDBOX_SANITIZED
	/* LeakSanitizer stops the threads with ptrace from a thread of its own */
	if (!rc)
		rc = add(ctx, "ptrace", 0, NULL);
	n_allowed++;
#endif
	if (rc < 0) {
		seccomp_release(ctx);
		return bw_error_set(err, BW_EIO, "sandbox: building the seccomp filter: %s", strerror(-rc));
	}
#if SB_TRAP
	for (int nr = 0; nr < NAMES_MAX; nr++)
		if (!names[nr])
			names[nr] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
	snprintf(prefix, sizeof(prefix), "%s", sb->prefix);
	prefix_len = strlen(prefix);
	report_fd = sb->report_fd;
	struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSYS, &sa, NULL);
#endif
	rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0)
		return bw_error_set(err, BW_EIO, "sandbox: loading the seccomp filter: %s", strerror(-rc));
	bw_buf_printf(&sb->summary,
		      "sandbox: seccomp: an allow-list of %zu system calls; new sockets %s; execve, ptrace, "
		      "mount, bpf and the rest refused with EPERM%s\n",
		      n_allowed,
		      sb->network ? "allowed (unix, IP, netlink) for the engine or registry" : "refused",
		      SB_TRAP ? " and reported" : "");
#if BW_SANDBOX_SANITIZED
	bw_buf_printf(&sb->summary, "sandbox: seccomp: ptrace allowed (sanitizer build: LeakSanitizer)\n");
#endif
	return 0;
}
