/* Private to src/image: a string -> index hash map (open addressing).
 * Keys are borrowed and must outlive the map. */
#ifndef BW_IMAGE_PATHMAP_H
#define BW_IMAGE_PATHMAP_H

#include "core/core.h"

struct bw_pathmap {
	const char **keys;
	size_t *vals;
	size_t cap, n;
};

void bw_pathmap_init(struct bw_pathmap *m);
void bw_pathmap_release(struct bw_pathmap *m);
/* Insert or replace. */
void bw_pathmap_put(struct bw_pathmap *m, const char *key, size_t val);
bool bw_pathmap_get(const struct bw_pathmap *m, const char *key, size_t *val);

#endif
