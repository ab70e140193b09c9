/* The monitor's flows-only mode (the flow log's eBPF source) on synthetic
 * records, as the kernel side writes them (bpf/events.h): which TCP state
 * changes and connect()s become flows, their direction, the process a
 * client's SYN_SENT record leaves for its outcome, the container of the
 * socket's cgroup, IPv4-mapped addresses, and malformed records counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "monitor/monitor-int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

static _Alignas(8) unsigned char rec[512];

#define MAX_SEEN 16
static struct seen {
	struct bw_monitor_flow f;
	char container[64], comm[32], state[16];
} seen[MAX_SEEN];
static size_t n_seen;
static int stop_after;

static int on_flow(void *ud, const struct bw_monitor_flow *f)
{
	(void)ud;
	assert_true(n_seen < MAX_SEEN);
	struct seen *s = &seen[n_seen++];
	s->f = *f;
	snprintf(s->container, sizeof(s->container), "%s", f->container ? f->container : "");
	snprintf(s->comm, sizeof(s->comm), "%s", f->comm ? f->comm : "");
	snprintf(s->state, sizeof(s->state), "%s", f->state ? f->state : "");
	return stop_after && (int)n_seen >= stop_after;
}

/* cgroup 100: container "db"; 200: container without a name yet; others: the host */
static struct bw_mon_container db = {.cgroup_id = 100, .id = "d0d0d0d0d0d0aaaa", .name = "db"};
static struct bw_mon_container anon = {.cgroup_id = 200, .id = "abcdef0123456789ffff"};

static const struct bw_mon_container *ctr(void *ud, uint64_t cgroup_id, uint32_t pid)
{
	(void)ud;
	(void)pid;
	return cgroup_id == 100 ? &db : cgroup_id == 200 ? &anon : NULL;
}

static struct bw_ev_hdr *hdr(uint16_t kind, uint16_t fixed, uint64_t cgroup, uint32_t pid, const char *comm,
			     bool noproc)
{
	memset(rec, 0, sizeof(rec));
	struct bw_ev_hdr *h = (void *)rec;
	h->kind = kind;
	h->size = (uint16_t)(sizeof(*h) + fixed);
	h->syscall = BW_EV_NO_SYSCALL;
	h->flags = noproc ? BW_EVF_NOPROC : 0;
	h->pid = h->tid = pid;
	h->cgroup_id = cgroup;
	snprintf(h->comm, sizeof(h->comm), "%s", comm);
	return h;
}

static void addr(uint16_t family, const char *text, uint8_t out[BW_EV_ADDR])
{
	memset(out, 0, BW_EV_ADDR);
	assert_int_equal(inet_pton(family == AF_INET ? AF_INET : AF_INET6, text, out), 1);
}

static void tcp(struct bw_mon_flows *t, uint64_t cgroup, uint32_t pid, bool noproc, uint16_t family,
		const char *l, uint16_t lport, const char *r, uint16_t rport, int from, int to)
{
	struct bw_ev_hdr *h = hdr(BW_EV_TCP_STATE, sizeof(struct bw_ev_tcp), cgroup, pid, "curl", noproc);
	struct bw_ev_tcp *e = (void *)(h + 1);
	e->family = family;
	e->lport = lport;
	e->rport = rport;
	e->oldstate = from;
	e->newstate = to;
	addr(family, l, e->laddr);
	addr(family, r, e->raddr);
	bw_mon_flows_record(t, rec, h->size);
}

static void expect(size_t i, const char *src, int sport, const char *dst, int dport, int proto,
		   const char *state, bool at_src, const char *container, int pid, const char *comm)
{
	assert_true(i < n_seen);
	const struct seen *s = &seen[i];
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	inet_ntop(s->f.family, s->f.src, a, sizeof(a));
	inet_ntop(s->f.family, s->f.dst, b, sizeof(b));
	assert_string_equal(a, src);
	assert_string_equal(b, dst);
	assert_int_equal(s->f.sport, sport);
	assert_int_equal(s->f.dport, dport);
	assert_int_equal(s->f.proto, proto);
	assert_string_equal(s->state, state);
	assert_int_equal(s->f.at_src, at_src);
	assert_string_equal(s->container, container);
	assert_int_equal(s->f.pid, pid);
	assert_string_equal(s->comm, comm);
}

static void test_tcp_connections(void **st)
{
	(void)st;
	static struct bw_mon_flows t;
	n_seen = 0;
	stop_after = 0;
	bw_mon_flows_init(&t, ctr, NULL, on_flow, NULL);
	/* a client in the host: connect() (process context, no port yet), then
	 * the handshake completes in softirq */
	tcp(&t, 1, 4242, false, AF_INET, "10.0.0.2", 0, "10.0.0.3", 5432, 7, 2);
	assert_int_equal(n_seen, 0);
	tcp(&t, 1, 0, true, AF_INET, "10.0.0.2", 40000, "10.0.0.3", 5432, 2, 1);
	expect(0, "10.0.0.2", 40000, "10.0.0.3", 5432, IPPROTO_TCP, "established", true, "", 4242, "curl");
	/* the server's end of it, in container db (the socket's cgroup): a
	 * dual-stack listener's IPv4-mapped addresses come as IPv4 */
	tcp(&t, 100, 0, true, AF_INET6, "::ffff:10.0.0.3", 5432, "::ffff:10.0.0.2", 40000, 3, 1);
	expect(1, "10.0.0.2", 40000, "10.0.0.3", 5432, IPPROTO_TCP, "established", false, "db", 0, "");
	/* refused: SYN_SENT -> CLOSE, from a container not named yet (its short id) */
	tcp(&t, 200, 77, false, AF_INET6, "fd00::2", 0, "fd00::3", 22, 7, 2);
	tcp(&t, 200, 0, true, AF_INET6, "fd00::2", 0, "fd00::3", 22, 2, 7);
	expect(2, "fd00::2", 0, "fd00::3", 22, IPPROTO_TCP, "failed", true, "abcdef012345", 77, "curl");
	/* the process is taken once: a second outcome to the same place has none */
	tcp(&t, 200, 0, true, AF_INET6, "fd00::2", 0, "fd00::3", 22, 2, 7);
	expect(3, "fd00::2", 0, "fd00::3", 22, IPPROTO_TCP, "failed", true, "abcdef012345", 0, "");
	/* the watching process's own connections (its engine client) are not flows */
	t.self_pid = 999;
	tcp(&t, 1, 999, false, AF_INET, "10.0.0.2", 0, "10.0.0.9", 2375, 7, 2);
	tcp(&t, 1, 0, true, AF_INET, "10.0.0.2", 40009, "10.0.0.9", 2375, 2, 1);
	assert_int_equal(n_seen, 4);
	assert_int_equal(t.own, 1);
	/* closing an established connection, a listen socket's states: no flow */
	tcp(&t, 1, 0, true, AF_INET, "10.0.0.2", 40000, "10.0.0.3", 5432, 1, 4);
	tcp(&t, 1, 0, true, AF_INET, "0.0.0.0", 80, "0.0.0.0", 0, 7, 10);
	assert_int_equal(n_seen, 4);
	assert_int_equal(t.flows, 4);
	assert_int_equal(t.records, 10);
	assert_int_equal(t.decode_errors, 0);
}

static void test_udp_and_malformed(void **st)
{
	(void)st;
	static struct bw_mon_flows t;
	n_seen = 0;
	stop_after = 0;
	bw_mon_flows_init(&t, ctr, NULL, on_flow, NULL);
	int nr = bw_mon_syscall_nr("connect");
	assert_true(nr >= 0);
	const int kinds[][3] = {
	    /* type, protocol, ret */
	    {SOCK_DGRAM, IPPROTO_UDP, 0},	     /* a flow */
	    {SOCK_STREAM, IPPROTO_TCP, 0},	     /* TCP comes from its states */
	    {SOCK_DGRAM, IPPROTO_UDP, -ENETUNREACH}, /* failed */
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(kinds); i++) {
		struct bw_ev_hdr *h = hdr(BW_EV_CONNECT, sizeof(struct bw_ev_sock), 100, 900, "dig", false);
		h->syscall = (uint16_t)nr;
		h->ret = kinds[i][2];
		struct bw_ev_sock *e = (void *)(h + 1);
		e->family = AF_INET;
		e->type = (uint16_t)kinds[i][0];
		e->protocol = (uint16_t)kinds[i][1];
		e->fdkind = BW_FD_SOCK;
		e->lport = 33333;
		e->rport = 53;
		addr(AF_INET, "10.0.0.3", e->laddr);
		addr(AF_INET, "10.0.0.53", e->raddr);
		/* the string (unix path) is missing, as the kernel writes it for inet */
		struct bw_ev_str *s = (void *)(e + 1);
		s->flags = BW_STRF_MISSING;
		h->size = (uint16_t)(h->size + sizeof(*s));
		bw_mon_flows_record(&t, rec, h->size);
	}
	assert_int_equal(n_seen, 1);
	expect(0, "10.0.0.3", 33333, "10.0.0.53", 53, IPPROTO_UDP, "connected", true, "db", 900, "dig");
	/* a record shorter than its kind, one longer than what was read, an unknown kind */
	struct bw_ev_hdr *h = hdr(BW_EV_TCP_STATE, sizeof(struct bw_ev_tcp), 1, 0, "", true);
	bw_mon_flows_record(&t, rec, sizeof(*h) + 4);
	h->size = 400;
	bw_mon_flows_record(&t, rec, 200);
	h = hdr(BW_EV__COUNT, 0, 1, 0, "", true);
	bw_mon_flows_record(&t, rec, h->size);
	assert_int_equal(t.decode_errors, 3);
	assert_int_equal(n_seen, 1);
}

static void test_callback_stops(void **st)
{
	(void)st;
	static struct bw_mon_flows t;
	n_seen = 0;
	stop_after = 1;
	bw_mon_flows_init(&t, NULL, NULL, on_flow, NULL);
	tcp(&t, 100, 0, true, AF_INET, "10.0.0.3", 80, "10.0.0.9", 50000, 3, 1);
	assert_true(t.stop);
	/* no attribution function: no container */
	expect(0, "10.0.0.9", 50000, "10.0.0.3", 80, IPPROTO_TCP, "established", false, "", 0, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tcp_connections),
	    cmocka_unit_test(test_udp_and_malformed),
	    cmocka_unit_test(test_callback_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
