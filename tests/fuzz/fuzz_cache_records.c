/* libFuzzer: the layer cache's record decoders on hostile bytes — the
 * walker's listing and the load() of every analyzer that saves (inventory,
 * secrets, image configuration). The first byte picks the decoder. A
 * decoded record must save again, and a listing must decode again from
 * what it saves to the same entries. */
#include "image/image-int.h"
#include "inventory/inventory.h"
#include "imgcheck/imgcheck.h"
#include "secret/secret.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bw_inventory *inv;
static struct bw_secret_job *job;
static struct bw_imgcheck *li;
static const struct bw_analyzer *ans[8];
static size_t n_ans;

static void setup(void)
{
	if (n_ans)
		return;
	size_t n;
	bw_inventory_new(&inv, NULL);
	const struct bw_analyzer *const *a = bw_inventory_analyzers(inv, &n);
	for (size_t i = 0; i < n; i++)
		ans[n_ans++] = a[i];
	job = NULL;
	if (bw_secret_job_new(NULL, NULL, &job, NULL) == 0)
		ans[n_ans++] = bw_secret_job_analyzer(job);
	bw_imgcheck_new(&li, NULL);
	a = bw_imgcheck_analyzers(li, &n);
	for (size_t i = 0; i < n; i++)
		ans[n_ans++] = a[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	if (size < 1)
		return 0;
	unsigned pick = data[0] % (unsigned)(n_ans + 1);
	data++;
	size--;
	struct bw_buf b;
	bw_buf_init(&b, BW_IMAGE_CACHE_MAX_RECORD);
	if (pick == n_ans) {
		struct layer_result r;
		bw_layer_result_init(&r);
		if (bw_layer_listing_decode(&r, 0, data, size)) {
			struct layer_result again;
			bw_layer_result_init(&again);
			if (bw_layer_listing_encode(&r, &b) != 0 ||
			    !bw_layer_listing_decode(&again, 0, b.data, b.len) || again.n_files != r.n_files)
				__builtin_trap();
			for (size_t i = 0; i < r.n_files; i++)
				if (strcmp(again.files[i].path, r.files[i].path) != 0)
					__builtin_trap();
			bw_layer_result_release(&again);
		}
		bw_layer_result_release(&r);
	} else {
		struct bw_image_layer layer = {.index = 0, .compressed_size = -1, .size = -1};
		const struct bw_analyzer *a = ans[pick];
		void *st = a->load ? a->load(a->ud, &layer, data, size) : NULL;
		if (st && a->save(st, &b) != 0)
			__builtin_trap();
		if (st)
			a->layer_free(st);
	}
	bw_buf_release(&b);
	return 0;
}
