/* What `bulwark cache info` writes: the cache file, whether this bulwark
 * may use it, and its records by analyzer. */
#include <jansson.h>

#include "cache.h"

/* A file written by another schema or bulwark version is set aside by the
 * next scan, never read. */
static bool usable(const struct bw_cache_stats *st)
{
	return st->exists && st->schema == BW_CACHE_SCHEMA && st->bulwark_version &&
	       strcmp(st->bulwark_version, BW_VERSION) == 0;
}

json_t *bw_cache_stats_json(const struct bw_cache_stats *st)
{
	json_t *j = json_object();
	json_object_set_new(j, "path", json_string(st->path));
	json_object_set_new(j, "exists", json_boolean(st->exists));
	json_object_set_new(j, "usable", json_boolean(usable(st)));
	json_object_set_new(j, "schema", json_integer(st->schema));
	json_object_set_new(j, "bulwark_version",
			    st->bulwark_version ? json_string(st->bulwark_version) : json_null());
	json_object_set_new(j, "layers", json_integer((json_int_t)st->layers));
	json_object_set_new(j, "entries", json_integer((json_int_t)st->entries));
	json_object_set_new(j, "bytes", json_integer((json_int_t)st->bytes));
	json_object_set_new(j, "file_bytes", json_integer((json_int_t)st->file_bytes));
	json_t *by = json_object();
	for (size_t i = 0; i < st->n_by_analyzer; i++) {
		json_t *a = json_object();
		json_object_set_new(a, "entries", json_integer((json_int_t)st->by_analyzer[i].entries));
		json_object_set_new(a, "bytes", json_integer((json_int_t)st->by_analyzer[i].bytes));
		json_object_set_new(by, st->by_analyzer[i].name, a);
	}
	json_object_set_new(j, "by_analyzer", by);
	return j;
}

void bw_cache_stats_write_table(const struct bw_cache_stats *st, FILE *out)
{
	char sz[32];
	fprintf(out, "path:     %s\n", st->path);
	if (!st->exists) {
		fprintf(out, "          (none yet: made by the first scan)\n");
		return;
	}
	bw_format_size(st->file_bytes, sz, sizeof(sz));
	fprintf(out, "file:     %s", sz);
	if (!usable(st))
		fprintf(out, " (written by %s, schema %d: ignored, rebuilt by the next scan)",
			st->bulwark_version ? st->bulwark_version : "something else", st->schema);
	fputc('\n', out);
	bw_format_size(st->bytes, sz, sizeof(sz));
	fprintf(out, "layers:   %llu\nentries:  %llu (%s)\n", (unsigned long long)st->layers,
		(unsigned long long)st->entries, sz);
	for (size_t i = 0; i < st->n_by_analyzer; i++) {
		bw_format_size(st->by_analyzer[i].bytes, sz, sizeof(sz));
		fprintf(out, "  %-24s %8llu  %s\n", st->by_analyzer[i].name,
			(unsigned long long)st->by_analyzer[i].entries, sz);
	}
}
