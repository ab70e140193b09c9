/* Package URLs (github.com/package-url/purl-spec):
 *
 *   pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS#SUBPATH
 *
 * type is lowercase; each namespace segment, the name and the version are
 * percent-encoded (everything but ASCII letters, digits, ".-_~" and, as
 * the spec allows, ":"); qualifier keys are lowercase and sorted, their
 * values percent-encoded. Per-type rules applied by the analyzers: pypi
 * names are PEP 503 normalised, npm scopes are the namespace ("@scope"
 * encoded as "%40scope"), Maven's namespace is the groupId, golang splits
 * the module path at its last "/", deb/apk/rpm take the distro id as
 * namespace and "arch", "distro", "epoch" as qualifiers.
 */
#include "inventory-int.h"

static void enc(struct bw_buf *b, const char *s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (bw_isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~' || c == ':' ||
		    (keep_slash && c == '/')) {
			bw_buf_add(b, s, 1);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			bw_buf_add(b, e, 3);
		}
	}
}

const char *inv_purl(struct bw_report *r, const char *type, const char *ns, const char *name,
		     const char *version, const char *const *qualifiers)
{
	struct bw_buf b;
	bw_buf_init(&b, 1 << 16);
	bw_buf_addstr(&b, "pkg:");
	bw_buf_addstr(&b, type);
	bw_buf_addstr(&b, "/");
	if (ns && *ns) {
		/* each segment encoded on its own; empty segments dropped */
		const char *s = ns;
		while (*s) {
			const char *e = strchr(s, '/');
			size_t n = e ? (size_t)(e - s) : strlen(s);
			if (n) {
				char *seg = bw_strndup(s, n);
				enc(&b, seg, false);
				free(seg);
				bw_buf_addstr(&b, "/");
			}
			s += n + (e ? 1 : 0);
		}
	}
	enc(&b, name ? name : "", false);
	if (version && *version) {
		bw_buf_addstr(&b, "@");
		enc(&b, version, false);
	}
	if (qualifiers) {
		/* sort the keys (few: insertion order of a small array) */
		const char *k[16], *v[16];
		size_t n = 0;
		for (size_t i = 0; qualifiers[i] && n < 16; i += 2) {
			if (!qualifiers[i + 1] || !*qualifiers[i + 1])
				continue;
			size_t j = n++;
			while (j > 0 && strcmp(k[j - 1], qualifiers[i]) > 0) {
				k[j] = k[j - 1];
				v[j] = v[j - 1];
				j--;
			}
			k[j] = qualifiers[i];
			v[j] = qualifiers[i + 1];
		}
		for (size_t i = 0; i < n; i++) {
			bw_buf_addstr(&b, i ? "&" : "?");
			bw_buf_addstr(&b, k[i]);
			bw_buf_addstr(&b, "=");
			enc(&b, v[i], false);
		}
	}
	const char *out = bw_report_str(r, b.data ? b.data : "");
	bw_buf_release(&b);
	return out;
}
