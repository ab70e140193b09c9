/* The Landlock ruleset: every file-system right the kernel's ABI knows is
 * handled (so denied), then granted back beneath the policy's paths only.
 * The constants of ABI versions newer than the build's kernel headers are
 * spelled here, as the kernel's documentation gives them; the ruleset
 * attribute is passed with the size the running kernel's ABI reads. */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "sandbox-int.h"

#define FS_EXECUTE (1ULL << 0)
#define FS_WRITE_FILE (1ULL << 1)
#define FS_READ_FILE (1ULL << 2)
#define FS_READ_DIR (1ULL << 3)
#define FS_REMOVE_DIR (1ULL << 4)
#define FS_REMOVE_FILE (1ULL << 5)
#define FS_MAKE_CHAR (1ULL << 6)
#define FS_MAKE_DIR (1ULL << 7)
#define FS_MAKE_REG (1ULL << 8)
#define FS_MAKE_SOCK (1ULL << 9)
#define FS_MAKE_FIFO (1ULL << 10)
#define FS_MAKE_BLOCK (1ULL << 11)
#define FS_MAKE_SYM (1ULL << 12)
#define FS_REFER (1ULL << 13)	  /* ABI 2 */
#define FS_TRUNCATE (1ULL << 14)  /* ABI 3 */
#define FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#define NET_BIND_TCP (1ULL << 0)  /* ABI 4 */
#define NET_CONNECT_TCP (1ULL << 1)
#define SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define SCOPE_SIGNAL (1ULL << 1)

/* the rights a rule on a file (not a directory) may carry */
#define FS_FILE_RIGHTS (FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV)

struct ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;	     /* ABI 6 */
};

struct path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

#ifndef LANDLOCK_RULE_PATH_BENEATH
#define LANDLOCK_RULE_PATH_BENEATH 1
#endif

int bw_sandbox_landlock_abi(void)
{
#ifdef SYS_landlock_create_ruleset
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	return v > 0 ? (int)v : 0;
#else
	return 0;
#endif
}

static uint64_t rights_for(unsigned access, bool dir)
{
	uint64_t r = 0;
	if (access & BW_SANDBOX_READ)
		r |= FS_READ_FILE | (dir ? FS_READ_DIR : 0);
	if (access & BW_SANDBOX_WRITE)
		r |= FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE |
		     (dir ? FS_READ_DIR | FS_REMOVE_DIR | FS_REMOVE_FILE | FS_MAKE_DIR | FS_MAKE_REG : 0);
	if (access & BW_SANDBOX_WRITE_FILE)
		r |= FS_WRITE_FILE | FS_TRUNCATE;
	return dir ? r : r & FS_FILE_RIGHTS;
}

static const char *access_name(unsigned access)
{
	if (access & BW_SANDBOX_WRITE)
		return "read-write";
	if ((access & BW_SANDBOX_WRITE_FILE) && (access & BW_SANDBOX_READ))
		return "read, write";
	if (access & BW_SANDBOX_WRITE_FILE)
		return "write";
	return "read";
}

int sb_landlock(struct bw_sandbox *sb, struct bw_error *err)
{
	int abi = bw_sandbox_landlock_abi();
	if (abi < 1) {
		bw_buf_printf(&sb->summary,
			      "sandbox: landlock: not offered by this kernel (Linux 5.13 or later "
			      "with Landlock enabled): file access is not confined\n");
		return 0;
	}
	struct ruleset_attr attr = {0};
	size_t attr_size = sizeof(attr.handled_access_fs);
	attr.handled_access_fs = (FS_MAKE_SYM << 1) - 1; /* ABI 1: EXECUTE .. MAKE_SYM */
	if (abi >= 2)
		attr.handled_access_fs |= FS_REFER;
	if (abi >= 3)
		attr.handled_access_fs |= FS_TRUNCATE;
	if (abi >= 5)
		attr.handled_access_fs |= FS_IOCTL_DEV;
	if (abi >= 4) {
		attr_size = offsetof(struct ruleset_attr, scoped);
		/* with no rule, handled TCP rights are denied */
		if (!sb->network)
			attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP;
		else
			attr.handled_access_net = NET_BIND_TCP;
	}
	if (abi >= 6) {
		attr_size = sizeof(attr);
		attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL;
	}
	int fd = (int)syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0);
	if (fd < 0)
		return bw_error_sys(err, BW_EIO, "sandbox: creating the Landlock ruleset (ABI %d)", abi);
	bw_buf_printf(&sb->summary, "sandbox: landlock ABI %d: everything else denied; allowed:", abi);
	int rc = 0;
	const char *sep = " ";
	struct bw_buf missing;
	bw_buf_init(&missing, 64 * 1024);
	for (size_t i = 0; i < sb->n_rules && rc == 0; i++) {
		const struct sb_rule *r = &sb->rules[i];
		int pfd = open(r->path, O_PATH | O_CLOEXEC);
		struct stat st;
		if (pfd < 0 || fstat(pfd, &st) < 0) {
			bw_buf_printf(&missing, "%s%s", missing.len ? ", " : "", r->path);
			if (pfd >= 0)
				close(pfd);
			continue;
		}
		if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) {
			/* a pipe or socket (/dev/stdin of a pipeline) is open already;
			 * Landlock neither needs nor takes a rule for it */
			close(pfd);
			continue;
		}
		struct path_beneath_attr pb = {
		    .allowed_access = rights_for(r->access, S_ISDIR(st.st_mode)) & attr.handled_access_fs,
		    .parent_fd = pfd,
		};
		if (pb.allowed_access &&
		    syscall(SYS_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0)
			rc = bw_error_sys(err, BW_EIO, "sandbox: a Landlock rule for %s", r->path);
		close(pfd);
		bw_buf_printf(&sb->summary, "%s%s %s", sep, access_name(r->access), r->path);
		sep = ", ";
	}
	bw_buf_printf(&sb->summary, "\n");
	if (missing.len)
		bw_buf_printf(&sb->summary, "sandbox: landlock: not there, so not allowed: %s\n",
			      missing.data);
	bw_buf_release(&missing);
	if (attr.handled_access_net)
		bw_buf_printf(&sb->summary, "sandbox: landlock: TCP %s denied\n",
			      sb->network ? "bind" : "bind and connect");
	if (attr.scoped)
		bw_buf_printf(&sb->summary, "sandbox: landlock: signals and abstract unix sockets scoped to "
					    "the sandbox\n");
	if (abi < 3)
		bw_buf_printf(&sb->summary, "sandbox: landlock: truncation not confined (ABI < 3)\n");
	if (rc == 0 && syscall(SYS_landlock_restrict_self, fd, 0) < 0)
		rc = bw_error_sys(err, BW_EIO, "sandbox: entering the Landlock domain");
	close(fd);
	return rc;
}
