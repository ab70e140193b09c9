/* libFuzzer harness: the CVSS vector scorers (v2, v3.0/v3.1, v4.0) on raw
 * bytes. Checks what holds for any input: only BW_EINPUT as an error, with a
 * message of printable ASCII; a score is in 0..10 with one decimal; a v4.0
 * score carries its nomenclature and a macro vector of six classes; the
 * same input scores the same twice. */
#include "vulndb/vulndb.h"

#include <math.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *vec = malloc(size + 1);
	if (!vec)
		return 0;
	memcpy(vec, data, size);
	vec[size] = '\0';
	struct bw_cvss_score s, again;
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_cvss_score(vec, &s, &err);
	if (rc != 0 && rc != BW_EINPUT)
		abort();
	if (rc < 0) {
		for (const char *p = err.msg; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				abort();
		free(vec);
		return 0;
	}
	double tenths = s.score * 10;
	if (!(s.score >= 0 && s.score <= 10) || fabs(tenths - round(tenths)) > 1e-9)
		abort();
	if (s.major == 4) {
		static const char *const noms[] = {"CVSS-B", "CVSS-BT", "CVSS-BE", "CVSS-BTE"};
		bool known = false;
		for (size_t i = 0; i < BW_ARRAY_SIZE(noms); i++)
			known = known || strcmp(s.nomenclature, noms[i]) == 0;
		const char *mv = s.macro_vector;
		if (!known || strlen(mv) != 6 || mv[0] > '2' || mv[1] > '1' || mv[2] > '2' || mv[3] > '2' ||
		    mv[4] > '2' || mv[5] > '1' || strspn(mv, "012") != 6 || (mv[2] == '2' && mv[5] == '0'))
			abort();
	} else if (s.major != 2 && s.major != 3) {
		abort();
	}
	if (bw_cvss_score(vec, &again, NULL) != 0 || memcmp(&s, &again, sizeof(s)) != 0)
		abort();
	free(vec);
	return 0;
}
