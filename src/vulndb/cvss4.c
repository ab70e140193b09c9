/* CVSS v4.0 scores (FIRST, "Common Vulnerability Scoring System version 4.0
 * Specification Document", sections 7 and 8; the reference is FIRST's
 * calculator, https://www.first.org/cvss/calculator/4.0).
 *
 * The vector string (section 7): "CVSS:4.0/" and then "METRIC:VALUE"
 * separated by "/", in the order of the table below: the eleven base metrics
 * are mandatory, the threat (E), environmental (CR..MSA) and supplemental
 * (S..U) metrics are optional, and a metric appears at most once. FIRST's
 * calculator rejects a vector whose metrics are out of that order, and so
 * does bulwark (BW_EINPUT naming the misplaced metric): a reordered vector
 * is ambiguous data from a careless producer, and scoring it would report a
 * score FIRST's own tool refuses to give. "X" (Not Defined) may be written
 * for any optional metric and means the same as leaving it out.
 *
 * Which score: a v4.0 vector has one score, computed from every metric it
 * carries (section 1.3's nomenclature): CVSS-B with base metrics only,
 * CVSS-BT with E, CVSS-BE with environmental metrics, CVSS-BTE with both.
 * Threat and environmental metrics are the vector's own statement of the
 * exploit maturity and of the deployment; FIRST's calculator shows that one
 * number for the whole vector, so bulwark reports it too (and names it with
 * the nomenclature) rather than a "base part" the specification does not
 * define. Supplemental metrics are validated and never change the score.
 *
 * The score (section 8): the effective value of each metric (a modified
 * metric MAV..MSA replaces its base metric; E:X counts as E:A and CR/IR/AR:X
 * as H, the worst case) places the vector in a macro vector of six
 * equivalence classes EQ1..EQ6. The macro vector's score comes from FIRST's
 * table (below, typed in from the specification's data). The vector is then
 * moved down from it by the mean, over the EQs that have a next lower macro
 * vector, of (score difference to that macro vector) x (the vector's
 * severity distance from the highest-severity vector of its macro vector) /
 * (the depth of the macro vector). No impact at all (VC, VI, VA, SC, SI, SA
 * all N) scores 0.0. The result is clamped to 0..10 and rounded half up to
 * one decimal after adding 10^-6, as FIRST's calculator does, so that a
 * difference such as 8.6 - 7.15 = 1.4499999999999993 rounds to 1.5.
 *
 * Floating point: the calculator works in IEEE doubles; every step below is
 * the same double operation in the same order (levels 0.1, 0.2, 0.3, depths
 * times 0.1), one operation a statement so that no compiler contracts two of
 * them into a fused multiply-add, so the scores agree bit for bit.
 */
#include <math.h>

#include "vulndb-int.h"

enum {
	V4_AV,
	V4_AC,
	V4_AT,
	V4_PR,
	V4_UI,
	V4_VC,
	V4_VI,
	V4_VA,
	V4_SC,
	V4_SI,
	V4_SA, /* the eleven mandatory base metrics */
	V4_E,
	V4_CR,
	V4_IR,
	V4_AR,
	V4_MAV,
	V4_MAC,
	V4_MAT,
	V4_MPR,
	V4_MUI,
	V4_MVC,
	V4_MVI,
	V4_MVA,
	V4_MSC,
	V4_MSI,
	V4_MSA,
	V4_S,
	V4_AU,
	V4_R,
	V4_V,
	V4_RE,
	V4_U,
	V4__COUNT,
	V4__BASE = V4_E,
};

/* The metrics in vector-string order with their values; values[0] of an
 * optional metric is "X". Only U has values longer than one letter. */
static const struct {
	const char *key;
	const char *values[6];
} metrics[V4__COUNT] = {
    [V4_AV] = {"AV", {"N", "A", "L", "P"}},
    [V4_AC] = {"AC", {"L", "H"}},
    [V4_AT] = {"AT", {"N", "P"}},
    [V4_PR] = {"PR", {"N", "L", "H"}},
    [V4_UI] = {"UI", {"N", "P", "A"}},
    [V4_VC] = {"VC", {"H", "L", "N"}},
    [V4_VI] = {"VI", {"H", "L", "N"}},
    [V4_VA] = {"VA", {"H", "L", "N"}},
    [V4_SC] = {"SC", {"H", "L", "N"}},
    [V4_SI] = {"SI", {"H", "L", "N"}},
    [V4_SA] = {"SA", {"H", "L", "N"}},
    [V4_E] = {"E", {"X", "A", "P", "U"}},
    [V4_CR] = {"CR", {"X", "H", "M", "L"}},
    [V4_IR] = {"IR", {"X", "H", "M", "L"}},
    [V4_AR] = {"AR", {"X", "H", "M", "L"}},
    [V4_MAV] = {"MAV", {"X", "N", "A", "L", "P"}},
    [V4_MAC] = {"MAC", {"X", "L", "H"}},
    [V4_MAT] = {"MAT", {"X", "N", "P"}},
    [V4_MPR] = {"MPR", {"X", "N", "L", "H"}},
    [V4_MUI] = {"MUI", {"X", "N", "P", "A"}},
    [V4_MVC] = {"MVC", {"X", "H", "L", "N"}},
    [V4_MVI] = {"MVI", {"X", "H", "L", "N"}},
    [V4_MVA] = {"MVA", {"X", "H", "L", "N"}},
    [V4_MSC] = {"MSC", {"X", "H", "L", "N"}},
    [V4_MSI] = {"MSI", {"X", "S", "H", "L", "N"}},
    [V4_MSA] = {"MSA", {"X", "S", "H", "L", "N"}},
    [V4_S] = {"S", {"X", "N", "P"}},
    [V4_AU] = {"AU", {"X", "N", "Y"}},
    [V4_R] = {"R", {"X", "A", "U", "I"}},
    [V4_V] = {"V", {"X", "D", "C"}},
    [V4_RE] = {"RE", {"X", "L", "M", "H"}},
    [V4_U] = {"U", {"X", "Clear", "Green", "Amber", "Red"}},
};

/* Scores of the 270 macro vectors (section 8.2; FIRST's cvss_lookup data),
 * in tenths: [EQ1][EQ2][EQ3,EQ6][EQ4][EQ5], where the EQ3,EQ6 index is the
 * pair 00, 01, 10, 11, 21 (EQ3 = 2 with EQ6 = 0 cannot happen: EQ3 = 2 means
 * no H among VC, VI, VA, which EQ6 = 0 needs). */
enum { P00, P01, P10, P11, P21, P__COUNT };

static const uint8_t macro_score[3][2][P__COUNT][3][3] = {
    {
	/* EQ1 0, EQ2 0 */
	{
	    /* 00 */ {{100, 98, 95}, {100, 93, 91}, {93, 89, 81}},
	    /* 01 */ {{99, 95, 92}, {96, 87, 81}, {90, 80, 68}},
	    /* 10 */ {{98, 95, 90}, {93, 89, 81}, {88, 78, 69}},
	    /* 11 */ {{95, 92, 84}, {92, 81, 65}, {80, 70, 48}},
	    /* 21 */ {{92, 82, 72}, {79, 69, 50}, {69, 55, 27}},
	},
	/* EQ1 0, EQ2 1 */
	{
	    /* 00 */ {{99, 95, 92}, {95, 90, 84}, {92, 82, 72}},
	    /* 01 */ {{97, 92, 85}, {91, 83, 71}, {81, 71, 53}},
	    /* 10 */ {{95, 92, 85}, {92, 80, 70}, {84, 71, 50}},
	    /* 11 */ {{93, 85, 73}, {82, 72, 59}, {70, 52, 30}},
	    /* 21 */ {{86, 75, 52}, {71, 52, 29}, {63, 29, 17}},
	},
    },
    {
	/* EQ1 1, EQ2 0 */
	{
	    /* 00 */ {{98, 94, 91}, {94, 86, 77}, {87, 74, 63}},
	    /* 01 */ {{95, 87, 81}, {89, 74, 64}, {75, 63, 49}},
	    /* 10 */ {{94, 88, 76}, {86, 74, 59}, {72, 57, 52}},
	    /* 11 */ {{89, 77, 67}, {76, 58, 50}, {57, 52, 25}},
	    /* 21 */ {{83, 70, 54}, {65, 58, 26}, {53, 21, 13}},
	},
	/* EQ1 1, EQ2 1 */
	{
	    /* 00 */ {{95, 88, 76}, {90, 75, 61}, {77, 68, 52}},
	    /* 01 */ {{90, 76, 70}, {77, 62, 53}, {66, 59, 30}},
	    /* 10 */ {{89, 76, 62}, {74, 57, 47}, {61, 57, 24}},
	    /* 11 */ {{78, 67, 58}, {59, 57, 23}, {52, 29, 16}},
	    /* 21 */ {{71, 59, 30}, {58, 26, 15}, {23, 13, 6}},
	},
    },
    {
	/* EQ1 2, EQ2 0 */
	{
	    /* 00 */ {{93, 86, 75}, {86, 74, 56}, {70, 52, 40}},
	    /* 01 */ {{87, 72, 58}, {74, 61, 34}, {54, 40, 22}},
	    /* 10 */ {{85, 74, 62}, {72, 55, 46}, {53, 34, 19}},
	    /* 11 */ {{75, 55, 51}, {57, 41, 19}, {36, 19, 8}},
	    /* 21 */ {{64, 51, 20}, {47, 21, 11}, {24, 9, 4}},
	},
	/* EQ1 2, EQ2 1 */
	{
	    /* 00 */ {{88, 73, 60}, {73, 59, 41}, {54, 45, 20}},
	    /* 01 */ {{75, 53, 50}, {55, 40, 20}, {43, 22, 11}},
	    /* 10 */ {{75, 58, 40}, {61, 48, 20}, {46, 17, 8}},
	    /* 11 */ {{55, 45, 21}, {51, 18, 9}, {18, 7, 2}},
	    /* 21 */ {{53, 24, 14}, {24, 12, 5}, {10, 3, 1}},
	},
    },
};

/* The score of a macro vector, or NAN when there is none (an EQ one past
 * its lowest class: the "next lower macro vector" that does not exist). */
static double macro(int eq1, int eq2, int pair, int eq4, int eq5)
{
	if (eq1 > 2 || eq2 > 1 || pair >= P__COUNT || eq4 > 2 || eq5 > 2)
		return NAN;
	return macro_score[eq1][eq2][pair][eq4][eq5] / 10.0;
}

/* ---- severity distances (section 8.3) ---------------------------------- */

/* The metrics whose severity distances are measured, each with its levels:
 * the value letters from the most severe, and the level of each (in steps of
 * 0.1; SC has no S, so its first level is 0.1). */
enum { L_AV, L_PR, L_UI, L_AC, L_AT, L_VC, L_VI, L_VA, L_SC, L_SI, L_SA, L_CR, L_IR, L_AR, L_E, L__COUNT };

static const struct {
	const char *letters;
	double level[4];
} levels[L__COUNT] = {
    [L_AV] = {"NALP", {0.0, 0.1, 0.2, 0.3}},
    [L_PR] = {"NLH", {0.0, 0.1, 0.2}},
    [L_UI] = {"NPA", {0.0, 0.1, 0.2}},
    [L_AC] = {"LH", {0.0, 0.1}},
    [L_AT] = {"NP", {0.0, 0.1}},
    [L_VC] = {"HLN", {0.0, 0.1, 0.2}},
    [L_VI] = {"HLN", {0.0, 0.1, 0.2}},
    [L_VA] = {"HLN", {0.0, 0.1, 0.2}},
    [L_SC] = {"HLN", {0.1, 0.2, 0.3}},
    [L_SI] = {"SHLN", {0.0, 0.1, 0.2, 0.3}},
    [L_SA] = {"SHLN", {0.0, 0.1, 0.2, 0.3}},
    [L_CR] = {"HML", {0.0, 0.1, 0.2}},
    [L_IR] = {"HML", {0.0, 0.1, 0.2}},
    [L_AR] = {"HML", {0.0, 0.1, 0.2}},
    [L_E] = {"APU", {0.0, 0.1, 0.2}},
};

static double level_of(int l, char v)
{
	const char *p = strchr(levels[l].letters, v);
	if (!p || !v)
		BW_BUG("CVSS v4: a value letter without a severity level");
	return levels[l].level[p - levels[l].letters];
}

/* The highest-severity vectors of each macro vector (section 8.3; FIRST's
 * max_composed data), one string of value letters a vector, in the order of
 * the group's metrics. The groups: EQ1 (AV PR UI), EQ2 (AC AT), EQ3 with EQ6
 * (VC VI VA CR IR AR), EQ4 (SC SI SA), EQ5 (E). */
struct group {
	const int *metric; /* L_* of each letter */
	int n_metrics;
	const char *const *max;
	int n_max;
};

static const int g1_metrics[] = {L_AV, L_PR, L_UI};
static const int g2_metrics[] = {L_AC, L_AT};
static const int g36_metrics[] = {L_VC, L_VI, L_VA, L_CR, L_IR, L_AR};
static const int g4_metrics[] = {L_SC, L_SI, L_SA};
static const int g5_metrics[] = {L_E};

static const char *const eq1_max0[] = {"NNN"};
static const char *const eq1_max1[] = {"ANN", "NLN", "NNP"};
static const char *const eq1_max2[] = {"PNN", "ALP"};
static const char *const eq2_max0[] = {"LN"};
static const char *const eq2_max1[] = {"HN", "LP"};
static const char *const eq36_max00[] = {"HHHHHH"};
static const char *const eq36_max01[] = {"HHLMMH", "HHHMMM"};
static const char *const eq36_max10[] = {"LHHHHH", "HLHHHH"};
static const char *const eq36_max11[] = {"LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM"};
static const char *const eq36_max21[] = {"LLLHHH"};
static const char *const eq4_max0[] = {"HSS"};
static const char *const eq4_max1[] = {"HHH"};
static const char *const eq4_max2[] = {"LLL"};
static const char *const eq5_max0[] = {"A"};
static const char *const eq5_max1[] = {"P"};
static const char *const eq5_max2[] = {"U"};

#define GROUP(m, x)                                                                                          \
	{                                                                                                    \
		m, (int)BW_ARRAY_SIZE(m), x, (int)BW_ARRAY_SIZE(x)                                           \
	}
static const struct group eq1_groups[3] = {GROUP(g1_metrics, eq1_max0), GROUP(g1_metrics, eq1_max1),
					   GROUP(g1_metrics, eq1_max2)};
static const struct group eq2_groups[2] = {GROUP(g2_metrics, eq2_max0), GROUP(g2_metrics, eq2_max1)};
static const struct group eq36_groups[P__COUNT] = {
    GROUP(g36_metrics, eq36_max00), GROUP(g36_metrics, eq36_max01), GROUP(g36_metrics, eq36_max10),
    GROUP(g36_metrics, eq36_max11), GROUP(g36_metrics, eq36_max21)};
static const struct group eq4_groups[3] = {GROUP(g4_metrics, eq4_max0), GROUP(g4_metrics, eq4_max1),
					   GROUP(g4_metrics, eq4_max2)};
static const struct group eq5_groups[3] = {GROUP(g5_metrics, eq5_max0), GROUP(g5_metrics, eq5_max1),
					   GROUP(g5_metrics, eq5_max2)};
#undef GROUP

/* The depth of each macro vector: its largest severity distance, plus one
 * step (FIRST's max_severity data), in steps of 0.1. */
static const int eq1_depth[3] = {1, 4, 5};
static const int eq2_depth[2] = {1, 2};
static const int eq36_depth[P__COUNT] = {7, 6, 8, 8, 10};
static const int eq4_depth[3] = {6, 5, 4};

/* The distances of the group's metrics from max vector k, into d[L_*]; true
 * when none is negative (the vector is not more severe than that one). */
static bool distances(const struct group *g, int k, const char *eff, double *d)
{
	bool ok = true;
	for (int i = 0; i < g->n_metrics; i++) {
		int l = g->metric[i];
		d[l] = level_of(l, eff[l]) - level_of(l, g->max[k][i]);
		if (d[l] < 0)
			ok = false;
	}
	return ok;
}

/* ---- the vector -------------------------------------------------------- */

static bool key_is(const char *k, size_t kl, const char *key)
{
	return strlen(key) == kl && memcmp(k, key, kl) == 0;
}

/* Parse "CVSS:4.0/..." (v, n: no NUL needed) into sel[V4_*] = index into the
 * metric's values (0 for an absent optional metric, which is "X"). */
static int parse(const char *v, size_t n, const char *name, int *sel, struct bw_error *err)
{
	bool seen[V4__COUNT] = {0};
	for (int m = 0; m < V4__COUNT; m++)
		sel[m] = 0;
	if (n < 8 || memcmp(v, "CVSS:4.0", 8) != 0 || (n > 8 && v[8] != '/'))
		return bw_error_set(err, BW_EINPUT, "CVSS vector '%s': not a CVSS:4.0/ vector", name);
	int next = 0; /* the first metric that may still come */
	size_t pos = 8;
	while (pos < n) {
		pos++; /* the '/' */
		const char *seg = v + pos;
		const char *slash = memchr(seg, '/', n - pos);
		size_t len = slash ? (size_t)(slash - seg) : n - pos;
		pos += len;
		if (len == 0)
			return bw_error_set(err, BW_EINPUT, "CVSS vector '%s': empty metric (a '/' too many)",
					    name);
		const char *colon = memchr(seg, ':', len);
		if (!colon || colon == seg || colon == seg + len - 1)
			return bw_error_set(err, BW_EINPUT, "CVSS vector '%s': malformed metric '%.*s'", name,
					    (int)(len > 16 ? 16 : len), seg);
		size_t kl = (size_t)(colon - seg), vl = len - kl - 1;
		int m = 0;
		while (m < V4__COUNT && !key_is(seg, kl, metrics[m].key))
			m++;
		if (m == V4__COUNT)
			return bw_error_set(err, BW_EINPUT, "CVSS vector '%s': unknown metric '%.*s'", name,
					    (int)(kl > 16 ? 16 : kl), seg);
		if (seen[m])
			return bw_error_set(err, BW_EINPUT, "CVSS vector '%s': repeated metric %s", name,
					    metrics[m].key);
		if (m < next)
			return bw_error_set(
			    err, BW_EINPUT,
			    "CVSS vector '%s': metric %s out of order (the specification's order is "
			    "AV/AC/AT/PR/UI/VC/VI/VA/SC/SI/SA, E, CR/IR/AR, MAV..MSA, S/AU/R/V/RE/U)",
			    name, metrics[m].key);
		if (next < V4__BASE && m != next)
			return bw_error_set(
			    err, BW_EINPUT,
			    "CVSS vector '%s': %s where %s must come (the eleven base metrics are "
			    "mandatory, in the order AV/AC/AT/PR/UI/VC/VI/VA/SC/SI/SA)",
			    name, metrics[m].key, metrics[next].key);
		int vi = 0;
		while (vi < 6 && metrics[m].values[vi] && !key_is(colon + 1, vl, metrics[m].values[vi]))
			vi++;
		if (vi == 6 || !metrics[m].values[vi])
			return bw_error_set(err, BW_EINPUT, "CVSS vector '%s': bad value '%.*s' for %s", name,
					    (int)(vl > 8 ? 8 : vl), colon + 1, metrics[m].key);
		seen[m] = true;
		sel[m] = vi;
		next = m + 1;
	}
	if (next < V4__BASE)
		return bw_error_set(err, BW_EINPUT, "CVSS vector '%s': missing %s", name, metrics[next].key);
	return 0;
}

/* The value letter a metric has after "X" and the modified metrics. */
static char value_of(const int *sel, int m)
{
	return metrics[m].values[sel[m]][0];
}

static char effective(const int *sel, int base, int modified)
{
	char mv = value_of(sel, modified);
	return mv != 'X' ? mv : value_of(sel, base);
}

/* JavaScript's Math.round for the non-negative values met here: the nearest
 * integer, halves up (floor(x + 0.5) would round 0.49999999999999994 up). */
static double round_half_up(double x)
{
	double f = floor(x);
	return x - f >= 0.5 ? f + 1 : f;
}

int vdb_cvss4_score(const char *v, size_t n, const char *name, struct bw_cvss_score *out,
		    struct bw_error *err)
{
	int sel[V4__COUNT];
	int rc = parse(v, n, name, sel, err);
	if (rc < 0)
		return rc;

	char eff[L__COUNT];
	eff[L_AV] = effective(sel, V4_AV, V4_MAV);
	eff[L_AC] = effective(sel, V4_AC, V4_MAC);
	eff[L_AT] = effective(sel, V4_AT, V4_MAT);
	eff[L_PR] = effective(sel, V4_PR, V4_MPR);
	eff[L_UI] = effective(sel, V4_UI, V4_MUI);
	eff[L_VC] = effective(sel, V4_VC, V4_MVC);
	eff[L_VI] = effective(sel, V4_VI, V4_MVI);
	eff[L_VA] = effective(sel, V4_VA, V4_MVA);
	eff[L_SC] = effective(sel, V4_SC, V4_MSC);
	eff[L_SI] = effective(sel, V4_SI, V4_MSI);
	eff[L_SA] = effective(sel, V4_SA, V4_MSA);
	eff[L_E] = value_of(sel, V4_E) == 'X' ? 'A' : value_of(sel, V4_E);
	eff[L_CR] = value_of(sel, V4_CR) == 'X' ? 'H' : value_of(sel, V4_CR);
	eff[L_IR] = value_of(sel, V4_IR) == 'X' ? 'H' : value_of(sel, V4_IR);
	eff[L_AR] = value_of(sel, V4_AR) == 'X' ? 'H' : value_of(sel, V4_AR);

	/* section 8.1: the equivalence classes */
	char av = eff[L_AV], pr = eff[L_PR], ui = eff[L_UI];
	int eq1 = av == 'N' && pr == 'N' && ui == 'N'		       ? 0
		  : (av == 'N' || pr == 'N' || ui == 'N') && av != 'P' ? 1
								       : 2;
	int eq2 = eff[L_AC] == 'L' && eff[L_AT] == 'N' ? 0 : 1;
	char vc = eff[L_VC], vi = eff[L_VI], va = eff[L_VA];
	int eq3 = vc == 'H' && vi == 'H' ? 0 : vc == 'H' || vi == 'H' || va == 'H' ? 1 : 2;
	int eq4 = eff[L_SI] == 'S' || eff[L_SA] == 'S'			     ? 0
		  : eff[L_SC] == 'H' || eff[L_SI] == 'H' || eff[L_SA] == 'H' ? 1
									     : 2;
	int eq5 = eff[L_E] == 'A' ? 0 : eff[L_E] == 'P' ? 1 : 2;
	bool eq6_high = (eff[L_CR] == 'H' && vc == 'H') || (eff[L_IR] == 'H' && vi == 'H') ||
			(eff[L_AR] == 'H' && va == 'H');
	int eq6 = eq6_high ? 0 : 1;
	int pair = eq3 == 0 ? (eq6 == 0 ? P00 : P01) : eq3 == 1 ? (eq6 == 0 ? P10 : P11) : P21;

	memset(out, 0, sizeof(*out));
	out->major = 4;
	out->minor = 0;
	snprintf(out->macro_vector, sizeof(out->macro_vector), "%d%d%d%d%d%d", eq1, eq2, eq3, eq4, eq5, eq6);
	bool threat = sel[V4_E] != 0, env = false;
	for (int m = V4_CR; m <= V4_MSA; m++)
		env = env || sel[m] != 0;
	snprintf(out->nomenclature, sizeof(out->nomenclature), "CVSS-B%s%s", threat ? "T" : "",
		 env ? "E" : "");

	if (vc == 'N' && vi == 'N' && va == 'N' && eff[L_SC] == 'N' && eff[L_SI] == 'N' && eff[L_SA] == 'N') {
		out->score = 0.0;
		return 0;
	}
	double value = macro(eq1, eq2, pair, eq4, eq5);

	/* the next lower macro vector of each EQ (EQ3 and EQ6 move together:
	 * 00 to the higher of 01 and 10, 01 and 10 to 11, 11 to 21) */
	double lower1 = macro(eq1 + 1, eq2, pair, eq4, eq5);
	double lower2 = macro(eq1, eq2 + 1, pair, eq4, eq5);
	double lower36;
	if (pair == P00) {
		double a = macro(eq1, eq2, P01, eq4, eq5), b = macro(eq1, eq2, P10, eq4, eq5);
		lower36 = a > b ? a : b;
	} else {
		lower36 = macro(eq1, eq2, pair == P21 ? P__COUNT : pair == P11 ? P21 : P11, eq4, eq5);
	}
	double lower4 = macro(eq1, eq2, pair, eq4 + 1, eq5);
	double lower5 = macro(eq1, eq2, pair, eq4, eq5 + 1);

	/* the first highest-severity vector (in the calculator's order) that
	 * the vector is not more severe than; the groups are independent, so
	 * that is the first such one of each group. Should one group have none,
	 * the calculator measures from the last vector of every group. */
	const struct group *gs[5] = {&eq1_groups[eq1], &eq2_groups[eq2], &eq36_groups[pair], &eq4_groups[eq4],
				     &eq5_groups[eq5]};
	double d[L__COUNT];
	bool all_found = true;
	for (int g = 0; g < 5; g++) {
		int k = 0;
		while (k < gs[g]->n_max && !distances(gs[g], k, eff, d))
			k++;
		if (k == gs[g]->n_max)
			all_found = false;
	}
	if (!all_found)
		for (int g = 0; g < 5; g++)
			distances(gs[g], gs[g]->n_max - 1, eff, d);

	double dist1 = d[L_AV] + d[L_PR];
	dist1 = dist1 + d[L_UI];
	double dist2 = d[L_AC] + d[L_AT];
	double dist36 = d[L_VC] + d[L_VI];
	dist36 = dist36 + d[L_VA];
	dist36 = dist36 + d[L_CR];
	dist36 = dist36 + d[L_IR];
	dist36 = dist36 + d[L_AR];
	double dist4 = d[L_SC] + d[L_SI];
	dist4 = dist4 + d[L_SA];

	const double step = 0.1;
	const double lower[5] = {lower1, lower2, lower36, lower4, lower5};
	const double dist[4] = {dist1, dist2, dist36, dist4};
	const int depth[4] = {eq1_depth[eq1], eq2_depth[eq2], eq36_depth[pair], eq4_depth[eq4]};
	double sum = 0;
	int n_lower = 0;
	for (int i = 0; i < 5; i++) {
		double available = value - lower[i];
		if (isnan(available))
			continue;
		n_lower++;
		double normalized = 0; /* EQ5: the vector is always its macro vector's E */
		if (i < 4) {
			double max_severity = depth[i] * step;
			double percent = dist[i] / max_severity;
			normalized = available * percent;
		}
		sum = sum + normalized;
	}
	double mean = n_lower ? sum / n_lower : 0;
	double s = value - mean;
	s = s > 10 ? 10 : s;
	s = s < 0 ? 0 : s;
	double shifted = s + 1e-6;
	shifted = shifted * 10;
	out->score = round_half_up(shifted) / 10;
	return 0;
}
