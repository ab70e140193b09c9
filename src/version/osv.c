/* OSV: ecosystem names to schemes, and evaluation of an "affected" entry
 * (ranges of type ECOSYSTEM / SEMVER with introduced, fixed, last_affected
 * and limit events, plus the explicit versions list), following the
 * evaluation given in the OSV schema: events sorted by version, where
 * "introduced" opens a range at its version ("0": from the start), "fixed"
 * closes it at its version and "last_affected" closes it after its version;
 * limit events, when present, bound every range from above. */
#include "version-int.h"

static const struct {
	const char *name;
	enum bw_version_scheme scheme;
} osv_ecosystems[] = {
    {"Debian", BW_VERSION_DEB},	     {"Ubuntu", BW_VERSION_DEB},
    {"Alpine", BW_VERSION_APK},	     {"Wolfi", BW_VERSION_APK},
    {"Chainguard", BW_VERSION_APK},  {"AlmaLinux", BW_VERSION_RPM},
    {"Rocky Linux", BW_VERSION_RPM}, {"Red Hat", BW_VERSION_RPM},
    {"openSUSE", BW_VERSION_RPM},    {"SUSE", BW_VERSION_RPM},
    {"Mageia", BW_VERSION_RPM},	     {"Photon OS", BW_VERSION_RPM},
    {"Azure Linux", BW_VERSION_RPM}, {"openEuler", BW_VERSION_RPM},
    {"PyPI", BW_VERSION_PYPI},	     {"npm", BW_VERSION_NPM},
    {"Go", BW_VERSION_GO},	     {"crates.io", BW_VERSION_CARGO},
    {"Maven", BW_VERSION_MAVEN},     {"RubyGems", BW_VERSION_GEM},
    {"NuGet", BW_VERSION_NUGET},     {"Packagist", BW_VERSION_COMPOSER},
    {"Bitnami", BW_VERSION_SEMVER},
};

int bw_version_scheme_from_osv(struct bw_slice eco)
{
	const char *colon = eco.ptr ? memchr(eco.ptr, ':', eco.len) : NULL;
	struct bw_slice base = {eco.ptr, colon ? (size_t)(colon - eco.ptr) : eco.len};
	for (size_t i = 0; i < BW_ARRAY_SIZE(osv_ecosystems); i++)
		if (bw_slice_eq(base, osv_ecosystems[i].name))
			return (int)osv_ecosystems[i].scheme;
	return -1;
}

/* Compare under a range type: SEMVER ranges use SemVer 2.0 with a leading
 * 'v' tolerated; Go versions get their 'v' added when OSV left it out. */
static int osv_cmp(enum bw_version_scheme scheme, enum bw_osv_range_type type, struct bw_slice a,
		   struct bw_slice b, int *cmp, struct bw_error *err)
{
	if (type == BW_OSV_RANGE_SEMVER && scheme != BW_VERSION_GO) {
		if (a.len && a.ptr[0] == 'v')
			a.ptr++, a.len--;
		if (b.len && b.ptr[0] == 'v')
			b.ptr++, b.len--;
		return bw_version_compare(BW_VERSION_SEMVER, a, b, cmp, err);
	}
	if (scheme == BW_VERSION_GO && ((a.len && a.ptr[0] != 'v') || (b.len && b.ptr[0] != 'v'))) {
		char *x = bw_malloc(a.len + b.len + 2);
		size_t xl = 0;
		if (!a.len || a.ptr[0] != 'v')
			x[xl++] = 'v';
		memcpy(x + xl, a.ptr, a.len);
		xl += a.len;
		char *y = x + xl;
		size_t yl = 0;
		if (!b.len || b.ptr[0] != 'v')
			y[yl++] = 'v';
		memcpy(y + yl, b.ptr, b.len);
		yl += b.len;
		int rc =
		    bw_version_compare(scheme, (struct bw_slice){x, xl}, (struct bw_slice){y, yl}, cmp, err);
		free(x);
		return rc;
	}
	return bw_version_compare(scheme, a, b, cmp, err);
}

static bool is_zero_intro(const struct bw_osv_event *e)
{
	return e->kind == BW_OSV_INTRODUCED && bw_slice_eq(e->version, "0");
}

static bool is_no_limit(const struct bw_osv_event *e)
{
	return e->kind == BW_OSV_LIMIT && bw_slice_eq(e->version, "*");
}

static const char *kind_name(enum bw_osv_event_kind k)
{
	switch (k) {
	case BW_OSV_INTRODUCED:
		return "introduced";
	case BW_OSV_FIXED:
		return "fixed";
	case BW_OSV_LAST_AFFECTED:
		return "last_affected";
	default:
		return "limit";
	}
}

static int event_order(enum bw_osv_event_kind k)
{
	return k == BW_OSV_INTRODUCED ? 0 : k == BW_OSV_LAST_AFFECTED ? 1 : k == BW_OSV_FIXED ? 2 : 3;
}

/* a before b? */
static int event_less(enum bw_version_scheme scheme, enum bw_osv_range_type type,
		      const struct bw_osv_event *a, const struct bw_osv_event *b, bool *less,
		      struct bw_error *err)
{
	bool za = is_zero_intro(a), zb = is_zero_intro(b);
	if (za || zb) {
		*less = za && !zb;
		return 0;
	}
	int c = 0, rc = osv_cmp(scheme, type, a->version, b->version, &c, err);
	if (rc < 0)
		return rc;
	*less = c < 0 || (c == 0 && event_order(a->kind) < event_order(b->kind));
	return 0;
}

static int range_match(enum bw_version_scheme scheme, const struct bw_osv_range *r, size_t ri,
		       struct bw_slice v, bool *hit, struct bw_error *err)
{
	size_t n = r->n_events;
	const struct bw_osv_event **ev = bw_malloc((n ? n : 1) * sizeof *ev);
	int rc = 0;
	size_t m = 0;
	/* check every event version, keep the ordered ones */
	for (size_t i = 0; i < n; i++) {
		const struct bw_osv_event *e = &r->events[i];
		if (is_zero_intro(e) || is_no_limit(e)) {
			ev[m++] = e;
			continue;
		}
		int c;
		if ((rc = osv_cmp(scheme, r->type, e->version, e->version, &c, err)) < 0) {
			bw_error_prefix(err, "range %zu, event %zu (%s): ", ri, i, kind_name(e->kind));
			goto out;
		}
		ev[m++] = e;
	}
	/* insertion sort: event lists are short */
	for (size_t i = 1; i < m; i++) {
		const struct bw_osv_event *e = ev[i];
		size_t j = i;
		while (j > 0) {
			bool less;
			if (is_no_limit(e) || is_no_limit(ev[j - 1]))
				break;
			if ((rc = event_less(scheme, r->type, e, ev[j - 1], &less, err)) < 0)
				goto out;
			if (!less)
				break;
			ev[j] = ev[j - 1];
			j--;
		}
		ev[j] = e;
	}
	bool affected = false, has_limit = false, under_limit = false;
	for (size_t i = 0; i < m; i++) {
		const struct bw_osv_event *e = ev[i];
		int c = 0;
		if (e->kind == BW_OSV_LIMIT) {
			has_limit = true;
			if (is_no_limit(e)) {
				under_limit = true;
				continue;
			}
			if ((rc = osv_cmp(scheme, r->type, v, e->version, &c, err)) < 0)
				goto out;
			under_limit = under_limit || c < 0;
			continue;
		}
		if (is_zero_intro(e)) {
			affected = true;
			continue;
		}
		if ((rc = osv_cmp(scheme, r->type, v, e->version, &c, err)) < 0)
			goto out;
		if (e->kind == BW_OSV_INTRODUCED && c >= 0)
			affected = true;
		else if (e->kind == BW_OSV_FIXED && c >= 0)
			affected = false;
		else if (e->kind == BW_OSV_LAST_AFFECTED && c > 0)
			affected = false;
	}
	*hit = affected && (!has_limit || under_limit);
out:
	free(ev);
	return rc;
}

int bw_osv_affected_match(const struct bw_osv_affected *a, struct bw_slice version, bool *affected,
			  struct bw_error *err)
{
	int rc;
	const struct bw_version_ops *ops = bw_version_ops_of(a->scheme);
	if (!ops)
		return bw_error_set(err, BW_EUSAGE, "unknown version scheme %d", (int)a->scheme);
	bool any_ecosystem = false, any_semver = false;
	for (size_t i = 0; i < a->n_ranges; i++) {
		any_ecosystem = any_ecosystem || a->ranges[i].type == BW_OSV_RANGE_ECOSYSTEM;
		any_semver = any_semver || a->ranges[i].type == BW_OSV_RANGE_SEMVER;
	}
	/* the installed version must be valid for whatever will judge it */
	int c;
	if (any_ecosystem || a->n_versions || !any_semver) {
		if ((rc = osv_cmp(a->scheme, BW_OSV_RANGE_ECOSYSTEM, version, version, &c, err)) < 0)
			return rc;
	}
	if (any_semver && (rc = osv_cmp(a->scheme, BW_OSV_RANGE_SEMVER, version, version, &c, err)) < 0)
		return rc;
	for (size_t i = 0; i < a->n_versions; i++) {
		struct bw_slice x = a->versions[i];
		if (x.len == version.len && !memcmp(x.ptr, version.ptr, x.len)) {
			*affected = true;
			return 0;
		}
		struct bw_error ignore = BW_ERROR_INIT;
		if (osv_cmp(a->scheme, BW_OSV_RANGE_ECOSYSTEM, version, x, &c, &ignore) == 0 && c == 0) {
			*affected = true;
			return 0;
		}
	}
	for (size_t i = 0; i < a->n_ranges; i++) {
		if (a->ranges[i].type == BW_OSV_RANGE_GIT)
			continue;
		bool hit = false;
		if ((rc = range_match(a->scheme, &a->ranges[i], i, version, &hit, err)) < 0)
			return rc;
		if (hit) {
			*affected = true;
			return 0;
		}
	}
	*affected = false;
	return 0;
}
