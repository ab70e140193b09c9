/* The image a signature is about: a manifest in a registry (its digest,
 * media type and size, the repository named as cosign names it), or a
 * local archive or OCI layout whose manifest digest is signed. */
#include <sys/stat.h>

#include "trust-int.h"

#include "image/image.h"

void bw_trust_image_release(struct bw_trust_image *img)
{
	bw_registry_free(img->reg);
	bw_registry_ref_release(&img->ref);
	free(img->name);
	free(img->repository);
	memset(img, 0, sizeof(*img));
}

static bool local_target(const char *t)
{
	static const char *const prefixes[] = {"docker-archive:", "oci:", "oci-archive:", "dir:", "docker:"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(prefixes); i++)
		if (strncmp(t, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	struct stat st;
	return stat(t, &st) == 0;
}

static int open_local(const char *target, struct bw_trust_image *img, struct bw_error *err)
{
	if (strncmp(target, "dir:", 4) == 0 || strncmp(target, "docker:", 7) == 0)
		return bw_error_set(
		    err, BW_EUNSUPPORTED,
		    "%s: only images with a manifest digest are signed: a registry image, an OCI "
		    "layout or an archive",
		    target);
	struct bw_image *im = NULL;
	struct bw_image_opts o = {.jobs = 1};
	int rc = bw_image_open(target, &o, &im, err);
	if (rc < 0)
		return rc;
	const struct bw_image_info *info = bw_image_info(im);
	if (!info->digest || !bw_digest_valid(info->digest)) {
		bw_image_free(im);
		return bw_error_set(
		    err, BW_EUNSUPPORTED,
		    "%s: the image has no manifest digest (a legacy docker save archive): sign its "
		    "OCI form (skopeo copy docker-archive:… oci:…) or its registry copy",
		    target);
	}
	snprintf(img->digest, sizeof(img->digest), "%s", info->digest);
	bw_image_free(im);
	return 0;
}

/* The repository as go-containerregistry names it (Docker Hub's registry is
 * index.docker.io there). */
static char *cosign_repository(const struct bw_registry_ref *ref)
{
	const char *dom = strcmp(ref->domain, BW_REGISTRY_DOCKER_HUB) == 0 ? "index.docker.io" : ref->domain;
	return bw_asprintf("%s/%s", dom, ref->repo);
}

int bw_trust_image_open(const char *target, const struct bw_registry_opts *ro, struct bw_trust_image *img,
			struct bw_error *err)
{
	memset(img, 0, sizeof(*img));
	img->name = bw_strdup(target);
	bool reg = strncmp(target, "registry:", 9) == 0;
	if (!reg && local_target(target)) {
		int rc = open_local(target, img, err);
		if (rc < 0)
			bw_trust_image_release(img);
		return rc;
	}
	const char *s = reg ? target + 9 : target;
	int rc = bw_registry_ref_parse(s, false, &img->ref, err);
	if (rc == 0) {
		img->repository = cosign_repository(&img->ref);
		rc = bw_registry_open(img->ref.host, ro, &img->reg, err);
	}
	struct bw_registry_manifest m = {0};
	if (rc == 0)
		rc = bw_registry_get_manifest(img->reg, img->ref.repo,
					      img->ref.digest ? img->ref.digest : img->ref.tag, &m, err);
	if (rc == 0) {
		snprintf(img->digest, sizeof(img->digest), "%s", m.digest);
		snprintf(img->media_type, sizeof(img->media_type), "%s", m.media_type);
		img->size = m.len;
	}
	bw_registry_manifest_release(&m);
	if (rc < 0)
		bw_trust_image_release(img);
	return rc;
}
