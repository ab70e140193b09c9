/* libFuzzer harness: the ignore-file, .trivyignore.yaml and VEX (OpenVEX,
 * CycloneDX) parsers. The first byte chooses the parser (odd: VEX; even
 * with the top bit set: Trivy's YAML ignore file; other even: the ignore
 * file); what parses is applied to a small report so the matching runs
 * too. */
#include "suppress/suppress.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	bool vex = data[0] & 1, yaml = (data[0] & 0x81) == 0x80;
	const char *text = (const char *)data + 1;
	size--;
	struct bw_suppress *s = bw_suppress_new();
	bw_suppress_set_today(s, 19800);
	struct bw_error err = BW_ERROR_INIT;
	int rc = vex	? bw_suppress_add_vex(s, "fuzz.json", text, size, &err)
		 : yaml ? bw_suppress_add_ignore_yaml(s, "fuzz.yaml", text, size, &err)
			: bw_suppress_add_ignore(s, "fuzz.ignore", text, size, &err);
	if (rc < 0 && !err.msg[0])
		abort(); /* every failure explains itself */
	if (rc == 0) {
		struct bw_report *r = bw_report_new("filesystem", "fuzz");
		struct bw_finding *f = bw_report_add_finding(r, BW_KIND_VULNERABILITY);
		f->id = bw_report_str(r, "CVE-2024-0001");
		bw_finding_add_equivalent(r, f, "GHSA-aaaa-bbbb-cccc");
		f->package.name = bw_report_str(r, "openssl");
		f->package.purl = bw_report_str(r, "pkg:deb/debian/openssl@3.0.11-1?arch=amd64");
		f = bw_report_add_finding(r, BW_KIND_MISCONFIG);
		f->id = bw_report_str(r, "BW-DF-004");
		bw_finding_add_equivalent(r, f, "DS002");
		f = bw_report_add_finding(r, BW_KIND_SECRET);
		f->id = bw_report_str(r, "BW-SEC-AWS-001");
		f->location.path = bw_report_str(r, "/srv/app/key.txt");
		bw_suppress_apply(s, r);
		bw_report_free(r);
	}
	bw_suppress_free(s);
	return 0;
}
