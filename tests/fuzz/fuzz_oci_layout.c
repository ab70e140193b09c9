/* libFuzzer: an OCI image layout directory written from members the fuzzer
 * names (fuzz_members.h): oci-layout, index.json and blobs, or the
 * docker-archive fallback (a manifest.json inside the directory whose
 * Config and Layers name files below it), opened as oci:DIR, walked and
 * resolved. Names that climb out ("..") are not written; metadata that
 * names them is what the reader must refuse. */
#include "image/image.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>

#include "fuzz_members.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	if (ftw->level > 0)
		remove(path);
	return 0;
}

/* mkdir -p of the parents of name below dir, then the file. */
static void put(const char *name, const char *bytes, size_t len)
{
	if (strstr(name, "..") || name[0] == '/')
		return;
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (len && write(fd, bytes, len) != (ssize_t)len) {
		/* a short write is a smaller member: still an input */
	}
	close(fd);
}

static void clean_up(void)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/bw-fuzz-oci-XXXXXX");
		if (!mkdtemp(dir))
			abort();
		atexit(clean_up);
	}
	struct fm_members ms;
	if (!fm_parse(data, size, &ms))
		return 0;
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	for (size_t i = 0; i < ms.n; i++)
		put(ms.m[i].name, ms.m[i].data, ms.m[i].len);
	fm_release(&ms);
	char target[96];
	snprintf(target, sizeof(target), "oci:%s", dir);
	struct bw_error err = BW_ERROR_INIT;
	struct bw_image *img = NULL;
	struct bw_image_opts o = {.jobs = 1};
	if (bw_image_open(target, &o, &img, &err) == 0) {
		if (bw_image_walk(img, NULL, 0, NULL, NULL, &err) == 0) {
			const struct bw_file *f;
			bw_image_resolve(img, "/etc/os-release", &f, &err);
		}
		bw_image_free(img);
	}
	return 0;
}
