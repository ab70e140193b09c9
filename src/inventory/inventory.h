/* inventory — the packages of every ecosystem found in an image or a root
 * filesystem, and the operating system they belong to.
 *
 * One analyzer per ecosystem (dpkg.c, apk.c, rpm.c, python.c, node.c,
 * gobinary.c, java.c, ruby.c, rust.c, php.c, dotnet.c, osrelease.c) turns
 * the files the image walker hands over into per-layer records: "this file,
 * in this layer, declares these packages". After the walk,
 * bw_inventory_finish() keeps the records whose file is in the image's final
 * view (a dpkg status deleted or replaced by a later layer does not count),
 * drops language packages whose files an OS package owns, names the layer
 * that introduced each package, and adds the packages and the OS to the
 * report. Ecosystems are OSV's names ("Debian", "Alpine", "PyPI", "npm",
 * "Go", "Maven", "crates.io", "RubyGems", "NuGet", "Packagist", …); every
 * package carries a package URL.
 *
 * Ownership: struct bw_inventory is opaque, made by bw_inventory_new() and
 * released by bw_inventory_free(); the analyzers it hands out belong to it
 * and stay valid until then. Everything added to a report is copied into
 * the report's arena.
 *
 * Package hashes (struct bw_package's hashes) are the digests a package
 * manager recorded — npm's integrity, Cargo.lock's checksum, composer's
 * dist shasum, a deps.json sha512, dpkg's available SHA256 — or, for Java
 * archives, the SHA-1 bulwark computes of the archive's bytes. Each was
 * checked for its algorithm's length; a malformed one is left out with a
 * warning naming the file.
 */
#ifndef BW_INVENTORY_H
#define BW_INVENTORY_H

#include "core/core.h"
#include "image/image.h"
#include "report/report.h"

struct bw_inventory;

int bw_inventory_new(struct bw_inventory **out, struct bw_error *err);
void bw_inventory_free(struct bw_inventory *inv);
/* The analyzers to register on the walk (owned by inv). */
const struct bw_analyzer *const *bw_inventory_analyzers(struct bw_inventory *inv, size_t *n);
/* After bw_image_walk(): add the OS (r->os) and the packages of the final
 * view to r, sorted by ecosystem, name and version. Unreadable package
 * files become report warnings naming the file; only broken invariants
 * fail. */
int bw_inventory_finish(struct bw_inventory *inv, struct bw_image *img, struct bw_report *r,
			struct bw_error *err);

/* Parse one file as the inventory would if the walker handed it over at
 * `path` (absolute), adding its packages to r (OS packages get the
 * ecosystem of os_id, e.g. "debian", or none when NULL). Files no analyzer
 * wants add nothing. For unit tests and fuzz harnesses. */
void bw_inventory_parse_file(const char *path, const void *data, size_t len, const char *os_id,
			     struct bw_report *r);

/* Read a software bill of materials made by any tool (CycloneDX JSON 1.2
 * to 1.6, SPDX 2.2 and 2.3 JSON) into r: its packages, by package URL
 * (deb, apk, rpm, npm, pypi, golang, maven, gem, cargo, nuget, composer),
 * named as the inventory names them, OS packages with their source
 * package where the document records it, and r->os from its OS component
 * or the purls' distro qualifier. Components of no such purl become one
 * warning of r counting and naming them. A file that is not such a
 * document, or past the bounds (size, count, nesting), fails naming the
 * file. bw_inventory_parse_sbom reads the bytes of a document named name
 * (for fuzz harnesses). */
int bw_inventory_read_sbom(const char *path, struct bw_report *r, struct bw_error *err);
int bw_inventory_parse_sbom(const char *name, const void *data, size_t len, struct bw_report *r,
			    struct bw_error *err);

/* The version of the analyzers' output, part of the layer-cache key.
 * 2: cargo-auditable packages in ELF files, origin and application flags,
 * "name version" dependencies of Cargo.lock.
 * 3: the toolchain version (stdlib) of Go binaries older than Go 1.18.
 * 4: package hashes (Java archives' SHA-1, lock-file integrity, Cargo.lock
 * checksums, …; see struct bw_hash in report.h) and /var/lib/dpkg/available.
 * 5: rpm's BerkeleyDB and ndb databases read by our own readers (ndb is no
 * longer a "librpm cannot read" warning; problems name the page or slot).
 * 6: project lock files (requirements*.txt, poetry.lock, uv.lock,
 * Pipfile.lock, go.mod, Gemfile.lock, composer.lock, packages.lock.json,
 * gradle.lockfile) and npm-shrinkwrap.json.
 * 7: Maven's pom.xml (declared dependencies, properties resolved); an
 * rpm's purl namespace from its vendor or distribution tag; a Go binary's
 * "(devel)" main module kept, as the application.
 * 8: Debian copyright licences, suppliers and authors (after 7 meant either
 * half of the above on development builds). */
#define BW_INVENTORY_VERSION 8

#endif
