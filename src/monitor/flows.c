/* Flows only: the eBPF source opened for a flow log (bw_monitor_flows). No
 * rules and no process table: the kernel side records TCP state changes
 * (sock:inet_sock_set_state, every TCP socket of the machine) and connect()
 * (for UDP), and each record that opens a connection becomes one flow:
 *
 *   CLOSE -> SYN_SENT        a connect(), in the process's context, before
 *                            the kernel picks the source port: its process
 *                            is kept (struct bw_mon_connecting)
 *   SYN_SENT -> ESTABLISHED  the client's end: a flow, with that process
 *   SYN_SENT -> CLOSE        refused, unreachable, timed out: a "failed" flow
 *   SYN_RECV -> ESTABLISHED  the server's end (softirq: no process)
 *   connect() on a datagram socket that succeeded: a UDP flow
 *
 * A connection between two local containers is seen at both ends (the
 * flow log drops the repeat). The cgroup of a TCP record is its socket's,
 * so softirq records are attributed to the right container. */
#include <netinet/in.h>
#include <sys/socket.h>

#include "monitor-int.h"

enum {
	TCP_ESTABLISHED_ = 1,
	TCP_SYN_SENT_ = 2,
	TCP_SYN_RECV_ = 3,
	TCP_CLOSE_ = 7,
};

void bw_mon_flows_init(struct bw_mon_flows *t, bw_mon_flows_ctr_fn ctr, void *ctr_ud, bw_monitor_flow_fn fn,
		       void *ud)
{
	memset(t, 0, sizeof(*t));
	t->ctr = ctr;
	t->ctr_ud = ctr_ud;
	t->fn = fn;
	t->ud = ud;
}

/* An address of a record as the flow gives it: IPv4-mapped IPv6 as IPv4.
 * 0 for a family that is neither. */
static int addr_of(int family, const uint8_t in[BW_EV_ADDR], uint8_t out[16])
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	memset(out, 0, 16);
	if (family == AF_INET) {
		memcpy(out, in, 4);
		return AF_INET;
	}
	if (family != AF_INET6)
		return 0;
	if (!memcmp(in, mapped, sizeof(mapped))) {
		memcpy(out, in + 12, 4);
		return AF_INET;
	}
	memcpy(out, in, 16);
	return AF_INET6;
}

static void remember(struct bw_mon_flows *t, const struct bw_ev_hdr *h, int family, const uint8_t *laddr,
		     const uint8_t *raddr, uint16_t rport)
{
	struct bw_mon_connecting *c = &t->connecting[t->next];
	t->next = (t->next + 1) % BW_MON_FLOWS_CONNECTING;
	c->cgroup_id = h->cgroup_id;
	c->family = family;
	memcpy(c->laddr, laddr, 16);
	memcpy(c->raddr, raddr, 16);
	c->rport = rport;
	c->pid = h->pid;
	memcpy(c->comm, h->comm, BW_EV_COMM);
	c->comm[BW_EV_COMM] = '\0';
}

/* The oldest connect() waiting for this outcome (forgotten once taken). */
static bool take(struct bw_mon_flows *t, const struct bw_ev_hdr *h, int family, const uint8_t *laddr,
		 const uint8_t *raddr, uint16_t rport, struct bw_mon_connecting *out)
{
	for (size_t k = 0; k < BW_MON_FLOWS_CONNECTING; k++) {
		struct bw_mon_connecting *c = &t->connecting[(t->next + k) % BW_MON_FLOWS_CONNECTING];
		if (!c->pid || c->cgroup_id != h->cgroup_id || c->family != family || c->rport != rport ||
		    memcmp(c->raddr, raddr, 16) || memcmp(c->laddr, laddr, 16))
			continue;
		*out = *c;
		c->pid = 0;
		return true;
	}
	return false;
}

static void emit(struct bw_mon_flows *t, const struct bw_ev_hdr *h, struct bw_monitor_flow *f)
{
	char shortid[13];
	const struct bw_mon_container *c =
	    t->ctr ? t->ctr(t->ctr_ud, h->cgroup_id, f->pid > 0 ? (uint32_t)f->pid : 0) : NULL;
	if (c && !c->host) {
		f->container_id = c->id;
		f->container = c->name && *c->name ? c->name : NULL;
		if (!f->container) {
			snprintf(shortid, sizeof(shortid), "%.12s", c->id);
			f->container = shortid;
		}
	}
	t->flows++;
	if (t->fn && t->fn(t->ud, f))
		t->stop = true;
}

static void on_tcp(struct bw_mon_flows *t, const struct bw_ev_hdr *h, const struct bw_ev_tcp *e)
{
	uint8_t l[16], r[16];
	int family = addr_of(e->family, e->laddr, l);
	if (!family || addr_of(e->family, e->raddr, r) != family)
		return;
	if (e->oldstate == TCP_CLOSE_ && e->newstate == TCP_SYN_SENT_) {
		if (!(h->flags & BW_EVF_NOPROC))
			remember(t, h, family, l, r, e->rport);
		return;
	}
	struct bw_monitor_flow f = {.family = family, .proto = IPPROTO_TCP};
	bool client =
	    e->oldstate == TCP_SYN_SENT_ && (e->newstate == TCP_ESTABLISHED_ || e->newstate == TCP_CLOSE_);
	bool server = e->oldstate == TCP_SYN_RECV_ && e->newstate == TCP_ESTABLISHED_;
	if (client) {
		memcpy(f.src, l, 16);
		memcpy(f.dst, r, 16);
		f.sport = e->lport;
		f.dport = e->rport;
		f.at_src = true;
		f.state = e->newstate == TCP_ESTABLISHED_ ? "established" : "failed";
		struct bw_mon_connecting who;
		if (take(t, h, family, l, r, e->rport, &who)) {
			if (t->self_pid && who.pid == t->self_pid) {
				t->own++;
				return;
			}
			f.pid = (int)who.pid;
			f.comm = who.comm;
			emit(t, h, &f);
			return;
		}
		if (!(h->flags & BW_EVF_NOPROC)) {
			f.pid = (int)h->pid;
			f.comm = h->comm[0] ? h->comm : NULL;
		}
	} else if (server) {
		memcpy(f.src, r, 16);
		memcpy(f.dst, l, 16);
		f.sport = e->rport;
		f.dport = e->lport;
		f.state = "established";
	} else {
		return;
	}
	char comm[BW_EV_COMM + 1];
	if (f.comm) {
		memcpy(comm, f.comm, BW_EV_COMM);
		comm[BW_EV_COMM] = '\0';
		f.comm = comm;
	}
	emit(t, h, &f);
}

static void on_connect(struct bw_mon_flows *t, const struct bw_ev_hdr *h, const struct bw_ev_sock *e)
{
	if (h->ret != 0 || e->fdkind != BW_FD_SOCK || e->type != SOCK_DGRAM || e->protocol != IPPROTO_UDP)
		return;
	uint8_t l[16], r[16];
	int family = addr_of(e->family, e->laddr, l);
	if (!family || addr_of(e->family, e->raddr, r) != family)
		return;
	char comm[BW_EV_COMM + 1];
	memcpy(comm, h->comm, BW_EV_COMM);
	comm[BW_EV_COMM] = '\0';
	struct bw_monitor_flow f = {.family = family,
				    .proto = IPPROTO_UDP,
				    .sport = e->lport,
				    .dport = e->rport,
				    .state = "connected",
				    .at_src = true,
				    .pid = (int)h->pid,
				    .comm = comm[0] ? comm : NULL};
	memcpy(f.src, l, 16);
	memcpy(f.dst, r, 16);
	emit(t, h, &f);
}

void bw_mon_flows_record(struct bw_mon_flows *t, const void *rec, size_t len)
{
	t->records++;
	struct bw_mon_event ev;
	memset(&ev, 0, sizeof(ev));
	if (!bw_mon_decode(rec, len, &ev)) {
		t->decode_errors++;
		return;
	}
	if (ev.hdr->kind == BW_EV_TCP_STATE)
		on_tcp(t, ev.hdr, ev.fixed);
	else if (ev.hdr->kind == BW_EV_CONNECT)
		on_connect(t, ev.hdr, ev.fixed);
}

/* ---- the run ------------------------------------------------------------------ */

struct run {
	struct bw_mon_attrib *attrib;
	struct bw_mon_flows t;
};

static const struct bw_mon_container *attrib_ctr(void *ud, uint64_t cgroup_id, uint32_t pid)
{
	struct run *r = ud;
	const struct bw_mon_container *c =
	    bw_mon_attrib_container(r->attrib, cgroup_id, NULL, 0, pid, bw_now());
	return c->host ? NULL : c;
}

static void on_record(void *ud, const void *rec, size_t len)
{
	struct run *r = ud;
	if (!r->t.stop)
		bw_mon_flows_record(&r->t, rec, len);
}

static void warn(const struct bw_monitor_flow_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void warn(const struct bw_monitor_flow_opts *o, const char *fmt, ...)
{
	if (!o->log)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	o->log(o->log_ud, 1, msg);
}

int bw_monitor_flows(const struct bw_monitor_flow_opts *o, bw_monitor_flow_fn fn, void *ud,
		     struct bw_monitor_flow_result *res, struct bw_error *err)
{
	memset(res, 0, sizeof(*res));
	const struct bw_mon_source_ops *src = &bw_mon_source_bpf;
	int rc = src->probe(err);
	if (rc)
		return rc;
	/* only what flows need: the TCP state hook, and connect() for UDP */
	struct bw_mon_kconfig k;
	memset(&k, 0, sizeof(k));
	k.kinds = 1u << BW_EV_TCP_STATE;
	k.flows_only = true;
	int ct = bw_mon_evtype_by_name("connect");
	if (ct >= 0)
		k.evtype_on[ct] = true;
	struct bw_monitor_opts so;
	memset(&so, 0, sizeof(so));
	so.docker_host = o->docker_host;
	so.ring_bytes = o->ring_bytes;
	struct run *r = bw_calloc(1, sizeof(*r));
	bw_mon_flows_init(&r->t, attrib_ctr, r, fn, ud);
	r->t.self_pid = (uint32_t)getpid();
	void *state = NULL;
	if ((rc = bw_mon_attrib_new(&so, &r->attrib, err)) != 0)
		goto out;
	/* the source's own notes (optional hooks) are not the flow log's */
	if ((rc = src->open(&so, &k, &state, NULL, NULL, err)) != 0)
		goto out;
	if (o->ready)
		o->ready(o->ud);
	double start = bw_now(), last = start;
	uint64_t drops = 0, bad = 0;
	for (;;) {
		int n = src->poll(state, 100, on_record, r);
		bool stopping = o->stopping && o->stopping(o->ud);
		if (n < 0 && !stopping) {
			rc = bw_error_set(err, BW_EIO, "the eBPF event source failed: %s", strerror(-n));
			break;
		}
		char *w;
		while ((w = bw_mon_attrib_take_warning(r->attrib))) {
			warn(o, "%s", w);
			free(w);
		}
		double now = bw_now();
		bool end = r->t.stop || stopping || (o->duration > 0 && now - start >= o->duration);
		if (end || now - last >= 1) {
			struct bw_mon_src_counters c = {0};
			src->counters(state, &c);
			if (c.drops > drops)
				warn(o,
				     "the kernel dropped %llu records (the ring buffer was full): flows are "
				     "missing",
				     (unsigned long long)(c.drops - drops));
			if (r->t.decode_errors > bad)
				warn(o, "%llu records were not well formed and were skipped",
				     (unsigned long long)(r->t.decode_errors - bad));
			drops = c.drops;
			bad = r->t.decode_errors;
			last = now;
		}
		if (end)
			break;
	}
	res->drops = drops;
out:
	if (state)
		src->close(state);
	if (r->attrib)
		bw_mon_attrib_free(r->attrib);
	res->records = r->t.records;
	res->flows = r->t.flows;
	res->decode_errors = r->t.decode_errors;
	res->own = r->t.own;
	free(r);
	return rc;
}
