/* The flow log: one JSON line per new connection, both ends attributed to
 * containers (the engine's map of addresses to names, refreshed when an
 * address is not known), checked against the intended graph, repeats of
 * the same 5-tuple within seconds dropped and counted (a connection is seen
 * in the client's and in the server's network namespace). Every flow source feeds it through
 * bw_net_flowlog_add(): the conntrack fallback of watch.c, and the
 * monitor's eBPF TCP events. */
#include <signal.h>
#include <jansson.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <time.h>

#include "engine/engine.h"
#include "net-int.h"

#define RECENT 4096
/* a 5-tuple seen again within this many seconds is the same connection
 * (seen at its other end, or in a second namespace); later, a new one (a
 * refused connect() has no source port: each retry is one) */
#define REPEAT 10.0
#define REFRESH_MIN 0.5 /* seconds between two engine look-ups for unknown addresses */

struct addr_name {
	int family;
	unsigned char ip[16];
	char *name, *id;
	size_t node; /* the design's workload, SIZE_MAX none */
};

struct allow {
	char *from, *to; /* names; "internet" / "any" for any source */
	int lo, hi;	 /* 0: every port */
	int proto;	 /* IPPROTO_TCP / UDP, 0 any */
};

struct bw_net_flowlog {
	FILE *out;
	struct bw_engine *engine;	   /* borrowed, may be NULL */
	const struct bw_net_graph *design; /* borrowed, may be NULL */
	struct addr_name *map;
	size_t n_map, cap_map;
	double refreshed;
	/* the intended graph */
	bool intended;
	struct addr_name *wl; /* intended workloads with addresses */
	size_t n_wl, cap_wl;
	char **names; /* every intended workload name */
	size_t n_names, cap_names;
	struct allow *allow;
	size_t n_allow, cap_allow;
	/* recent 5-tuples */
	uint64_t recent[RECENT];
	double recent_at[RECENT];
	size_t count, violations, duplicates, loopback, bad;
};

size_t bw_net_flowlog_count(const struct bw_net_flowlog *log)
{
	return log->count;
}

void bw_net_flowlog_stats(const struct bw_net_flowlog *log, struct bw_net_flowlog_stats *out)
{
	*out = (struct bw_net_flowlog_stats){.logged = log->count,
					     .violations = log->violations,
					     .duplicates = log->duplicates,
					     .loopback = log->loopback,
					     .bad = log->bad};
}

size_t bw_net_flowlog_violations(const struct bw_net_flowlog *log)
{
	return log->violations;
}

static void map_clear(struct addr_name *m, size_t *n)
{
	for (size_t i = 0; i < *n; i++) {
		free(m[i].name);
		free(m[i].id);
	}
	*n = 0;
}

static void map_add(struct addr_name **m, size_t *n, size_t *cap, const char *ip, const char *name,
		    const char *id, size_t node)
{
	struct addr_name a = {.node = node};
	if (inet_pton(AF_INET, ip, a.ip) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, ip, a.ip) == 1)
		a.family = AF_INET6;
	else
		return;
	a.name = bw_strdup(name);
	a.id = id ? bw_strdup(id) : NULL;
	NET_GROW_HEAP(*m, *n, *cap);
	(*m)[(*n)++] = a;
}

/* The engine's containers and their addresses. */
int net_flowlog_refresh(struct bw_net_flowlog *log, json_t **containers, struct bw_error *err)
{
	if (containers)
		*containers = NULL;
	if (!log->engine)
		return 0;
	json_t *list = NULL;
	int rc = bw_engine_get_json(log->engine, "/containers/json", 0, &list, err);
	if (rc)
		return rc;
	map_clear(log->map, &log->n_map);
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *c = json_array_get(list, i);
		const char *name = json_string_value(json_array_get(json_object_get(c, "Names"), 0));
		const char *id = json_string_value(json_object_get(c, "Id"));
		if (!name)
			name = id ? id : "";
		if (*name == '/')
			name++;
		size_t node =
		    log->design ? net_design_node(log->design, name, json_object_get(c, "Labels")) : SIZE_MAX;
		json_t *nets = json_object_get(json_object_get(c, "NetworkSettings"), "Networks");
		const char *k;
		json_t *v;
		json_object_foreach(nets, k, v)
		{
			const char *ip4 = json_string_value(json_object_get(v, "IPAddress"));
			const char *ip6 = json_string_value(json_object_get(v, "GlobalIPv6Address"));
			if (ip4 && *ip4)
				map_add(&log->map, &log->n_map, &log->cap_map, ip4, name, id, node);
			if (ip6 && *ip6)
				map_add(&log->map, &log->n_map, &log->cap_map, ip6, name, id, node);
		}
	}
	log->refreshed = bw_now();
	if (containers)
		*containers = list;
	else
		json_decref(list);
	return 0;
}

static const struct addr_name *lookup(const struct addr_name *m, size_t n, int family,
				      const unsigned char *ip)
{
	size_t len = family == AF_INET ? 4 : 16;
	for (size_t i = 0; i < n; i++)
		if (m[i].family == family && !memcmp(m[i].ip, ip, len))
			return &m[i];
	return NULL;
}

static const char *container_of(struct bw_net_flowlog *log, int family, const unsigned char *ip,
				const char **id, size_t *node)
{
	const struct addr_name *a = lookup(log->map, log->n_map, family, ip);
	if (!a && log->engine && bw_now() - log->refreshed > REFRESH_MIN) {
		struct bw_error err = BW_ERROR_INIT;
		net_flowlog_refresh(log, NULL, &err);
		a = lookup(log->map, log->n_map, family, ip);
	}
	if (id)
		*id = a ? a->id : NULL;
	*node = a ? a->node : SIZE_MAX;
	return a ? a->name : NULL;
}

/* The design's node of the container with this id (it may have no
 * address: host networking). */
static size_t node_of_id(const struct bw_net_flowlog *log, const char *id, const char *name)
{
	for (size_t i = 0; i < log->n_map; i++)
		if (log->map[i].id && !strcmp(log->map[i].id, id))
			return log->map[i].node;
	return net_design_node(log->design, name, NULL);
}

/* ---- the intended graph ---------------------------------------------------- */

static int load_intended(struct bw_net_flowlog *log, const char *path, struct bw_error *err)
{
	struct bw_buf text;
	bw_buf_init(&text, 16u << 20);
	int rc = bw_buf_read_file(&text, path, err);
	struct bw_yaml_file *f = NULL;
	if (!rc)
		rc = bw_yaml_parse(path, text.data ? text.data : "", text.len, NULL, &f, err);
	bw_buf_release(&text);
	if (rc)
		return rc;
	const struct bw_yaml_node *root = f->n_docs ? f->docs[0].root : NULL;
	const struct bw_yaml_node *wn = bw_yaml_get(root, "workloads"), *an = bw_yaml_get(root, "allow");
	for (size_t i = 0; wn && wn->kind == BW_YAML_MAP && i < wn->n; i++) {
		const char *name = bw_yaml_str(wn->pairs[i].key);
		if (!name)
			continue;
		NET_GROW_HEAP(log->names, log->n_names, log->cap_names);
		log->names[log->n_names++] = bw_strdup(name);
		const struct bw_yaml_node *one = bw_yaml_get(wn->pairs[i].value, "address");
		const struct bw_yaml_node *many = bw_yaml_get(wn->pairs[i].value, "addresses");
		if (bw_yaml_str(one))
			map_add(&log->wl, &log->n_wl, &log->cap_wl, one->str, name, NULL, SIZE_MAX);
		for (size_t k = 0; many && many->kind == BW_YAML_SEQ && k < many->n; k++)
			if (bw_yaml_str(many->items[k]))
				map_add(&log->wl, &log->n_wl, &log->cap_wl, many->items[k]->str, name, NULL,
					SIZE_MAX);
	}
	for (size_t i = 0; an && an->kind == BW_YAML_SEQ && i < an->n; i++) {
		const struct bw_yaml_node *a = an->items[i];
		const char *from = bw_yaml_str(bw_yaml_get(a, "from")),
			   *to = bw_yaml_str(bw_yaml_get(a, "to"));
		const char *proto = bw_yaml_str(bw_yaml_get(a, "proto"));
		if (!from || !to) {
			rc = bw_error_set(err, BW_EUSAGE, "%s:%d:%d: an allow entry names from and to", path,
					  a->line, a->column);
			break;
		}
		struct allow al = {bw_strdup(from), bw_strdup(to), 0, 0, IPPROTO_TCP};
		if (proto && !strcmp(proto, "udp"))
			al.proto = IPPROTO_UDP;
		else if (proto && !strcmp(proto, "any"))
			al.proto = 0;
		long long v;
		const struct bw_yaml_node *pn = bw_yaml_get(a, "port");
		if (pn && bw_yaml_int(pn, &v))
			al.lo = al.hi = (int)v;
		else if (bw_yaml_str(pn) && sscanf(pn->str, "%d-%d", &al.lo, &al.hi) != 2)
			al.lo = al.hi = -1; /* matches nothing */
		NET_GROW_HEAP(log->allow, log->n_allow, log->cap_allow);
		log->allow[log->n_allow++] = al;
	}
	bw_yaml_file_free(f);
	log->intended = true;
	return rc;
}

static bool intended_name(const struct bw_net_flowlog *log, const char *name)
{
	for (size_t i = 0; name && i < log->n_names; i++)
		if (!strcmp(log->names[i], name))
			return true;
	return false;
}

/* 1 allowed, 0 not, -1 not judged (the destination is no intended workload). */
static int judge(const struct bw_net_flowlog *log, const char *src, const char *dst, int proto, int dport)
{
	if (!intended_name(log, dst))
		return -1;
	for (size_t i = 0; i < log->n_allow; i++) {
		const struct allow *a = &log->allow[i];
		if (strcmp(a->to, dst))
			continue;
		if (strcmp(a->from, "any") && strcmp(a->from, "internet") && (!src || strcmp(a->from, src)))
			continue;
		if (!strcmp(a->from, "internet") && src && intended_name(log, src))
			continue; /* "internet" is who the file does not name */
		if (a->proto && a->proto != proto)
			continue;
		if (a->lo && (dport < a->lo || dport > a->hi))
			continue;
		return 1;
	}
	return 0;
}

/* ---- the log --------------------------------------------------------------- */

int bw_net_flowlog_new(const struct bw_net_flowlog_opts *o, struct bw_net_flowlog **out, struct bw_error *err)
{
	struct bw_net_flowlog *log = bw_calloc(1, sizeof(*log));
	log->out = o->out;
	log->engine = o->engine;
	log->design = o->design;
	int rc =
	    o->intended && o->design
		? bw_error_set(err, BW_EUSAGE, "an intended file or a design (compose, manifests), not both")
	    : o->intended ? load_intended(log, o->intended, err)
			  : 0;
	if (!rc && log->engine)
		rc = net_flowlog_refresh(log, NULL, err);
	if (rc) {
		bw_net_flowlog_free(log);
		return rc;
	}
	*out = log;
	return 0;
}

void bw_net_flowlog_free(struct bw_net_flowlog *log)
{
	if (!log)
		return;
	map_clear(log->map, &log->n_map);
	map_clear(log->wl, &log->n_wl);
	free(log->map);
	free(log->wl);
	for (size_t i = 0; i < log->n_names; i++)
		free(log->names[i]);
	free(log->names);
	for (size_t i = 0; i < log->n_allow; i++) {
		free(log->allow[i].from);
		free(log->allow[i].to);
	}
	free(log->allow);
	free(log);
}

static uint64_t flow_key(const struct bw_net_flow *f)
{
	uint64_t h = 1469598103934665603ull;
	size_t len = f->family == AF_INET ? 4 : 16;
	const unsigned char *parts[] = {f->src, f->dst};
	for (size_t p = 0; p < 2; p++)
		for (size_t i = 0; i < len; i++)
			h = (h ^ parts[p][i]) * 1099511628211ull;
	h = (h ^ f->sport) * 1099511628211ull;
	h = (h ^ f->dport) * 1099511628211ull;
	h = (h ^ f->proto) * 1099511628211ull;
	return h ? h : 1;
}

static bool loopback(int family, const unsigned char *ip)
{
	static const unsigned char v6lo[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	return family == AF_INET ? ip[0] == 127 : !memcmp(ip, v6lo, 16);
}

/* seen: the flow was seen at this end, in the container netns_id names
 * (NULL: the host), which names the end when its address does not. */
static json_t *end_json(struct bw_net_flowlog *log, int family, const unsigned char *ip, uint16_t port,
			bool seen, const struct bw_net_flow *f, const char **name_out, size_t *node)
{
	char text[INET6_ADDRSTRLEN];
	inet_ntop(family, ip, text, sizeof(text));
	json_t *o = json_object();
	json_object_set_new(o, "ip", json_string(text));
	if (port)
		json_object_set_new(o, "port", json_integer(port));
	const char *id = NULL;
	const char *name = container_of(log, family, ip, &id, node);
	if (!name && seen && f->netns_id && f->netns) {
		name = f->netns;
		id = f->netns_id;
		if (log->design)
			*node = node_of_id(log, id, name);
	}
	if (name) {
		json_object_set_new(o, "container", json_string(name));
		if (id)
			json_object_set_new(o, "container_id", json_string(id));
	} else {
		const struct addr_name *w = lookup(log->wl, log->n_wl, family, ip);
		if (w) {
			name = w->name;
			json_object_set_new(o, "workload", json_string(name));
		}
	}
	if (*node != SIZE_MAX)
		json_object_set_new(o, "node", json_string(log->design->nodes[*node].id));
	*name_out = name;
	return o;
}

int bw_net_flowlog_add(struct bw_net_flowlog *log, const struct bw_net_flow *f)
{
	if (f->family != AF_INET && f->family != AF_INET6) {
		log->bad++;
		return 0;
	}
	if (loopback(f->family, f->src) && loopback(f->family, f->dst)) {
		log->loopback++;
		return 0; /* inside one network namespace (the engine's DNS) */
	}
	uint64_t key = flow_key(f);
	size_t slot = key % RECENT;
	double now = bw_now();
	if (log->recent[slot] == key && now - log->recent_at[slot] < REPEAT) {
		log->duplicates++;
		return 0;
	}
	log->recent[slot] = key;
	log->recent_at[slot] = now;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char when[64];
	size_t n = strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + n, sizeof(when) - n, ".%03ldZ", ts.tv_nsec / 1000000);
	json_t *o = json_object();
	json_object_set_new(o, "time", json_string(when));
	const char *proto = f->proto == IPPROTO_TCP    ? "tcp"
			    : f->proto == IPPROTO_UDP  ? "udp"
			    : f->proto == IPPROTO_ICMP ? "icmp"
						       : NULL;
	json_object_set_new(o, "proto", proto ? json_string(proto) : json_integer(f->proto));
	const char *sname, *dname;
	size_t snode, dnode;
	json_object_set_new(
	    o, "src",
	    end_json(log, f->family, f->src, f->sport, f->seen_end == BW_NET_SEEN_SRC, f, &sname, &snode));
	json_object_set_new(
	    o, "dst",
	    end_json(log, f->family, f->dst, f->dport, f->seen_end == BW_NET_SEEN_DST, f, &dname, &dnode));
	if (f->netns)
		json_object_set_new(o, "seen_in", json_string(f->netns));
	json_object_set_new(o, "source", json_string(f->source ? f->source : "unknown"));
	if (f->pid > 0)
		json_object_set_new(o, "pid", json_integer(f->pid));
	if (f->comm)
		json_object_set_new(o, "comm",
				    json_string(bw_utf8_valid(f->comm, strlen(f->comm)) ? f->comm : "?"));
	if (f->state)
		json_object_set_new(o, "state", json_string(f->state));
	if (log->intended || log->design) {
		const char *via = NULL;
		int v = log->design ? net_design_judge(log->design, snode, dnode, f->proto, f->dport, &via)
				    : judge(log, sname, dname, f->proto, f->dport);
		json_object_set_new(o, "allowed", v < 0 ? json_null() : json_boolean(v == 1));
		if (via)
			json_object_set_new(o, "via", json_string(via));
		if (v == 0) {
			json_object_set_new(o, "violation", json_true());
			log->violations++;
		}
	}
	json_dumpf(o, log->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', log->out);
	fflush(log->out);
	json_decref(o);
	log->count++;
	return 0;
}
