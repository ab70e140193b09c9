/* libFuzzer harness: the runtime monitor's rules loader and compiler (a
 * Falco rules file: YAML, lists, macros, appends, overrides, exceptions,
 * outputs), then every compiled decision evaluated on a few synthetic
 * events, and the outputs rendered. */
#include "monitor/monitor-int.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bw_mon mon;
static _Alignas(8) unsigned char recs[3][1024];
static size_t rec_len[3];

static void put(unsigned char *r, size_t *off, const char *s)
{
	struct bw_ev_str h = {(uint16_t)strlen(s), 0};
	memcpy(r + *off, &h, sizeof(h));
	*off += sizeof(h);
	memcpy(r + *off, s, h.len);
	*off += h.len;
}

static void setup(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	bw_mon_proctab_init(&mon.procs, 1024);
	/* an exec, an open and a connect */
	for (int k = 0; k < 3; k++) {
		unsigned char *r = recs[k];
		struct bw_ev_hdr *h = (void *)r;
		h->pid = h->tid = 4242;
		h->ppid = 1;
		h->ts = 1;
		h->cgroup_id = 7;
		memcpy(h->comm, "sh", 3);
		size_t off = sizeof(*h);
		if (k == 0) {
			h->kind = BW_EV_EXEC;
			h->syscall = (uint16_t)bw_mon_syscall_nr("execve");
			off += sizeof(struct bw_ev_exec);
			put(r, &off, "/bin/sh");
			put(r, &off, "/usr/bin/dash");
			put(r, &off, "sh\0-c\0cat /etc/shadow");
			put(r, &off, "/tmp");
			put(r, &off, "docker");
		} else if (k == 1) {
			h->kind = BW_EV_OPEN;
			h->syscall = (uint16_t)bw_mon_syscall_nr("openat");
			h->ret = 3;
			struct bw_ev_open *o = (void *)(r + off);
			o->dirfd = -100;
			o->flags = 01101;
			off += sizeof(*o);
			put(r, &off, "../etc/shadow");
			put(r, &off, "/etc/shadow");
		} else {
			h->kind = BW_EV_CONNECT;
			h->syscall = (uint16_t)bw_mon_syscall_nr("connect");
			struct bw_ev_sock *s = (void *)(r + off);
			s->family = 2;
			s->type = 1;
			s->lport = 40000;
			s->rport = 443;
			s->laddr[0] = 10;
			s->raddr[0] = 8;
			off += sizeof(*s);
			struct bw_ev_str miss = {0, BW_STRF_MISSING};
			memcpy(r + off, &miss, sizeof(miss));
			off += sizeof(miss);
		}
		h->size = (uint16_t)off;
		rec_len[k] = off;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	const char *name = "fuzz.yaml";
	const char *text = (const char *)data;
	struct bw_mon_ruleset *rs = NULL;
	struct bw_error err = BW_ERROR_INIT;
	if (bw_mon_rules_load_buffers(&name, &text, &size, 1, true, false, &rs, &err) != 0)
		return 0;
	/* static: its user table, read once, stays reachable */
	static struct bw_mon_container c = {.host = false,
					    .id = "0123456789ab",
					    .name = "c",
					    .image = "i:1",
					    .image_repo = "i",
					    .image_tag = "1",
					    .runtime = "docker",
					    .resolved = true};
	for (int k = 0; k < 3; k++) {
		struct bw_mon_event ev;
		memset(&ev, 0, sizeof(ev));
		if (!bw_mon_decode(recs[k], rec_len[k], &ev))
			abort();
		ev.mon = &mon;
		ev.scratch = mon.scratch;
		ev.scratch_cap = sizeof(mon.scratch);
		ev.proc = bw_mon_proctab_apply(&mon.procs, ev.hdr, ev.fixed, ev.str, ev.nstr, 0);
		ev.ctr = &c;
		for (size_t i = 0; i < rs->n_by_type[ev.evtype]; i++) {
			ev.scratch_used = 0;
			if (bw_mon_eval(rs->by_type[ev.evtype][i].cond, &ev))
				(void)bw_mon_format(rs->by_type[ev.evtype][i].rule, &ev);
		}
	}
	bw_mon_ruleset_free(rs);
	return 0;
}
