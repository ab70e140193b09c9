/* Analyzers not written yet. */
#include "inventory-int.h"

void inv_parse_rpmdb(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_python(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_npm_pkg(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_npm_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_yarn_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_pnpm_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_jar(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_gemspec(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_cargo_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_composer(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_dotnet(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
struct inv_binary { int x; };
struct inv_binary *inv_binary_begin(struct inv_layer *l, const char *path, uint64_t size) { static struct inv_binary b; return &b; }
void inv_binary_chunk(struct inv_binary *b, const void *data, size_t len) {}
void inv_binary_end(struct inv_binary *b) {}
