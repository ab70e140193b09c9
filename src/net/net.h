/* net — network segmentation: who can reach whom, from compose projects,
 * Kubernetes NetworkPolicies, Services and Ingresses, or a live Docker
 * Engine; the lateral paths from the outside world to datastores; the
 * pictures (JSON, Graphviz DOT, a self-contained SVG/HTML page); nftables
 * rulesets that allow only the intended edges.
 *
 * Ownership: a struct bw_net_graph owns every node, edge, path and string
 * reached from it (one arena); bw_net_graph_free() releases it. Graph
 * builders only read the iac model or the engine's answers. Findings are
 * copied into the caller's report. Writers only read the graph.
 */
#ifndef BW_NET_H
#define BW_NET_H

#include <signal.h>

#include "core/core.h"
#include "iac/iac.h"
#include "report/report.h"

struct bw_engine;

enum bw_net_node_kind {
	BW_NET_WORKLOAD = 0,
	BW_NET_INTERNET, /* the outside world */
	BW_NET_HOST,	 /* the host's own interfaces (127.0.0.1 publishes) */
};

struct bw_net_node {
	enum bw_net_node_kind kind;
	const char *id;	   /* unique: "compose:proj/web", "k8s:ns/Deployment/web", "engine:name" */
	const char *name;  /* for people: "web", "shop/web" */
	const char *group; /* the segment it is drawn in: compose project, namespace */
	const char *image;
	const char *file; /* where it is defined (NULL for the engine) */
	int line, column;
	bool datastore;	      /* by image name or listening port */
	bool internet_facing; /* an edge from the outside world reaches it */
	bool host_network;
	const char **segments; /* networks it is attached to */
	size_t n_segments;
};

struct bw_net_edge {
	size_t from, to;   /* node indexes */
	const char *ports; /* "5432/tcp", "80/tcp,443/tcp" or "any" */
	const char *via;   /* network, policy, "published", "Ingress web", … */
};

/* A path from the outside world to a datastore, hop by hop (node indexes;
 * hops[0] is the outside world). */
struct bw_net_path {
	size_t *hops;
	size_t n_hops;
	const char **ports; /* the ports of each hop's edge: n_hops - 1 */
};

struct bw_net_graph {
	struct bw_arena arena;
	struct bw_net_node *nodes;
	size_t n_nodes, cap_nodes;
	struct bw_net_edge *edges;
	size_t n_edges, cap_edges;
	struct bw_net_path *paths;
	size_t n_paths, cap_paths;
	const char *source;	 /* "compose", "kubernetes", "compose+kubernetes", "engine" */
	bool icc_default_bridge; /* engine: the default bridge lets its containers talk */
	size_t icc_default_bridge_members;
};

/* Build the graph of a model (compose projects and Kubernetes objects). */
int bw_net_graph_from_model(const struct bw_iac_model *m, struct bw_net_graph **out, struct bw_error *err);
/* Build the graph of the containers of a live engine: their networks
 * (internal, inter-container communication), published ports, links and
 * host networking. */
int bw_net_graph_from_engine(struct bw_engine *e, struct bw_net_graph **out, struct bw_error *err);
void bw_net_graph_free(struct bw_net_graph *g);

/* Segmentation findings (BW-NET-NNN) of the graph into r: flat networks,
 * datastores one hop from an internet-facing workload (or published to it),
 * workloads bridging segments, ports on every interface, inter-container
 * communication on the default bridge, namespaces without a default-deny
 * NetworkPolicy, host networking, lateral paths to datastores. m may be NULL
 * (the engine's graph). Computes g's paths first. */
void bw_net_findings(struct bw_net_graph *g, const struct bw_iac_model *m, struct bw_report *r);

/* Writers. json: {"schema": "bulwark.netgraph/v1", nodes, edges, paths,
 * findings} (r may be NULL). dot: a Graphviz digraph. svg: a self-contained
 * picture; html: a page holding the picture, the lateral paths and the
 * findings (no script or style from elsewhere). */
json_t *bw_net_graph_json(const struct bw_net_graph *g, const struct bw_report *r);
/* The same document, the bytes json_dumpf(JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER) writes of it, streamed: memory stays at the
 * graph's, not at a tree of every edge. */
void bw_net_graph_write_json(const struct bw_net_graph *g, const struct bw_report *r, FILE *out);
void bw_net_graph_dot(const struct bw_net_graph *g, FILE *out);
void bw_net_graph_svg(const struct bw_net_graph *g, FILE *out);
void bw_net_graph_html(const struct bw_net_graph *g, const struct bw_report *r, FILE *out);

/* The rule table of the BW-NET-NNN findings, for listings and docs. */
size_t bw_net_rule_count(void);
void bw_net_rule_info(size_t i, struct bw_rule_info *out);

/* nftables: a ruleset (nft -f) for the intended graph of file path (YAML):
 *   workloads: {web: {address: 10.0.0.2}, db: {addresses: [10.0.0.3]}}
 *   allow:
 *     - {from: web, to: db, port: 5432, proto: tcp}
 *     - {from: internet, to: web, port: 80}      (internet: any address)
 * Traffic to a listed workload's address is accepted when an allow entry
 * says so (and replies of accepted connections), and rejected otherwise
 * (TCP reset, ICMP port unreachable), in the forward and input hooks of
 * table inet `table` (default "bulwark"). BW_EUSAGE names path:line. */
int bw_net_enforce_ruleset(const char *path, const char *table, struct bw_buf *out, struct bw_error *err);

/* ---- TLS posture (tls.c, certs.c) ---------------------------------------- */

/* A TLS endpoint as a probe found it. The registry audit (another module)
 * probes registries with bw_net_tls_probe() or its own client and hands
 * the result to bw_net_tls_endpoint_findings(): BW-TLS-008 for a registry
 * without TLS; an engine gives BW-TLS-001 / -002. (bw_net_tls_registry()
 * below probes a registry itself.) */
struct bw_net_tls_endpoint {
	const char *kind;    /* "engine", "registry", … */
	const char *name;    /* for people */
	const char *address; /* host:port */
	bool tls;	     /* it does not answer HTTP in the clear */
	bool handshake;	     /* a TLS handshake without a client certificate completed */
	bool client_verify;  /* it refuses clients without a certificate */
};

/* Probe host:port (IPv6 in brackets): plain HTTP first, then TLS without a
 * client certificate (no server verification: this is a posture probe,
 * not a client). Connection failures are BW_EREMOTE. */
int bw_net_tls_probe(const char *hostport, const char *kind, struct bw_net_tls_endpoint *out,
		     struct bw_error *err);
void bw_net_tls_endpoint_findings(struct bw_report *r, const struct bw_net_tls_endpoint *ep);

struct bw_net_tls_opts {
	const char *daemon_config; /* NULL: /etc/docker/daemon.json (a missing default is fine) */
	const char *proc;	   /* NULL: /proc, where dockerd command lines are read */
	bool no_processes;	   /* do not read dockerd command lines */
	const char *probe;	   /* host:port of the engine to probe; NULL: DOCKER_HOST when tcp:// */
};

/* The engine's TCP socket: without TLS (BW-TLS-001) or without client
 * verification (BW-TLS-002), from daemon.json, dockerd's command lines
 * and a probe; daemon.json's insecure-registries off the loopback
 * (BW-TLS-008). */
int bw_net_tls_engine(struct bw_report *r, const struct bw_net_tls_opts *o, struct bw_error *err);
/* Certificates and keys inside an image target (any bulwark target):
 * BW-TLS-003..007, each with its path, layer and whether the final image
 * still has it. */
int bw_net_tls_image(struct bw_report *r, const char *target, struct bw_error *err);
/* A registry at host ("HOST[:PORT]"), asked GET /v2/ through the registry
 * module's probe: over TLS with the trust its clients have (the system's
 * CAs, certs.d, ca_file when not NULL), else in the clear. BW-TLS-008 when
 * it answers only in the clear, BW-TLS-009 when its certificate is not
 * trusted. Neither way answering: BW_EREMOTE naming the TLS failure; not a
 * host: BW_EUSAGE. Gives up after 30 s. */
int bw_net_tls_registry(struct bw_report *r, const char *host, const char *ca_file, struct bw_error *err);
size_t bw_net_tls_rule_count(void);
void bw_net_tls_rule_info(size_t i, struct bw_rule_info *out);

/* ---- the flow log (flowlog.c, watch.c) ------------------------------------ */

/* Which end of a flow the source saw it at. */
enum bw_net_seen_end {
	BW_NET_SEEN_UNKNOWN = 0,
	BW_NET_SEEN_SRC, /* the client's side */
	BW_NET_SEEN_DST, /* the server's side */
};

/* A new connection as a flow source saw it. Addresses in network order. */
struct bw_net_flow {
	int family; /* AF_INET or AF_INET6 */
	uint8_t proto;
	unsigned char src[16], dst[16];
	uint16_t sport, dport; /* host order; 0 when the protocol has none */
	const char *netns;     /* where it was seen: a container's name, "host" */
	const char *source;    /* "conntrack", "ebpf" */
	int pid;	       /* the process, when the source knows it (eBPF); 0 else */
	const char *comm;
	/* Sources that know whose side saw the flow (eBPF: the socket's
	 * cgroup) name that end: it is attributed to netns_id's container
	 * when its address maps to none (host networking, NAT). */
	enum bw_net_seen_end seen_end;
	const char *netns_id; /* the container id of netns; NULL: the host or not known */
	const char *state;    /* "established", "failed" (never established), "connected" (UDP); NULL */
};

/* What a flow log did with the flows it was given. Nothing is dropped
 * without being counted here. */
struct bw_net_flowlog_stats {
	size_t logged;	   /* lines written */
	size_t violations; /* of them, flows the intended graph does not allow */
	size_t duplicates; /* a connection already logged (seen from its other end, or twice) */
	size_t loopback;   /* inside one network namespace's loopback: not logged */
	size_t bad;	   /* neither IPv4 nor IPv6: not logged */
};

struct bw_net_flowlog;

struct bw_net_flowlog_opts {
	FILE *out;		  /* JSON lines go here (the caller's; flushed per line) */
	struct bw_engine *engine; /* containers are named through it; NULL: addresses only */
	const char *intended;	  /* the intended graph (net enforce's YAML), or NULL */
	/* or the designed graph (compose projects, Kubernetes objects:
	 * bw_net_graph_from_model), borrowed: running containers are its
	 * workloads by their engine labels (compose project and service, pod
	 * namespace and name) or names, flows judged by its edges (an address
	 * no container has is the outside world) */
	const struct bw_net_graph *design;
};

/* BW_EUSAGE names path:line for a malformed intended file, or says that
 * intended and design were both given; engine errors as for
 * bw_engine_get_json. */
int bw_net_flowlog_new(const struct bw_net_flowlog_opts *o, struct bw_net_flowlog **out,
		       struct bw_error *err);
void bw_net_flowlog_free(struct bw_net_flowlog *log);
/* The one entry point of every flow source — the conntrack fallback below
 * and the monitor's eBPF TCP events (fed by a composer): both ends
 * attributed to containers (by address; the end the source saw it at by
 * netns_id when its address names none), the flow checked against the
 * intended graph ("allowed": true/false, "violation": true; null when the
 * destination is no intended workload), repeats of one 5-tuple within
 * seconds and connections inside one namespace's loopback dropped and
 * counted (bw_net_flowlog_stats), one JSON line written:
 *   {"time", "proto", "src": {"ip", "port", "container", "container_id",
 *    "node"}, "dst": {…}, "seen_in", "source", "pid", "comm", "state",
 *    "allowed", "via", "violation"}
 * ("node": the design's workload id; "via": the design's edge that allows it) */
int bw_net_flowlog_add(struct bw_net_flowlog *log, const struct bw_net_flow *f);
size_t bw_net_flowlog_count(const struct bw_net_flowlog *log);
size_t bw_net_flowlog_violations(const struct bw_net_flowlog *log);
void bw_net_flowlog_stats(const struct bw_net_flowlog *log, struct bw_net_flowlog_stats *out);

/* The conntrack fallback: new connections of the host's and every running
 * container's network namespace (joined as they start, through e), into
 * log, until *stop (a signal handler's flag), duration seconds (0: no
 * limit) or max_flows flows (0: no limit). Needs root (CAP_NET_ADMIN,
 * CAP_SYS_ADMIN for setns). *lost counts event batches the kernel dropped. */
int bw_net_watch_conntrack(struct bw_net_flowlog *log, struct bw_engine *e, const volatile sig_atomic_t *stop,
			   double duration, size_t max_flows, size_t *lost, struct bw_error *err);

/* ---- flow sources: the table bw_net_watch() tries in order ---------------- */

struct bw_net_watch_opts {
	struct bw_engine *engine;	   /* names containers; NULL: addresses only */
	const volatile sig_atomic_t *stop; /* a signal handler's flag, or NULL */
	double duration;		   /* seconds; 0: no limit */
	size_t max_flows;		   /* flows logged; 0: no limit */
	/* called once a source watches (before any flow of it), for the
	 * caller's "watching" note; may be NULL */
	void (*ready)(void *ud, const char *source);
	void *ud;
};

/* What a watch saw besides the flows (only src/cli/ prints it). */
struct bw_net_watch_result {
	const char *source;   /* the source that ran: a row's name */
	char fallback[768];   /* why the sources before it could not run; "" when the first did */
	uint64_t lost;	      /* records (eBPF) or event batches (conntrack) the kernel dropped */
	uint64_t undecodable; /* records a source could not read */
	size_t unjoined;      /* conntrack: running containers whose namespace it could not join */
	uint64_t own;	      /* the watch's own connections (an engine on TCP): not logged */
};

/* A flow source: a row of the table a watch is given. conntrack is net's
 * own (bw_net_flow_conntrack, ud unused); an external feed is a row a
 * composer above net fills in (src/cli feeds the monitor's eBPF TCP
 * events), calling bw_net_flowlog_add() for each flow. run returns when
 * o's limits are reached (o->max_flows counts bw_net_flowlog_count()),
 * 0; BW_EUNSUPPORTED naming why when it cannot run here (not permitted,
 * not built in): the watch then tries the next row. */
struct bw_net_flow_source {
	const char *name; /* "ebpf", "conntrack", … */
	int (*run)(void *ud, struct bw_net_flowlog *log, const struct bw_net_watch_opts *o,
		   struct bw_net_watch_result *res, struct bw_error *err);
	void *ud;
};
extern const struct bw_net_flow_source bw_net_flow_conntrack;

/* Run the first source of rows[0..n) that can run here into log; each one
 * that could not is named in res->fallback with its reason. The error of
 * the source that ran, or of the last one when none could. */
int bw_net_watch(struct bw_net_flowlog *log, const struct bw_net_flow_source *rows, size_t n,
		 const struct bw_net_watch_opts *o, struct bw_net_watch_result *res, struct bw_error *err);

#endif
