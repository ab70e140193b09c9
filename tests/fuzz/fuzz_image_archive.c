/* libFuzzer: an image archive (docker save or oci-archive tar) from the
 * fuzzer's bytes, opened and walked: outer tar, manifest.json, index.json,
 * configurations, and every layer it names. */
#include "image/image.h"

#include <sys/mman.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-image", 0);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char target[64];
	snprintf(target, sizeof(target), "docker-archive:/proc/self/fd/%d", fd);
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
	close(fd);
	return 0;
}
