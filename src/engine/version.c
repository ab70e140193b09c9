/* API version negotiation: "the lower of the server's ApiVersion and the
 * newest we speak", as the docker CLI negotiates. */
#include "engine-int.h"

bool bw_engine_version_parse(const char *s, int *major, int *minor)
{
	int v[2] = {0, 0};
	if (!s)
		return false;
	for (int part = 0; part < 2; part++) {
		int digits = 0;
		while (bw_isdigit(*s)) {
			if (++digits > 4)
				return false;
			v[part] = v[part] * 10 + (*s++ - '0');
		}
		if (!digits)
			return false;
		if (part == 0 && *s++ != '.')
			return false;
	}
	if (*s)
		return false;
	*major = v[0];
	*minor = v[1];
	return true;
}

static int vcmp(int a1, int a2, int b1, int b2)
{
	return a1 != b1 ? (a1 < b1 ? -1 : 1) : (a2 < b2 ? -1 : a2 > b2);
}

int bw_engine_version_choose(const char *api_version, const char *min_version, char *out, size_t outlen,
			     struct bw_error *err)
{
	int ma, mi;
	if (!bw_engine_version_parse(api_version, &ma, &mi))
		return bw_error_set(err, BW_EINPUT, "the engine reports a malformed API version '%s'",
				    api_version ? api_version : "(none)");
	if (vcmp(ma, mi, BW_ENGINE_API_MIN_MAJOR, BW_ENGINE_API_MIN_MINOR) < 0)
		return bw_error_set(err, BW_EUNSUPPORTED,
				    "the engine speaks API %d.%d; bulwark needs at least %d.%d", ma, mi,
				    BW_ENGINE_API_MIN_MAJOR, BW_ENGINE_API_MIN_MINOR);
	if (vcmp(ma, mi, BW_ENGINE_API_MAX_MAJOR, BW_ENGINE_API_MAX_MINOR) > 0) {
		ma = BW_ENGINE_API_MAX_MAJOR;
		mi = BW_ENGINE_API_MAX_MINOR;
	}
	int na, ni;
	if (min_version && *min_version && bw_engine_version_parse(min_version, &na, &ni) &&
	    vcmp(na, ni, ma, mi) > 0)
		return bw_error_set(err, BW_EUNSUPPORTED,
				    "the engine needs at least API %s; bulwark speaks up to %d.%d",
				    min_version, BW_ENGINE_API_MAX_MAJOR, BW_ENGINE_API_MAX_MINOR);
	snprintf(out, outlen, "%d.%d", ma, mi);
	return 0;
}
