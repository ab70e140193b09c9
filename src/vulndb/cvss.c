/* CVSS scores from vector strings.
 *
 * v3.0/v3.1: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" (FIRST CVSS v3.1
 * specification, section 7: the base metric equations and the Roundup of
 * Appendix A; v3.0 rounds up with a plain ceiling to one decimal).
 * v2: "AV:N/AC:L/Au:N/C:P/I:P/A:P", optionally in parentheses or with a
 * "CVSS:2.0/" prefix (CVSS v2 guide, section 3.2.1). Temporal and
 * environmental metrics may follow; they do not change the base score.
 * v4.0: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
 * scored in cvss4.c (which says what is scored and why).
 *
 * Error messages quote the vector with control and non-ASCII bytes shown as
 * '?', so that a hostile record cannot write to the terminal through them.
 * Vectors are at most BW_CVSS_MAX_VECTOR bytes; longer input is refused
 * before it is read further.
 */
#include <math.h>

#include "vulndb-int.h"

struct metric {
	const char *key;
	const char *values; /* allowed letters */
	char got;
};

static int parse_metrics(const char *v, struct metric *m, size_t nm, const char *const *extra,
			 const char *vector, struct bw_error *err)
{
	while (*v) {
		const char *slash = strchr(v, '/');
		size_t len = slash ? (size_t)(slash - v) : strlen(v);
		const char *colon = memchr(v, ':', len);
		if (!colon || colon == v || (size_t)(colon - v) + 2 != len)
			return bw_error_set(err, BW_EINPUT, "CVSS vector '%s': malformed metric '%.*s'",
					    vector, (int)(len > 16 ? 16 : len), v);
		size_t kl = (size_t)(colon - v);
		char val = colon[1];
		bool known = false;
		for (size_t i = 0; i < nm; i++) {
			if (strlen(m[i].key) != kl || strncmp(m[i].key, v, kl) != 0)
				continue;
			if (m[i].got || !strchr(m[i].values, val) || val == '\0')
				return bw_error_set(err, BW_EINPUT, "CVSS vector '%s': bad or repeated %s",
						    vector, m[i].key);
			m[i].got = val;
			known = true;
		}
		for (size_t i = 0; !known && extra[i]; i++)
			if (strlen(extra[i]) == kl && strncmp(extra[i], v, kl) == 0)
				known = true;
		if (!known)
			return bw_error_set(err, BW_EINPUT, "CVSS vector '%s': unknown metric '%.*s'", vector,
					    (int)(kl > 16 ? 16 : kl), v);
		v += len + (slash ? 1 : 0);
		if (slash && !*v)
			return bw_error_set(err, BW_EINPUT, "CVSS vector '%s': trailing '/'", vector);
	}
	for (size_t i = 0; i < nm; i++)
		if (!m[i].got)
			return bw_error_set(err, BW_EINPUT, "CVSS vector '%s': missing %s", vector, m[i].key);
	return 0;
}

static double roundup31(double x)
{
	long long i = llround(x * 100000.0);
	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

static int score_v3(const char *v, bool v31, const char *vector, double *score, struct bw_error *err)
{
	struct metric m[] = {{"AV", "NALP", 0}, {"AC", "LH", 0}, {"PR", "NLH", 0}, {"UI", "NR", 0},
			     {"S", "UC", 0},	{"C", "HLN", 0}, {"I", "HLN", 0},  {"A", "HLN", 0}};
	static const char *const extra[] = {"E",   "RL",  "RC", "CR", "IR", "AR", "MAV", "MAC",
					    "MPR", "MUI", "MS", "MC", "MI", "MA", NULL};
	int rc = parse_metrics(v, m, BW_ARRAY_SIZE(m), extra, vector, err);
	if (rc < 0)
		return rc; /* err may be NULL */
	bool changed = m[4].got == 'C';
	double av = m[0].got == 'N' ? 0.85 : m[0].got == 'A' ? 0.62 : m[0].got == 'L' ? 0.55 : 0.2;
	double ac = m[1].got == 'L' ? 0.77 : 0.44;
	double pr = m[2].got == 'N'   ? 0.85
		    : m[2].got == 'L' ? (changed ? 0.68 : 0.62)
				      : (changed ? 0.5 : 0.27);
	double ui = m[3].got == 'N' ? 0.85 : 0.62;
	double cia[3];
	for (int i = 0; i < 3; i++)
		cia[i] = m[5 + i].got == 'H' ? 0.56 : m[5 + i].got == 'L' ? 0.22 : 0;
	double iss = 1 - (1 - cia[0]) * (1 - cia[1]) * (1 - cia[2]);
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	double expl = 8.22 * av * ac * pr * ui;
	double base;
	if (impact <= 0)
		base = 0;
	else if (changed)
		base = fmin(1.08 * (impact + expl), 10);
	else
		base = fmin(impact + expl, 10);
	*score = v31 ? roundup31(base) : ceil(base * 10 - 1e-9) / 10.0;
	return 0;
}

static int score_v2(const char *v, const char *vector, double *score, struct bw_error *err)
{
	struct metric m[] = {{"AV", "LAN", 0}, {"AC", "HML", 0}, {"Au", "MSN", 0},
			     {"C", "NPC", 0},  {"I", "NPC", 0},	 {"A", "NPC", 0}};
	static const char *const extra[] = {"E", "RL", "RC", "CDP", "TD", "CR", "IR", "AR", NULL};
	int rc = parse_metrics(v, m, BW_ARRAY_SIZE(m), extra, vector, err);
	if (rc < 0)
		return rc; /* err may be NULL */
	double av = m[0].got == 'L' ? 0.395 : m[0].got == 'A' ? 0.646 : 1.0;
	double ac = m[1].got == 'H' ? 0.35 : m[1].got == 'M' ? 0.61 : 0.71;
	double au = m[2].got == 'M' ? 0.45 : m[2].got == 'S' ? 0.56 : 0.704;
	double cia[3];
	for (int i = 0; i < 3; i++)
		cia[i] = m[3 + i].got == 'N' ? 0 : m[3 + i].got == 'P' ? 0.275 : 0.660;
	double impact = 10.41 * (1 - (1 - cia[0]) * (1 - cia[1]) * (1 - cia[2]));
	double expl = 20 * av * ac * au;
	double f = impact == 0 ? 0 : 1.176;
	double base = ((0.6 * impact) + (0.4 * expl) - 1.5) * f;
	*score = round(base * 10 + 1e-9) / 10.0;
	if (*score < 0)
		*score = 0;
	return 0;
}

/* The vector as messages quote it: its first limit bytes, '?' for bytes
 * outside printable ASCII, "..." when cut. out has limit + 4 bytes. */
static void quote(const char *v, size_t n, size_t limit, char *out)
{
	size_t k = 0;
	for (; k < n && k < limit; k++)
		out[k] = v[k] >= 0x20 && v[k] < 0x7f ? v[k] : '?';
	if (k < n)
		memcpy(out + k, "...", 3), k += 3;
	out[k] = '\0';
}

int bw_cvss_score(const char *vector, struct bw_cvss_score *out, struct bw_error *err)
{
	char buf[BW_CVSS_MAX_VECTOR + 1], name[BW_CVSS_MAX_VECTOR + 4];
	size_t n = vector ? strnlen(vector, BW_CVSS_MAX_VECTOR + 1) : 0;
	if (n == 0)
		return bw_error_set(err, BW_EINPUT, "empty CVSS vector");
	if (n > BW_CVSS_MAX_VECTOR) {
		quote(vector, n, 64, name);
		return bw_error_set(err, BW_EINPUT, "CVSS vector '%s' is too long (over %d bytes)", name,
				    BW_CVSS_MAX_VECTOR);
	}
	/* parsed as quoted: '?' is no part of any vector, so the copy is valid
	 * exactly when the vector is, and messages quote only printable text */
	quote(vector, n, BW_CVSS_MAX_VECTOR, name);
	memset(out, 0, sizeof(*out));
	const char *v = name;
	if (n >= 8 && memcmp(v, "CVSS:4.0", 8) == 0)
		return vdb_cvss4_score(v, n, name, out, err);
	if (v[0] == '(' && v[n - 1] == ')') {
		snprintf(buf, sizeof(buf), "%.*s", (int)(n - 2), v + 1);
		v = buf;
	}
	if (strncmp(v, "CVSS:3.1/", 9) == 0 || strncmp(v, "CVSS:3.0/", 9) == 0) {
		out->major = 3;
		out->minor = v[7] - '0';
		return score_v3(v + 9, v[7] == '1', name, &out->score, err);
	}
	if (strncmp(v, "CVSS:2.0/", 9) == 0)
		v += 9;
	if (strncmp(v, "AV:", 3) == 0 && strstr(v, "Au:")) {
		out->major = 2;
		return score_v2(v, name, &out->score, err);
	}
	return bw_error_set(err, BW_EINPUT, "'%s' is not a CVSS v2, v3 or v4 vector", name);
}

int bw_cvss_base_score(const char *vector, double *score, int *major, struct bw_error *err)
{
	struct bw_cvss_score s;
	int rc = bw_cvss_score(vector, &s, err);
	if (rc < 0)
		return rc;
	*score = s.score;
	*major = s.major;
	return 0;
}

enum bw_severity bw_cvss_severity(double score, int major)
{
	if (major == 2)
		return score >= 7 ? BW_SEV_HIGH : score >= 4 ? BW_SEV_MEDIUM : BW_SEV_LOW;
	if (score >= 9)
		return BW_SEV_CRITICAL;
	if (score >= 7)
		return BW_SEV_HIGH;
	if (score >= 4)
		return BW_SEV_MEDIUM;
	if (score > 0)
		return BW_SEV_LOW;
	return BW_SEV_INFO;
}
