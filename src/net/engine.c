/* The graph of a live Docker Engine: its running containers, the networks
 * they are attached to (internal, inter-container communication), the
 * ports they publish, their links and host networking — from the Engine
 * API's /networks and /containers/json answers. */
#include <signal.h>
#include <jansson.h>

#include "engine/engine.h"
#include "net-int.h"

static const char *jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

int bw_net_graph_from_engine(struct bw_engine *e, struct bw_net_graph **out, struct bw_error *err)
{
	json_t *nets = NULL, *ctrs = NULL;
	int rc = bw_engine_get_json(e, "/networks", 0, &nets, err);
	if (!rc)
		rc = bw_engine_get_json(e, "/containers/json", 0, &ctrs, err);
	if (rc) {
		json_decref(nets);
		return rc;
	}
	if (!json_is_array(nets) || !json_is_array(ctrs)) {
		json_decref(nets);
		json_decref(ctrs);
		return bw_error_set(err, BW_EINPUT, "%s: /networks or /containers/json is not a list",
				    bw_engine_host(e));
	}
	struct bw_net_graph *g = bw_calloc(1, sizeof(*g));
	bw_arena_init(&g->arena);
	g->source = "engine";
	struct net_builder b;
	net_builder_init(&b, g);
	size_t nc = json_array_size(ctrs);
	size_t *node = bw_calloc(nc ? nc : 1, sizeof(*node));
	for (size_t i = 0; i < nc; i++) {
		json_t *c = json_array_get(ctrs, i);
		const char *name = json_string_value(json_array_get(json_object_get(c, "Names"), 0));
		if (!name)
			name = jstr(c, "Id");
		if (*name == '/')
			name++;
		char id[300];
		snprintf(id, sizeof(id), "engine:%s", name);
		node[i] = net_add_node(&b, BW_NET_WORKLOAD, id, name, "engine");
		struct bw_net_node *n = &g->nodes[node[i]];
		n->image = bw_arena_strdup(&g->arena, jstr(c, "Image"));
		n->datastore = net_datastore_image(n->image);
		json_t *ports = json_object_get(c, "Ports");
		for (size_t p = 0; p < json_array_size(ports) && !n->datastore; p++)
			n->datastore = net_datastore_port((int)json_integer_value(
			    json_object_get(json_array_get(ports, p), "PrivatePort")));
		json_t *cn = json_object_get(json_object_get(c, "NetworkSettings"), "Networks");
		n->n_segments = 0;
		if (json_object_size(cn)) {
			n->segments = bw_arena_alloc(&g->arena, json_object_size(cn) * sizeof(*n->segments));
			const char *k;
			json_t *v;
			json_object_foreach(cn, k, v)
			{
				(void)v;
				n->segments[n->n_segments++] = bw_arena_strdup(&g->arena, k);
			}
		}
		const char *mode = jstr(json_object_get(c, "HostConfig"), "NetworkMode");
		if (!strcmp(mode, "host")) {
			n->host_network = true;
			n->n_segments = 0;
			net_add_edge(&b, net_internet(&b), node[i], "any", "host network");
		}
	}
	/* networks: every pair of members, unless icc is off */
	for (size_t k = 0; k < json_array_size(nets); k++) {
		json_t *nw = json_array_get(nets, k);
		const char *nname = jstr(nw, "Name");
		if (!strcmp(nname, "host") || !strcmp(nname, "none"))
			continue;
		const char *icc =
		    jstr(json_object_get(nw, "Options"), "com.docker.network.bridge.enable_icc");
		bool icc_off = !strcmp(icc, "false");
		size_t members = 0;
		for (size_t i = 0; i < nc; i++)
			for (size_t s = 0; s < g->nodes[node[i]].n_segments; s++)
				members += !strcmp(g->nodes[node[i]].segments[s], nname);
		if (!strcmp(nname, "bridge") && !icc_off && members) {
			g->icc_default_bridge = true;
			g->icc_default_bridge_members = members;
		}
		if (icc_off)
			continue;
		char via[300];
		snprintf(via, sizeof(via), "network %s%s", nname,
			 json_is_true(json_object_get(nw, "Internal")) ? " (internal)" : "");
		for (size_t i = 0; i < nc; i++) {
			bool in_i = false;
			for (size_t s = 0; s < g->nodes[node[i]].n_segments; s++)
				in_i |= !strcmp(g->nodes[node[i]].segments[s], nname);
			if (!in_i)
				continue;
			for (size_t j = 0; j < nc; j++) {
				if (i == j)
					continue;
				bool in_j = false;
				for (size_t s = 0; s < g->nodes[node[j]].n_segments; s++)
					in_j |= !strcmp(g->nodes[node[j]].segments[s], nname);
				if (in_j)
					net_add_edge(&b, node[i], node[j], "any", via);
			}
		}
	}
	/* legacy links (--link): the linking container reaches the linked one even
	 * where inter-container communication is off */
	for (size_t i = 0; i < nc; i++) {
		json_t *c = json_array_get(ctrs, i);
		const char *id = jstr(c, "Id");
		if (!*id)
			continue;
		char *path = bw_asprintf("/containers/%s/json", id);
		json_t *ins = NULL;
		struct bw_error ie = BW_ERROR_INIT;
		if (!bw_engine_get_json(e, path, 0, &ins, &ie)) {
			/* the default bridge's links (HostConfig) and a network's (its endpoint) */
			json_t *all = json_array();
			json_array_extend(all, json_object_get(json_object_get(ins, "HostConfig"), "Links"));
			const char *nk;
			json_t *nv;
			json_object_foreach(
			    json_object_get(json_object_get(ins, "NetworkSettings"), "Networks"), nk, nv)
			    json_array_extend(all, json_object_get(nv, "Links"));
			json_t *links = all;
			for (size_t k = 0; k < json_array_size(links); k++) {
				/* "/db:/web/db": the linked container's name, then the alias */
				const char *l = json_string_value(json_array_get(links, k));
				if (!l)
					continue;
				size_t n = strcspn(l + (*l == '/'), ":");
				for (size_t j = 0; j < nc; j++) {
					const char *nm = g->nodes[node[j]].name;
					if (j != i && strlen(nm) == n && !strncmp(nm, l + (*l == '/'), n))
						net_add_edge(&b, node[i], node[j], "any", "link");
				}
			}
			json_decref(all);
		}
		json_decref(ins);
		free(path);
	}
	/* published ports */
	for (size_t i = 0; i < nc; i++) {
		json_t *ports = json_object_get(json_array_get(ctrs, i), "Ports");
		for (size_t p = 0; p < json_array_size(ports); p++) {
			json_t *pt = json_array_get(ports, p);
			if (!json_integer_value(json_object_get(pt, "PublicPort")))
				continue;
			const char *ip = jstr(pt, "IP");
			char pp[32];
			snprintf(pp, sizeof(pp), "%lld/%s",
				 (long long)json_integer_value(json_object_get(pt, "PrivatePort")),
				 jstr(pt, "Type"));
			bool all = !*ip || !strcmp(ip, "0.0.0.0") || !strcmp(ip, "::");
			net_add_edge(&b, all ? net_internet(&b) : net_host(&b), node[i], pp, "published");
		}
	}
	net_builder_release(&b);
	free(node);
	json_decref(nets);
	json_decref(ctrs);
	*out = g;
	return 0;
}
