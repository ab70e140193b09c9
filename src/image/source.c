/* The table of image sources, and the choice of one for a target: by its
 * prefix ("docker-archive:PATH"), or else by the sources' probes. */
#include <sys/stat.h>

#include "image-int.h"

/* Every source, in the order prefixes are tried and probe ties are broken. */
static const struct source_ops *const sources[] = {
    &bw_source_docker_archive, &bw_source_oci, &bw_source_engine, &bw_source_dir,
    /* the registry source ("registry:" and names a registry serves) goes here */
};

/* Split "PATH[:REF]": the whole string when it exists, else at the last ':'. */
static void split_ref(struct bw_image *img, const char *rest)
{
	struct stat st;
	const char *colon = strrchr(rest, ':');
	if (stat(rest, &st) == 0 || !colon || strchr(colon, '/')) {
		img->location = bw_strdup(rest);
		return;
	}
	img->location = bw_strndup(rest, (size_t)(colon - rest));
	img->ref = bw_strdup(colon + 1);
}

int bw_source_select(struct bw_image *img, const char *target, struct bw_error *err)
{
	if (!target || !*target)
		return bw_error_set(err, BW_EUSAGE, "empty target");
	for (size_t i = 0; i < BW_ARRAY_SIZE(sources); i++) {
		for (const char *const *p = sources[i]->prefixes; p && *p; p++) {
			size_t n = strlen(*p);
			if (strncmp(target, *p, n) != 0)
				continue;
			img->ops = sources[i];
			img->info.target_type = bw_arena_strndup(&img->arena, *p, n - 1);
			if (!target[n])
				return bw_error_set(err, BW_EUSAGE,
						    "target '%s' names nothing after the prefix", target);
			if (sources[i]->has_ref)
				split_ref(img, target + n);
			else
				img->location = bw_strdup(target + n);
			return 0;
		}
	}
	/* no prefix: the highest bid wins, the first source on a tie */
	struct stat st;
	bool exists = stat(target, &st) == 0;
	const struct source_ops *best = NULL;
	int best_bid = 0;
	for (size_t i = 0; i < BW_ARRAY_SIZE(sources); i++) {
		int bid = sources[i]->probe ? sources[i]->probe(target, exists ? &st : NULL) : 0;
		if (bid > best_bid) {
			best = sources[i];
			best_bid = bid;
		}
	}
	if (!best)
		return bw_error_set(err, BW_ENOTFOUND, "%s: no such file or directory", target);
	img->ops = best;
	img->location = bw_strdup(target);
	img->info.target_type = bw_img_str(img, best->name);
	return 0;
}
