/* The fallback event source where eBPF is not permitted: fanotify for file
 * events and exec, the netlink process connector for fork/exec/exit.
 * Reduced fields (see docs/monitor.md). */
#include "monitor-int.h"

static int fan_probe(struct bw_error *err)
{
	return bw_error_set(err, BW_EUNSUPPORTED, "the fanotify source is not available yet");
}

static int fan_open(const struct bw_monitor_opts *o, const struct bw_mon_kconfig *k, void **out,
		    bw_monitor_log_fn log, void *log_ud, struct bw_error *err)
{
	*out = NULL;
	return fan_probe(err);
}

const struct bw_mon_source_ops bw_mon_source_fanotify = {
    .name = "fanotify",
    .probe = fan_probe,
    .open = fan_open,
};
