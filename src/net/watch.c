/* The conntrack fallback of the flow log: ctnetlink NEW events from the
 * host's network namespace and from each running container's (a netlink
 * socket belongs to the namespace of the thread that opens it: setns()
 * into /proc/PID/ns/net, open, setns() back). Traffic between two
 * containers on one bridge never enters the host's conntrack, but each
 * container's namespace tracks its own connections once netfilter is in
 * use there (the engine's embedded DNS installs rules in every container
 * on a user-defined network). Containers started during the watch are
 * joined at the next rescan. */
#include <signal.h>
#include <jansson.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>

#include "engine/engine.h"
#include "net-int.h"

#define MAX_SOURCES 1024
#define RESCAN 1.0

struct src {
	struct mnl_socket *nl;
	char *name, *id;
	bool seen; /* still running at the last rescan */
};

struct watch {
	struct bw_net_flowlog *log;
	struct src *srcs;
	size_t n, cap;
	size_t lost;	 /* ENOBUFS: events the kernel dropped */
	size_t unjoined; /* running containers not joined at the last rescan, the most seen */
	const char *current;
};

static struct mnl_socket *ct_socket(struct bw_error *err, const char *where)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl) {
		bw_error_sys(err, BW_EIO, "%s: cannot open a netfilter netlink socket", where);
		return NULL;
	}
	if (mnl_socket_bind(nl, NF_NETLINK_CONNTRACK_NEW, MNL_SOCKET_AUTOPID) < 0) {
		bw_error_sys(err, BW_EIO, "%s: cannot subscribe to conntrack events (root needed)", where);
		mnl_socket_close(nl);
		return NULL;
	}
	int fl = fcntl(mnl_socket_get_fd(nl), F_GETFL);
	fcntl(mnl_socket_get_fd(nl), F_SETFL, fl | O_NONBLOCK);
	return nl;
}

static void add_src(struct watch *w, struct mnl_socket *nl, const char *name, const char *id)
{
	NET_GROW_HEAP(w->srcs, w->n, w->cap);
	w->srcs[w->n++] = (struct src){nl, bw_strdup(name), id ? bw_strdup(id) : NULL, true};
}

/* Open a conntrack socket inside the network namespace of pid. */
static struct mnl_socket *ct_socket_in(pid_t pid, const char *name, struct bw_error *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	int target = open(path, O_RDONLY | O_CLOEXEC);
	if (target < 0) {
		bw_error_sys(err, BW_EIO, "%s: %s", name, path);
		return NULL;
	}
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		close(target);
		bw_error_sys(err, BW_EIO, "/proc/self/ns/net");
		return NULL;
	}
	struct mnl_socket *nl = NULL;
	if (setns(target, CLONE_NEWNET)) {
		bw_error_sys(err, BW_EIO, "%s: cannot enter its network namespace", name);
	} else {
		nl = ct_socket(err, name);
		if (setns(self, CLONE_NEWNET))
			BW_BUG("cannot return to bulwark's own network namespace");
	}
	close(target);
	close(self);
	return nl;
}

static void rescan(struct watch *w, struct bw_engine *e)
{
	json_t *list = NULL;
	struct bw_error err = BW_ERROR_INIT;
	if (net_flowlog_refresh(w->log, &list, &err) || !list)
		return;
	for (size_t i = 1; i < w->n; i++)
		w->srcs[i].seen = false;
	size_t unjoined = 0;
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *c = json_array_get(list, i);
		const char *id = json_string_value(json_object_get(c, "Id"));
		const char *name = json_string_value(json_array_get(json_object_get(c, "Names"), 0));
		if (!id)
			continue;
		if (!name)
			name = id;
		if (*name == '/')
			name++;
		bool known = false;
		for (size_t k = 1; k < w->n && !known; k++)
			if (w->srcs[k].id && !strcmp(w->srcs[k].id, id))
				known = w->srcs[k].seen = true;
		if (known)
			continue;
		if (w->n >= MAX_SOURCES) {
			unjoined++;
			continue;
		}
		char *path = bw_asprintf("/containers/%s/json", id);
		json_t *ins = NULL;
		if (!bw_engine_get_json(e, path, 0, &ins, &err)) {
			json_int_t pid =
			    json_integer_value(json_object_get(json_object_get(ins, "State"), "Pid"));
			struct mnl_socket *nl = pid > 0 ? ct_socket_in((pid_t)pid, name, &err) : NULL;
			if (nl)
				add_src(w, nl, name, id);
			else if (pid > 0)
				unjoined++;
		}
		json_decref(ins);
		free(path);
		bw_error_clear(&err);
	}
	/* containers gone: close their sockets */
	size_t o = 1;
	for (size_t i = 1; i < w->n; i++) {
		if (w->srcs[i].seen) {
			w->srcs[o++] = w->srcs[i];
			continue;
		}
		mnl_socket_close(w->srcs[i].nl);
		free(w->srcs[i].name);
		free(w->srcs[i].id);
	}
	w->n = o;
	if (unjoined > w->unjoined)
		w->unjoined = unjoined;
	json_decref(list);
}

static int on_event(const struct nlmsghdr *nlh, void *data)
{
	struct watch *w = data;
	struct nf_conntrack *ct = nfct_new();
	if (!ct)
		return MNL_CB_OK;
	if (nfct_nlmsg_parse(nlh, ct) == 0) {
		struct bw_net_flow f = {0};
		uint8_t l3 = nfct_get_attr_u8(ct, ATTR_ORIG_L3PROTO);
		f.proto = nfct_get_attr_u8(ct, ATTR_ORIG_L4PROTO);
		if (l3 == AF_INET) {
			f.family = AF_INET;
			uint32_t s = nfct_get_attr_u32(ct, ATTR_ORIG_IPV4_SRC),
				 d = nfct_get_attr_u32(ct, ATTR_ORIG_IPV4_DST);
			memcpy(f.src, &s, 4);
			memcpy(f.dst, &d, 4);
		} else if (l3 == AF_INET6) {
			f.family = AF_INET6;
			memcpy(f.src, nfct_get_attr(ct, ATTR_ORIG_IPV6_SRC), 16);
			memcpy(f.dst, nfct_get_attr(ct, ATTR_ORIG_IPV6_DST), 16);
		}
		if (f.proto == IPPROTO_TCP || f.proto == IPPROTO_UDP || f.proto == IPPROTO_SCTP) {
			f.sport = ntohs(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_SRC));
			f.dport = ntohs(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST));
		}
		f.netns = w->current;
		f.source = "conntrack";
		if (f.family)
			bw_net_flowlog_add(w->log, &f);
	}
	nfct_destroy(ct);
	return MNL_CB_OK;
}

static int conntrack_watch(struct bw_net_flowlog *log, const struct bw_net_watch_opts *wo,
			   struct bw_net_watch_result *res, struct bw_error *err)
{
	struct watch w = {.log = log};
	struct bw_engine *e = wo->engine;
	const volatile sig_atomic_t *stop = wo->stop;
	double duration = wo->duration;
	size_t max_flows = wo->max_flows;
	struct mnl_socket *host = ct_socket(err, "the host");
	if (!host)
		return err->code;
	add_src(&w, host, "host", NULL);
	if (e)
		rescan(&w, e);
	if (wo->ready)
		wo->ready(wo->ud, "conntrack");
	double start = bw_now(), last_scan = e ? start : 0;
	static char buf[1 << 16];
	int rc = 0;
	while (!(stop && *stop)) {
		double now = bw_now();
		if (duration > 0 && now - start >= duration)
			break;
		if (max_flows && bw_net_flowlog_count(log) >= max_flows)
			break;
		if (e && now - last_scan >= RESCAN) {
			rescan(&w, e);
			last_scan = bw_now();
		}
		struct pollfd pf[MAX_SOURCES];
		for (size_t i = 0; i < w.n; i++)
			pf[i] = (struct pollfd){mnl_socket_get_fd(w.srcs[i].nl), POLLIN, 0};
		int k = poll(pf, w.n, 200);
		if (k < 0 && errno != EINTR) {
			rc = bw_error_sys(err, BW_EIO, "poll");
			break;
		}
		for (size_t i = 0; k > 0 && i < w.n; i++) {
			if (!(pf[i].revents & POLLIN))
				continue;
			for (;;) {
				ssize_t n = mnl_socket_recvfrom(w.srcs[i].nl, buf, sizeof(buf));
				if (n < 0) {
					if (errno == ENOBUFS)
						w.lost++;
					break;
				}
				w.current = w.srcs[i].name;
				mnl_cb_run(buf, (size_t)n, 0, 0, on_event, &w);
			}
		}
	}
	for (size_t i = 0; i < w.n; i++) {
		mnl_socket_close(w.srcs[i].nl);
		free(w.srcs[i].name);
		free(w.srcs[i].id);
	}
	free(w.srcs);
	res->lost += w.lost;
	res->unjoined = w.unjoined;
	return rc;
}

int bw_net_watch_conntrack(struct bw_net_flowlog *log, struct bw_engine *e, const volatile sig_atomic_t *stop,
			   double duration, size_t max_flows, size_t *lost, struct bw_error *err)
{
	struct bw_net_watch_opts wo = {
	    .engine = e, .stop = stop, .duration = duration, .max_flows = max_flows};
	struct bw_net_watch_result res = {0};
	int rc = conntrack_watch(log, &wo, &res, err);
	if (lost)
		*lost = (size_t)res.lost;
	return rc;
}

static int conntrack_run(void *ud, struct bw_net_flowlog *log, const struct bw_net_watch_opts *o,
			 struct bw_net_watch_result *res, struct bw_error *err)
{
	(void)ud;
	return conntrack_watch(log, o, res, err);
}

const struct bw_net_flow_source bw_net_flow_conntrack = {"conntrack", conntrack_run, NULL};

int bw_net_watch(struct bw_net_flowlog *log, const struct bw_net_flow_source *rows, size_t n,
		 const struct bw_net_watch_opts *o, struct bw_net_watch_result *res, struct bw_error *err)
{
	int rc = bw_error_set(err, BW_EUSAGE, "no flow source");
	size_t used = 0;
	res->fallback[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		bw_error_clear(err);
		res->source = rows[i].name;
		rc = rows[i].run(rows[i].ud, log, o, res, err);
		if (rc != BW_EUNSUPPORTED || i + 1 == n)
			break;
		/* the next row runs: say why this one did not */
		int w = snprintf(res->fallback + used, sizeof(res->fallback) - used, "%s%s: %s",
				 used ? "; " : "", rows[i].name, err->msg);
		if (w > 0)
			used += (size_t)w < sizeof(res->fallback) - used ? (size_t)w
									 : sizeof(res->fallback) - 1 - used;
	}
	return rc;
}
