/* Private to src/inventory: the per-layer records the analyzers produce. */
#ifndef BW_INVENTORY_INT_H
#define BW_INVENTORY_INT_H

#include "inventory.h"

/* What a file is to the inventory, decided from its path alone. */
enum inv_kind {
	INV_NONE = 0,
	INV_OSRELEASE,	  /* os-release, alpine-release, debian_version, redhat-release, … */
	INV_DPKG_STATUS,  /* /var/lib/dpkg/status */
	INV_DPKG_STATUSD, /* /var/lib/dpkg/status.d/NAME (distroless) */
	INV_DPKG_LIST,	  /* /var/lib/dpkg/info/NAME.list, and status.d/NAME.md5sums */
	INV_APK,	  /* /lib/apk/db/installed */
	INV_RPMDB,	  /* rpmdb.sqlite, Packages.db, Packages under var/lib/rpm or usr/lib/sysimage/rpm */
	INV_PYTHON,	  /* *.dist-info/METADATA, *.egg-info/PKG-INFO, *.egg-info (file) */
	INV_NPM_PKG,	  /* node_modules/NAME/package.json */
	INV_NPM_LOCK,	  /* package-lock.json */
	INV_YARN_LOCK,	  /* yarn.lock */
	INV_PNPM_LOCK,	  /* pnpm-lock.yaml */
	INV_JAR,	  /* *.jar, *.war, *.ear, *.par */
	INV_GEMSPEC,	  /* NAME.gemspec in a specifications directory */
	INV_CARGO_LOCK,	  /* Cargo.lock */
	INV_COMPOSER,	  /* vendor/composer/installed.json */
	INV_DOTNET,	  /* *.deps.json */
	INV_BINARY,	  /* an executable: maybe a Go or Rust (cargo-auditable) binary */
	/* /var/lib/dpkg/available: no packages, but kv "NAME VERSION ARCH", the .deb's SHA-256 */
	INV_DPKG_AVAILABLE,
	INV_REQUIREMENTS,  /* requirements*.txt (pinned lines) */
	INV_PY_TOML_LOCK,  /* poetry.lock, uv.lock */
	INV_PIPFILE_LOCK,  /* Pipfile.lock */
	INV_GOMOD,	   /* go.mod */
	INV_GEMFILE_LOCK,  /* Gemfile.lock */
	INV_COMPOSER_LOCK, /* composer.lock */
	INV_NUGET_LOCK,	   /* packages.lock.json */
	INV_GRADLE_LOCK,   /* gradle.lockfile */
	INV_POM,	   /* pom.xml */
	/* /usr/share/doc/PACKAGE/copyright: no packages, but kv ("License", licence) */
	INV_DEB_COPYRIGHT,
	INV__COUNT, /* the values are stored in layer caches: add new kinds here, at the end */
};

/* ---- the ecosystem table (ecosystems.c) ----
 * One row per kind: where its files are (keys), how the walker hands them
 * over, and the parser. Adding an ecosystem is adding a row. */

/* A file as the classifier sees it: path, its basename (after the last '/'),
 * the permission bits and the size. */
struct inv_path {
	const char *path, *base;
	size_t len, base_len;
	uint32_t mode;
	uint64_t size;
};

/* What a key matches. A path is tried in phases; in each the first row (in
 * kind order) with a matching key wins:
 *   1. INV_PATH (the exact path) and INV_NAME (the basename);
 *   2. INV_IN (a file directly in the directory s, which ends in '/') and
 *      INV_UNDER (at any depth below it);
 *   3. under a directory an INV_OWNS key names, nothing else matches (a
 *      package manager's own files: its maintainer scripts are not programs);
 *   4. INV_SUFFIX: the basename ends in s (no '/' in s);
 *   5. INV_ANY: every file, by `when` alone (the executable rule).
 * The table is indexed once, so a file costs a basename hash, a byte test on
 * the directory keys and a look-up by the basename's last byte, not a call
 * per row. */
enum inv_key_on { INV_KEYS_END = 0, INV_PATH, INV_NAME, INV_IN, INV_UNDER, INV_OWNS, INV_SUFFIX, INV_ANY };

struct inv_key {
	enum inv_key_on on;
	const char *s;
	bool (*when)(const struct inv_path *p); /* also required, when not NULL */
};

#define INV_MAX_META (16u << 20)     /* package databases, manifests, lock files */
#define INV_MAX_ARCHIVE (128u << 20) /* jars, rpm databases */

struct inv_layer;
struct inv_record;

/* One whole file's bytes into rec. */
typedef void inv_parse_fn(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len);

struct inv_ecosystem {
	enum inv_kind kind;
	const char *name;	    /* "dpkg-status", "npm-lock", …: names the row in tests */
	const struct inv_key *keys; /* up to an INV_KEYS_END key */
	/* The largest file handed over whole: INV_MAX_META or INV_MAX_ARCHIVE,
	 * each the cap of one of the walker analyzers inventory.c registers,
	 * which takes the rows with its cap. 0: streamed to the binary readers
	 * (gobinary.c, rust.c) by the third analyzer; parse is then NULL. */
	size_t max_whole;
	inv_parse_fn *parse; /* one whole file into rec (rec->path is the file's path) */
};

/* The row of a kind; NULL for INV_NONE or a value out of range. */
const struct inv_ecosystem *inv_ecosystem(enum inv_kind kind);
/* The row a file belongs to, decided from its path, permission bits and size
 * alone; NULL when none. Thread-safe. */
const struct inv_ecosystem *inv_match(const char *path, uint32_t mode, uint64_t size);
/* inv_match's row's kind, or INV_NONE. */
enum inv_kind inv_classify(const char *path, uint32_t mode, uint64_t size);

/* A package as an analyzer saw it; strings live in the layer's arena. */
struct inv_pkg {
	const char *name, *version;
	const char *ecosystem; /* OSV name; NULL for OS packages (decided by the OS at the end) */
	const char *purl_type; /* "deb", "apk", "rpm", "pypi", "npm", "golang", "maven", … */
	const char *purl_ns;   /* namespace: npm scope, Maven group, Go path head, composer vendor;
				* an rpm's vendor (NULL: the OS's) */
	const char *purl_name; /* name within the namespace (NULL: name) */
	const char *arch, *epoch, *modularity;
	const char *source_name, *source_version;
	const char **licenses;
	size_t n_licenses, cap_licenses;
	const char **depends; /* direct dependencies in this record's ecosystem: "name", or
			       * "name version" where one record holds several versions of a name */
	size_t n_depends, cap_depends;
	const char *path;	/* declaring file when not the record's (inside a jar: "a.jar!/x") */
	struct bw_hash *hashes; /* digests the format records (or the jar's SHA-1), one per
				 * algorithm, checked for their length: inv_pkg_add_hash() */
	size_t n_hashes;
	const char *origin; /* where it came from when not its ecosystem's registry:
			     * cargo-auditable's "local", "git", "registry" (another one), … */
	bool is_os;	    /* an OS package (deb, apk, rpm) */
	bool dev;	    /* a development-only dependency (lock files) */
	bool application;   /* the program itself (cargo-auditable's root package) */
	/* who distributes it (a Debian or apk Maintainer "Name <email>", an rpm's
	 * Vendor: an organisation), and who wrote it (an npm package's author) */
	const char *supplier, *author;
	bool supplier_org;
};

/* One file, in one layer, and what it declares. */
struct inv_record {
	enum inv_kind kind;
	const char *path;
	struct inv_pkg *pkgs;
	size_t n_pkgs, cap_pkgs;
	const char **owned; /* files an OS package of this record owns (absolute) */
	size_t n_owned, cap_owned;
	const char **kv; /* INV_OSRELEASE: key, value, key, value… */
	size_t n_kv, cap_kv;
	const char *note; /* a warning about this file (why it was not read, or only partly) */
};

/* One analyzer's results in one layer. Created in layer_begin, filled by
 * one walking thread, kept by the walker, read after the walk. */
struct inv_layer {
	struct bw_arena arena;
	struct inv_record **recs;
	size_t n_recs, cap_recs;
	/* Streaming state of INV_BINARY (one file at a time per layer). */
	void *bin;
};

/* ---- the layer cache (layercache.c) ---- */
/* Append l's records to out; a new layer state from such bytes, or NULL
 * when they are not exactly that. */
int inv_layer_save(void *state, struct bw_buf *out);
struct inv_layer *inv_layer_decode(const void *data, size_t len);

/* ---- records ---- */
struct inv_record *inv_record_new(struct inv_layer *l, enum inv_kind kind, const char *path);
/* Append a zeroed package to rec; its index in rec->pkgs (the array may
 * move on the next add: keep the index, never the pointer, across adds). */
size_t inv_record_add_pkg(struct inv_layer *l, struct inv_record *rec);
void inv_record_own(struct inv_layer *l, struct inv_record *rec, const char *path, size_t len);
void inv_record_kv(struct inv_layer *l, struct inv_record *rec, const char *k, size_t kl, const char *v,
		   size_t vl);
void inv_record_note(struct inv_layer *l, struct inv_record *rec, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A whole JSON document, or NULL with a note on rec naming the line. */
json_t *inv_json_load(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len);
void inv_pkg_add_license(struct inv_layer *l, struct inv_pkg *p, const char *s, size_t n);
void inv_pkg_add_depend(struct inv_layer *l, struct inv_pkg *p, const char *s, size_t n);
/* Package hashes. Each adds at most one digest per algorithm (a second one
 * of the same algorithm is dropped) and returns false, adding nothing, when
 * the value is not a digest of that algorithm; callers then warn, naming
 * the file (inv_hash_note). Hex may be upper- or lowercase; it is kept
 * lowercase. */
bool inv_pkg_add_hash(struct inv_layer *l, struct inv_pkg *p, enum bw_hash_alg alg, const char *hex,
		      size_t n);
bool inv_pkg_add_digest(struct inv_layer *l, struct inv_pkg *p, enum bw_hash_alg alg, const unsigned char *d,
			size_t n);
/* Canonical padded base64 of the algorithm's digest (apk's Q1, Go's h1, NuGet's sha512). */
bool inv_pkg_add_base64(struct inv_layer *l, struct inv_pkg *p, enum bw_hash_alg alg, const char *b64,
			size_t n);
/* A Subresource Integrity value (W3C SRI, as npm, yarn, pnpm and NuGet write
 * it): blank-separated "ALG-BASE64[?options]" with ALG sha1 (npm's legacy),
 * sha256, sha384 or sha512. Every such hash is added; false when the value
 * holds no hash, or one that is not valid (others are still added). */
bool inv_pkg_add_sri(struct inv_layer *l, struct inv_pkg *p, const char *s, size_t n);
/* The warning for a value that was not a valid hash: "FILE: package NAME
 * VERSION: WHAT is not a valid …; ignored" (the value itself is not
 * repeated: it may be anything). */
void inv_hash_note(struct inv_layer *l, struct inv_record *rec, const struct inv_pkg *p, const char *what);
char *inv_strndup(struct inv_layer *l, const char *s, size_t n); /* trims blanks */
char *inv_strdup(struct inv_layer *l, const char *s);

/* ---- small parsing helpers on {ptr,len} ---- */
/* Next line of [*p, end): sets line/len (without "\n" or "\r\n"), advances *p. */
bool inv_next_line(const char **p, const char *end, const char **line, size_t *len);
struct bw_slice inv_trim(struct bw_slice s);
/* Case-insensitive equality of a slice and a NUL-terminated string. */
bool inv_slice_ieq(struct bw_slice a, const char *s);

/* ---- the analyzers' parsers: one file's bytes into rec ---- */
inv_parse_fn inv_parse_osrelease;
void inv_parse_dpkg_status(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len,
			   bool statusd);
/* kv: "NAME VERSION ARCH", the .deb's SHA-256 hex (checked), for each stanza that has all four. */
inv_parse_fn inv_parse_dpkg_available;
inv_parse_fn inv_parse_deb_copyright;
void inv_parse_dpkg_list(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len,
			 bool md5sums);
inv_parse_fn inv_parse_apk, inv_parse_rpmdb, inv_parse_python, inv_parse_npm_pkg, inv_parse_npm_lock,
    inv_parse_yarn_lock, inv_parse_pnpm_lock, inv_parse_jar, inv_parse_gemspec, inv_parse_cargo_lock,
    inv_parse_composer, inv_parse_dotnet;
/* Project lock files and manifests (pylock.c, gomod.c, gemlock.c, php.c, dotnet.c, maven.c). */
inv_parse_fn inv_parse_requirements, inv_parse_py_toml_lock, inv_parse_pipfile_lock, inv_parse_gomod,
    inv_parse_gemfile_lock, inv_parse_composer_lock, inv_parse_nuget_lock, inv_parse_gradle_lock,
    inv_parse_pom;

/* ---- rpm databases: rpm.c reads rpmdb.sqlite and dispatches to the
 * BerkeleyDB (rpm_bdb.c) and ndb (rpm_ndb.c) readers, which work on the
 * file's bytes in memory and hand every package header blob to the sink. */
struct inv_rpm_sink {
	struct inv_layer *l;
	struct inv_record *rec;
	size_t n_headers;  /* blobs headerImport() took */
	size_t n_problems; /* corrupt pages, slots, blobs and headers seen */
	char first[256];   /* the first problem, without the file name */
};
/* Import one header blob (borrowed) and add its package to the record;
 * false when librpm rejects it. */
bool inv_rpm_blob(struct inv_rpm_sink *s, const void *blob, size_t len);
/* Count a problem; the first one becomes the record's warning, prefixed
 * with the file's path, when the reader is done. */
void inv_rpm_problem(struct inv_rpm_sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Read every header of a BerkeleyDB Hash or BTree Packages file / an ndb
 * Packages.db: never past len, every problem reported, the rest still read. */
void inv_rpm_read_bdb(struct inv_rpm_sink *s, const unsigned char *data, size_t len);
void inv_rpm_read_ndb(struct inv_rpm_sink *s, const unsigned char *data, size_t len);

/* Executables arrive as a stream: gobinary.c and rust.c look at them. */
struct inv_binary;
struct inv_binary *inv_binary_begin(struct inv_layer *l, const char *path, uint64_t size);
void inv_binary_chunk(struct inv_binary *b, const void *data, size_t len);
/* Ends the file: adds a record to l when it was a Go or Rust binary. */
void inv_binary_end(struct inv_binary *b);
/* Go build info: the varint-framed strings after the 32-byte header (Go 1.18+),
 * or the two strings the header points at (older), as the pieces below. */
void inv_go_buildinfo(struct inv_layer *l, struct inv_record *rec, const char *goversion, size_t gvlen,
		      const char *modinfo, size_t milen);
/* cargo-auditable: the zlib-compressed JSON of the .dep-v0 section. */
void inv_rust_audit(struct inv_layer *l, struct inv_record *rec, const void *z, size_t zlen);
/* ELF files up to this size are kept in memory while they stream, so that
 * the section table at their end can find .dep-v0 (see gobinary.c). */
#define INV_ELF_BUFFER_MAX (64u << 20)
/* The largest decompressed .dep-v0 JSON read (cargo-auditable's own advice). */
#define INV_RUST_AUDIT_MAX (8u << 20)

/* ---- ELF section headers (elf.c), on a whole file in memory; program headers ---- */
/* From the first bytes of a file of `size` bytes (n >= 64, or the whole
 * file): 1 when it is ELF with a section table inside size, 0 when it is
 * ELF without one, -1 with *why when it is not ELF or the table lies past
 * the end. */
int inv_elf_probe(const unsigned char *d, size_t n, uint64_t size, const char **why);
/* Find section `name`: 1 with *out pointing into d, 0 when absent, -1 with
 * *why when the headers are malformed (every offset is range-checked). */
int inv_elf_section(const unsigned char *d, size_t n, const char *name, struct bw_slice *out,
		    const char **why);
/* A PT_LOAD segment: the file's bytes [offset, offset + filesz) are mapped at vaddr. */
struct inv_elf_load {
	uint64_t offset, vaddr, filesz;
	uint32_t flags; /* PF_X 1, PF_W 2, PF_R 4 */
};
/* The PT_LOAD entries of the program header table, from the first n bytes
 * (n >= 64, or the whole file) of a file of `size` bytes: 1 with
 * out[0..*n_out) (at most max), 0 when the table ends past n (*need: where
 * it ends), -1 with *why when there is none or it is malformed. */
int inv_elf_loads(const unsigned char *d, size_t n, uint64_t size, struct inv_elf_load *out, size_t max,
		  size_t *n_out, uint64_t *need, const char **why);
/* The file offset of the len bytes at vaddr: 0 when they all lie in the file
 * bytes of one segment, -1 otherwise. */
int inv_elf_vaddr_offset(const struct inv_elf_load *l, size_t nl, uint64_t vaddr, uint64_t len,
			 uint64_t *off);
/* The segment whose file bytes hold file offset off, or NULL. */
const struct inv_elf_load *inv_elf_offset_load(const struct inv_elf_load *l, size_t nl, uint64_t off);

/* ---- the operating system (osrelease.c) ---- */
struct inv_os {
	const char *id, *version, *codename, *pretty;
	char version_buf[32];
};
/* Read an INV_OSRELEASE record (pointers borrow from rec or os). */
void inv_os_from_record(const struct inv_record *rec, struct inv_os *os);
/* OSV ecosystem / purl namespace of an os-release ID, or fallback. */
const char *inv_os_ecosystem(const char *id, const char *fallback);
const char *inv_os_purl_ns(const char *id, const char *fallback);
/* The os-release ID whose purl namespace (or ID) is ns ("redhat" -> "rhel"), or NULL. */
const char *inv_os_id_of_purl_ns(const char *ns);
/* The purl type of a known OS's own packages ("deb", "apk", "rpm"), or NULL. */
const char *inv_os_family(const char *id);

/* ---- package URLs (purl.c) ---- */
/* "pkg:type/namespace/name@version?qualifiers" with percent-encoding, in r's arena.
 * qualifiers: NULL-terminated key, value pairs (NULL values skipped), sorted by key. */
const char *inv_purl(struct bw_report *r, const char *type, const char *ns, const char *name,
		     const char *version, const char *const *qualifiers);

/* ---- string map (open addressing) ---- */
struct inv_map {
	const char **keys;
	void **vals;
	size_t cap, n;
};
void inv_map_put(struct inv_map *m, const char *key, void *val); /* key borrowed */
void *inv_map_get(const struct inv_map *m, const char *key);
void inv_map_release(struct inv_map *m);

#endif
