/* The sandbox's policy, its limits and its report of what it applied; the
 * Landlock ruleset is made in landlock.c, the seccomp filter in seccomp.c. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "sandbox-int.h"

struct bw_sandbox *bw_sandbox_new(void)
{
	struct bw_sandbox *sb = bw_calloc(1, sizeof(*sb));
	sb->report_fd = STDERR_FILENO;
	snprintf(sb->prefix, sizeof(sb->prefix), "bulwark: ");
	sb->limit_status = 3;
	bw_buf_init(&sb->summary, 64 * 1024);
	return sb;
}

void bw_sandbox_free(struct bw_sandbox *sb)
{
	if (!sb)
		return;
	for (size_t i = 0; i < sb->n_rules; i++)
		free(sb->rules[i].path);
	free(sb->rules);
	bw_buf_release(&sb->summary);
	free(sb);
}

void bw_sandbox_allow(struct bw_sandbox *sb, const char *path, unsigned access)
{
	if (!path || !*path || !access)
		return;
	for (size_t i = 0; i < sb->n_rules; i++)
		if (strcmp(sb->rules[i].path, path) == 0) {
			sb->rules[i].access |= access;
			return;
		}
	sb->rules = bw_realloc(sb->rules, (sb->n_rules + 1) * sizeof(*sb->rules));
	sb->rules[sb->n_rules++] = (struct sb_rule){.path = bw_strdup(path), .access = access};
}

void bw_sandbox_allow_system(struct bw_sandbox *sb, bool network)
{
	/* shared libraries loaded late (NSS, gconv, OpenSSL's providers),
	 * locales, time zones, the dynamic loader's cache */
	static const char *const base[] = {"/usr", "/lib", "/lib64", "/lib32", "/etc/ld.so.cache",
					   "/etc/localtime", "/etc/ssl/openssl.cnf",
					   /* the CPUs online (sysconf) */
					   "/sys/devices/system/cpu", "/dev/urandom", "/dev/random"};
	/* a resolver and a TLS client; never /etc/ssl/private */
	static const char *const net[] = {"/etc/resolv.conf",	"/etc/hosts",	    "/etc/nsswitch.conf",
					  "/etc/host.conf",	"/etc/gai.conf",    "/etc/services",
					  "/etc/protocols",	"/etc/ssl/certs",   "/etc/ca-certificates",
					  "/etc/pki/tls/certs", "/etc/pki/ca-trust"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(base); i++)
		bw_sandbox_allow(sb, base[i], BW_SANDBOX_READ);
#if BW_SANDBOX_SANITIZED
	/* LeakSanitizer reads /proc/PID/task and maps. A rule on /proc/self
	 * would not do: procfs makes a new inode for /proc/PID whenever its
	 * dentry was dropped, and a Landlock rule is bound to an inode. (Other
	 * processes' ptrace-guarded files stay closed: Landlock denies ptrace
	 * access outside the domain.) */
	bw_sandbox_allow(sb, "/proc", BW_SANDBOX_READ);
#endif
	bw_sandbox_allow(sb, "/dev/null", BW_SANDBOX_READ | BW_SANDBOX_WRITE_FILE);
	for (size_t i = 0; network && i < BW_ARRAY_SIZE(net); i++)
		bw_sandbox_allow(sb, net[i], BW_SANDBOX_READ);
}

void bw_sandbox_set_network(struct bw_sandbox *sb, bool on)
{
	sb->network = on;
}

void bw_sandbox_set_limits(struct bw_sandbox *sb, uint64_t max_file_size, uint64_t cpu_seconds,
			   uint64_t address_space_extra)
{
	sb->max_file_size = max_file_size;
	sb->cpu_seconds = cpu_seconds;
	sb->address_space_extra = address_space_extra;
}

void bw_sandbox_set_report(struct bw_sandbox *sb, int fd, const char *prefix, int limit_status)
{
	sb->report_fd = fd;
	snprintf(sb->prefix, sizeof(sb->prefix), "%s", prefix ? prefix : "");
	sb->limit_status = limit_status;
}

const char *bw_sandbox_summary(const struct bw_sandbox *sb)
{
	return sb->summary.data ? sb->summary.data : "";
}

/* ---- limits ---- */

/* What the SIGXCPU handler writes: made before the limit is set. */
static char cpu_line[256];
static size_t cpu_line_len;
static int cpu_fd = STDERR_FILENO, cpu_status = 3;

static void on_cpu_limit(int sig)
{
	(void)sig;
	ssize_t w = write(cpu_fd, cpu_line, cpu_line_len);
	(void)w;
	_exit(cpu_status);
}

#if !BW_SANDBOX_SANITIZED
/* The address space mapped now (VmSize), from /proc/self/statm. */
static uint64_t mapped_now(void)
{
	char buf[128];
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	unsigned long long pages = strtoull(buf, NULL, 10);
	long ps = sysconf(_SC_PAGESIZE);
	return (uint64_t)pages * (uint64_t)(ps > 0 ? ps : 4096);
}
#endif

static void size_text(uint64_t v, char *out, size_t len)
{
	if (v >= (1ULL << 30) && v % (1ULL << 30) == 0)
		snprintf(out, len, "%llu GiB", (unsigned long long)(v >> 30));
	else
		snprintf(out, len, "%llu MiB", (unsigned long long)(v >> 20));
}

static int set_limit(int res, rlim_t v, const char *what, struct bw_error *err)
{
	struct rlimit rl;
	if (getrlimit(res, &rl) < 0)
		return bw_error_sys(err, BW_EIO, "sandbox: reading the %s limit", what);
	/* never raise a limit the user set lower */
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < v)
		v = rl.rlim_cur;
	rlim_t hard = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < v ? rl.rlim_max : v;
	rl.rlim_cur = v;
	rl.rlim_max = res == RLIMIT_CPU && hard == v ? v + 10 : hard; /* SIGXCPU before SIGKILL */
	if (rl.rlim_max < rl.rlim_cur)
		rl.rlim_max = rl.rlim_cur;
	if (setrlimit(res, &rl) < 0)
		return bw_error_sys(err, BW_EIO, "sandbox: setting the %s limit", what);
	return 0;
}

static int apply_limits(struct bw_sandbox *sb, struct bw_error *err)
{
	char a[32];
	int rc = 0;
	bw_buf_printf(&sb->summary, "sandbox: limits:");
	if (sb->max_file_size) {
		/* a write past the limit fails with EFBIG instead of killing */
		signal(SIGXFSZ, SIG_IGN);
		rc = set_limit(RLIMIT_FSIZE, (rlim_t)sb->max_file_size, "file size", err);
		size_text(sb->max_file_size, a, sizeof(a));
		bw_buf_printf(&sb->summary, " file size %s;", a);
	}
	if (!rc && sb->cpu_seconds) {
		int n = snprintf(cpu_line, sizeof(cpu_line),
				 "%sthe sandbox's CPU time limit (%llu s) was reached: stopped\n", sb->prefix,
				 (unsigned long long)sb->cpu_seconds);
		cpu_line_len = n > 0 && (size_t)n < sizeof(cpu_line) ? (size_t)n : 0;
		cpu_fd = sb->report_fd;
		cpu_status = sb->limit_status;
		struct sigaction sa = {.sa_handler = on_cpu_limit};
		sigemptyset(&sa.sa_mask);
		sigaction(SIGXCPU, &sa, NULL);
		rc = set_limit(RLIMIT_CPU, (rlim_t)sb->cpu_seconds, "CPU time", err);
		bw_buf_printf(&sb->summary, " CPU %llu s;", (unsigned long long)sb->cpu_seconds);
	}
	if (!rc && sb->address_space_extra) {
#if BW_SANDBOX_SANITIZED
		bw_buf_printf(&sb->summary, " address space not limited (sanitizer build);");
#else
		char b[32];
		uint64_t now = mapped_now();
		rc = set_limit(RLIMIT_AS, (rlim_t)(now + sb->address_space_extra), "address space", err);
		size_text(now + sb->address_space_extra, a, sizeof(a));
		size_text(sb->address_space_extra, b, sizeof(b));
		bw_buf_printf(&sb->summary, " address space %s (mapped at entry + %s);", a, b);
#endif
	}
	bw_buf_printf(&sb->summary, "\n");
	return rc;
}

int bw_sandbox_enter(struct bw_sandbox *sb, struct bw_error *err)
{
	sb->summary.len = 0;
	if (sb->summary.data)
		sb->summary.data[0] = '\0';
	int rc = apply_limits(sb, err);
	if (rc < 0)
		return rc;
	/* Landlock without CAP_SYS_ADMIN and seccomp both need it; it also
	 * makes set-user-ID binaries powerless, were one ever executed */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return bw_error_sys(err, BW_EIO, "sandbox: PR_SET_NO_NEW_PRIVS");
	bw_buf_printf(&sb->summary, "sandbox: no_new_privs set\n");
	rc = sb_landlock(sb, err);
	if (rc < 0)
		return rc;
	return sb_seccomp(sb, err);
}
