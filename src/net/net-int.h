/* Private declarations of src/net. */
#ifndef BW_NET_INT_H
#define BW_NET_INT_H

#include "net.h"

#define NET_GROW(a, arr, n, cap)                                                                             \
	do {                                                                                                 \
		if ((n) == (cap)) {                                                                          \
			size_t nc_ = (cap) ? (cap)*2 : 16;                                                   \
			void *na_ = bw_arena_alloc((a), nc_ * sizeof(*(arr)));                               \
			if (n)                                                                               \
				memcpy(na_, (arr), (n) * sizeof(*(arr)));                                    \
			(arr) = na_;                                                                         \
			(cap) = nc_;                                                                         \
		}                                                                                            \
	} while (0)

#define NET_GROW_HEAP(arr, n, cap)                                                                           \
	do {                                                                                                 \
		if ((n) == (cap)) {                                                                          \
			(cap) = (cap) ? (cap)*2 : 4;                                                         \
			(arr) = bw_realloc((arr), (cap) * sizeof(*(arr)));                                   \
		}                                                                                            \
	} while (0)

/* Edges are unique per (from, to): a second add merges its ports and via. */
struct net_builder {
	struct bw_net_graph *g;
	size_t *slots; /* open addressing: edge index + 1, 0 empty */
	size_t cap_slots;
	size_t internet, host;		   /* node indexes, SIZE_MAX until needed */
	const char *last_ports, *last_via; /* the arena copies the last edge took */
};

void net_builder_init(struct net_builder *b, struct bw_net_graph *g);
void net_builder_release(struct net_builder *b);
size_t net_add_node(struct net_builder *b, enum bw_net_node_kind kind, const char *id, const char *name,
		    const char *group);
void net_add_edge(struct net_builder *b, size_t from, size_t to, const char *ports, const char *via);
size_t net_internet(struct net_builder *b);
size_t net_host(struct net_builder *b);

/* Is this image or port a datastore's? */
bool net_datastore_image(const char *image);
bool net_datastore_port(int port);

/* policy.c: the Kubernetes part of the graph (NetworkPolicies evaluated). */
void net_k8s_edges(struct net_builder *b, const struct bw_iac_model *m, const size_t *node_of);

/* tls.c: a finding of BW-TLS-<rule>. */
struct bw_finding *net_tls_emit(struct bw_report *r, int rule, const char *evidence);

/* flowlog.c: re-read the engine's containers (the address map); *containers
 * gets /containers/json when not NULL (the caller releases it). */
int net_flowlog_refresh(struct bw_net_flowlog *log, json_t **containers, struct bw_error *err);

/* design.c: the flow log against a designed graph. The node of a running
 * container (its name, its engine labels), SIZE_MAX when none; a flow's
 * judgement from node src (SIZE_MAX: an address no container has, the
 * outside world) to node dst: 1 allowed (*via: the edge's), 0 not, -1 not
 * judged (dst is no node of the design). */
size_t net_design_node(const struct bw_net_graph *g, const char *name, json_t *labels);
int net_design_judge(const struct bw_net_graph *g, size_t src, size_t dst, int proto, int port,
		     const char **via);

struct net_bits {
	uint64_t *w;
	size_t n;
};

#endif
