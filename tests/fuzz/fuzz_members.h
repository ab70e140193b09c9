/* The input of the harnesses that make an image out of members (an archive
 * or an OCI layout directory), so that the fuzzer can give metadata that
 * points at its other members:
 *
 *   flags byte, then records: [kind byte][length: 2 bytes, little endian][bytes]
 *
 * A record's name is NAMES[kind % FM_N_NAMES]; FM_BLOB names it by the
 * digest of its bytes (blobs/sha256/<hex>). In a record's bytes "@N" (N a
 * digit) becomes "sha256:<hex>" of record N and "#N" its size in decimal,
 * when N is a later record (records are finished last to first, so an
 * index can name a manifest that names a config and layers). Seeds:
 * tests/fuzz/make_meta_seeds.py. */
#ifndef BW_FUZZ_MEMBERS_H
#define BW_FUZZ_MEMBERS_H

#include "core/core.h"

#define FM_MAX 16
#define FM_BLOB "<blob>"

static const char *const fm_names[] = {
    "manifest.json", "index.json",  "oci-layout",      "repositories",
    FM_BLOB,	     "0/layer.tar", "1/layer.tar",     "c.json",
    FM_BLOB,	     FM_BLOB,	    "./manifest.json", "blobs/sha256/../../index.json",
};
#define FM_N_NAMES (sizeof(fm_names) / sizeof(fm_names[0]))

struct fm_member {
	char name[96];
	char *data; /* heap, after substitution */
	size_t len;
	char digest[BW_DIGEST_STR_MAX];
};

struct fm_members {
	unsigned flags;
	struct fm_member m[FM_MAX];
	size_t n;
};

static inline void fm_release(struct fm_members *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		free(ms->m[i].data);
	ms->n = 0;
}

/* The bytes of record i with the references to later records replaced. */
static inline void fm_substitute(struct fm_members *ms, size_t i, const uint8_t *p, size_t len)
{
	struct bw_buf b;
	bw_buf_init(&b, (size_t)1 << 24);
	for (size_t k = 0; k < len; k++) {
		if ((p[k] == '@' || p[k] == '#') && k + 1 < len && p[k + 1] >= '0' && p[k + 1] <= '9' &&
		    (size_t)(p[k + 1] - '0') > i && (size_t)(p[k + 1] - '0') < ms->n) {
			const struct fm_member *t = &ms->m[p[k + 1] - '0'];
			if (p[k] == '@')
				bw_buf_addstr(&b, t->digest);
			else
				bw_buf_printf(&b, "%zu", t->len);
			k++;
			continue;
		}
		bw_buf_add(&b, p + k, 1);
	}
	ms->m[i].data = bw_buf_detach(&b, &ms->m[i].len);
	if (!ms->m[i].data)
		ms->m[i].data = bw_strdup("");
}

/* Parse the fuzzer's bytes; false when they hold no record. */
static inline bool fm_parse(const uint8_t *data, size_t size, struct fm_members *ms)
{
	const uint8_t *starts[FM_MAX];
	size_t lens[FM_MAX];
	unsigned kinds[FM_MAX];
	ms->n = 0;
	if (size < 1)
		return false;
	ms->flags = data[0];
	size_t at = 1;
	size_t n = 0;
	while (n < FM_MAX && at + 3 <= size) {
		size_t len = (size_t)data[at + 1] | (size_t)data[at + 2] << 8;
		if (len > size - at - 3)
			len = size - at - 3;
		kinds[n] = data[at];
		starts[n] = data + at + 3;
		lens[n] = len;
		n++;
		at += 3 + len;
	}
	if (n == 0)
		return false;
	ms->n = n;
	for (size_t i = n; i-- > 0;) {
		fm_substitute(ms, i, starts[i], lens[i]);
		bw_sha256_str(ms->m[i].data, ms->m[i].len, ms->m[i].digest);
		const char *nm = fm_names[kinds[i] % FM_N_NAMES];
		if (strcmp(nm, FM_BLOB) == 0)
			snprintf(ms->m[i].name, sizeof(ms->m[i].name), "blobs/sha256/%s",
				 ms->m[i].digest + 7);
		else
			snprintf(ms->m[i].name, sizeof(ms->m[i].name), "%s", nm);
	}
	return true;
}

#endif
