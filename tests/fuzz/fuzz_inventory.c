/* libFuzzer harness for the inventory parsers: the first byte picks the
 * path the bytes are handed over as (dpkg status, status.d, apk installed,
 * package.json, lock files, METADATA, gemspec, Cargo.lock, composer,
 * deps.json, a jar, an executable for the Go build-info reader, the rpm
 * databases: sqlite, BerkeleyDB, ndb; dpkg's available). New paths go at
 * the end, so the seeds' first bytes keep their meaning;
 * make_rpmdb_seeds.py writes the rpm-* seeds. Entry 20 ("sbom:") is not a
 * path: the bytes are an SBOM read back (CycloneDX or SPDX JSON). */
#include "inventory/inventory.h"

static const char *const paths[] = {
    "/var/lib/dpkg/status",
    "/var/lib/dpkg/status.d/base",
    "/var/lib/dpkg/info/x.list",
    "/lib/apk/db/installed",
    "/app/node_modules/x/package.json",
    "/app/package-lock.json",
    "/app/yarn.lock",
    "/app/pnpm-lock.yaml",
    "/usr/lib/python3/site-packages/x-1.dist-info/METADATA",
    "/usr/lib/ruby/gems/3.1.0/specifications/x-1.gemspec",
    "/src/Cargo.lock",
    "/var/www/vendor/composer/installed.json",
    "/app/app.deps.json",
    "/srv/app.jar",
    "/usr/bin/app",
    "/etc/os-release",
    "/var/lib/rpm/rpmdb.sqlite",
    "/var/lib/dpkg/available",		 /* 17 */
    "/var/lib/rpm/Packages",		 /* 18: BerkeleyDB Hash or BTree */
    "/usr/lib/sysimage/rpm/Packages.db", /* 19: ndb */
    "sbom:",				 /* 20: bw_inventory_parse_sbom */
    "/app/pom.xml",			 /* 21 */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *path = paths[data[0] % BW_ARRAY_SIZE(paths)];
	struct bw_report *r = bw_report_new("filesystem", "fuzz");
	if (strcmp(path, "sbom:") == 0) {
		struct bw_error err = BW_ERROR_INIT;
		bw_inventory_parse_sbom("fuzz.json", data + 1, size - 1, r, &err);
	} else {
		bw_inventory_parse_file(path, data + 1, size - 1, "debian", r);
	}
	bw_report_free(r);
	return 0;
}
