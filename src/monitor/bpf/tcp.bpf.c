/* sock:inet_sock_set_state: TCP state changes, for the flow log. Often in
 * softirq context, so the process fields are not the socket's: the record
 * says so (BW_EVF_NOPROC) except for connect()'s move to SYN_SENT. The cgroup
 * is the socket's own. */
#include "common.bpf.h"

#define BW_TCP_SYN_SENT 2

SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(bw_tcp_state, const struct sock *sk, const int oldstate, const int newstate)
{
	struct bw_ev_config *cfg = bw_config();
	if (!cfg || !(cfg->kinds & (1u << BW_EV_TCP_STATE)))
		return 0;
	if (BPF_CORE_READ(sk, sk_protocol) != 6 /* IPPROTO_TCP */)
		return 0;
	__u64 cgid = 0;
	if (bpf_core_field_exists(sk->sk_cgrp_data.cgroup))
		cgid = BPF_CORE_READ(sk, sk_cgrp_data.cgroup, kn, id);
	if ((cfg->flags & BW_CFG_CONTAINERS_ONLY) && cgid == cfg->host_cgroup_id) {
		bw_count(BW_STAT_FILTERED);
		return 0;
	}
	struct bw_scratch *s = bw_scratch();
	if (!s)
		return 0;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct bw_ev_hdr *h = (void *)s->ev;
	bw_fill_hdr(h, t, BW_EV_TCP_STATE, BW_EV_NO_SYSCALL);
	if (newstate != BW_TCP_SYN_SENT)
		h->flags |= BW_EVF_NOPROC;
	if (cgid)
		h->cgroup_id = cgid;
	struct bw_ev_tcp *e = BW_FIXED(s, struct bw_ev_tcp);
	__builtin_memset(e, 0, sizeof(*e));
	e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->rport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	e->oldstate = oldstate;
	e->newstate = newstate;
	if (e->family == 2) {
		bpf_core_read(e->laddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(e->raddr, 4, &sk->__sk_common.skc_daddr);
	} else {
		bpf_core_read(e->laddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(e->raddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
	bw_emit(s, BW_STR0(struct bw_ev_tcp));
	return 0;
}
