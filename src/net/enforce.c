/* nftables enforcement of an intended graph: a ruleset (for `nft -f`) that
 * accepts the connections the intended file allows to the workloads it
 * lists, the replies of accepted connections, and rejects every other new
 * connection to those workloads — with a TCP reset or an ICMP port
 * unreachable, so that a refused client learns it at once. One table of
 * its own (inet family: IPv4 and IPv6), replaced whole on each load. */
#include <arpa/inet.h>

#include "net-int.h"

struct wl {
	const char *name;
	const char *v4[32], *v6[32];
	size_t n4, n6;
};

static int bad(struct bw_error *err, const struct bw_yaml_node *n, const char *what)
{
	return bw_error_set(err, BW_EUSAGE, "%s:%d:%d: %s", n->file->path, n->line, n->column, what);
}

static int add_addr(struct wl *w, const struct bw_yaml_node *n, struct bw_error *err)
{
	const char *a = bw_yaml_str(n);
	unsigned char buf[16];
	char plain[64];
	if (!a)
		return bad(err, n, "an address is expected");
	/* an address or a prefix (10.0.0.0/24) */
	snprintf(plain, sizeof(plain), "%.*s", (int)strcspn(a, "/"), a);
	const char *slash = strchr(a, '/');
	if (slash) {
		char *end;
		long bits = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || bits < 0 || bits > 128)
			return bad(err, n, "not an IP address or prefix");
	}
	if (inet_pton(AF_INET, plain, buf) == 1 && w->n4 < 32)
		w->v4[w->n4++] = a;
	else if (inet_pton(AF_INET6, plain, buf) == 1 && w->n6 < 32)
		w->v6[w->n6++] = a;
	else
		return bad(err, n, "not an IP address or prefix (or more than 32 of them)");
	return 0;
}

static void set_text(struct bw_buf *out, const char *const *a, size_t n)
{
	bw_buf_addstr(out, "{ ");
	for (size_t i = 0; i < n; i++)
		bw_buf_printf(out, "%s%s", i ? ", " : "", a[i]);
	bw_buf_addstr(out, " }");
}

static bool valid_name(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-'))
			return false;
	return true;
}

static int rules_for(struct bw_buf *rules, const struct wl *wls, size_t nw, const struct bw_yaml_node *allow,
		     struct bw_error *err)
{
	for (size_t i = 0; allow && i < allow->n; i++) {
		const struct bw_yaml_node *a = allow->items[i];
		const char *from = bw_yaml_str(bw_yaml_get(a, "from")),
			   *to = bw_yaml_str(bw_yaml_get(a, "to"));
		const char *proto = bw_yaml_str(bw_yaml_get(a, "proto"));
		if (!from || !to)
			return bad(err, a, "an allow entry names from and to");
		const struct wl *f = NULL, *t = NULL;
		for (size_t k = 0; k < nw; k++) {
			if (!strcmp(wls[k].name, from))
				f = &wls[k];
			if (!strcmp(wls[k].name, to))
				t = &wls[k];
		}
		if (!t)
			return bad(err, a, "to: names no workload of the file");
		if (!f && strcmp(from, "internet") && strcmp(from, "any"))
			return bad(err, a, "from: names no workload of the file (or internet)");
		if (!proto)
			proto = "tcp";
		if (strcmp(proto, "tcp") && strcmp(proto, "udp") && strcmp(proto, "any"))
			return bad(err, a, "proto: tcp, udp or any");
		const struct bw_yaml_node *pn = bw_yaml_get(a, "port");
		char port[32] = "";
		long long pv;
		if (pn && bw_yaml_int(pn, &pv) && pv > 0 && pv <= 65535) {
			snprintf(port, sizeof(port), "%lld", pv);
		} else if (pn && bw_yaml_str(pn)) {
			int lo, hi, used = 0;
			if (sscanf(pn->str, "%d-%d%n", &lo, &hi, &used) != 2 || (size_t)used != pn->len ||
			    lo < 1 || hi > 65535 || lo > hi)
				return bad(err, pn, "port: a number or a range LO-HI");
			snprintf(port, sizeof(port), "%d-%d", lo, hi);
		} else if (pn) {
			return bad(err, pn, "port: a number or a range LO-HI");
		}
		if (*port && !strcmp(proto, "any"))
			return bad(err, a, "a port needs proto tcp or udp");
		for (int fam = 4; fam <= 6; fam += 2) {
			size_t tn = fam == 4 ? t->n4 : t->n6, fn = f ? (fam == 4 ? f->n4 : f->n6) : 1;
			if (!tn || !fn)
				continue;
			const char *pfx = fam == 4 ? "ip" : "ip6";
			bw_buf_printf(rules, "\t\t");
			if (f) {
				bw_buf_printf(rules, "%s saddr ", pfx);
				set_text(rules, fam == 4 ? f->v4 : f->v6, fn);
				bw_buf_addstr(rules, " ");
			}
			bw_buf_printf(rules, "%s daddr ", pfx);
			set_text(rules, fam == 4 ? t->v4 : t->v6, tn);
			if (*port)
				bw_buf_printf(rules, " %s dport %s", proto, port);
			else if (strcmp(proto, "any"))
				bw_buf_printf(rules, " meta l4proto %s", proto);
			bw_buf_printf(rules, " accept comment \"%s -> %s\"\n", from, to);
		}
	}
	return 0;
}

int bw_net_enforce_ruleset(const char *path, const char *table, struct bw_buf *out, struct bw_error *err)
{
	if (!table)
		table = "bulwark";
	if (!valid_name(table))
		return bw_error_set(err, BW_EUSAGE, "table name %s: letters, digits, _ and - only", table);
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
	const struct bw_yaml_node *wn = bw_yaml_get(root, "workloads"), *allow = bw_yaml_get(root, "allow");
	struct wl *wls = NULL;
	size_t nw = 0;
	struct bw_buf rules;
	bw_buf_init(&rules, 16u << 20);
	if (!wn || wn->kind != BW_YAML_MAP || !wn->n) {
		rc = bw_error_set(err, BW_EUSAGE, "%s: no workloads: {NAME: {address: …}}", path);
		goto out;
	}
	if (allow && allow->kind != BW_YAML_SEQ) {
		rc = bad(err, allow, "allow: a list is expected");
		goto out;
	}
	wls = bw_calloc(wn->n, sizeof(*wls));
	for (size_t i = 0; i < wn->n && !rc; i++) {
		const struct bw_yaml_pair *p = &wn->pairs[i];
		struct wl *w = &wls[nw++];
		w->name = bw_yaml_str(p->key);
		if (!w->name || !strcmp(w->name, "internet") || !strcmp(w->name, "any")) {
			rc = bad(err, p->key, "a workload name (not internet or any) is expected");
			break;
		}
		const struct bw_yaml_node *one = bw_yaml_get(p->value, "address"),
					  *many = bw_yaml_get(p->value, "addresses");
		if (one)
			rc = add_addr(w, one, err);
		for (size_t k = 0; !rc && many && many->kind == BW_YAML_SEQ && k < many->n; k++)
			rc = add_addr(w, many->items[k], err);
		if (!rc && !w->n4 && !w->n6)
			rc = bad(err, p->key, "the workload has no address");
	}
	if (!rc)
		rc = rules_for(&rules, wls, nw, allow, err);
	if (rc)
		goto out;
	const char *v4[1024], *v6[1024];
	size_t n4 = 0, n6 = 0;
	for (size_t i = 0; i < nw; i++) {
		for (size_t k = 0; k < wls[i].n4 && n4 < 1024; k++)
			v4[n4++] = wls[i].v4[k];
		for (size_t k = 0; k < wls[i].n6 && n6 < 1024; k++)
			v6[n6++] = wls[i].v6[k];
	}
	bw_buf_printf(out, "# nftables ruleset written by bulwark net enforce from %s\n", path);
	bw_buf_printf(out, "table inet %s\ndelete table inet %s\ntable inet %s {\n", table, table, table);
	if (n4) {
		bw_buf_addstr(out,
			      "\tset managed4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = ");
		set_text(out, v4, n4);
		bw_buf_addstr(out, "\n\t}\n");
	}
	if (n6) {
		bw_buf_addstr(out,
			      "\tset managed6 {\n\t\ttype ipv6_addr\n\t\tflags interval\n\t\telements = ");
		set_text(out, v6, n6);
		bw_buf_addstr(out, "\n\t}\n");
	}
	static const char *const hooks[] = {"forward", "input"};
	for (size_t h = 0; h < 2; h++) {
		bw_buf_printf(out, "\tchain %s {\n\t\ttype filter hook %s priority filter; policy accept;\n",
			      hooks[h], hooks[h]);
		bw_buf_addstr(out, "\t\tct state established,related accept\n");
		bw_buf_add(out, rules.data ? rules.data : "", rules.len);
		if (n4)
			bw_buf_addstr(out,
				      "\t\tip daddr @managed4 meta l4proto tcp reject with tcp reset\n"
				      "\t\tip daddr @managed4 reject with icmpx type port-unreachable\n");
		if (n6)
			bw_buf_addstr(out,
				      "\t\tip6 daddr @managed6 meta l4proto tcp reject with tcp reset\n"
				      "\t\tip6 daddr @managed6 reject with icmpx type port-unreachable\n");
		bw_buf_addstr(out, "\t}\n");
	}
	bw_buf_addstr(out, "}\n");
out:
	bw_buf_release(&rules);
	free(wls);
	bw_yaml_file_free(f);
	return rc;
}
