/* bulwark net — segmentation graph, nftables enforcement, TLS posture, flow log. */
#include <jansson.h>
#include <signal.h>

#include "cli.h"
#include "engine/engine.h"
#include "iac/iac.h"
#include "monitor/monitor.h"
#include "net/net.h"
#include "registry/registry.h"

const char bw_usage_net[] =
    "usage: bulwark net graph [options] [PATH...]\n"
    "       bulwark net enforce --intended FILE [--table NAME]\n"
    "       bulwark net tls [--engine] [--daemon-config FILE] [--probe HOST:PORT]\n"
    "                       [--registry HOST[:PORT]]... [--registry-ca FILE]\n"
    "                       [--image TARGET]... [PATH...]\n"
    "       bulwark net watch [--intended FILE] [--source auto|ebpf|conntrack]\n"
    "                         [--duration SECONDS] [--count N] [PATH...]\n"
    "\n"
    "graph: who can reach whom — from compose files and Kubernetes manifests\n"
    "(NetworkPolicies, Services, Ingresses; files or directories), or from the\n"
    "running containers of the Docker Engine (--engine) — with segmentation\n"
    "findings (BW-NET-NNN) and the lateral paths from the outside world to\n"
    "datastores. Without --graph the findings are the report (table, json, sarif).\n"
    "\n"
    "      --engine               the live engine (DOCKER_HOST) instead of files\n"
    "      --graph FMT            write the graph: json, dot, svg or html\n"
    "\n"
    "enforce: an nftables ruleset (nft -f) that allows only the intended edges:\n"
    "      --intended FILE        workloads (name: {address: IP}) and allow entries\n"
    "                             ({from, to, port, proto}); see docs/net.md\n"
    "      --table NAME           the nftables table (inet family; default bulwark)\n"
    "\n"
    "tls: TLS posture (BW-TLS-NNN): the engine's TCP socket without TLS or client\n"
    "verification (daemon.json, dockerd's command line, a probe of DOCKER_HOST or\n"
    "--probe), certificates and keys inside images (--image, any target), and\n"
    "the TLS rules of compose files and manifests (PATH: Ingress without TLS,\n"
    "plaintext ports, database URLs without TLS).\n"
    "      --daemon-config FILE   the engine's daemon.json (default /etc/docker/daemon.json)\n"
    "      --probe HOST:PORT      probe this engine endpoint (plain HTTP, then TLS)\n"
    "      --proc DIR             read dockerd command lines from DIR (default /proc;\n"
    "                             a host's /proc mounted elsewhere)\n"
    "      --no-processes         do not read dockerd command lines\n"
    "      --image TARGET         an image to read certificates from (repeatable)\n"
    "      --registry HOST[:PORT] a registry to probe: no TLS, or a certificate its\n"
    "                             clients cannot verify (repeatable)\n"
    "      --registry-ca FILE     a CA the registries' clients are given (besides\n"
    "                             the system's and /etc/docker/certs.d)\n"
    "\n"
    "watch: the flow log — every new connection of every container, both ends\n"
    "named through the engine, as JSON lines. Judged against an intended graph\n"
    "(--intended, net enforce's file) or a design (PATH: compose files and\n"
    "Kubernetes manifests, whose graph net graph draws; containers are its\n"
    "workloads by their compose or pod labels, or names), flows it does not\n"
    "allow carry \"violation\": true (and --exit-code N exits N when there was\n"
    "one). The source is the runtime monitor's eBPF TCP\n"
    "events (every TCP connection with its process, and connected UDP sockets;\n"
    "CAP_BPF and CAP_PERFMON, or root), else conntrack events of the host's and\n"
    "each container's network namespace (CAP_NET_ADMIN, CAP_SYS_ADMIN), with a\n"
    "note saying why. Stops on SIGINT or SIGTERM; the counts (flows, repeats,\n"
    "records the kernel dropped) go to standard error.\n"
    "      --source SRC           auto (default: ebpf, else conntrack), ebpf or conntrack\n"
    "      --duration SECONDS     stop after this long\n"
    "      --count N              stop after N flows\n"
    "\n"
    "  -f, --format FMT     (graph, tls) table, json or sarif\n" BW_CLI_COMMON_HELP;

enum {
	OPT_ENGINE = BW_OPT__COMMAND_BASE,
	OPT_GRAPH,
	OPT_INTENDED,
	OPT_TABLE,
	OPT_DAEMON_CONFIG,
	OPT_PROBE,
	OPT_IMAGE,
	OPT_NO_PROCESSES,
	OPT_PROC,
	OPT_DURATION,
	OPT_COUNT,
	OPT_REGISTRY,
	OPT_REGISTRY_CA,
	OPT_SOURCE,
};

struct net_opts {
	bool engine;
	const char *graph, *intended, *table;
	const char *daemon_config, *probe, *proc;
	const char *images[16];
	size_t n_images;
	const char *registries[16], *registry_ca;
	size_t n_registries;
	bool no_processes;
	double duration;
	long count;
	const char *source;
};

static int on_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct net_opts *o = ud;
	switch (c) {
	case OPT_ENGINE:
		o->engine = true;
		return 0;
	case OPT_GRAPH:
		if (strcmp(arg, "json") && strcmp(arg, "dot") && strcmp(arg, "svg") && strcmp(arg, "html"))
			return bw_cli_usage_error(cli->cmd, "--graph json, dot, svg or html, not '%s'", arg);
		o->graph = arg;
		return 0;
	case OPT_INTENDED:
		o->intended = arg;
		return 0;
	case OPT_TABLE:
		o->table = arg;
		return 0;
	case OPT_DAEMON_CONFIG:
		o->daemon_config = arg;
		return 0;
	case OPT_PROBE:
		o->probe = arg;
		return 0;
	case OPT_DURATION: {
		char *end;
		o->duration = strtod(arg, &end);
		if (*end || end == arg || !(o->duration > 0) || o->duration > 1e7)
			return bw_cli_usage_error(cli->cmd, "--duration takes seconds, not '%s'", arg);
		return 0;
	}
	case OPT_COUNT: {
		char *end;
		o->count = strtol(arg, &end, 10);
		if (*end || end == arg || o->count <= 0)
			return bw_cli_usage_error(cli->cmd, "--count takes a positive number, not '%s'", arg);
		return 0;
	}
	case OPT_PROC:
		o->proc = arg;
		return 0;
	case OPT_SOURCE:
		if (strcmp(arg, "auto") && strcmp(arg, "ebpf") && strcmp(arg, "conntrack"))
			return bw_cli_usage_error(cli->cmd, "--source auto, ebpf or conntrack, not '%s'",
						  arg);
		o->source = arg;
		return 0;
	case OPT_NO_PROCESSES:
		o->no_processes = true;
		return 0;
	case OPT_REGISTRY:
		if (o->n_registries == BW_ARRAY_SIZE(o->registries))
			return bw_cli_usage_error(cli->cmd, "at most %zu --registry",
						  BW_ARRAY_SIZE(o->registries));
		if (!bw_registry_host_valid(arg, strlen(arg)))
			return bw_cli_usage_error(cli->cmd, "--registry HOST[:PORT], not '%s'", arg);
		o->registries[o->n_registries++] = arg;
		return 0;
	case OPT_REGISTRY_CA:
		o->registry_ca = arg;
		return 0;
	case OPT_IMAGE:
		if (o->n_images == BW_ARRAY_SIZE(o->images))
			return bw_cli_usage_error(cli->cmd, "at most %zu --image", BW_ARRAY_SIZE(o->images));
		o->images[o->n_images++] = arg;
		return 0;
	default:
		return BW_EXIT_USAGE;
	}
}

static int write_graph(struct bw_cli *cli, const struct net_opts *o, const struct bw_net_graph *g,
		       struct bw_report *r)
{
	struct bw_error err = BW_ERROR_INIT;
	FILE *out = bw_cli_open_output(cli, &err);
	if (!out)
		return bw_cli_fail(cli, &err);
	if (!strcmp(o->graph, "json")) {
		bw_net_graph_write_json(g, r, out);
		fputc('\n', out);
	} else if (!strcmp(o->graph, "dot")) {
		bw_net_graph_dot(g, out);
	} else if (!strcmp(o->graph, "svg")) {
		bw_net_graph_svg(g, out);
	} else {
		bw_net_graph_html(g, r, out);
	}
	if (bw_cli_close_output(cli, out, &err))
		return bw_cli_fail(cli, &err);
	for (size_t i = 0; i < r->n_warnings && !cli->quiet; i++)
		fprintf(stderr, "bulwark net: warning: %s\n", r->warnings[i]);
	return BW_EXIT_OK;
}

static int net_graph(struct bw_cli *cli, struct net_opts *o, int argc, char **argv)
{
	struct bw_error err = BW_ERROR_INIT;
	if (o->engine && argc > optind)
		return bw_cli_usage_error(cli->cmd, "--engine takes no PATH");
	if (!o->engine && argc <= optind)
		return bw_cli_usage_error(cli->cmd, "no file or directory given (or --engine)");
	if (!o->graph && cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON &&
	    cli->format != BW_FORMAT_SARIF)
		return bw_cli_usage_error(cli->cmd, "--format %s does not apply to net graph",
					  bw_format_name(cli->format));
	struct bw_net_graph *g = NULL;
	struct bw_iac_model m;
	bw_iac_model_init(&m);
	struct bw_report *r =
	    bw_report_new(o->engine ? "engine" : "config", o->engine ? "engine" : argv[optind]);
	int rc = 0;
	bool failed = false;
	if (o->engine) {
		struct bw_engine *e = NULL;
		struct bw_engine_opts eo = {0};
		rc = bw_engine_open(&eo, &e, &err);
		if (!rc)
			rc = bw_net_graph_from_engine(e, &g, &err);
		bw_engine_free(e);
	} else {
		struct bw_iac_config *cfg = bw_iac_config_new();
		struct bw_iac_walk st = {0};
		for (int i = optind; i < argc && !rc; i++)
			rc = bw_iac_model_load(&m, argv[i], cfg, &st, r, &err);
		bw_iac_config_free(cfg);
		failed = st.failed > 0;
		if (!rc)
			rc = bw_net_graph_from_model(&m, &g, &err);
		r->target.type = m.compose && m.kubernetes ? "config" : m.compose ? "compose" : "kubernetes";
	}
	if (rc) {
		rc = bw_cli_fail(cli, &err);
		goto out;
	}
	bw_net_findings(g, o->engine ? NULL : &m, r);
	bw_report_sort(r);
	rc = o->graph ? write_graph(cli, o, g, r) : bw_cli_emit_report(cli, r);
	if (failed && (rc == BW_EXIT_OK || rc == cli->exit_code))
		rc = BW_EXIT_ERROR;
out:
	bw_net_graph_free(g);
	bw_report_free(r);
	bw_iac_model_release(&m);
	return rc;
}

static int net_enforce(struct bw_cli *cli, struct net_opts *o, int argc, char **argv)
{
	if (!o->intended)
		return bw_cli_usage_error(cli->cmd, "enforce needs --intended FILE");
	if (argc > optind)
		return bw_cli_usage_error(cli->cmd, "enforce takes no operand");
	struct bw_error err = BW_ERROR_INIT;
	struct bw_buf b;
	bw_buf_init(&b, 64u << 20);
	int rc = bw_net_enforce_ruleset(o->intended, o->table, &b, &err);
	if (rc) {
		bw_buf_release(&b);
		return err.code == BW_EUSAGE ? bw_cli_usage_error(cli->cmd, "%s", err.msg)
					     : bw_cli_fail(cli, &err);
	}
	FILE *out = bw_cli_open_output(cli, &err);
	if (!out) {
		bw_buf_release(&b);
		return bw_cli_fail(cli, &err);
	}
	fwrite(b.data ? b.data : "", 1, b.len, out);
	bw_buf_release(&b);
	if (bw_cli_close_output(cli, out, &err))
		return bw_cli_fail(cli, &err);
	return BW_EXIT_OK;
}

static bool tls_rule(const char *id)
{
	static const char *const ids[] = {"BW-K8S-047", "BW-K8S-048", "BW-K8S-049", "BW-COMPOSE-025",
					  "BW-COMPOSE-026"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(ids); i++)
		if (!strcmp(id, ids[i]))
			return true;
	return false;
}

static int net_tls(struct bw_cli *cli, struct net_opts *o, int argc, char **argv)
{
	bool engine = o->engine || o->daemon_config || o->probe || o->proc;
	if (!engine && !o->n_images && !o->n_registries && argc <= optind)
		return bw_cli_usage_error(
		    cli->cmd, "nothing to check: --engine, --image TARGET, --registry HOST or PATH");
	if (o->registry_ca && !o->n_registries)
		return bw_cli_usage_error(cli->cmd, "--registry-ca goes with --registry");
	if (cli->format != BW_FORMAT_TABLE && cli->format != BW_FORMAT_JSON && cli->format != BW_FORMAT_SARIF)
		return bw_cli_usage_error(cli->cmd, "--format %s does not apply to net tls",
					  bw_format_name(cli->format));
	struct bw_report *r = bw_report_new("host", "TLS posture");
	struct bw_error err = BW_ERROR_INIT;
	int rc = 0;
	bool failed = false;
	if (engine) {
		struct bw_net_tls_opts to = {.daemon_config = o->daemon_config,
					     .probe = o->probe,
					     .no_processes = o->no_processes,
					     .proc = o->proc};
		if (bw_net_tls_engine(r, &to, &err)) {
			bw_cli_fail(cli, &err);
			bw_report_warn(r, "%s", err.msg);
			failed = true;
			bw_error_clear(&err);
		}
	}
	for (size_t i = 0; i < o->n_registries; i++) {
		if (bw_net_tls_registry(r, o->registries[i], o->registry_ca, &err)) {
			bw_cli_fail(cli, &err);
			bw_report_warn(r, "%s", err.msg);
			failed = true;
			bw_error_clear(&err);
		}
	}
	for (size_t i = 0; i < o->n_images; i++) {
		if (bw_net_tls_image(r, o->images[i], &err)) {
			bw_cli_fail(cli, &err);
			bw_report_warn(r, "%s", err.msg);
			failed = true;
			bw_error_clear(&err);
		}
	}
	if (argc > optind) {
		struct bw_report *cr = bw_report_new("config", argv[optind]);
		struct bw_iac_config *cfg = bw_iac_config_new();
		struct bw_iac_walk st = {0};
		for (int i = optind; i < argc; i++)
			if (bw_iac_check_path(cr, argv[i], cfg, &st, &err)) {
				bw_cli_fail(cli, &err);
				bw_report_warn(r, "%s", err.msg);
				failed = true;
				bw_error_clear(&err);
			}
		bw_iac_finish(cr, cfg);
		failed |= st.failed > 0;
		for (size_t i = 0; i < cr->n_findings; i++) {
			const struct bw_finding *f = &cr->findings[i];
			if (!tls_rule(f->id))
				continue;
			struct bw_finding *g = bw_report_add_finding(r, f->kind);
			g->id = bw_report_str(r, f->id);
			g->severity = f->severity;
			g->status = f->status;
			g->title = bw_report_str(r, f->title);
			g->evidence = bw_report_str(r, f->evidence);
			g->remediation = bw_report_str(r, f->remediation);
			g->location = f->location;
			g->location.path = bw_report_str(r, f->location.path);
		}
		for (size_t i = 0; i < cr->n_warnings; i++)
			bw_report_warn(r, "%s", cr->warnings[i]);
		bw_iac_config_free(cfg);
		bw_report_free(cr);
	}
	bw_report_sort(r);
	rc = bw_cli_emit_report(cli, r);
	bw_report_free(r);
	if (failed && (rc == BW_EXIT_OK || rc == cli->exit_code))
		rc = BW_EXIT_ERROR;
	return rc;
}

static volatile sig_atomic_t watch_stop;

static void on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

/* The eBPF row of the watch's source table: the monitor (a module beside
 * net) runs in its flows-only mode and each of its flows is handed to net's
 * flow log here, so neither module knows the other. */
struct ebpf_feed {
	struct bw_cli *cli;
	struct bw_net_flowlog *log;
	const struct bw_net_watch_opts *wo;
};

static int ebpf_flow(void *ud, const struct bw_monitor_flow *mf)
{
	struct ebpf_feed *fd = ud;
	struct bw_net_flow f = {.family = mf->family,
				.proto = mf->proto,
				.sport = mf->sport,
				.dport = mf->dport,
				.netns = mf->container ? mf->container : "host",
				.netns_id = mf->container_id,
				.seen_end = mf->at_src ? BW_NET_SEEN_SRC : BW_NET_SEEN_DST,
				.source = "ebpf",
				.pid = mf->pid,
				.comm = mf->comm,
				.state = mf->state};
	memcpy(f.src, mf->src, sizeof(f.src));
	memcpy(f.dst, mf->dst, sizeof(f.dst));
	bw_net_flowlog_add(fd->log, &f);
	return fd->wo->max_flows && bw_net_flowlog_count(fd->log) >= fd->wo->max_flows;
}

static void ebpf_log(void *ud, int level, const char *msg)
{
	if (level >= 1)
		bw_cli_warn(ud, msg);
}

static void ebpf_ready(void *ud)
{
	const struct bw_net_watch_opts *wo = ud;
	if (wo->ready)
		wo->ready(wo->ud, "ebpf");
}

static bool ebpf_stopping(void *ud)
{
	const struct bw_net_watch_opts *wo = ud;
	return wo->stop && *wo->stop;
}

static int ebpf_run(void *ud, struct bw_net_flowlog *log, const struct bw_net_watch_opts *wo,
		    struct bw_net_watch_result *res, struct bw_error *err)
{
	struct ebpf_feed fd = {ud, log, wo};
	struct bw_monitor_flow_opts mo = {.duration = wo->duration,
					  .ready = ebpf_ready,
					  .stopping = ebpf_stopping,
					  .ud = (void *)wo,
					  .log = ebpf_log,
					  .log_ud = ud};
	struct bw_monitor_flow_result mr;
	int rc = bw_monitor_flows(&mo, ebpf_flow, &fd, &mr, err);
	res->lost += mr.drops;
	res->undecodable += mr.decode_errors;
	res->own += mr.own;
	return rc;
}

struct watch_note {
	struct bw_cli *cli;
	const struct bw_net_watch_result *res;
};

/* Why a source before this one could not run: said as soon as the watch
 * starts (and when every source failed), never only at the end. */
static void fallback_note(const struct watch_note *wn, const char *instead)
{
	if (!wn->res->fallback[0])
		return;
	char note[1024];
	snprintf(note, sizeof(note), "%s; %s", wn->res->fallback, instead);
	bw_cli_warn(wn->cli, note);
}

static void watch_ready(void *ud, const char *source)
{
	const struct watch_note *wn = ud;
	char instead[128];
	snprintf(instead, sizeof(instead), "falling back to %s", source);
	fallback_note(wn, instead);
	if (!wn->cli->quiet)
		fprintf(stderr, "bulwark net watch: watching flows (source %s)\n", source);
}

static int net_watch(struct bw_cli *cli, struct net_opts *o, int argc, char **argv)
{
	if (argc > optind && o->intended)
		return bw_cli_usage_error(cli->cmd, "--intended FILE or a design (PATH...), not both");
	struct bw_error err = BW_ERROR_INIT;
	/* the design: compose files and manifests, as net graph reads them */
	struct bw_net_graph *design = NULL;
	if (argc > optind) {
		struct bw_iac_model m;
		bw_iac_model_init(&m);
		struct bw_report *r = bw_report_new("config", argv[optind]);
		struct bw_iac_config *cfg = bw_iac_config_new();
		struct bw_iac_walk st = {0};
		int lrc = 0;
		for (int i = optind; i < argc && !lrc; i++)
			lrc = bw_iac_model_load(&m, argv[i], cfg, &st, r, &err);
		bw_iac_config_free(cfg);
		for (size_t i = 0; i < r->n_warnings; i++)
			bw_cli_warn(cli, r->warnings[i]);
		bw_report_free(r);
		if (!lrc && !m.n_workloads)
			lrc = bw_error_set(&err, BW_EUSAGE,
					   "%s: no compose service or Kubernetes workload to watch against",
					   argv[optind]);
		if (!lrc)
			lrc = bw_net_graph_from_model(&m, &design, &err);
		bw_iac_model_release(&m);
		if (lrc)
			return err.code == BW_EUSAGE ? bw_cli_usage_error(cli->cmd, "%s", err.msg)
						     : bw_cli_fail(cli, &err);
	}
	struct bw_engine *e = NULL;
	struct bw_engine_opts eo = {0};
	if (bw_engine_open(&eo, &e, &err)) {
		bw_net_graph_free(design);
		return bw_cli_fail(cli, &err);
	}
	FILE *out = bw_cli_open_output(cli, &err);
	if (!out) {
		bw_engine_free(e);
		bw_net_graph_free(design);
		return bw_cli_fail(cli, &err);
	}
	struct bw_net_flowlog *log = NULL;
	struct bw_net_flowlog_opts fo = {.out = out, .engine = e, .intended = o->intended, .design = design};
	int rc = bw_net_flowlog_new(&fo, &log, &err);
	if (rc) {
		rc = err.code == BW_EUSAGE ? bw_cli_usage_error(cli->cmd, "%s", err.msg)
					   : bw_cli_fail(cli, &err);
	} else {
		struct sigaction sa = {0};
		sa.sa_handler = on_signal;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		/* the source table: the monitor's eBPF events first, conntrack as the fallback */
		const struct bw_net_flow_source ebpf = {"ebpf", ebpf_run, cli};
		struct bw_net_flow_source rows[2];
		size_t n = 0;
		if (!o->source || strcmp(o->source, "conntrack"))
			rows[n++] = ebpf;
		if (!o->source || strcmp(o->source, "ebpf"))
			rows[n++] = bw_net_flow_conntrack;
		struct bw_net_watch_result res = {0};
		struct watch_note wn = {cli, &res};
		struct bw_net_watch_opts wo = {.engine = e,
					       .stop = &watch_stop,
					       .duration = o->duration,
					       .max_flows = (size_t)o->count,
					       .ready = watch_ready,
					       .ud = &wn};
		if (bw_net_watch(log, rows, n, &wo, &res, &err)) {
			if (err.code == BW_EUNSUPPORTED || res.fallback[0])
				fallback_note(&wn, "no flow source could run");
			rc = bw_cli_fail(cli, &err);
		} else if (cli->exit_code && bw_net_flowlog_violations(log)) {
			rc = cli->exit_code;
		}
		struct bw_net_flowlog_stats st;
		bw_net_flowlog_stats(log, &st);
		if (!cli->quiet) {
			fprintf(stderr,
				"bulwark net watch: %zu flow(s), %zu not allowed; source %s; not logged: %zu "
				"repeat(s) of a logged connection, %zu inside a namespace's loopback",
				st.logged, st.violations, res.source ? res.source : "none", st.duplicates,
				st.loopback);
			if (res.own)
				fprintf(stderr, ", %llu of bulwark's own", (unsigned long long)res.own);
			if (res.lost || res.undecodable || res.unjoined)
				fprintf(
				    stderr,
				    "; LOST: %llu dropped by the kernel, %llu unreadable, %zu container(s) "
				    "not watched",
				    (unsigned long long)res.lost, (unsigned long long)res.undecodable,
				    res.unjoined);
			fputc('\n', stderr);
		}
	}
	bw_net_flowlog_free(log);
	struct bw_error cerr = BW_ERROR_INIT;
	if (bw_cli_close_output(cli, out, &cerr) && !rc)
		rc = bw_cli_fail(cli, &cerr);
	bw_engine_free(e);
	bw_net_graph_free(design);
	return rc;
}

int bw_cmd_net(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    {"engine", no_argument, NULL, OPT_ENGINE},
	    {"graph", required_argument, NULL, OPT_GRAPH},
	    {"intended", required_argument, NULL, OPT_INTENDED},
	    {"table", required_argument, NULL, OPT_TABLE},
	    {"daemon-config", required_argument, NULL, OPT_DAEMON_CONFIG},
	    {"probe", required_argument, NULL, OPT_PROBE},
	    {"image", required_argument, NULL, OPT_IMAGE},
	    {"registry", required_argument, NULL, OPT_REGISTRY},
	    {"registry-ca", required_argument, NULL, OPT_REGISTRY_CA},
	    {"no-processes", no_argument, NULL, OPT_NO_PROCESSES},
	    {"proc", required_argument, NULL, OPT_PROC},
	    {"duration", required_argument, NULL, OPT_DURATION},
	    {"count", required_argument, NULL, OPT_COUNT},
	    {"source", required_argument, NULL, OPT_SOURCE},
	    {NULL, 0, NULL, 0},
	};
	const char *sub = NULL;
	if (argc > 1 && (!strcmp(argv[1], "graph") || !strcmp(argv[1], "enforce") ||
			 !strcmp(argv[1], "tls") || !strcmp(argv[1], "watch"))) {
		sub = argv[1];
		argc--;
		argv++;
	}
	struct net_opts o = {0};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT, longopts, on_option, &o, &done);
	if (rc || done)
		return rc;
	if (!sub)
		return bw_cli_usage_error(cli->cmd,
					  argc > optind
					      ? "unknown subcommand '%s' (graph, enforce, tls, watch)"
					      : "missing subcommand%s (graph, enforce, tls, watch)",
					  argc > optind ? argv[optind] : "");
	if (!strcmp(sub, "graph"))
		return net_graph(cli, &o, argc, argv);
	if (!strcmp(sub, "tls"))
		return net_tls(cli, &o, argc, argv);
	if (!strcmp(sub, "watch"))
		return net_watch(cli, &o, argc, argv);
	return net_enforce(cli, &o, argc, argv);
}
