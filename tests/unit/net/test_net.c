/* net, data-driven: label selectors (selectors.cases), the nftables ruleset of an
 * intended graph, and the flow log's judgement of flows against it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "net/net-int.h"

static const char *dir;

static size_t parse_labels(char *s, struct bw_iac_label *out, size_t max)
{
	size_t n = 0;
	if (!strcmp(s, "-"))
		return 0;
	char *pos = s;
	for (char *kv; n < max && (kv = bw_next_token(&pos, ","));) {
		char *eq = strchr(kv, '=');
		assert_non_null(eq);
		*eq = 0;
		out[n++] = (struct bw_iac_label){kv, eq + 1};
	}
	return n;
}

static char *trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
		s[--n] = 0;
	return s;
}

static void test_selectors(void **st)
{
	(void)st;
	char path[4096];
	snprintf(path, sizeof(path), "%s/selectors.cases", dir);
	FILE *fp = fopen(path, "re");
	assert_non_null(fp);
	char line[1024];
	int n = 0, failures = 0, lineno = 0;
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char copy[1024];
		snprintf(copy, sizeof(copy), "%s", line);
		char *pos0 = copy;
		char *a = bw_next_token(&pos0, "|"), *b = bw_next_token(&pos0, "|"),
		     *c = bw_next_token(&pos0, "|");
		assert_non_null(c);
		struct bw_iac_label labels[16], match[16];
		size_t nl = parse_labels(trim(a), labels, 16);
		struct bw_iac_expr exprs[16];
		const char *vals[16][16];
		struct bw_iac_selector sel = {match, 0, exprs, 0};
		char *sb = trim(b);
		if (strcmp(sb, "-")) {
			char *pos = sb;
			for (char *t; (t = bw_next_token(&pos, ";"));) {
				char key[64], op[32], list[256] = "";
				if (strchr(t, '=') && !strchr(t, ' ')) {
					char *eq = strchr(t, '=');
					*eq = 0;
					match[sel.n_match++] = (struct bw_iac_label){t, eq + 1};
					continue;
				}
				int k = sscanf(t, "%63s %31s %255s", key, op, list);
				assert_true(k >= 2);
				struct bw_iac_expr *e = &exprs[sel.n_exprs];
				e->key = strdup(key);
				e->op = !strcmp(op, "In")	      ? BW_IAC_SEL_IN
					: !strcmp(op, "NotIn")	      ? BW_IAC_SEL_NOTIN
					: !strcmp(op, "Exists")	      ? BW_IAC_SEL_EXISTS
					: !strcmp(op, "DoesNotExist") ? BW_IAC_SEL_DOESNOTEXIST
								      : BW_IAC_SEL_INVALID;
				e->values = vals[sel.n_exprs];
				e->n_values = 0;
				char *pos2 = list;
				for (char *v; e->n_values < 16 && (v = bw_next_token(&pos2, ","));)
					vals[sel.n_exprs][e->n_values++] = strdup(v);
				sel.n_exprs++;
			}
		}
		bool want = strtol(trim(c), NULL, 10) == 1;
		bool got = bw_iac_selector_matches(&sel, labels, nl);
		if (got != want) {
			print_error("selectors.cases:%d: %s gives %d, not %d\n", lineno, trim(line), got,
				    want);
			failures++;
		}
		for (size_t i = 0; i < sel.n_exprs; i++) {
			free((char *)exprs[i].key);
			for (size_t k = 0; k < exprs[i].n_values; k++)
				free((char *)exprs[i].values[k]);
		}
		n++;
	}
	fclose(fp);
	assert_true(n >= 20);
	assert_int_equal(failures, 0);
}

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/bw-net-unit-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static const char intended[] = "workloads:\n"
			       "  web: {address: 10.0.0.2}\n"
			       "  db: {addresses: [10.0.0.3, \"fd00::3\"]}\n"
			       "allow:\n"
			       "  - {from: web, to: db, port: 5432, proto: tcp}\n"
			       "  - {from: internet, to: web, port: 80}\n"
			       "  - {from: web, to: db, port: 9000-9100, proto: udp}\n";

/* bw_net_graph_write_json writes the bytes jansson writes of
 * bw_net_graph_json's tree: names with quotes, backslashes, control bytes
 * and UTF-8, policy names in the edges' via, an empty graph. */
static void check_streamed(const char *yaml)
{
	struct bw_iac_model m;
	bw_iac_model_init(&m);
	struct bw_iac_walk walk = {0};
	struct bw_error err = BW_ERROR_INIT;
	struct bw_report *r = bw_report_new("kubernetes", "t");
	assert_int_equal(bw_iac_model_load_text(&m, "/nonexistent-bulwark/t.yaml", yaml, strlen(yaml), NULL,
						&walk, r, &err),
			 0);
	struct bw_net_graph *g = NULL;
	assert_int_equal(bw_net_graph_from_model(&m, &g, &err), 0);
	bw_net_findings(g, &m, r);
	json_t *j = bw_net_graph_json(g, r);
	char *want = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	char *got = NULL;
	size_t got_len = 0;
	FILE *mem = open_memstream(&got, &got_len);
	assert_non_null(mem);
	bw_net_graph_write_json(g, r, mem);
	fclose(mem);
	assert_string_equal(got, want);
	free(got);
	free(want);
	bw_net_graph_free(g);
	bw_report_free(r);
	bw_iac_model_release(&m);
}

static void test_graph_json_streamed(void **st)
{
	(void)st;
	check_streamed(
	    "apiVersion: networking.k8s.io/v1\n"
	    "kind: NetworkPolicy\n"
	    "metadata: {name: \"p\\\"q\\\\\\u0002\\t\\n\", namespace: \"n\\u00e9\"}\n"
	    "spec:\n"
	    "  podSelector: {matchLabels: {app: a}}\n"
	    "  ingress: [{from: [{podSelector: {}}], ports: [{port: 5432}, {port: 80}]}]\n"
	    "---\n"
	    "apiVersion: apps/v1\n"
	    "kind: Deployment\n"
	    "metadata: {name: \"a\\u0003\\u001b\\u000b\\u007f\\b\\f\\r\", namespace: \"n\\u00e9\"}\n"
	    "spec: {template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: "
	    "postgres:16}]}}}\n"
	    "---\n"
	    "apiVersion: apps/v1\n"
	    "kind: Deployment\n"
	    "metadata: {name: b, namespace: \"n\\u00e9\"}\n"
	    "spec: {template: {metadata: {labels: {app: b}}, spec: {containers: [{name: c, image: "
	    "nginx}]}}}\n"
	    "---\n"
	    "apiVersion: v1\n"
	    "kind: Service\n"
	    "metadata: {name: b, namespace: \"n\\u00e9\"}\n"
	    "spec: {type: LoadBalancer, selector: {app: b}, ports: [{port: 80}]}\n");
	check_streamed("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
}

static void test_enforce_ruleset(void **st)
{
	(void)st;
	char *path = write_tmp(intended);
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_net_enforce_ruleset(path, "shop", &b, &err), 0);
	const char *want[] = {
	    "table inet shop\ndelete table inet shop\ntable inet shop {\n",
	    "\t\telements = { 10.0.0.2, 10.0.0.3 }\n",
	    "\t\telements = { fd00::3 }\n",
	    "\t\tip saddr { 10.0.0.2 } ip daddr { 10.0.0.3 } tcp dport 5432 accept comment \"web -> db\"\n",
	    "\t\tip daddr { 10.0.0.2 } tcp dport 80 accept comment \"internet -> web\"\n",
	    "\t\tip saddr { 10.0.0.2 } ip daddr { 10.0.0.3 } udp dport 9000-9100 accept comment \"web -> "
	    "db\"\n",
	    "\t\tip daddr @managed4 meta l4proto tcp reject with tcp reset\n",
	    "\t\tip6 daddr @managed6 reject with icmpx type port-unreachable\n",
	    "\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n",
	    "\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n",
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(want); i++)
		if (!strstr(b.data, want[i]))
			fail_msg("missing from the ruleset: %s\n---\n%s", want[i], b.data);
	/* web has no IPv6 address: no ip6 rule names it as a source */
	assert_null(strstr(b.data, "ip6 saddr"));
	assert_int_equal(bw_net_enforce_ruleset(path, "bad name", &b, &err), BW_EUSAGE);
	bw_buf_release(&b);
	unlink(path);
	free(path);
}

static void flow(struct bw_net_flowlog *log, const char *src, int sport, const char *dst, int dport,
		 int proto)
{
	struct bw_net_flow f = {.family = AF_INET,
				.proto = (uint8_t)proto,
				.sport = (uint16_t)sport,
				.dport = (uint16_t)dport,
				.source = "test"};
	assert_int_equal(inet_pton(AF_INET, src, f.src), 1);
	assert_int_equal(inet_pton(AF_INET, dst, f.dst), 1);
	assert_int_equal(bw_net_flowlog_add(log, &f), 0);
}

static void test_flowlog_judgement(void **st)
{
	(void)st;
	char *path = write_tmp(intended);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct bw_net_flowlog *log = NULL;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_net_flowlog_opts o = {.out = out, .intended = path};
	assert_int_equal(bw_net_flowlog_new(&o, &log, &err), 0);
	flow(log, "10.0.0.2", 40000, "10.0.0.3", 5432, IPPROTO_TCP);   /* allowed */
	flow(log, "10.0.0.2", 40000, "10.0.0.3", 5432, IPPROTO_TCP);   /* the same connection again */
	flow(log, "10.0.0.2", 40001, "10.0.0.3", 22, IPPROTO_TCP);     /* not allowed */
	flow(log, "192.0.2.7", 5555, "10.0.0.2", 80, IPPROTO_TCP);     /* internet -> web:80 */
	flow(log, "10.0.0.3", 5556, "10.0.0.2", 80, IPPROTO_TCP);      /* db is no "internet" */
	flow(log, "10.0.0.2", 5557, "10.0.0.3", 9050, IPPROTO_UDP);    /* in the udp range */
	flow(log, "10.0.0.2", 5558, "198.51.100.1", 443, IPPROTO_TCP); /* not an intended workload */
	flow(log, "127.0.0.1", 5559, "127.0.0.11", 53, IPPROTO_UDP);   /* loopback: not written */
	assert_int_equal(bw_net_flowlog_count(log), 6);
	assert_int_equal(bw_net_flowlog_violations(log), 2);
	bw_net_flowlog_free(log);
	fclose(out);
	const char *lines[] = {
	    "\"src\":{\"ip\":\"10.0.0.2\",\"port\":40000,\"workload\":\"web\"},\"dst\":{\"ip\":\"10.0.0.3\","
	    "\"port\":5432,"
	    "\"workload\":\"db\"},\"source\":\"test\",\"allowed\":true}",
	    "\"dst\":{\"ip\":\"10.0.0.3\",\"port\":22,\"workload\":\"db\"},\"source\":\"test\",\"allowed\":"
	    "false,"
	    "\"violation\":true}",
	    "\"src\":{\"ip\":\"192.0.2.7\",\"port\":5555},\"dst\":{\"ip\":\"10.0.0.2\",\"port\":80,"
	    "\"workload\":\"web\"},"
	    "\"source\":\"test\",\"allowed\":true}",
	    "\"src\":{\"ip\":\"10.0.0.3\",\"port\":5556,\"workload\":\"db\"},\"dst\":{\"ip\":\"10.0.0.2\","
	    "\"port\":80,"
	    "\"workload\":\"web\"},\"source\":\"test\",\"allowed\":false,\"violation\":true}",
	    "\"proto\":\"udp\"",
	    "\"dst\":{\"ip\":\"198.51.100.1\",\"port\":443},\"source\":\"test\",\"allowed\":null}",
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(lines); i++)
		if (!strstr(buf, lines[i]))
			fail_msg("missing from the flow log: %s\n---\n%s", lines[i], buf);
	assert_null(strstr(buf, "127.0.0.11"));
	free(buf);
	unlink(path);
	free(path);
}

/* The end a source saw a flow at is named by its container when its
 * address names none (host networking, NAT); what is not logged is counted. */
static void test_flowlog_seen_end_and_counts(void **st)
{
	(void)st;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct bw_net_flowlog *log = NULL;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_net_flowlog_opts o = {.out = out};
	assert_int_equal(bw_net_flowlog_new(&o, &log, &err), 0);
	struct bw_net_flow f = {.family = AF_INET,
				.proto = IPPROTO_TCP,
				.sport = 41000,
				.dport = 443,
				.netns = "web",
				.netns_id = "0123abcd",
				.seen_end = BW_NET_SEEN_SRC,
				.source = "ebpf",
				.pid = 7,
				.comm = "curl",
				.state = "established"};
	assert_int_equal(inet_pton(AF_INET, "192.168.1.5", f.src), 1);
	assert_int_equal(inet_pton(AF_INET, "198.51.100.1", f.dst), 1);
	assert_int_equal(bw_net_flowlog_add(log, &f), 0);
	assert_int_equal(bw_net_flowlog_add(log, &f), 0); /* the same connection: a repeat */
	/* seen at the server's end, which is the container now */
	f.seen_end = BW_NET_SEEN_DST;
	f.sport = 41001;
	f.state = "failed";
	assert_int_equal(bw_net_flowlog_add(log, &f), 0);
	/* the host (no netns_id) names no end */
	f.netns = "host";
	f.netns_id = NULL;
	f.sport = 41002;
	assert_int_equal(bw_net_flowlog_add(log, &f), 0);
	struct bw_net_flow lo = {.family = AF_INET, .proto = IPPROTO_UDP, .source = "ebpf"};
	assert_int_equal(inet_pton(AF_INET, "127.0.0.1", lo.src), 1);
	assert_int_equal(inet_pton(AF_INET, "127.0.0.11", lo.dst), 1);
	assert_int_equal(bw_net_flowlog_add(log, &lo), 0);
	lo.family = 0;
	assert_int_equal(bw_net_flowlog_add(log, &lo), 0);
	struct bw_net_flowlog_stats stats;
	bw_net_flowlog_stats(log, &stats);
	assert_int_equal(stats.logged, 3);
	assert_int_equal(stats.duplicates, 1);
	assert_int_equal(stats.loopback, 1);
	assert_int_equal(stats.bad, 1);
	assert_int_equal(stats.violations, 0);
	bw_net_flowlog_free(log);
	fclose(out);
	const char *lines[] = {
	    "\"src\":{\"ip\":\"192.168.1.5\",\"port\":41000,\"container\":\"web\",\"container_id\":"
	    "\"0123abcd\"},\"dst\":{\"ip\":\"198.51.100.1\",\"port\":443},\"seen_in\":\"web\",\"source\":"
	    "\"ebpf\",\"pid\":7,\"comm\":\"curl\",\"state\":\"established\"}",
	    "\"src\":{\"ip\":\"192.168.1.5\",\"port\":41001},\"dst\":{\"ip\":\"198.51.100.1\",\"port\":443,"
	    "\"container\":\"web\",\"container_id\":\"0123abcd\"},",
	    "\"src\":{\"ip\":\"192.168.1.5\",\"port\":41002},\"dst\":{\"ip\":\"198.51.100.1\",\"port\":443},"
	    "\"seen_in\":\"host\"",
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(lines); i++)
		if (!strstr(buf, lines[i]))
			fail_msg("missing from the flow log: %s\n---\n%s", lines[i], buf);
	free(buf);
}

/* The source table: a row that cannot run here is named with its reason
 * and the next one runs; the last row's error is the watch's. */
static int row_calls;

static int row_unsupported(void *ud, struct bw_net_flowlog *log, const struct bw_net_watch_opts *o,
			   struct bw_net_watch_result *res, struct bw_error *err)
{
	(void)log;
	(void)o;
	(void)res;
	row_calls++;
	return bw_error_set(err, BW_EUNSUPPORTED, "%s is not permitted here", (const char *)ud);
}

static int row_feed(void *ud, struct bw_net_flowlog *log, const struct bw_net_watch_opts *o,
		    struct bw_net_watch_result *res, struct bw_error *err)
{
	(void)ud;
	(void)err;
	row_calls++;
	if (o->ready)
		o->ready(o->ud, "feed");
	struct bw_net_flow f = {
	    .family = AF_INET, .proto = IPPROTO_TCP, .sport = 1, .dport = 2, .source = "feed"};
	f.src[0] = 10;
	f.dst[0] = 11;
	bw_net_flowlog_add(log, &f);
	res->lost = 3;
	return 0;
}

static const char *ready_source;

static void on_ready(void *ud, const char *source)
{
	(void)ud;
	ready_source = source;
}

static void test_watch_falls_back(void **st)
{
	(void)st;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct bw_net_flowlog *log = NULL;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_net_flowlog_opts o = {.out = out};
	assert_int_equal(bw_net_flowlog_new(&o, &log, &err), 0);
	const struct bw_net_flow_source rows[] = {
	    {"ebpf", row_unsupported, "eBPF"},
	    {"other", row_unsupported, "other"},
	    {"feed", row_feed, NULL},
	};
	struct bw_net_watch_opts wo = {.ready = on_ready};
	struct bw_net_watch_result res = {0};
	assert_int_equal(bw_net_watch(log, rows, 3, &wo, &res, &err), 0);
	assert_string_equal(res.source, "feed");
	assert_string_equal(ready_source, "feed");
	assert_string_equal(res.fallback,
			    "ebpf: eBPF is not permitted here; other: other is not permitted here");
	assert_int_equal(res.lost, 3);
	assert_int_equal(bw_net_flowlog_count(log), 1);
	assert_int_equal(row_calls, 3);
	/* nothing can run: the last row's error */
	memset(&res, 0, sizeof(res));
	assert_int_equal(bw_net_watch(log, rows, 2, &wo, &res, &err), BW_EUNSUPPORTED);
	assert_string_equal(err.msg, "other is not permitted here");
	assert_string_equal(res.fallback, "ebpf: eBPF is not permitted here");
	bw_net_flowlog_free(log);
	fclose(out);
	free(buf);
}

/* The design (compose, manifests): a running container is its workload by
 * its labels or its name; a flow is judged by the design's edges. */
static const char design_compose[] = "name: Shop\n"
				     "services:\n"
				     "  db: {image: postgres:16, expose: ['5432'], networks: [back]}\n"
				     "  api: {image: api:1, networks: [back, front]}\n"
				     "  web: {image: web:1, networks: [front], ports: ['8080:80']}\n"
				     "networks: {back: {}, front: {}}\n";
static const char design_k8s[] = "apiVersion: apps/v1\n"
				 "kind: Deployment\n"
				 "metadata: {name: web, namespace: shop}\n"
				 "spec:\n"
				 "  selector: {matchLabels: {app: web}}\n"
				 "  template:\n"
				 "    metadata: {labels: {app: web}}\n"
				 "    spec: {containers: [{name: web, image: web:1}]}\n"
				 "---\n"
				 "apiVersion: apps/v1\n"
				 "kind: Deployment\n"
				 "metadata: {name: web-admin, namespace: shop}\n"
				 "spec:\n"
				 "  selector: {matchLabels: {app: admin}}\n"
				 "  template:\n"
				 "    metadata: {labels: {app: admin}}\n"
				 "    spec: {containers: [{name: admin, image: admin:1}]}\n";

static size_t node_named(const struct bw_net_graph *g, const char *id)
{
	for (size_t i = 0; i < g->n_nodes; i++)
		if (!strcmp(g->nodes[i].id, id))
			return i;
	fail_msg("no node %s", id);
	return SIZE_MAX;
}

static void test_design_nodes_and_judgement(void **st)
{
	(void)st;
	struct bw_iac_model m;
	bw_iac_model_init(&m);
	struct bw_error err = BW_ERROR_INIT;
	struct bw_iac_config *cfg = bw_iac_config_new();
	struct bw_iac_walk w = {0};
	assert_int_equal(bw_iac_model_load_text(&m, "/srv/app/compose.yaml", design_compose,
						strlen(design_compose), cfg, &w, NULL, &err),
			 0);
	assert_int_equal(bw_iac_model_load_text(&m, "/srv/k8s/web.yaml", design_k8s, strlen(design_k8s), cfg,
						&w, NULL, &err),
			 0);
	bw_iac_config_free(cfg);
	struct bw_net_graph *g = NULL;
	assert_int_equal(bw_net_graph_from_model(&m, &g, &err), 0);
	size_t db = node_named(g, "compose:shop/db"), api = node_named(g, "compose:shop/api"),
	       web = node_named(g, "compose:shop/web"), kweb = node_named(g, "k8s:shop/Deployment/web"),
	       kadmin = node_named(g, "k8s:shop/Deployment/web-admin");
	/* by labels: compose's project (the file's name, lowercased) and service */
	json_t *l =
	    json_pack("{s:s, s:s}", "com.docker.compose.project", "shop", "com.docker.compose.service", "db");
	assert_int_equal(net_design_node(g, "shop-db-1", l), db);
	json_decref(l);
	l = json_pack("{s:s, s:s}", "com.docker.compose.project", "other", "com.docker.compose.service",
		      "db");
	assert_int_equal(net_design_node(g, "other-db-1", l), SIZE_MAX);
	json_decref(l);
	/* a pod's name starts with its workload's: the longest name wins */
	l = json_pack("{s:s, s:s}", "io.kubernetes.pod.namespace", "shop", "io.kubernetes.pod.name",
		      "web-5d9c7b6f4-x2x9z");
	assert_int_equal(net_design_node(g, "k8s_web_web-5d9c7b6f4-x2x9z_shop_1", l), kweb);
	json_decref(l);
	l = json_pack("{s:s, s:s}", "io.kubernetes.pod.namespace", "shop", "io.kubernetes.pod.name",
		      "web-admin-7f6d-abcde");
	assert_int_equal(net_design_node(g, NULL, l), kadmin);
	json_decref(l);
	l = json_pack("{s:s, s:s}", "io.kubernetes.pod.namespace", "dev", "io.kubernetes.pod.name", "web-1");
	assert_int_equal(net_design_node(g, NULL, l), SIZE_MAX);
	json_decref(l);
	/* no labels: by name */
	assert_int_equal(net_design_node(g, "api", NULL), api);
	assert_int_equal(net_design_node(g, "stranger", NULL), SIZE_MAX);
	const char *via;
	assert_int_equal(net_design_judge(g, api, db, IPPROTO_TCP, 5432, &via), 1);
	assert_string_equal(via, "network back");
	assert_int_equal(net_design_judge(g, api, db, IPPROTO_TCP, 22, &via), 0);
	assert_null(via);
	assert_int_equal(net_design_judge(g, api, db, IPPROTO_UDP, 5432, &via), 0);
	assert_int_equal(net_design_judge(g, web, db, IPPROTO_TCP, 5432, &via), 0); /* not on back */
	assert_int_equal(net_design_judge(g, db, api, IPPROTO_TCP, 9999, &via), 1); /* api: any port */
	/* an address no container has is the outside world: published web:80 only */
	assert_int_equal(net_design_judge(g, SIZE_MAX, web, IPPROTO_TCP, 80, &via), 1);
	assert_string_equal(via, "published");
	assert_int_equal(net_design_judge(g, SIZE_MAX, api, IPPROTO_TCP, 80, &via), 0);
	/* a destination the design does not have is not judged */
	assert_int_equal(net_design_judge(g, api, SIZE_MAX, IPPROTO_TCP, 80, &via), -1);
	/* the flow log: a design and an intended file are one or the other */
	struct bw_net_flowlog *log = NULL;
	char *path = write_tmp(intended);
	struct bw_net_flowlog_opts o = {.out = stderr, .intended = path, .design = g};
	assert_int_equal(bw_net_flowlog_new(&o, &log, &err), BW_EUSAGE);
	assert_null(log);
	unlink(path);
	free(path);
	bw_net_graph_free(g);
	bw_iac_model_release(&m);
}

int main(int argc, char **argv)
{
	dir = argc > 1 ? argv[1] : "tests/unit/net";
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_selectors),
	    cmocka_unit_test(test_graph_json_streamed),
	    cmocka_unit_test(test_enforce_ruleset),
	    cmocka_unit_test(test_flowlog_judgement),
	    cmocka_unit_test(test_flowlog_seen_end_and_counts),
	    cmocka_unit_test(test_watch_falls_back),
	    cmocka_unit_test(test_design_nodes_and_judgement),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
