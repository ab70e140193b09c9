/* libFuzzer harness: the NetworkPolicy evaluator — arbitrary manifests read
 * into the network model, the reachability graph, its findings and lateral
 * paths, and the JSON and SVG writers. */
#include <jansson.h>
#include <stdint.h>

#include "net/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bw_iac_model m;
	bw_iac_model_init(&m);
	struct bw_iac_walk st = {0};
	struct bw_error err = BW_ERROR_INIT;
	struct bw_report *r = bw_report_new("kubernetes", "fuzz");
	int rc = bw_iac_model_load_text(&m, "/nonexistent-bulwark-fuzz/fuzz.yaml", (const char *)data, size,
					NULL, &st, r, &err);
	if (rc < 0 && !err.msg[0])
		abort();
	struct bw_net_graph *g = NULL;
	if (!rc && m.n_workloads < 2000 && !bw_net_graph_from_model(&m, &g, &err)) {
		bw_net_findings(g, &m, r);
		json_t *j = bw_net_graph_json(g, r);
		json_decref(j);
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			bw_net_graph_svg(g, null);
			fclose(null);
		}
		bw_net_graph_free(g);
	}
	bw_report_free(r);
	bw_iac_model_release(&m);
	return 0;
}
