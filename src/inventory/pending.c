/* Analyzers not written yet. */
#include "inventory-int.h"

void inv_parse_rpmdb(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_gemspec(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_cargo_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_composer(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
void inv_parse_dotnet(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len) {}
