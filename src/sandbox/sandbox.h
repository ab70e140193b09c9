/* sandbox — confine the rest of this process before it parses untrusted
 * input (images, archives, advisory and VEX files): a Landlock ruleset
 * (where the kernel has one) that lets it read only its inputs and the
 * system files libraries load late, and write only its cache and output; a
 * seccomp-bpf allow-list (libseccomp) without execve, ptrace, mount, bpf,
 * module loading, namespaces, io_uring, raised limits and, unless the policy
 * asks for the network, without new sockets; PR_SET_NO_NEW_PRIVS; and
 * rlimits on address space, file size and CPU time. Nothing of it can be
 * undone: bw_sandbox_enter() is the point of no return of the process.
 *
 * A refused system call is not a crash: it fails with EPERM, and a SIGSYS
 * handler writes one line naming it ("refused by the sandbox: socket") to
 * the policy's report file descriptor, once per system call. A path outside
 * the Landlock rules fails with EACCES like any permission error. Threads
 * started before bw_sandbox_enter() share its seccomp filter (TSYNC) but not
 * its Landlock domain (the kernel confines the calling thread and the
 * threads it starts later).
 *
 * Ownership: struct bw_sandbox is opaque, made by bw_sandbox_new() and
 * released by bw_sandbox_free(); it copies the paths it is given.
 * bw_sandbox_summary() points into it. Printing is the caller's, except the
 * SIGSYS and limit handlers' lines, written to the fd the caller chose.
 */
#ifndef BW_SANDBOX_H
#define BW_SANDBOX_H

#include "core/core.h"

struct bw_sandbox;

enum bw_sandbox_access {
	BW_SANDBOX_READ = 1,	   /* read a file, or everything beneath a directory */
	BW_SANDBOX_WRITE = 2,	   /* a directory: read, write, create and remove beneath it */
	BW_SANDBOX_WRITE_FILE = 4, /* one existing file: open it for writing, truncate it */
};

struct bw_sandbox *bw_sandbox_new(void);
void bw_sandbox_free(struct bw_sandbox *sb);

/* Allow access to path (made absolute by the kernel when the rule is made).
 * A path that does not exist is left out (the summary says so): nothing can
 * be read there, and a directory to write in must be made before. */
void bw_sandbox_allow(struct bw_sandbox *sb, const char *path, unsigned access);
/* The files and directories libraries read after start-up (shared
 * libraries loaded late, character sets, time zones, the CPU list,
 * /dev/null and /dev/urandom; /proc in sanitizer builds); with network, also what a resolver and
 * a TLS client read (resolv.conf, hosts, nsswitch.conf, CA certificates). */
void bw_sandbox_allow_system(struct bw_sandbox *sb, bool network);
/* Allow socket() (unix, IPv4, IPv6, netlink) and connect(): the engine and
 * registry clients open connections lazily (a registry's blobs redirect to
 * other hosts). Off by default. */
void bw_sandbox_set_network(struct bw_sandbox *sb, bool on);
/* Limits: the largest file written (RLIMIT_FSIZE), CPU seconds
 * (RLIMIT_CPU), and the address space allowed beyond what is mapped when
 * entering (RLIMIT_AS; left unset in sanitizer builds, whose shadow memory
 * is terabytes of address space). 0: that limit is not set. */
void bw_sandbox_set_limits(struct bw_sandbox *sb, uint64_t max_file_size, uint64_t cpu_seconds,
			   uint64_t address_space_extra);
/* Where the SIGSYS and limit handlers write, prefixed with prefix (copied,
 * e.g. "bulwark image: "), and the status _exit()ed with when the CPU limit
 * is reached. Default: standard error, "bulwark: ", 3. */
void bw_sandbox_set_report(struct bw_sandbox *sb, int fd, const char *prefix, int limit_status);

/* Enter the sandbox. Layers the kernel lacks are skipped and said so in the
 * summary (Landlock before Linux 5.13, or disabled; its newer rights by ABI
 * version). Returns 0, or a negative BW_E* code when a layer the kernel has
 * could not be applied (then the process may be partly confined: the caller
 * should stop). */
int bw_sandbox_enter(struct bw_sandbox *sb, struct bw_error *err);

/* One line per layer of what bw_sandbox_enter() applied (or, before it,
 * would apply), for --debug. */
const char *bw_sandbox_summary(const struct bw_sandbox *sb);

/* The Landlock ABI version the kernel offers: 0 when it has none. */
int bw_sandbox_landlock_abi(void);

#endif
