/* Go module versions (golang.org/x/mod/semver): "v" MAJOR[.MINOR[.PATCH]]
 * [-PRERELEASE][+BUILD], where the shorthands vMAJOR and vMAJOR.MINOR mean
 * .0 for the missing parts (and take no prerelease or build). Build
 * metadata, such as "+incompatible", is ignored by the order. Pseudo-
 * versions (v0.0.0-20191109021931-daa7c04131f5) are ordinary prereleases.
 * Ranges: comparator lists as for cargo over Go versions. */
#include "version-int.h"

static const char *go_parse(struct bw_slice in, struct bw_semver *out)
{
	if (!in.len || in.ptr[0] != 'v')
		return "a Go module version starts with 'v'";
	struct bw_slice rest = {in.ptr + 1, in.len - 1};
	size_t dots = 0, i = 0;
	while (i < rest.len && (bw_isdigit((unsigned char)rest.ptr[i]) || rest.ptr[i] == '.')) {
		dots += rest.ptr[i] == '.';
		i++;
	}
	if (dots < 2) {
		/* shorthand: digits only, no prerelease or build */
		if (i != rest.len)
			return "a shorthand version (v1, v1.2) takes no prerelease or build";
		char buf[8];
		(void)buf;
		struct bw_slice parts[2] = {{0}};
		size_t np = 0, s = 0;
		for (size_t k = 0; k <= rest.len; k++)
			if (k == rest.len || rest.ptr[k] == '.') {
				parts[np++] = (struct bw_slice){rest.ptr + s, k - s};
				s = k + 1;
			}
		memset(out, 0, sizeof *out);
		for (size_t k = 0; k < np; k++) {
			if (!parts[k].len)
				return "empty number";
			if (parts[k].len > 1 && parts[k].ptr[0] == '0')
				return "number has a leading zero";
		}
		out->major = parts[0];
		out->minor = np > 1 ? parts[1] : (struct bw_slice){"0", 1};
		out->patch = (struct bw_slice){"0", 1};
		return NULL;
	}
	return bw_semver_parse(rest, false, out);
}

static int go_validate(struct bw_slice v, struct bw_error *err)
{
	struct bw_semver s;
	const char *why = go_parse(v, &s);
	return why ? bw_version_invalid(err, "go", v, why) : 0;
}

static int go_compare(struct bw_slice a, struct bw_slice b, int *cmp, struct bw_error *err)
{
	struct bw_semver x, y;
	const char *why;
	if ((why = go_parse(a, &x)))
		return bw_version_invalid(err, "go", a, why);
	if ((why = go_parse(b, &y)))
		return bw_version_invalid(err, "go", b, why);
	*cmp = bw_semver_cmp(&x, &y);
	return 0;
}

static int go_in_range(struct bw_slice v, struct bw_slice r, bool *in, struct bw_error *err)
{
	struct bw_semver s;
	const char *why = go_parse(v, &s);
	if (why)
		return bw_version_invalid(err, "go", v, why);
	return bw_cargo_req_eval(&s, r, "go", in, err);
}

const struct bw_version_ops bw_version_go_ops = {"go", go_validate, go_compare, go_in_range};
