/* The records the eBPF programs write into the ring buffer, shared by the
 * programs (compiled with clang -target bpf against vmlinux.h) and user space
 * (source_bpf.c decodes them). Wire format, host byte order:
 *
 *   struct bw_ev_hdr                 every record; hdr.size is the whole record
 *   struct bw_ev_<kind>              the fixed part of the kind
 *   string 0, string 1, …            the kind's strings, in the order its
 *                                    comment lists them: each a struct
 *                                    bw_ev_str and len bytes (no NUL)
 *
 * User space trusts nothing of it: every length is checked against hdr.size.
 * Bump BW_EV_VERSION whenever a layout changes. */
#ifndef BW_MONITOR_EVENTS_H
#define BW_MONITOR_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define BW_EV_VERSION 2

#define BW_EV_COMM 16
#define BW_EV_ADDR 16	    /* an IPv4 (first 4 bytes) or IPv6 address */
#define BW_EV_PATH_MAX 1024 /* bytes of one path kept in a record */
#define BW_EV_ARGS_MAX 4096 /* bytes of a command line kept in a record */
#define BW_EV_NAME_MAX 256  /* memfd names, file system types, cgroup names */
#define BW_EV_PREFIXES 32   /* sensitive path prefixes the kernel filters on */
#define BW_EV_PREFIX_LEN 64
#define BW_EV_NOAUDIT 6 /* probing capability checkers the learner leaves out */

/* The kinds of record. A syscall record also names its syscall (hdr.syscall):
 * one kind serves openat, openat2, open and creat alike. */
enum bw_ev_kind {
	BW_EV_EXEC = 1,	 /* sched_process_exec: a program started (execve/execveat succeeded) */
	BW_EV_EXEC_FAIL, /* execve/execveat returned an error */
	BW_EV_FORK,	 /* sched_process_fork of a new process (not a thread) */
	BW_EV_EXIT,	 /* sched_process_exit of a thread-group leader */
	BW_EV_OPEN,	 /* open, openat, openat2, creat */
	BW_EV_CONNECT,
	BW_EV_ACCEPT, /* accept, accept4 */
	BW_EV_BIND,
	BW_EV_LISTEN,
	BW_EV_SETID,  /* setuid, setgid, setreuid, setregid, setresuid, setresgid */
	BW_EV_CAPSET, /* capset */
	BW_EV_MOUNT,
	BW_EV_UMOUNT, /* umount2 */
	BW_EV_PTRACE,
	BW_EV_MODULE, /* init_module, finit_module */
	BW_EV_UNSHARE,
	BW_EV_SETNS,
	BW_EV_MEMFD,   /* memfd_create */
	BW_EV_CHMOD,   /* chmod, fchmod, fchmodat, fchmodat2 */
	BW_EV_UNLINK,  /* unlink, unlinkat, rmdir */
	BW_EV_RENAME,  /* rename, renameat, renameat2 */
	BW_EV_SYMLINK, /* symlink, symlinkat */
	BW_EV_LINK,    /* link, linkat */
	BW_EV_DUP,     /* dup, dup2, dup3 */
	BW_EV_SOCKET,
	BW_EV_TCP_STATE, /* sock:inet_sock_set_state */
	BW_EV__COUNT,
};

/* hdr.flags */
#define BW_EVF_TRUNCATED (1u << 0) /* a string of the record was cut (its own flag says which) */
#define BW_EVF_NOPROC (1u << 1)	   /* no process context (softirq): the process fields are not its */

/* bw_ev_str.flags */
#define BW_STRF_TRUNCATED (1u << 0) /* the value was longer than the record keeps */
#define BW_STRF_MISSING (1u << 1)   /* not available (unreadable memory, no such thing) */

#define BW_EV_NO_SYSCALL 0xffffu

struct bw_ev_hdr {
	__u16 kind;    /* enum bw_ev_kind */
	__u16 size;    /* bytes of the whole record */
	__u16 syscall; /* the syscall's number, or BW_EV_NO_SYSCALL */
	__u16 flags;   /* BW_EVF_* */
	__u32 pid;     /* thread-group id in the initial pid namespace */
	__u32 tid;
	__u32 ppid; /* real parent's thread-group id */
	__u32 vpid; /* the thread-group id as the process's own pid namespace sees it */
	__u32 uid, gid, euid, egid;
	__u32 loginuid; /* (u32)-1 when unset */
	__u32 mntns;	/* mount namespace inode */
	__u32 pidns;	/* pid namespace inode */
	__u32 pad;
	__u64 ts;	 /* CLOCK_BOOTTIME, ns */
	__u64 cgroup_id; /* cgroup v2 id (inode of its directory) */
	__u64 cap_effective;
	__s64 ret; /* the syscall's return value; 0 for other hooks */
	char comm[BW_EV_COMM];
};

struct bw_ev_str {
	__u16 len;
	__u16 flags; /* BW_STRF_* */
};

/* strings: filename (as given to execve), exe path (resolved, within the
 * process's root), args (NUL-separated argv), cwd, cgroup (its directory's name) */
struct bw_ev_exec {
	__u64 start_time; /* CLOCK_BOOTTIME ns the process started */
	__u64 cap_permitted, cap_inheritable;
	__u64 exe_ino;
	__u64 exe_ctime, exe_mtime; /* ns since the epoch */
	__u32 exe_dev;
	__u32 exe_mode; /* type and permission bits */
	__u32 exe_nlink;
	__u32 exe_flags; /* BW_EXEF_* */
	__u32 tty;	 /* controlling terminal as /proc/PID/stat's tty_nr; 0 none */
	__u32 sid;	 /* session id (initial pid namespace) */
	__u32 pgid;
	__u32 pad;
};
#define BW_EXEF_MEMFD (1u << 0)	   /* the executable is a memfd */
#define BW_EXEF_UNLINKED (1u << 1) /* no link left to the executable */

/* strings: filename, args (as much of argv as could be read) */
struct bw_ev_exec_fail {
	__u32 argc_read;
	__u32 pad;
};

struct bw_ev_fork {
	__u32 child_pid;
	__u32 pad;
	__u64 child_start; /* CLOCK_BOOTTIME ns */
};

struct bw_ev_exit {
	__s32 exit_code;
	__u32 pad;
};

/* strings: path as given, resolved path (relative paths: the opened file's
 * path, or cwd/path when the open failed; absent for absolute paths) */
struct bw_ev_open {
	__s32 dirfd;
	__u32 flags;
	__u32 mode;
	__u32 dev;
	__u64 ino;
	__u64 resolve; /* openat2's how.resolve */
	__u32 fdkind;  /* BW_FD_* of the opened file */
	__u32 pad;
};

/* A socket's end points (connect, accept, bind, listen, dup). Ports in host
 * byte order; family AF_INET, AF_INET6 or AF_UNIX (then the string holds the
 * path). strings: unix socket path */
struct bw_ev_sock {
	__s32 fd;
	__u16 family;
	__u16 type;
	__u16 protocol;
	__u16 lport, rport;
	__u16 fdkind; /* BW_FD_* of the descriptor (dup: the new one) */
	__u8 laddr[BW_EV_ADDR];
	__u8 raddr[BW_EV_ADDR];
	__s32 arg; /* listen: backlog; dup: the old fd; accept4: flags */
	__u32 pad;
};
#define BW_FD_UNKNOWN 0
#define BW_FD_FILE 1
#define BW_FD_DIR 2
#define BW_FD_SOCK 3
#define BW_FD_PIPE 4
#define BW_FD_OTHER 5

struct bw_ev_setid {
	__u32 id[3]; /* the syscall's arguments (unused ones 0xffffffff) */
	__u32 pad;
};

struct bw_ev_capset {
	__u64 effective, permitted, inheritable; /* the requested sets */
	__u32 target_pid;
	__u32 pad;
};

/* strings: source, target, file system type */
struct bw_ev_mount {
	__u64 flags;
};

/* strings: target */
struct bw_ev_umount {
	__u32 flags;
	__u32 pad;
};

struct bw_ev_ptrace {
	__u64 request;
	__u32 target_pid;
	__u32 pad;
};

/* strings: the module's parameters */
struct bw_ev_module {
	__u64 len_or_fd; /* init_module: image length; finit_module: fd */
	__u32 flags;
	__u32 pad;
};

struct bw_ev_ns {
	__u64 flags; /* unshare: CLONE_* flags; setns: nstype */
	__s32 fd;    /* setns */
	__u32 pad;
};

/* strings: name */
struct bw_ev_memfd {
	__u32 flags;
	__u32 pad;
};

/* strings: path as given (fchmod: the file's path), resolved path */
struct bw_ev_chmod {
	__s32 dirfd; /* or fd for fchmod */
	__u32 mode;
	__u32 flags;
	__u32 pad;
};

/* unlink: strings: path, resolved path. rename, link: old path, new path.
 * symlink: target, link path. */
struct bw_ev_path2 {
	__s32 olddirfd, newdirfd;
	__u32 flags;
	__u32 pad;
};

struct bw_ev_socket {
	__u32 domain, type, protocol;
	__u32 pad;
};

struct bw_ev_tcp {
	__u16 family;
	__u16 lport, rport;
	__u16 pad;
	__s32 oldstate, newstate;
	__u8 laddr[BW_EV_ADDR];
	__u8 raddr[BW_EV_ADDR];
};

/* ---- configuration user space writes into the "config" array map ---- */

/* config.flags */
#define BW_CFG_CONTAINERS_ONLY (1u << 0) /* drop events of the host's cgroup and mount namespace */
#define BW_CFG_LEARN (1u << 1)		 /* count syscalls and capabilities per cgroup */
#define BW_CFG_ALL_OPENS (1u << 2)	 /* no open filtering */
#define BW_CFG_OPEN_WRITES (1u << 3)	 /* opens for writing pass the filter */
#define BW_CFG_OPEN_DOTDOT (1u << 4)	 /* paths with ".." or relative pass the filter */
#define BW_CFG_OPEN_FAILED (1u << 5)	 /* failed opens of a prefix pass the filter */
#define BW_CFG_ALL_PATHS (1u << 6)	 /* no path filtering of chmod, unlink, rename */

/* config.kinds: bit (1 << kind) for the hooks that are not a syscall */
struct bw_ev_config {
	__u32 flags;
	__u32 self_pid;	      /* the monitor's own thread group: never reported */
	__u64 host_cgroup_id; /* the host's cgroup (v2 root) */
	__u32 host_mntns;
	__u32 kinds;
	__u32 n_prefixes;
	__u32 pad;
	/* [start, end) of kernel functions whose capability checks only probe
	 * (security_vm_enough_memory_mm, *_capable_noaudit): not "exercised" */
	__u64 noaudit[BW_EV_NOAUDIT][2];
};

/* One sensitive prefix in the "prefixes" array map. head and mask are its
 * first 8 bytes (fewer when it is shorter) as a word in host byte order and
 * the mask of those bytes: a path's first word rejects most prefixes in one
 * compare. */
struct bw_ev_prefix {
	__u32 len;
	__u32 flags; /* BW_PFX_* */
	__u64 head, mask;
	char s[BW_EV_PREFIX_LEN];
};
#define BW_PFX_WRITE_ONLY (1u << 0) /* opens below it pass only when they write */

/* Keys of the learning counters (hash maps "syscall_counts", "cap_counts"). */
struct bw_ev_count_key {
	__u64 cgroup_id;
	__u32 id; /* syscall number or capability */
	__u32 pad;
};

/* Per-CPU counters ("stats" array map), by index. */
enum bw_ev_stat {
	BW_STAT_EVENTS = 0, /* records written */
	BW_STAT_DROPS,	    /* records lost: the ring buffer was full */
	BW_STAT_FILTERED,   /* events the kernel side filtered out */
	BW_STAT__COUNT,
};

#endif
