/* The eBPF event source of a bulwark built without it (no libbpf-dev,
 * bpftool, clang or BTF at build time, or -Dmonitor=disabled): it says why
 * and what to do instead. source_bpf.c is the real one. */
#include "monitor-int.h"
#include "monitor/monitor-config.h"

bool bw_monitor_have_bpf(const char **why)
{
	if (why)
		*why = BW_MONITOR_BPF_REASON;
	return false;
}

static int probe(struct bw_error *err)
{
	return bw_error_set(err, BW_EUNSUPPORTED,
			    "this bulwark was built without the eBPF event source (%s); rebuild with "
			    "-Dmonitor=enabled, or use --source fanotify",
			    BW_MONITOR_BPF_REASON);
}

static int bpf_open(const struct bw_monitor_opts *o, const struct bw_mon_kconfig *k, void **out,
		    bw_monitor_log_fn log, void *log_ud, struct bw_error *err)
{
	*out = NULL;
	return probe(err);
}

const struct bw_mon_source_ops bw_mon_source_bpf = {
    .name = "bpf",
    .probe = probe,
    .open = bpf_open,
};
