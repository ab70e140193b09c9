/* The table of image sources, and the choice of one for a target: by its
 * prefix ("docker-archive:PATH"), or else by the sources' probes. */
#include <sys/stat.h>

#include "image-int.h"

/* Every source, in the order prefixes are tried and probe ties are broken. */
static const struct source_ops *const sources[] = {
    &bw_source_docker_archive, &bw_source_oci, &bw_source_engine, &bw_source_dir, &bw_source_registry,
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

int bw_source_select(struct bw_image *img, const char *target, const struct source_ops *forced,
		     struct bw_error *err)
{
	if (!target || !*target)
		return bw_error_set(err, BW_EUSAGE, "empty target");
	/* "-" (also "docker-archive:-", "oci-archive:-"): a docker save stream on
	 * standard input, read in one pass */
	const char *rest = target;
	if (strncmp(rest, "docker-archive:", 15) == 0)
		rest += 15;
	else if (strncmp(rest, "oci-archive:", 12) == 0)
		rest += 12;
	if (!forced && strcmp(rest, "-") == 0) {
		img->ops = &bw_source_docker_archive;
		img->location = bw_strdup("standard input");
		img->from_stdin = true;
		img->info.target_type =
		    rest == target ? bw_img_str(img, "archive")
				   : bw_arena_strndup(&img->arena, target, (size_t)(rest - target - 1));
		return 0;
	}
	if (forced) {
		img->ops = forced;
		img->location = bw_strdup(target);
		img->info.target_type = bw_img_str(img, forced->name);
		return 0;
	}
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

static bool has_prefix(const char *target)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(sources); i++)
		for (const char *const *p = sources[i]->prefixes; p && *p; p++)
			if (strncmp(target, *p, strlen(*p)) == 0)
				return true;
	return false;
}

int bw_source_name_order(const char *target, const char *image_src, const struct source_ops **order,
			 size_t max, size_t *n, struct bw_error *err)
{
	static const struct {
		const char *name;
		const struct source_ops *ops;
	} names[] = {
	    {"engine", &bw_source_engine},
	    {"docker", &bw_source_engine},
	    {"registry", &bw_source_registry},
	    {"remote", &bw_source_registry},
	};
	*n = 0;
	const char *list = image_src ? image_src : "engine,registry";
	const struct source_ops *want[BW_ARRAY_SIZE(sources)];
	size_t nw = 0;
	for (const char *p = list;;) {
		size_t len = strcspn(p, ",");
		size_t k = 0;
		while (k < BW_ARRAY_SIZE(names) &&
		       !(strlen(names[k].name) == len && strncmp(names[k].name, p, len) == 0))
			k++;
		if (k == BW_ARRAY_SIZE(names))
			return bw_error_set(err, BW_EUSAGE,
					    "--image-src: unknown source '%.*s' (engine, registry)", (int)len,
					    p);
		bool dup = false;
		for (size_t j = 0; j < nw; j++)
			dup |= want[j] == names[k].ops;
		if (!dup && nw < BW_ARRAY_SIZE(want))
			want[nw++] = names[k].ops;
		if (!p[len])
			break;
		p += len + 1;
	}
	if (!target || !*target || has_prefix(target) || strcmp(target, "-") == 0)
		return 0;
	struct stat st;
	if (stat(target, &st) == 0)
		return 0;
	/* a path that is not there is an error about the file, not a name to look up */
	static const char *const archive_ends[] = {".tar", ".tar.gz", ".tgz", ".tar.zst", ".tar.xz"};
	bool path_like = target[0] == '/' || target[0] == '~' || strncmp(target, "./", 2) == 0 ||
			 strncmp(target, "../", 3) == 0;
	size_t tl = strlen(target);
	for (size_t i = 0; !path_like && i < BW_ARRAY_SIZE(archive_ends); i++) {
		size_t k = strlen(archive_ends[i]);
		path_like = tl > k && strcmp(target + tl - k, archive_ends[i]) == 0;
	}
	if (path_like)
		return bw_error_set(err, BW_ENOTFOUND, "%s: no such file or directory", target);
	/* the name is the sources' only if no other source outbids them */
	int best = 0;
	bool best_by_name = false;
	for (size_t i = 0; i < BW_ARRAY_SIZE(sources); i++) {
		int bid = sources[i]->probe ? sources[i]->probe(target, NULL) : 0;
		if (bid > best) {
			best = bid;
			best_by_name = sources[i]->by_name;
		}
	}
	if (!best_by_name)
		return 0;
	for (size_t j = 0; j < nw && *n < max; j++)
		if (want[j]->probe(target, NULL) == best)
			order[(*n)++] = want[j];
	return 0;
}
