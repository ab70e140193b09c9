/* libFuzzer: docker-archive and oci-archive metadata from members the
 * fuzzer names (fuzz_members.h): manifest.json, index.json, oci-layout and
 * repositories, duplicated or not (an integrity error), blobs named by their
 * digest, configs and layers they point at. The tar is written here with
 * libarchive, plain (read by index) or gzip-compressed (flags bit 0: read
 * as a stream, metadata last or first as the records come), then opened,
 * walked and resolved. */
#include "image/image.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/mman.h>

#include "fuzz_members.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *make_tar(const struct fm_members *ms, size_t *len)
{
	size_t cap = 2048;
	for (size_t i = 0; i < ms->n; i++)
		cap += ms->m[i].len + 2048;
	char *buf = bw_malloc(cap);
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	if (ms->flags & 1)
		archive_write_add_filter_gzip(a);
	archive_write_set_bytes_in_last_block(a, 1);
	*len = 0;
	if (archive_write_open_memory(a, buf, cap, len) != ARCHIVE_OK) {
		archive_write_free(a);
		free(buf);
		return NULL;
	}
	for (size_t i = 0; i < ms->n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, ms->m[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)ms->m[i].len);
		if (archive_write_header(a, e) == ARCHIVE_OK && ms->m[i].len)
			archive_write_data(a, ms->m[i].data, ms->m[i].len);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fm_members ms;
	if (!fm_parse(data, size, &ms))
		return 0;
	size_t len;
	char *tar = make_tar(&ms, &len);
	fm_release(&ms);
	if (!tar)
		return 0;
	int fd = memfd_create("fuzz-archive-meta", 0);
	if (fd >= 0 && write(fd, tar, len) == (ssize_t)len) {
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
	}
	if (fd >= 0)
		close(fd);
	free(tar);
	return 0;
}
