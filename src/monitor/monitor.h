/* monitor — the runtime threat monitor: kernel events (eBPF on tracepoints,
 * or fanotify and the process connector where eBPF is not allowed), their
 * attribution to containers, images and Kubernetes pods, Falco-language
 * rules, alert outputs, and learned per-image behaviour turned into drift
 * alerts, seccomp profiles and capability sets.
 *
 * A run (bw_monitor_run) loads the rules, opens the event source, and
 * writes each alert as one JSON line: a finding of kind "runtime" of the
 * report model (report.h), with the Falco rule it answers to in
 * "equivalent" and the event's fields beside it. It never prints: alerts go
 * to the sinks named in the options (a FILE the caller owns, a rotated file,
 * syslog, a webhook), and messages (warnings, counters) to the caller's log
 * callback. The kernel side never waits for user space; records the ring
 * buffer could not take are counted and reported.
 *
 * Ownership: everything a call returns is the caller's: struct
 * bw_monitor_check with bw_monitor_check_release(), struct bw_monitor_profile
 * with bw_monitor_profile_free(), JSON documents with json_decref(). Option
 * structs are only read.
 */
#ifndef BW_MONITOR_H
#define BW_MONITOR_H

#include <stdio.h>

#include "core/core.h"

/* Exit status of a run the kernel refuses: the message names the missing
 * capability (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN). */
#define BW_MONITOR_EXIT_NOT_PERMITTED 3

/* The Falco rules-engine version whose files this engine loads. */
#define BW_MONITOR_FALCO_ENGINE_VERSION "0.57.0"

/* Messages for the user (only src/cli/ prints them). level: 0 info,
 * 1 warning, 2 error. */
typedef void (*bw_monitor_log_fn)(void *ud, int level, const char *msg);

struct bw_monitor_rule_opts {
	const char *const *files; /* Falco rule files, loaded in order; NULL/0: the default rules */
	size_t n_files;
	bool skip_unsupported; /* a rule needing a field the source cannot fill: warn, skip */
	const char *source;    /* "bpf" or "fanotify": what "unsupported" means; NULL: "bpf" */
};

/* ---- rules check (--dry-run) ------------------------------------------- */

struct bw_monitor_rule_info {
	char *name;
	char *id;   /* bulwark's id (`id:` of the rule), or the name */
	char *file; /* the file that (last) defined it */
	int line;
	char *priority;
	bool enabled;
	char *event_types; /* "execve,execveat" as compiled; NULL when skipped */
	char *why;	   /* skipped or inert: the reason */
};

struct bw_monitor_check {
	struct bw_monitor_rule_info *loaded, *skipped, *inert;
	size_t n_loaded, n_skipped, n_inert;
	size_t n_macros, n_lists;
	char **warnings;
	size_t n_warnings;
	/* what the kernel side will keep for path hooks (opens, chmod, unlink,
	 * rename): the sensitive prefixes and the other gates, e.g. "writes" */
	char **prefixes;
	size_t n_prefixes;
	char *gates;
};

/* Load and compile the rule files. A syntax error, an unknown field, a
 * macro or list cycle, a field the source cannot fill (without
 * skip_unsupported): BW_EUSAGE (exit 2) with "FILE:LINE:COL: rule 'NAME':
 * …". An unreadable file: BW_EIO. */
int bw_monitor_check_rules(const struct bw_monitor_rule_opts *o, struct bw_monitor_check *out,
			   struct bw_error *err);
void bw_monitor_check_release(struct bw_monitor_check *c);
/* The check as "bulwark.monitor-rules/v1" JSON (new reference). */
json_t *bw_monitor_check_json(const struct bw_monitor_check *c);

/* The default rules (rules/bulwark_rules.yaml, built in). */
extern const char bw_monitor_default_rules[];

/* ---- a run ------------------------------------------------------------- */

enum bw_monitor_out_format {
	BW_MONITOR_OUT_JSON = 0, /* one JSON object a line */
	BW_MONITOR_OUT_TEXT,	 /* one line a alert, for people (control bytes escaped) */
};

struct bw_monitor_opts {
	struct bw_monitor_rule_opts rules;
	const char *source;	  /* "auto" (NULL), "bpf" or "fanotify" */
	bool containers_only;	  /* drop host events (in the kernel where it can) */
	const char *docker_host;  /* NULL: DOCKER_HOST or the default socket */
	double duration;	  /* seconds; 0: until stopped */
	uint64_t max_events;	  /* stop after this many events; 0: no limit */
	double stats_interval;	  /* seconds between counter lines; 0: only at exit */
	size_t ring_bytes;	  /* ring buffer size; 0: 8 MiB */
	bool all_opens;		  /* no kernel-side filtering of opens */
	bool include_self_events; /* tests: do not hide the monitor's own process */

	/* outputs: any combination; none at all means out_file */
	FILE *out_file; /* alerts and counters as lines (the caller's stream) */
	enum bw_monitor_out_format out_format;
	const char *rotate_path; /* a file rotated by size */
	uint64_t rotate_bytes;	 /* 0: 64 MiB */
	int rotate_keep;	 /* rotated files kept; 0: 5 */
	bool syslog;		 /* LOG_DAEMON, priority from the rule */
	const char *webhook_url; /* POST each alert (JSON) */
	int webhook_retries;	 /* per alert; 0: 3 */
	double webhook_timeout;	 /* seconds a request; 0: 5 */
	int min_severity;	 /* enum bw_severity: alerts below are not sent */
	double rate_per_rule;	 /* alerts a second a rule may send on average; 0: no limit */
	double rate_burst;	 /* bucket size; 0: 10 */

	/* learned behaviour */
	const char *learn_image; /* --learn --image IMAGE: record its containers' behaviour */
	const char *cache_dir;	 /* where the profiles live (the layer cache's database); NULL: default */
	bool drift;		 /* compare containers with their images' learned profiles */
	double drift_threshold;	 /* anomaly score at which a drift alert is raised; 0: 0.9 */
	bool no_image_drift;	 /* do not read images to find executables not in their layers */

	bw_monitor_log_fn log;
	void *log_ud;
};

/* What a run saw (for the caller's exit code and summary). */
struct bw_monitor_result {
	uint64_t events, alerts, drops;
};

/* Run until opts->duration, opts->max_events, SIGINT or SIGTERM (SIGHUP
 * reloads the rules, keeping the event source and its buffer). Returns 0,
 * BW_EUSAGE for bad rules or options, BW_EUNSUPPORTED naming why when the
 * event source cannot be opened (eBPF not built in or not permitted: the
 * message names the missing capability), BW_EREMOTE/BW_EIO for outputs. */
int bw_monitor_run(const struct bw_monitor_opts *opts, struct bw_monitor_result *res, struct bw_error *err);

/* Whether this build has the eBPF source, and if not why. */
bool bw_monitor_have_bpf(const char **why);

/* ---- learned profiles --------------------------------------------------- */

struct bw_monitor_profile;

/* Load the profile learned for image (a name or an id; the engine resolves
 * names to ids) from the cache database in cache_dir (NULL: the default).
 * BW_ENOTFOUND when nothing was learned for it. */
int bw_monitor_profile_load(const char *image, const char *cache_dir, const char *docker_host,
			    struct bw_monitor_profile **out, struct bw_error *err);
void bw_monitor_profile_free(struct bw_monitor_profile *p);
/* The profile as stored ("bulwark.profile/v1"; a new reference). */
json_t *bw_monitor_profile_json(const struct bw_monitor_profile *p);
/* A Docker/OCI seccomp profile allowing exactly the syscalls seen, plus
 * what the container runtime needs after it installs the filter (new
 * reference). */
json_t *bw_monitor_profile_seccomp(const struct bw_monitor_profile *p);
/* The capabilities exercised ("CAP_CHOWN", …; NULL-terminated array of
 * static strings, the caller frees the array). */
const char **bw_monitor_profile_caps(const struct bw_monitor_profile *p);

/* ---- flows only (a flow log's eBPF source) ------------------------------- */

/* A connection as the kernel saw it at one of its ends: TCP from the
 * socket's state changes (a connect()'s SYN_SENT to ESTABLISHED or to
 * CLOSE, a passive open's SYN_RECV to ESTABLISHED), UDP from connect() on
 * a datagram socket (datagrams sent without connect() are not seen).
 * Strings are valid during the callback only. */
struct bw_monitor_flow {
	int family; /* AF_INET or AF_INET6 (IPv4-mapped IPv6 addresses come as AF_INET) */
	uint8_t proto;
	unsigned char src[16], dst[16]; /* client, server; network order */
	uint16_t sport, dport;
	const char *state; /* "established", "failed" (TCP, never established), "connected" (UDP) */
	bool at_src;	   /* seen at the client's end (else at the server's) */
	/* the container of that end's socket (its cgroup): NULL for the host */
	const char *container, *container_id;
	int pid; /* the process that connected, when the kernel gave its context; 0 else */
	const char *comm;
};

/* Return nonzero to end the run. */
typedef int (*bw_monitor_flow_fn)(void *ud, const struct bw_monitor_flow *f);

struct bw_monitor_flow_opts {
	const char *docker_host; /* NULL: DOCKER_HOST or the default socket */
	double duration;	 /* seconds; 0: until stopped */
	size_t ring_bytes;	 /* 0: 8 MiB */
	/* may be NULL: the programs are attached; asked every 100 ms whether
	 * to end (a signal handler's flag) */
	void (*ready)(void *ud);
	bool (*stopping)(void *ud);
	void *ud;
	bw_monitor_log_fn log; /* warnings (drops as they happen) */
	void *log_ud;
};

struct bw_monitor_flow_result {
	uint64_t records;	/* records read */
	uint64_t flows;		/* flows handed to the callback */
	uint64_t drops;		/* records the kernel could not write (the ring buffer was full) */
	uint64_t decode_errors; /* records that were not well formed */
	uint64_t own;		/* connections of this process (an engine on TCP): not flows */
};

/* The eBPF source in a flows-only mode: no rules, no process table; only
 * the TCP state hook and connect() are enabled. Returns 0 at the end of
 * the run, BW_EUNSUPPORTED naming why when eBPF cannot run here (not
 * built in, not permitted: the missing capability), BW_EIO when the
 * source fails. */
int bw_monitor_flows(const struct bw_monitor_flow_opts *o, bw_monitor_flow_fn fn, void *ud,
		     struct bw_monitor_flow_result *res, struct bw_error *err);

#endif
