/* The reachability graph: nodes are workloads and the outside world, edges
 * say who can open a connection to whom and on which ports. Compose: every
 * pair of services on a network (unless the network turns inter-container
 * communication off), ports published on the host's interfaces, shared
 * network namespaces; Kubernetes: policy.c. */

#include "net-int.h"

void net_builder_init(struct net_builder *b, struct bw_net_graph *g)
{
	memset(b, 0, sizeof(*b));
	b->g = g;
	b->internet = b->host = SIZE_MAX;
}

void net_builder_release(struct net_builder *b)
{
	free(b->slots);
	b->slots = NULL;
}

size_t net_add_node(struct net_builder *b, enum bw_net_node_kind kind, const char *id, const char *name,
		    const char *group)
{
	struct bw_net_graph *g = b->g;
	NET_GROW(&g->arena, g->nodes, g->n_nodes, g->cap_nodes);
	struct bw_net_node *n = &g->nodes[g->n_nodes];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->id = bw_arena_strdup(&g->arena, id);
	n->name = bw_arena_strdup(&g->arena, name);
	n->group = group ? bw_arena_strdup(&g->arena, group) : NULL;
	return g->n_nodes++;
}

size_t net_internet(struct net_builder *b)
{
	if (b->internet == SIZE_MAX)
		b->internet = net_add_node(b, BW_NET_INTERNET, "internet", "internet", NULL);
	return b->internet;
}

size_t net_host(struct net_builder *b)
{
	if (b->host == SIZE_MAX)
		b->host = net_add_node(b, BW_NET_HOST, "host", "host (loopback)", NULL);
	return b->host;
}

static uint64_t pair_hash(size_t a, size_t c)
{
	uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ull ^ ((uint64_t)c + 0x632BE59BD9B4E019ull);
	h ^= h >> 29;
	return h * 0xBF58476D1CE4E5B9ull;
}

static void rehash(struct net_builder *b)
{
	size_t cap = b->cap_slots ? b->cap_slots * 2 : 1024;
	size_t *s = bw_calloc(cap, sizeof(*s));
	for (size_t i = 0; i < b->g->n_edges; i++) {
		const struct bw_net_edge *e = &b->g->edges[i];
		size_t k = pair_hash(e->from, e->to) & (cap - 1);
		while (s[k])
			k = (k + 1) & (cap - 1);
		s[k] = i + 1;
	}
	free(b->slots);
	b->slots = s;
	b->cap_slots = cap;
}

static bool in_list(const char *list, const char *item)
{
	size_t n = strlen(item);
	for (const char *p = list; (p = strstr(p, item)); p += n)
		if ((p == list || p[-1] == ',') && (!p[n] || p[n] == ','))
			return true;
	return false;
}

static const char *merge_list(struct bw_arena *a, const char *old, const char *add)
{
	if (!old || !strcmp(old, "any") || !strcmp(add, "any"))
		return !old ? bw_arena_strdup(a, add) : (!strcmp(add, "any") ? "any" : old);
	if (in_list(old, add) || strlen(old) > 400)
		return old;
	size_t n = strlen(old) + strlen(add) + 2;
	char *s = bw_arena_alloc(a, n);
	snprintf(s, n, "%s,%s", old, add);
	return s;
}

void net_add_edge(struct net_builder *b, size_t from, size_t to, const char *ports, const char *via)
{
	struct bw_net_graph *g = b->g;
	if (from == to)
		return;
	if ((g->n_edges + 1) * 2 > b->cap_slots)
		rehash(b);
	size_t k = pair_hash(from, to) & (b->cap_slots - 1);
	for (; b->slots[k]; k = (k + 1) & (b->cap_slots - 1)) {
		struct bw_net_edge *e = &g->edges[b->slots[k] - 1];
		if (e->from == from && e->to == to) {
			e->ports = merge_list(&g->arena, e->ports, ports);
			if (via && e->via && !in_list(e->via, via) && strlen(e->via) < 200)
				e->via = merge_list(&g->arena, e->via, via);
			return;
		}
	}
	NET_GROW(&g->arena, g->edges, g->n_edges, g->cap_edges);
	/* consecutive edges mostly carry the same texts: copy each once */
	if (!b->last_ports || strcmp(b->last_ports, ports))
		b->last_ports = bw_arena_strdup(&g->arena, ports);
	if (via && (!b->last_via || strcmp(b->last_via, via)))
		b->last_via = bw_arena_strdup(&g->arena, via);
	g->edges[g->n_edges] = (struct bw_net_edge){from, to, b->last_ports, via ? b->last_via : NULL};
	b->slots[k] = ++g->n_edges;
	if (g->nodes[from].kind == BW_NET_INTERNET)
		g->nodes[to].internet_facing = true;
}

/* ---- datastores ---------------------------------------------------------- */

static const char *const store_images[] = {
    "postgres",	      "postgis",     "mysql",	  "mariadb",  "percona",       "redis",
    "valkey",	      "keydb",	     "mongo",	  "mongodb",  "elasticsearch", "opensearch",
    "cassandra",      "scylla",	     "memcached", "couchdb",  "couchbase",     "influxdb",
    "neo4j",	      "clickhouse",  "cockroach", "etcd",     "zookeeper",     "kafka",
    "rabbitmq",	      "nats",	     "minio",	  "mssql",    "oracle",	       "db2",
    "dynamodb-local", "timescaledb", "questdb",	  "arangodb", "rethinkdb",     "solr",
};

bool net_datastore_image(const char *image)
{
	if (!image)
		return false;
	/* the repository's last path part, without tag or digest */
	const char *last = strrchr(image, '/');
	last = last ? last + 1 : image;
	char name[128];
	size_t n = strcspn(last, ":@");
	if (n >= sizeof(name))
		return false;
	memcpy(name, last, n);
	name[n] = 0;
	for (size_t i = 0; i < BW_ARRAY_SIZE(store_images); i++) {
		size_t l = strlen(store_images[i]);
		if (!bw_strncasecmp(name, store_images[i], l) &&
		    (!name[l] || name[l] == '-' || name[l] == '_'))
			return true;
		/* bitnami/postgresql, mysql-server, redis-stack, … */
		if (strstr(name, store_images[i]) == name)
			return true;
	}
	return false;
}

bool net_datastore_port(int port)
{
	static const int ports[] = {5432, 3306, 6379, 27017, 27018, 9200, 9300, 9042,  11211, 5984, 8086,
				    7687, 2379, 2181, 9092,  5672,  1433, 1521, 26257, 28015, 8529};
	for (size_t i = 0; i < BW_ARRAY_SIZE(ports); i++)
		if (port == ports[i])
			return true;
	return false;
}

/* ---- compose ------------------------------------------------------------- */

static const char *listen_ports(struct bw_arena *a, const struct bw_iac_workload *w)
{
	if (!w->n_ports)
		return "any";
	char buf[512] = "";
	size_t o = 0;
	for (size_t i = 0; i < w->n_ports && o + 24 < sizeof(buf); i++) {
		char one[32];
		snprintf(one, sizeof(one), "%d/%s", w->ports[i].port,
			 w->ports[i].proto ? w->ports[i].proto : "tcp");
		for (char *c = one; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		if (in_list(buf, one))
			continue;
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", o ? "," : "", one);
	}
	return bw_arena_strdup(a, buf);
}

static const struct bw_iac_network *network_of(const struct bw_iac_model *m, const char *proj,
					       const char *name)
{
	for (size_t i = 0; i < m->n_networks; i++)
		if (!strcmp(m->networks[i].ns, proj) && !strcmp(m->networks[i].name, name))
			return &m->networks[i];
	return NULL;
}

static void compose_edges(struct net_builder *b, const struct bw_iac_model *m, const size_t *node_of)
{
	struct bw_net_graph *g = b->g;
	for (size_t ni = 0; ni < m->n_networks; ni++) {
		const struct bw_iac_network *net = &m->networks[ni];
		if (net->icc_off)
			continue;
		char via[256];
		snprintf(via, sizeof(via), "network %s", net->name);
		/* members of this network */
		for (size_t i = 0; i < m->n_workloads; i++) {
			const struct bw_iac_workload *a = &m->workloads[i];
			if (strcmp(a->kind, "service") || strcmp(a->ns, net->ns))
				continue;
			bool in_a = false;
			for (size_t k = 0; k < a->n_networks; k++)
				in_a |= !strcmp(a->networks[k], net->name);
			if (!in_a)
				continue;
			for (size_t j = 0; j < m->n_workloads; j++) {
				const struct bw_iac_workload *c = &m->workloads[j];
				if (i == j || strcmp(c->kind, "service") || strcmp(c->ns, net->ns))
					continue;
				bool in_c = false;
				for (size_t k = 0; k < c->n_networks; k++)
					in_c |= !strcmp(c->networks[k], net->name);
				if (in_c)
					net_add_edge(b, node_of[i], node_of[j], listen_ports(&g->arena, c),
						     via);
			}
		}
	}
	for (size_t i = 0; i < m->n_workloads; i++) {
		const struct bw_iac_workload *w = &m->workloads[i];
		if (strcmp(w->kind, "service"))
			continue;
		/* published ports: a network's "internal" keeps them off the host */
		bool internal_only = w->n_networks > 0;
		for (size_t k = 0; k < w->n_networks; k++) {
			const struct bw_iac_network *net = network_of(m, w->ns, w->networks[k]);
			internal_only &= net && net->internal;
		}
		for (size_t p = 0; p < w->n_published && !internal_only; p++) {
			const struct bw_iac_published *pub = &w->published[p];
			char ports[32];
			snprintf(ports, sizeof(ports), "%d/%s", pub->target, pub->proto);
			bool local =
			    pub->host_ip[0] && strcmp(pub->host_ip, "0.0.0.0") && strcmp(pub->host_ip, "::");
			net_add_edge(b, local ? net_host(b) : net_internet(b), node_of[i], ports,
				     "published");
		}
		if (w->host_network) {
			net_add_edge(b, net_internet(b), node_of[i], "any", "network_mode: host");
			g->nodes[node_of[i]].host_network = true;
		}
		/* network_mode: service:x / container:x: one network namespace */
		const char *nm = w->network_mode;
		if (nm && (!strncmp(nm, "service:", 8) || !strncmp(nm, "container:", 10))) {
			const char *other = strchr(nm, ':') + 1;
			for (size_t j = 0; j < m->n_workloads; j++)
				if (j != i && !strcmp(m->workloads[j].kind, "service") &&
				    !strcmp(m->workloads[j].ns, w->ns) &&
				    !strcmp(m->workloads[j].name, other)) {
					net_add_edge(b, node_of[i], node_of[j], "any", nm);
					net_add_edge(b, node_of[j], node_of[i], "any", nm);
				}
		}
	}
}

int bw_net_graph_from_model(const struct bw_iac_model *m, struct bw_net_graph **out, struct bw_error *err)
{
	struct bw_net_graph *g = bw_calloc(1, sizeof(*g));
	bw_arena_init(&g->arena);
	g->source = m->compose && m->kubernetes ? "compose+kubernetes"
		    : m->compose		? "compose"
						: "kubernetes";
	struct net_builder b;
	net_builder_init(&b, g);
	size_t *node_of = bw_calloc(m->n_workloads ? m->n_workloads : 1, sizeof(*node_of));
	for (size_t i = 0; i < m->n_workloads; i++) {
		const struct bw_iac_workload *w = &m->workloads[i];
		bool compose = !strcmp(w->kind, "service");
		char id[512], name[512];
		if (compose) {
			snprintf(id, sizeof(id), "compose:%s/%s", w->ns, w->name);
			snprintf(name, sizeof(name), "%s", w->name);
		} else {
			snprintf(id, sizeof(id), "k8s:%s/%s/%s", w->ns, w->kind, w->name);
			snprintf(name, sizeof(name), "%s/%s", w->ns, w->name);
		}
		node_of[i] = net_add_node(&b, BW_NET_WORKLOAD, id, name, w->ns);
		struct bw_net_node *n = &g->nodes[node_of[i]];
		n->image = w->image ? bw_arena_strdup(&g->arena, w->image) : NULL;
		n->file = w->file ? bw_arena_strdup(&g->arena, w->file) : NULL;
		n->line = w->line;
		n->column = w->column;
		n->datastore = net_datastore_image(w->image);
		for (size_t p = 0; p < w->n_ports && !n->datastore; p++)
			n->datastore = net_datastore_port(w->ports[p].port);
		n->host_network = w->host_network;
		if (w->n_networks) {
			n->segments = bw_arena_alloc(&g->arena, w->n_networks * sizeof(*n->segments));
			for (size_t k = 0; k < w->n_networks; k++)
				n->segments[n->n_segments++] = bw_arena_strdup(&g->arena, w->networks[k]);
		}
	}
	compose_edges(&b, m, node_of);
	net_k8s_edges(&b, m, node_of);
	free(node_of);
	net_builder_release(&b);
	(void)err;
	*out = g;
	return 0;
}

void bw_net_graph_free(struct bw_net_graph *g)
{
	if (!g)
		return;
	bw_arena_release(&g->arena);
	free(g);
}
