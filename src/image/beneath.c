/* Opening a file below a directory without ever leaving it: the files of an
 * OCI layout are named by the layout's own metadata, and a symlink or a
 * ".." planted in the layout must not turn them into host files.
 *
 * Where the kernel has openat2(2) (Linux 5.6), RESOLVE_BENEATH refuses any
 * step out of the directory (a "..", an absolute path or symlink, a symlink
 * climbing out: EXDEV) and RESOLVE_NO_MAGICLINKS the /proc links. Elsewhere
 * the path is walked one component at a time, each opened with O_NOFOLLOW,
 * so no symlink is followed at all (stricter: a symlink inside the tree
 * is refused too). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "image-int.h"

int bw_openat_walk(int dirfd, const char *name, int flags)
{
	if (!name[0] || name[0] == '/') {
		errno = EXDEV;
		return -1;
	}
	int cur = dirfd;
	const char *p = name;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		char comp[NAME_MAX + 1];
		if (n > NAME_MAX) {
			if (cur != dirfd)
				close(cur);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (n == 2 && comp[0] == '.' && comp[1] == '.') {
			if (cur != dirfd)
				close(cur);
			errno = EXDEV;
			return -1;
		}
		int fd;
		if (n == 0 || (n == 1 && comp[0] == '.'))
			fd = slash ? -2 : openat(cur, ".", flags | O_NOFOLLOW | O_CLOEXEC);
		else if (slash)
			fd = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		else
			fd = openat(cur, comp, flags | O_NOFOLLOW | O_CLOEXEC);
		if (fd == -2) {
			p = slash + 1; /* "a//b", "./a": nothing to open */
			continue;
		}
		int e = errno;
		if (cur != dirfd)
			close(cur);
		if (fd < 0) {
			errno = e;
			return -1;
		}
		if (!slash)
			return fd;
		cur = fd;
		p = slash + 1;
	}
}

int bw_openat_beneath(int dirfd, const char *name, int flags)
{
	struct open_how how = {
	    .flags = (uint64_t)(flags | O_NOFOLLOW | O_CLOEXEC),
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
	if (fd >= 0)
		return (int)fd;
	if (errno != ENOSYS && errno != EPERM)
		return -1;
	/* no openat2 (or a filter that refuses it): the portable walk */
	return bw_openat_walk(dirfd, name, flags);
}
