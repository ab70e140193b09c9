/* Java archives: .jar, .war, .ear, .par (zip files), nested to any depth.
 *
 * Maven writes META-INF/maven/GROUP/ARTIFACT/pom.properties into every jar
 * it builds (groupId=, artifactId=, version= lines, '#' comments); a shaded
 * or fat jar keeps one per artifact it embeds, so each is a package. A jar
 * without any falls back to its META-INF/MANIFEST.MF (RFC 822-like
 * "Name: value" lines, 72-byte lines continued by a leading space):
 * Implementation-Title/-Version/-Vendor-Id, else Bundle-SymbolicName and
 * Bundle-Version; and last to its file name "artifact-1.2.3.jar".
 *
 * The SHA-1 of an archive's bytes (what Maven Central's search and Trivy
 * look jars up by) goes to the package that is that archive: its only
 * package, or, in a shaded jar declaring several, the one its file name
 * names ("guava-31.1.jar", "guava.jar"); the artifacts merely bundled into
 * it get none, as those bytes are not theirs. A nested archive gets its own.
 *
 * Archives inside archives (the jars of WEB-INF/lib or BOOT-INF/lib, an
 * .ear's wars) are read from memory. Zip bombs: each inner archive is
 * capped at 64 MiB and every archive's expansion at 512 MiB in total, at a
 * depth of 16; going past a cap is a warning naming the archive.
 */
#include <archive.h>
#include <archive_entry.h>

#include "inventory-int.h"

#define INNER_MAX (64u << 20)
#define TOTAL_MAX (512u << 20)
#define SMALL_MAX (1u << 20)
#define DEPTH_MAX 16

struct jar_ctx {
	struct inv_layer *l;
	struct inv_record *rec;
	uint64_t expanded;
	bool capped;
};

struct props {
	struct bw_slice group, artifact, version;
};

static void parse_props(const char *d, size_t n, struct props *p)
{
	const char *s = d, *end = d + n, *line;
	size_t ln;
	memset(p, 0, sizeof(*p));
	while (inv_next_line(&s, end, &line, &ln)) {
		if (!ln || line[0] == '#' || line[0] == '!')
			continue;
		const char *eq = memchr(line, '=', ln);
		if (!eq)
			continue;
		struct bw_slice k = inv_trim((struct bw_slice){line, (size_t)(eq - line)});
		struct bw_slice v = inv_trim((struct bw_slice){eq + 1, ln - (size_t)(eq + 1 - line)});
		if (bw_slice_eq(k, "groupId"))
			p->group = v;
		else if (bw_slice_eq(k, "artifactId"))
			p->artifact = v;
		else if (bw_slice_eq(k, "version"))
			p->version = v;
	}
}

static void add_maven(struct jar_ctx *c, const char *path, struct bw_slice g, struct bw_slice a,
		      struct bw_slice v)
{
	struct inv_layer *l = c->l;
	size_t p_i = inv_record_add_pkg(l, c->rec);
	struct inv_pkg *p = &c->rec->pkgs[p_i];
	char *gs = inv_strndup(l, g.ptr, g.len), *as = inv_strndup(l, a.ptr, a.len);
	p->name = as;
	if (gs[0]) {
		size_t n = strlen(gs) + strlen(as) + 2;
		char *nm = bw_arena_alloc(&l->arena, n);
		snprintf(nm, n, "%s:%s", gs, as);
		p->name = nm;
	}
	p->version = inv_strndup(l, v.ptr, v.len);
	p->ecosystem = "Maven";
	p->purl_type = "maven";
	p->purl_ns = gs[0] ? gs : NULL;
	p->purl_name = as;
	p->path = inv_strdup(l, path);
}

/* MANIFEST.MF main section value of key (continuations folded into out). */
static bool manifest_get(const char *d, size_t n, const char *key, char *out, size_t outlen)
{
	const char *s = d, *end = d + n, *line;
	size_t ln, kl = strlen(key);
	bool in = false;
	size_t o = 0;
	while (inv_next_line(&s, end, &line, &ln)) {
		if (!ln)
			break; /* end of the main section */
		if (in) {
			if (line[0] == ' ') {
				size_t t = ln - 1 < outlen - 1 - o ? ln - 1 : outlen - 1 - o;
				memcpy(out + o, line + 1, t);
				o += t;
				continue;
			}
			break;
		}
		if (ln > kl + 1 && inv_slice_ieq((struct bw_slice){line, kl}, key) && line[kl] == ':') {
			struct bw_slice v = inv_trim((struct bw_slice){line + kl + 1, ln - kl - 1});
			o = v.len < outlen - 1 ? v.len : outlen - 1;
			memcpy(out, v.ptr, o);
			in = true;
		}
	}
	out[o] = '\0';
	return in && o;
}

static bool is_archive_name(const char *n)
{
	size_t l = strlen(n);
	return l > 4 && (strcmp(n + l - 4, ".jar") == 0 || strcmp(n + l - 4, ".war") == 0 ||
			 strcmp(n + l - 4, ".ear") == 0 || strcmp(n + l - 4, ".par") == 0);
}

static int read_entry(struct jar_ctx *c, struct archive *a, const char *path, size_t max, struct bw_buf *b)
{
	bw_buf_init(b, max);
	char chunk[65536];
	for (;;) {
		la_ssize_t r = archive_read_data(a, chunk, sizeof(chunk));
		if (r == 0)
			return 0;
		if (r < 0) {
			inv_record_note(c->l, c->rec, "%s: %s", path, archive_error_string(a));
			return -1;
		}
		c->expanded += (uint64_t)r;
		if (c->expanded > TOTAL_MAX || bw_buf_add(b, chunk, (size_t)r) < 0) {
			if (!c->capped)
				inv_record_note(
				    c->l, c->rec,
				    "%s: expands past the size limit (a zip bomb?); read no further", path);
			c->capped = true;
			return -1;
		}
	}
}

/* Does the archive's file name name this artifact: "a.jar", "a-1.2.jar"? */
static bool names_artifact(const char *name, const struct inv_pkg *p)
{
	const char *base = bw_path_base(name);
	size_t bl = strlen(base);
	if (bl < 5 || !p->purl_name)
		return false;
	bl -= 4; /* ".jar" */
	size_t al = strlen(p->purl_name), vl = strlen(p->version);
	if (bl < al || memcmp(base, p->purl_name, al) != 0)
		return false;
	return bl == al ||
	       (bl == al + 1 + vl && base[al] == '-' && memcmp(base + al + 1, p->version, vl) == 0);
}

/* The SHA-1 of the archive `name` for the one package that is it (see above). */
static void archive_sha1(struct jar_ctx *c, const char *name, const void *data, size_t len, size_t before)
{
	struct inv_record *rec = c->rec;
	struct inv_pkg *own = NULL;
	size_t n_own = 0, n_named = 0;
	struct inv_pkg *named = NULL;
	for (size_t i = before; i < rec->n_pkgs; i++) {
		struct inv_pkg *p = &rec->pkgs[i];
		if (!p->path || strcmp(p->path, name) != 0)
			continue; /* a nested archive's */
		own = p;
		n_own++;
		if (names_artifact(name, p)) {
			named = p;
			n_named++;
		}
	}
	struct inv_pkg *p = n_own == 1 ? own : n_named == 1 ? named : NULL;
	if (!p)
		return;
	char hex[BW_SHA1_HEX_MAX];
	bw_sha1_hex(data, len, hex);
	inv_pkg_add_hash(c->l, p, BW_HASH_SHA1, hex, 40);
}

static void walk_archive(struct jar_ctx *c, const char *name, const void *data, size_t len, int depth)
{
	if (depth > DEPTH_MAX) {
		inv_record_note(c->l, c->rec, "%s: archives nested deeper than %d", name, DEPTH_MAX);
		return;
	}
	struct archive *a = archive_read_new();
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		inv_record_note(c->l, c->rec, "%s: not a zip archive: %s", name, archive_error_string(a));
		archive_read_free(a);
		return;
	}
	size_t before = c->rec->n_pkgs;
	char *manifest = NULL;
	size_t manifest_len = 0;
	struct archive_entry *e;
	int r;
	while (!c->capped && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *p = archive_entry_pathname(e);
		if (!p || archive_entry_filetype(e) != AE_IFREG)
			continue;
		size_t pl = strlen(p);
		bool props = strncmp(p, "META-INF/maven/", 15) == 0 && pl > 15 + 15 &&
			     strcmp(p + pl - 15, "/pom.properties") == 0;
		bool mf = strcmp(p, "META-INF/MANIFEST.MF") == 0;
		bool nested = is_archive_name(p);
		if (!props && !mf && !nested)
			continue;
		char *inner_name = bw_asprintf("%s!/%s", name, p);
		struct bw_buf b;
		if (read_entry(c, a, inner_name, nested ? INNER_MAX : SMALL_MAX, &b) == 0) {
			if (props) {
				struct props pp;
				parse_props(b.data ? b.data : "", b.len, &pp);
				if (pp.artifact.len && pp.version.len)
					add_maven(c, name, pp.group, pp.artifact, pp.version);
			} else if (mf) {
				free(manifest);
				manifest = bw_buf_detach(&b, &manifest_len);
			} else if (b.len) {
				walk_archive(c, inner_name, b.data, b.len, depth + 1);
			}
		} else if (!c->capped && nested) {
			inv_record_note(c->l, c->rec, "%s: larger than %u MiB; not read", inner_name,
					INNER_MAX >> 20);
		}
		bw_buf_release(&b);
		free(inner_name);
	}
	if (!c->capped && r != ARCHIVE_EOF && r != ARCHIVE_OK)
		inv_record_note(c->l, c->rec, "%s: broken zip: %s", name, archive_error_string(a));
	archive_read_free(a);

	if (c->rec->n_pkgs == before) {
		/* no pom.properties: the manifest, then the file name */
		char title[256], version[128], vendor[256];
		if (manifest &&
		    manifest_get(manifest, manifest_len, "Implementation-Version", version,
				 sizeof(version)) &&
		    (manifest_get(manifest, manifest_len, "Implementation-Title", title, sizeof(title)) ||
		     manifest_get(manifest, manifest_len, "Bundle-SymbolicName", title, sizeof(title)))) {
			if (!manifest_get(manifest, manifest_len, "Implementation-Vendor-Id", vendor,
					  sizeof(vendor)))
				vendor[0] = '\0';
			char *semi = strchr(title, ';'); /* "org.x.y;singleton:=true" */
			if (semi)
				*semi = '\0';
			add_maven(c, name, bw_slice_of(vendor), bw_slice_of(title), bw_slice_of(version));
		} else if (manifest &&
			   manifest_get(manifest, manifest_len, "Bundle-SymbolicName", title,
					sizeof(title)) &&
			   manifest_get(manifest, manifest_len, "Bundle-Version", version, sizeof(version))) {
			char *semi = strchr(title, ';');
			if (semi)
				*semi = '\0';
			add_maven(c, name, bw_slice_of(""), bw_slice_of(title), bw_slice_of(version));
		} else {
			/* "commons-io-2.11.0.jar": the version starts after the last "-" before a digit */
			const char *base = bw_path_base(name);
			const char *bang = strrchr(base, '!');
			if (bang)
				base = bang + 1;
			size_t bl = strlen(base);
			const char *dash = NULL;
			for (const char *q = base; q + 1 < base + bl - 4; q++)
				if (q[0] == '-' && bw_isdigit(q[1])) {
					dash = q;
					break;
				}
			if (dash)
				add_maven(c, name, bw_slice_of(""),
					  (struct bw_slice){base, (size_t)(dash - base)},
					  (struct bw_slice){dash + 1, (size_t)(base + bl - 4 - dash - 1)});
		}
	}
	free(manifest);
	archive_sha1(c, name, data, len, before);
}

void inv_parse_jar(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	struct jar_ctx c = {.l = l, .rec = rec};
	walk_archive(&c, rec->path, data, len, 0);
	/* one artifact listed by several pom.properties copies (nested shading) counts once */
	for (size_t i = 0; i < rec->n_pkgs; i++)
		for (size_t j = i + 1; j < rec->n_pkgs;)
			if (strcmp(rec->pkgs[i].name, rec->pkgs[j].name) == 0 &&
			    strcmp(rec->pkgs[i].version, rec->pkgs[j].version) == 0) {
				if (!rec->pkgs[i].n_hashes) { /* keep the copy that has its own file */
					rec->pkgs[i].hashes = rec->pkgs[j].hashes;
					rec->pkgs[i].n_hashes = rec->pkgs[j].n_hashes;
					if (rec->pkgs[j].n_hashes)
						rec->pkgs[i].path = rec->pkgs[j].path;
				}
				memmove(&rec->pkgs[j], &rec->pkgs[j + 1],
					(rec->n_pkgs - j - 1) * sizeof(*rec->pkgs));
				rec->n_pkgs--;
			} else {
				j++;
			}
}
