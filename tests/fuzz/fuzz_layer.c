/* libFuzzer: one layer blob (gzip, zstd or plain tar) from the fuzzer's
 * bytes, walked in an OCI layout whose manifest names it without a digest
 * check failing first: the harness writes index, manifest and config with
 * the blob's real digest, so the walker itself is what gets exercised. */
#include "image/image.h"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void put(const char *rel, const void *d, size_t n)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (n && write(fd, d, n) < 0) {
		}
		close(fd);
	}
}

static const char *hex(const char *digest)
{
	return digest + 7;
}

/* Pretends the uncompressed layer is the same bytes: the diff_id check then
 * fails for compressed input after the whole walk, which is what we want
 * the fuzzer to reach. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	snprintf(root, sizeof(root), "/tmp/fuzz-layer-%d", (int)getpid());
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	mkdir(root, 0755);
	char p[256];
	snprintf(p, sizeof(p), "%s/blobs", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/blobs/sha256", root);
	mkdir(p, 0755);

	char ld[BW_DIGEST_STR_MAX], cd[BW_DIGEST_STR_MAX], md[BW_DIGEST_STR_MAX];
	bw_sha256_str(data, size, ld);
	char *config = bw_asprintf("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":"
				   "\"layers\",\"diff_ids\":[\"%s\"]}}",
				   ld);
	bw_sha256_str(config, strlen(config), cd);
	char *manifest =
	    bw_asprintf("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
			"\"config\":{\"mediaType\":\"application/"
			"vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":%zu},"
			"\"layers\":[{\"mediaType\":\"application/"
			"vnd.oci.image.layer.v1.tar\",\"digest\":\"%s\",\"size\":%zu}]}",
			cd, strlen(config), ld, size);
	bw_sha256_str(manifest, strlen(manifest), md);
	char *index = bw_asprintf("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/"
				  "vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\",\"size\":%zu}]}",
				  md, strlen(manifest));
	char rel[128];
	snprintf(rel, sizeof(rel), "blobs/sha256/%s", hex(ld));
	put(rel, data, size);
	snprintf(rel, sizeof(rel), "blobs/sha256/%s", hex(cd));
	put(rel, config, strlen(config));
	snprintf(rel, sizeof(rel), "blobs/sha256/%s", hex(md));
	put(rel, manifest, strlen(manifest));
	put("index.json", index, strlen(index));
	put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30);

	char target[96];
	snprintf(target, sizeof(target), "oci:%s", root);
	struct bw_error err = BW_ERROR_INIT;
	struct bw_image *img = NULL;
	struct bw_image_opts o = {.jobs = 1};
	if (bw_image_open(target, &o, &img, &err) == 0) {
		if (bw_image_walk(img, NULL, 0, NULL, NULL, &err) == 0) {
			const struct bw_file *f;
			bw_image_resolve(img, "/a/b/c", &f, &err);
		}
		bw_image_free(img);
	}
	free(config);
	free(manifest);
	free(index);
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
