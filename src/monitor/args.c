/* evt.arg.NAME and evt.args: each record's arguments under Falco's
 * parameter names, numbers rendered as Falco renders them (open flags as
 * "O_WRONLY|O_CREAT", ptrace requests as "PTRACE_ATTACH", socket domains as
 * "AF_PACKET", modes as "S_IRUSR|…|S_ISUID"). */
#include <arpa/inet.h>

#include "monitor-int.h"

struct flag {
	uint64_t v;
	const char *name;
};

static const struct flag open_flags[] = {
    {01, "O_WRONLY"},	     {02, "O_RDWR"},	       {0100, "O_CREAT"},	 {0200, "O_EXCL"},
    {0400, "O_NOCTTY"},	     {01000, "O_TRUNC"},       {02000, "O_APPEND"},	 {04000, "O_NONBLOCK"},
    {010000, "O_DSYNC"},     {040000, "O_DIRECT"},     {0100000, "O_LARGEFILE"}, {0200000, "O_DIRECTORY"},
    {0400000, "O_NOFOLLOW"}, {01000000, "O_NOATIME"},  {02000000, "O_CLOEXEC"},	 {04000000, "O_SYNC"},
    {010000000, "O_PATH"},   {020000000, "O_TMPFILE"},
};

static const struct flag mode_flags[] = {
    {04000, "S_ISUID"}, {02000, "S_ISGID"}, {01000, "S_ISVTX"}, {0400, "S_IRUSR"},
    {0200, "S_IWUSR"},	{0100, "S_IXUSR"},  {040, "S_IRGRP"},	{020, "S_IWGRP"},
    {010, "S_IXGRP"},	{04, "S_IROTH"},    {02, "S_IWOTH"},	{01, "S_IXOTH"},
};

static const struct flag mount_flags[] = {
    {1, "RDONLY"},
    {2, "NOSUID"},
    {4, "NODEV"},
    {8, "NOEXEC"},
    {16, "SYNCHRONOUS"},
    {32, "REMOUNT"},
    {64, "MANDLOCK"},
    {128, "DIRSYNC"},
    {1024, "NOATIME"},
    {2048, "NODIRATIME"},
    {4096, "BIND"},
    {8192, "MOVE"},
    {16384, "REC"},
    {32768, "SILENT"},
    {1u << 16, "POSIXACL"},
    {1u << 17, "UNBINDABLE"},
    {1u << 18, "PRIVATE"},
    {1u << 19, "SLAVE"},
    {1u << 20, "SHARED"},
    {1u << 21, "RELATIME"},
    {1u << 22, "KERNMOUNT"},
    {1u << 23, "I_VERSION"},
    {1u << 24, "STRICTATIME"},
    {1u << 25, "LAZYTIME"},
};

static const struct flag clone_flags[] = {
    {0x200, "CLONE_FS"},	  {0x400, "CLONE_FILES"},	{0x20000, "CLONE_NEWNS"},
    {0x40000, "CLONE_SYSVSEM"},	  {0x80, "CLONE_NEWTIME"},	{0x02000000, "CLONE_NEWCGROUP"},
    {0x04000000, "CLONE_NEWUTS"}, {0x08000000, "CLONE_NEWIPC"}, {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"},
};

static const struct flag exe_flags[] = {
    {BW_EXEF_MEMFD, "EXE_FROM_MEMFD"},
    {BW_EXEF_UNLINKED, "EXE_UNLINKED"},
};

static const struct flag memfd_flags[] = {
    {1, "MFD_CLOEXEC"},	    {2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"},
    {8, "MFD_NOEXEC_SEAL"}, {16, "MFD_EXEC"},
};

static const struct flag at_flags[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"},   {0x400, "AT_SYMLINK_FOLLOW"},
    {0x800, "AT_NO_AUTOMOUNT"},	    {0x1000, "AT_EMPTY_PATH"},
};

static const struct flag rename_flags[] = {
    {1, "RENAME_NOREPLACE"},
    {2, "RENAME_EXCHANGE"},
    {4, "RENAME_WHITEOUT"},
};

static const struct flag umount_flags[] = {
    {1, "MNT_FORCE"},
    {2, "MNT_DETACH"},
    {4, "MNT_EXPIRE"},
    {8, "UMOUNT_NOFOLLOW"},
};

static const struct flag resolve_flags[] = {
    {1, "RESOLVE_NO_XDEV"}, {2, "RESOLVE_NO_MAGICLINKS"}, {4, "RESOLVE_NO_SYMLINKS"},
    {8, "RESOLVE_BENEATH"}, {16, "RESOLVE_IN_ROOT"},	  {32, "RESOLVE_CACHED"},
};

static const struct flag ptrace_requests[] = {
    {0, "PTRACE_TRACEME"},
    {1, "PTRACE_PEEKTEXT"},
    {2, "PTRACE_PEEKDATA"},
    {3, "PTRACE_PEEKUSR"},
    {4, "PTRACE_POKETEXT"},
    {5, "PTRACE_POKEDATA"},
    {6, "PTRACE_POKEUSR"},
    {7, "PTRACE_CONT"},
    {8, "PTRACE_KILL"},
    {9, "PTRACE_SINGLESTEP"},
    {12, "PTRACE_GETREGS"},
    {13, "PTRACE_SETREGS"},
    {14, "PTRACE_GETFPREGS"},
    {15, "PTRACE_SETFPREGS"},
    {16, "PTRACE_ATTACH"},
    {17, "PTRACE_DETACH"},
    {18, "PTRACE_GETFPXREGS"},
    {19, "PTRACE_SETFPXREGS"},
    {24, "PTRACE_SYSCALL"},
    {0x4200, "PTRACE_SETOPTIONS"},
    {0x4201, "PTRACE_GETEVENTMSG"},
    {0x4202, "PTRACE_GETSIGINFO"},
    {0x4203, "PTRACE_SETSIGINFO"},
    {0x4204, "PTRACE_GETREGSET"},
    {0x4205, "PTRACE_SETREGSET"},
    {0x4206, "PTRACE_SEIZE"},
    {0x4207, "PTRACE_INTERRUPT"},
    {0x4208, "PTRACE_LISTEN"},
    {0x4209, "PTRACE_PEEKSIGINFO"},
};

static const struct flag socket_domains[] = {
    {0, "AF_UNSPEC"},	 {1, "AF_UNIX"},	{2, "AF_INET"},	    {3, "AF_AX25"},	{4, "AF_IPX"},
    {5, "AF_APPLETALK"}, {6, "AF_NETROM"},	{7, "AF_BRIDGE"},   {8, "AF_ATMPVC"},	{9, "AF_X25"},
    {10, "AF_INET6"},	 {11, "AF_ROSE"},	{12, "AF_DECnet"},  {13, "AF_NETBEUI"}, {14, "AF_SECURITY"},
    {15, "AF_KEY"},	 {16, "AF_NETLINK"},	{17, "AF_PACKET"},  {18, "AF_ASH"},	{19, "AF_ECONET"},
    {20, "AF_ATMSVC"},	 {21, "AF_RDS"},	{22, "AF_SNA"},	    {23, "AF_IRDA"},	{24, "AF_PPPOX"},
    {25, "AF_WANPIPE"},	 {26, "AF_LLC"},	{27, "AF_IB"},	    {28, "AF_MPLS"},	{29, "AF_CAN"},
    {30, "AF_TIPC"},	 {31, "AF_BLUETOOTH"},	{32, "AF_IUCV"},    {33, "AF_RXRPC"},	{34, "AF_ISDN"},
    {35, "AF_PHONET"},	 {36, "AF_IEEE802154"}, {37, "AF_CAIF"},    {38, "AF_ALG"},	{39, "AF_NFC"},
    {40, "AF_VSOCK"},	 {41, "AF_KCM"},	{42, "AF_QIPCRTR"}, {43, "AF_SMC"},	{44, "AF_XDP"},
};

static const struct flag socket_types[] = {
    {1, "SOCK_STREAM"},	   {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"},	   {4, "SOCK_RDM"},
    {5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"},  {10, "SOCK_PACKET"},
};

/* "A|B|C" of the bits set; names taken whole when bits overlap (mount). */
static const char *flags_str(struct bw_mon_event *ev, const struct flag *t, size_t n, uint64_t v,
			     const char *zero)
{
	char buf[1024];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (t[i].v && (v & t[i].v) == t[i].v) {
			int w = snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "|" : "", t[i].name);
			if (w > 0 && (size_t)w < sizeof(buf) - len)
				len += (size_t)w;
			v &= ~t[i].v;
		}
	}
	if (v) {
		int w =
		    snprintf(buf + len, sizeof(buf) - len, "%s0x%llx", len ? "|" : "", (unsigned long long)v);
		if (w > 0 && (size_t)w < sizeof(buf) - len)
			len += (size_t)w;
	}
	if (!len)
		return zero;
	return bw_mon_ev_strdup(ev, buf, len);
}

static const char *enum_str(struct bw_mon_event *ev, const struct flag *t, size_t n, uint64_t v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	return bw_mon_ev_printf(ev, "%llu", (unsigned long long)v);
}

const char *bw_mon_open_flags_str(struct bw_mon_event *ev, uint32_t f)
{
	const char *s = flags_str(ev, open_flags, BW_ARRAY_SIZE(open_flags), f, NULL);
	if ((f & 3) == 0)
		return s ? bw_mon_ev_printf(ev, "O_RDONLY|%s", s) : "O_RDONLY";
	return s;
}

const char *bw_mon_mode_str(struct bw_mon_event *ev, uint32_t mode)
{
	return flags_str(ev, mode_flags, BW_ARRAY_SIZE(mode_flags), mode & 07777, "0");
}

const char *bw_mon_domain_str(struct bw_mon_event *ev, uint32_t d)
{
	return enum_str(ev, socket_domains, BW_ARRAY_SIZE(socket_domains), d);
}

const char *bw_mon_errno_name(struct bw_mon_event *ev, int64_t ret)
{
	if (ret >= 0)
		return "SUCCESS";
	const char *n = ret > -4096 ? strerrorname_np((int)-ret) : NULL;
	return n ? n : bw_mon_ev_printf(ev, "E%lld", (long long)-ret);
}

const char *bw_mon_addr_str(struct bw_mon_event *ev, int family, const uint8_t *addr)
{
	char buf[INET6_ADDRSTRLEN];
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, buf, sizeof(buf)))
		return NULL;
	return bw_mon_ev_strdup(ev, buf, strlen(buf));
}

#define FX(ev, T) ((const T *)(ev)->fixed)

static bool str_arg(struct bw_mon_event *ev, int i, struct bw_mon_val *out)
{
	if (i >= ev->nstr || (ev->str[i].flags & BW_STRF_MISSING))
		return false;
	out->s = ev->str[i].p;
	out->len = ev->str[i].len;
	return true;
}

static bool num_arg(struct bw_mon_event *ev, int64_t v, struct bw_mon_val *out)
{
	out->s = bw_mon_ev_printf(ev, "%lld", (long long)v);
	out->len = out->s ? strlen(out->s) : 0;
	out->i = v;
	return out->s != NULL;
}

static bool cstr(const char *s, struct bw_mon_val *out)
{
	if (!s)
		return false;
	out->s = s;
	out->len = strlen(s);
	return true;
}

/* The NUL-separated argv of an exec record as "a b c". */
static bool exec_args(struct bw_mon_event *ev, struct bw_mon_val *out)
{
	if (!ev->proc || !ev->proc->args)
		return false;
	return cstr(ev->proc->args, out);
}

static bool sock_tuple(struct bw_mon_event *ev, struct bw_mon_val *out)
{
	const char *n = bw_mon_fd_name(ev);
	return n && cstr(n, out);
}

bool bw_mon_arg(struct bw_mon_event *ev, const char *name, struct bw_mon_val *out)
{
	const struct bw_ev_hdr *h = ev->hdr;
	out->type = BW_FT_STR;
	out->i = 0;
	if (strcmp(name, "res") == 0) {
		if (h->kind == BW_EV_FORK || h->kind == BW_EV_EXIT || h->kind == BW_EV_TCP_STATE)
			return false;
		const char *s = bw_mon_errno_name(ev, h->ret);
		out->i = h->ret;
		return cstr(s, out);
	}
	switch (h->kind) {
	case BW_EV_EXEC: {
		const struct bw_ev_exec *e = FX(ev, struct bw_ev_exec);
		if (strcmp(name, "exe") == 0)
			return ev->proc && cstr(ev->proc->exe, out);
		if (strcmp(name, "filename") == 0)
			return str_arg(ev, 0, out);
		if (strcmp(name, "trusted_exepath") == 0)
			return str_arg(ev, 1, out);
		if (strcmp(name, "args") == 0)
			return exec_args(ev, out);
		if (strcmp(name, "cwd") == 0)
			return ev->proc && cstr(ev->proc->cwd, out);
		if (strcmp(name, "comm") == 0)
			return cstr(ev->proc ? ev->proc->comm : NULL, out);
		if (strcmp(name, "cgroups") == 0)
			return str_arg(ev, 4, out);
		if (strcmp(name, "tty") == 0)
			return num_arg(ev, e->tty, out);
		if (strcmp(name, "pgid") == 0)
			return num_arg(ev, e->pgid, out);
		if (strcmp(name, "pid") == 0 || strcmp(name, "tid") == 0)
			return num_arg(ev, strcmp(name, "pid") == 0 ? h->pid : h->tid, out);
		if (strcmp(name, "ptid") == 0)
			return num_arg(ev, h->ppid, out);
		if (strcmp(name, "loginuid") == 0)
			return num_arg(ev, (int32_t)h->loginuid, out);
		if (strcmp(name, "uid") == 0)
			return num_arg(ev, h->euid, out);
		if (strcmp(name, "gid") == 0)
			return num_arg(ev, h->egid, out);
		if (strcmp(name, "flags") == 0) {
			out->i = e->exe_flags;
			return cstr(flags_str(ev, exe_flags, BW_ARRAY_SIZE(exe_flags), e->exe_flags, "0"),
				    out);
		}
		if (strcmp(name, "cap_effective") == 0)
			return cstr(bw_mon_caps_str(ev, h->cap_effective), out);
		if (strcmp(name, "cap_permitted") == 0)
			return cstr(bw_mon_caps_str(ev, e->cap_permitted), out);
		if (strcmp(name, "cap_inheritable") == 0)
			return cstr(bw_mon_caps_str(ev, e->cap_inheritable), out);
		if (strcmp(name, "exe_ino") == 0)
			return num_arg(ev, (int64_t)e->exe_ino, out);
		if (strcmp(name, "exe_ino_ctime") == 0)
			return num_arg(ev, (int64_t)e->exe_ctime, out);
		if (strcmp(name, "exe_ino_mtime") == 0)
			return num_arg(ev, (int64_t)e->exe_mtime, out);
		return false;
	}
	case BW_EV_EXEC_FAIL:
		if (strcmp(name, "filename") == 0 || strcmp(name, "exe") == 0)
			return str_arg(ev, 0, out);
		return false;
	case BW_EV_FORK:
		if (strcmp(name, "pid") == 0 || strcmp(name, "tid") == 0)
			return num_arg(ev, FX(ev, struct bw_ev_fork)->child_pid, out);
		if (strcmp(name, "ptid") == 0)
			return num_arg(ev, h->pid, out);
		return false;
	case BW_EV_EXIT:
		if (strcmp(name, "status") == 0)
			return num_arg(ev, FX(ev, struct bw_ev_exit)->exit_code, out);
		return false;
	case BW_EV_OPEN: {
		const struct bw_ev_open *e = FX(ev, struct bw_ev_open);
		if (strcmp(name, "fd") == 0)
			return num_arg(ev, h->ret < 0 ? -1 : h->ret, out);
		if (strcmp(name, "dirfd") == 0)
			return num_arg(ev, e->dirfd, out);
		if (strcmp(name, "name") == 0 || strcmp(name, "path") == 0) {
			const char *n = bw_mon_fd_name(ev);
			return n ? cstr(n, out) : str_arg(ev, 0, out);
		}
		if (strcmp(name, "flags") == 0) {
			out->i = e->flags;
			return cstr(bw_mon_open_flags_str(ev, e->flags), out);
		}
		if (strcmp(name, "mode") == 0)
			return cstr(bw_mon_ev_printf(ev, "0%o", e->mode), out);
		if (strcmp(name, "dev") == 0)
			return num_arg(ev, e->dev, out);
		if (strcmp(name, "ino") == 0)
			return num_arg(ev, (int64_t)e->ino, out);
		if (strcmp(name, "resolve") == 0)
			return cstr(
			    flags_str(ev, resolve_flags, BW_ARRAY_SIZE(resolve_flags), e->resolve, "0"), out);
		return false;
	}
	case BW_EV_CONNECT:
	case BW_EV_ACCEPT:
	case BW_EV_BIND:
	case BW_EV_LISTEN:
	case BW_EV_DUP: {
		const struct bw_ev_sock *e = FX(ev, struct bw_ev_sock);
		if (strcmp(name, "fd") == 0)
			return num_arg(ev, h->kind == BW_EV_DUP || h->kind == BW_EV_ACCEPT ? h->ret : e->fd,
				       out);
		if (strcmp(name, "tuple") == 0 || strcmp(name, "addr") == 0)
			return sock_tuple(ev, out);
		if (strcmp(name, "backlog") == 0 && h->kind == BW_EV_LISTEN)
			return num_arg(ev, e->arg, out);
		if (strcmp(name, "oldfd") == 0 && h->kind == BW_EV_DUP)
			return num_arg(ev, e->arg, out);
		if (strcmp(name, "newfd") == 0 && h->kind == BW_EV_DUP)
			return num_arg(ev, h->ret, out);
		if (strcmp(name, "flags") == 0 && h->kind == BW_EV_ACCEPT)
			return num_arg(ev, e->arg, out);
		return false;
	}
	case BW_EV_SETID: {
		const struct bw_ev_setid *e = FX(ev, struct bw_ev_setid);
		const char *sc = bw_mon_evtypes[ev->evtype].name;
		bool u = strstr(sc, "uid") != NULL;
		static const char *const one[] = {"uid", "gid"};
		static const char *const re[][2] = {{"ruid", "euid"}, {"rgid", "egid"}};
		static const char *const res[][3] = {{"ruid", "euid", "suid"}, {"rgid", "egid", "sgid"}};
		if (strcmp(name, one[u ? 0 : 1]) == 0)
			return num_arg(ev, (int32_t)e->id[0], out);
		for (int i = 0; i < 3; i++)
			if (strcmp(name, res[u ? 0 : 1][i]) == 0 ||
			    (i < 2 && strcmp(name, re[u ? 0 : 1][i]) == 0))
				return num_arg(ev, (int32_t)e->id[i], out);
		return false;
	}
	case BW_EV_CAPSET: {
		const struct bw_ev_capset *e = FX(ev, struct bw_ev_capset);
		if (strcmp(name, "cap_effective") == 0)
			return cstr(bw_mon_caps_str(ev, e->effective), out);
		if (strcmp(name, "cap_permitted") == 0)
			return cstr(bw_mon_caps_str(ev, e->permitted), out);
		if (strcmp(name, "cap_inheritable") == 0)
			return cstr(bw_mon_caps_str(ev, e->inheritable), out);
		return false;
	}
	case BW_EV_MOUNT: {
		if (strcmp(name, "dev") == 0 || strcmp(name, "source") == 0)
			return str_arg(ev, 0, out);
		if (strcmp(name, "dir") == 0 || strcmp(name, "target") == 0)
			return str_arg(ev, 1, out);
		if (strcmp(name, "type") == 0)
			return str_arg(ev, 2, out);
		if (strcmp(name, "flags") == 0)
			return cstr(flags_str(ev, mount_flags, BW_ARRAY_SIZE(mount_flags),
					      FX(ev, struct bw_ev_mount)->flags & 0xffffffffu, "0"),
				    out);
		return false;
	}
	case BW_EV_UMOUNT:
		if (strcmp(name, "name") == 0 || strcmp(name, "target") == 0)
			return str_arg(ev, 0, out);
		if (strcmp(name, "flags") == 0)
			return cstr(flags_str(ev, umount_flags, BW_ARRAY_SIZE(umount_flags),
					      FX(ev, struct bw_ev_umount)->flags, "0"),
				    out);
		return false;
	case BW_EV_PTRACE: {
		const struct bw_ev_ptrace *e = FX(ev, struct bw_ev_ptrace);
		if (strcmp(name, "request") == 0) {
			out->i = (int64_t)e->request;
			return cstr(enum_str(ev, ptrace_requests, BW_ARRAY_SIZE(ptrace_requests), e->request),
				    out);
		}
		if (strcmp(name, "pid") == 0)
			return num_arg(ev, (int32_t)e->target_pid, out);
		return false;
	}
	case BW_EV_MODULE: {
		const struct bw_ev_module *e = FX(ev, struct bw_ev_module);
		bool finit = strcmp(bw_mon_evtypes[ev->evtype].name, "finit_module") == 0;
		if (strcmp(name, "uargs") == 0)
			return str_arg(ev, 0, out);
		if (finit && strcmp(name, "fd") == 0)
			return num_arg(ev, (int64_t)e->len_or_fd, out);
		if (!finit && strcmp(name, "length") == 0)
			return num_arg(ev, (int64_t)e->len_or_fd, out);
		if (finit && strcmp(name, "flags") == 0)
			return num_arg(ev, e->flags, out);
		return false;
	}
	case BW_EV_UNSHARE:
		if (strcmp(name, "flags") == 0)
			return cstr(flags_str(ev, clone_flags, BW_ARRAY_SIZE(clone_flags),
					      FX(ev, struct bw_ev_ns)->flags, "0"),
				    out);
		return false;
	case BW_EV_SETNS:
		if (strcmp(name, "fd") == 0)
			return num_arg(ev, FX(ev, struct bw_ev_ns)->fd, out);
		if (strcmp(name, "nstype") == 0)
			return cstr(flags_str(ev, clone_flags, BW_ARRAY_SIZE(clone_flags),
					      FX(ev, struct bw_ev_ns)->flags, "0"),
				    out);
		return false;
	case BW_EV_MEMFD:
		if (strcmp(name, "name") == 0)
			return str_arg(ev, 0, out);
		if (strcmp(name, "fd") == 0)
			return num_arg(ev, h->ret, out);
		if (strcmp(name, "flags") == 0)
			return cstr(flags_str(ev, memfd_flags, BW_ARRAY_SIZE(memfd_flags),
					      FX(ev, struct bw_ev_memfd)->flags, "0"),
				    out);
		return false;
	case BW_EV_CHMOD: {
		const struct bw_ev_chmod *e = FX(ev, struct bw_ev_chmod);
		if (strcmp(name, "filename") == 0 || strcmp(name, "path") == 0) {
			const char *p = bw_mon_fs_path(ev, 0);
			return cstr(p, out);
		}
		if (strcmp(name, "mode") == 0) {
			out->i = e->mode;
			return cstr(bw_mon_mode_str(ev, e->mode), out);
		}
		if (strcmp(name, "fd") == 0 || strcmp(name, "dirfd") == 0)
			return num_arg(ev, e->dirfd, out);
		return false;
	}
	case BW_EV_UNLINK: {
		const struct bw_ev_path2 *e = FX(ev, struct bw_ev_path2);
		if (strcmp(name, "path") == 0 || strcmp(name, "name") == 0)
			return str_arg(ev, 0, out);
		if (strcmp(name, "dirfd") == 0)
			return num_arg(ev, e->olddirfd, out);
		if (strcmp(name, "flags") == 0)
			return cstr(flags_str(ev, at_flags, BW_ARRAY_SIZE(at_flags), e->flags, "0"), out);
		return false;
	}
	case BW_EV_RENAME:
	case BW_EV_LINK:
	case BW_EV_SYMLINK: {
		const struct bw_ev_path2 *e = FX(ev, struct bw_ev_path2);
		bool sym = h->kind == BW_EV_SYMLINK;
		if (strcmp(name, sym ? "target" : "oldpath") == 0)
			return str_arg(ev, 0, out);
		if (strcmp(name, sym ? "linkpath" : "newpath") == 0)
			return str_arg(ev, 1, out);
		if (strcmp(name, "olddirfd") == 0 || strcmp(name, "olddir") == 0)
			return num_arg(ev, e->olddirfd, out);
		if (strcmp(name, "newdirfd") == 0 || strcmp(name, "newdir") == 0 ||
		    strcmp(name, "linkdirfd") == 0)
			return num_arg(ev, e->newdirfd, out);
		if (strcmp(name, "flags") == 0)
			return cstr(flags_str(ev, h->kind == BW_EV_RENAME ? rename_flags : at_flags,
					      h->kind == BW_EV_RENAME ? BW_ARRAY_SIZE(rename_flags)
								      : BW_ARRAY_SIZE(at_flags),
					      e->flags, "0"),
				    out);
		return false;
	}
	case BW_EV_SOCKET: {
		const struct bw_ev_socket *e = FX(ev, struct bw_ev_socket);
		if (strcmp(name, "domain") == 0) {
			out->i = e->domain;
			return cstr(bw_mon_domain_str(ev, e->domain), out);
		}
		if (strcmp(name, "type") == 0)
			return cstr(
			    flags_str(ev, socket_types, BW_ARRAY_SIZE(socket_types), e->type & 0xf, "0"),
			    out);
		if (strcmp(name, "proto") == 0)
			return num_arg(ev, e->protocol, out);
		if (strcmp(name, "fd") == 0)
			return num_arg(ev, h->ret, out);
		return false;
	}
	case BW_EV_TCP_STATE: {
		const struct bw_ev_tcp *e = FX(ev, struct bw_ev_tcp);
		if (strcmp(name, "oldstate") == 0)
			return num_arg(ev, e->oldstate, out);
		if (strcmp(name, "newstate") == 0)
			return num_arg(ev, e->newstate, out);
		if (strcmp(name, "tuple") == 0)
			return sock_tuple(ev, out);
		return false;
	}
	}
	return false;
}

/* The parameter names of each kind, in Falco's order (evt.args, evt.arg[N]). */
static const char *const *arg_names(struct bw_mon_event *ev)
{
	static const char *const exec[] = {"res",
					   "exe",
					   "args",
					   "tid",
					   "pid",
					   "ptid",
					   "cwd",
					   "comm",
					   "tty",
					   "pgid",
					   "loginuid",
					   "flags",
					   "cap_inheritable",
					   "cap_permitted",
					   "cap_effective",
					   "exe_ino",
					   "exe_ino_ctime",
					   "exe_ino_mtime",
					   "uid",
					   "trusted_exepath",
					   "gid",
					   NULL};
	static const char *const execfail[] = {"res", "filename", NULL};
	static const char *const fork[] = {"res", "pid", "ptid", NULL};
	static const char *const ex[] = {"status", NULL};
	static const char *const open[] = {"fd", "dirfd", "name", "flags", "mode", "dev", "ino", NULL};
	static const char *const connect[] = {"res", "tuple", "fd", NULL};
	static const char *const accept[] = {"fd", "tuple", NULL};
	static const char *const bind[] = {"res", "addr", "fd", NULL};
	static const char *const listen[] = {"res", "fd", "backlog", NULL};
	static const char *const dup[] = {"res", "oldfd", NULL};
	static const char *const capset[] = {"res", "cap_inheritable", "cap_permitted", "cap_effective",
					     NULL};
	static const char *const mount[] = {"res", "dev", "dir", "type", "flags", NULL};
	static const char *const umount[] = {"res", "name", "flags", NULL};
	static const char *const ptrace[] = {"res", "request", "pid", NULL};
	static const char *const module[] = {"res", "uargs", NULL};
	static const char *const unshare[] = {"res", "flags", NULL};
	static const char *const setns[] = {"res", "fd", "nstype", NULL};
	static const char *const memfd[] = {"fd", "name", "flags", NULL};
	static const char *const chmod[] = {"res", "filename", "mode", NULL};
	static const char *const unlink[] = {"res", "path", NULL};
	static const char *const path2[] = {"res", "oldpath", "newpath", NULL};
	static const char *const symlink[] = {"res", "target", "linkpath", NULL};
	static const char *const socket[] = {"fd", "domain", "type", "proto", NULL};
	static const char *const tcp[] = {"tuple", "oldstate", "newstate", NULL};
	static const char *const none[] = {NULL};
	switch (ev->hdr->kind) {
	case BW_EV_EXEC:
		return exec;
	case BW_EV_EXEC_FAIL:
		return execfail;
	case BW_EV_FORK:
		return fork;
	case BW_EV_EXIT:
		return ex;
	case BW_EV_OPEN:
		return open;
	case BW_EV_CONNECT:
		return connect;
	case BW_EV_ACCEPT:
		return accept;
	case BW_EV_BIND:
		return bind;
	case BW_EV_LISTEN:
		return listen;
	case BW_EV_DUP:
		return dup;
	case BW_EV_CAPSET:
		return capset;
	case BW_EV_MOUNT:
		return mount;
	case BW_EV_UMOUNT:
		return umount;
	case BW_EV_PTRACE:
		return ptrace;
	case BW_EV_MODULE:
		return module;
	case BW_EV_UNSHARE:
		return unshare;
	case BW_EV_SETNS:
		return setns;
	case BW_EV_MEMFD:
		return memfd;
	case BW_EV_CHMOD:
		return chmod;
	case BW_EV_UNLINK:
		return unlink;
	case BW_EV_RENAME:
	case BW_EV_LINK:
		return path2;
	case BW_EV_SYMLINK:
		return symlink;
	case BW_EV_SOCKET:
		return socket;
	case BW_EV_TCP_STATE:
		return tcp;
	case BW_EV_SETID: {
		static const char *const u1[] = {"res", "uid", NULL}, *const g1[] = {"res", "gid", NULL};
		static const char *const u2[] = {"res", "ruid", "euid", NULL}, *const g2[] = {"res", "rgid",
											      "egid", NULL};
		static const char *const u3[] = {"res", "ruid", "euid", "suid", NULL};
		static const char *const g3[] = {"res", "rgid", "egid", "sgid", NULL};
		const char *sc = bw_mon_evtypes[ev->evtype].name;
		bool u = strstr(sc, "uid") != NULL;
		if (strncmp(sc, "setres", 6) == 0)
			return u ? u3 : g3;
		if (strncmp(sc, "setre", 5) == 0)
			return u ? u2 : g2;
		return u ? u1 : g1;
	}
	}
	return none;
}

bool bw_mon_arg_index(struct bw_mon_event *ev, int64_t i, struct bw_mon_val *out)
{
	const char *const *names = arg_names(ev);
	for (int64_t k = 0; names[k]; k++)
		if (k == i)
			return bw_mon_arg(ev, names[k], out);
	return false;
}

const char *bw_mon_args_str(struct bw_mon_event *ev)
{
	const char *const *names = arg_names(ev);
	char buf[4096];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t k = 0; names[k]; k++) {
		struct bw_mon_val v = {0};
		if (!bw_mon_arg(ev, names[k], &v))
			continue;
		int w = snprintf(buf + len, sizeof(buf) - len, "%s%s=%.*s", len ? " " : "", names[k],
				 (int)(v.len > 1024 ? 1024 : v.len), v.s);
		if (w < 0 || (size_t)w >= sizeof(buf) - len)
			break;
		len += (size_t)w;
	}
	return bw_mon_ev_strdup(ev, buf, len);
}
