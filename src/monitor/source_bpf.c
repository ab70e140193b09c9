/* The eBPF event source: the programs of bpf/ (linked into one object and
 * built into bulwark as a libbpf skeleton at build time), attached to raw
 * tracepoints (sched_process_exec/fork/exit, sock's inet_sock_set_state,
 * and capability's cap_capable where the kernel has it) and, for the
 * syscalls, either
 *   - each watched syscall's own tracepoint (syscalls:sys_exit_openat, …):
 *     a syscall no loaded rule watches runs no program at all. Needs tracefs
 *     (mounted at /sys/kernel/tracing or /sys/kernel/debug/tracing); or
 *   - the raw sys_exit tracepoint, whose program filters and tail-calls the
 *     syscall's program (the table of programs is the enable mask): every
 *     syscall pays for one program. Used where tracefs is not mounted, and
 *     when learning (which counts every syscall of a container), or with
 *     BW_MONITOR_RAW_SYSCALLS=1 in the environment (to compare the two).
 *
 * The kernel side never waits: records go through one ring buffer, and
 * what does not fit is counted per CPU (the "stats" map) and reported.
 * Configuration (the filter, sensitive prefixes, the syscalls to record)
 * lives in maps and is rewritten on a rules reload without detaching
 * anything, so no record is lost on SIGHUP. */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "monitor-int.h"

#include "monitor/monitor.skel.h"

struct state {
	struct bw_monitor_bpf *skel;
	struct ring_buffer *rb;
	bw_mon_record_fn cb;
	void *cb_ud;
	int ncpu;
	bool has_capable;
	const struct bw_monitor_opts *o;
	bool per_syscall;			       /* syscalls:sys_exit_* (else raw sys_exit) */
	char hook_why[256];			       /* why the raw sys_exit hook, when it is */
	struct bpf_link *tp_links[BW_MON_MAX_EVTYPES]; /* per_syscall: the attached ones */
	/* per_syscall: syscalls of this architecture without a tracepoint of
	 * their own (a kernel built without them: finit_module without module
	 * support still answers ENOSYS, and a rule still wants to see it); they
	 * go through the raw sys_exit hook, attached only while one is watched */
	bool no_tp[BW_MON_MAX_EVTYPES];
	struct bpf_link *raw_link;
};

/* The trace event of a syscall is named after its SYSCALL_DEFINE, which is
 * not always the syscall's name. */
static const char *tracepoint_name(const char *syscall)
{
	if (strcmp(syscall, "umount2") == 0)
		return "umount";
	return syscall;
}

static bool has_exit_tracepoint(const char *syscall)
{
	const char *name = tracepoint_name(syscall);
	char path[256];
	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/syscalls/sys_exit_%s", name);
	if (access(path, F_OK) == 0)
		return true;
	snprintf(path, sizeof(path), "/sys/kernel/debug/tracing/events/syscalls/sys_exit_%s", name);
	return access(path, F_OK) == 0;
}

/* Per-syscall tracepoints where tracefs is there and nothing needs every
 * syscall; else the raw sys_exit hook, and why in why. */
static bool use_per_syscall(const struct bw_mon_kconfig *k, char *why, size_t size)
{
	const char *env = getenv("BW_MONITOR_RAW_SYSCALLS");
	if (env && *env && strcmp(env, "0") != 0) {
		snprintf(why, size, "%s", "BW_MONITOR_RAW_SYSCALLS is set");
		return false;
	}
	if (k->flags & BW_CFG_LEARN) {
		snprintf(why, size, "%s", "learning counts every syscall");
		return false;
	}
	if (access("/sys/kernel/tracing/events/syscalls", R_OK | X_OK) != 0 &&
	    access("/sys/kernel/debug/tracing/events/syscalls", R_OK | X_OK) != 0) {
		snprintf(why, size, "%s",
			 "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing for the lighter "
			 "per-syscall hooks)");
		return false;
	}
	why[0] = '\0';
	return true;
}

static __thread char last_libbpf[512];

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	snprintf(last_libbpf, sizeof(last_libbpf), "%s", msg);
	return 0;
}

bool bw_monitor_have_bpf(const char **why)
{
	if (why)
		*why = NULL;
	return true;
}

static bool has_cap(int cap)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) != 0)
		return false;
	return (d[cap / 32].effective & (1u << (cap % 32))) != 0;
}

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static int not_permitted(struct bw_error *err, const char *what)
{
	return bw_error_set(
	    err, BW_EUNSUPPORTED,
	    "eBPF is not permitted here (%s): the monitor needs CAP_BPF and CAP_PERFMON, or "
	    "CAP_SYS_ADMIN (this process has%s%s%s); run it as root, or try --source fanotify",
	    what, has_cap(CAP_BPF) ? " CAP_BPF" : "", has_cap(CAP_PERFMON) ? " CAP_PERFMON" : "",
	    has_cap(CAP_SYS_ADMIN)			 ? " CAP_SYS_ADMIN"
	    : (has_cap(CAP_BPF) || has_cap(CAP_PERFMON)) ? ""
							 : " neither");
}

static int probe(struct bw_error *err)
{
	bool ok = has_cap(CAP_SYS_ADMIN) || (has_cap(CAP_BPF) && has_cap(CAP_PERFMON));
	if (!ok)
		return not_permitted(err, "missing capabilities");
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return bw_error_set(
		    err, BW_EUNSUPPORTED,
		    "the kernel has no BTF (/sys/kernel/btf/vmlinux): CO-RE eBPF cannot load here; "
		    "try --source fanotify");
	return 0;
}

/* Optional accelerations this kernel may allow: detected and reported, never
 * depended on. */
static void detect_optional(struct state *s, bw_monitor_log_fn log, void *ud)
{
	char msg[1024];
	size_t len = 0;
	struct btf *vm = btf__load_vmlinux_btf();
	/* fentry: load a two-instruction program on a kernel function */
	const char *fentry = "unknown";
	char fbuf[128];
	if (vm) {
		int id = btf__find_by_name_kind(vm, "do_sys_openat2", BTF_KIND_FUNC);
		if (id > 0) {
			struct bpf_insn insns[] = {
			    {.code = 0xb7, .dst_reg = 0, .imm = 0}, /* r0 = 0 */
			    {.code = 0x95},			    /* exit */
			};
			LIBBPF_OPTS(bpf_prog_load_opts, po, .expected_attach_type = BPF_TRACE_FENTRY,
				    .attach_btf_id = (__u32)id);
			int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "bw_probe", "GPL", insns, 2, &po);
			if (fd >= 0) {
				close(fd);
				fentry = "available (not used: raw tracepoints serve)";
			} else {
				snprintf(fbuf, sizeof(fbuf), "not permitted (%s)", strerror(errno));
				fentry = fbuf;
			}
		}
	}
	struct stat st;
	const char *kprobe = stat("/sys/bus/event_source/devices/kprobe", &st) == 0 ? "available (not used)"
										    : "not in this kernel";
	char lsm[256] = "";
	FILE *f = fopen("/sys/kernel/security/lsm", "re");
	if (f) {
		if (!fgets(lsm, sizeof(lsm), f))
			lsm[0] = '\0';
		fclose(f);
	}
	lsm[strcspn(lsm, "\n")] = '\0';
	const char *bpflsm = strstr(lsm, "bpf") ? "enabled (not used)" : "not enabled";
	int w = snprintf(
	    msg + len, sizeof(msg) - len,
	    "eBPF source: raw tracepoints, syscalls through %s%s%s, ring buffer of %zu KiB; "
	    "optional hooks: fentry/fexit %s; kprobes %s; BPF-LSM %s%s%s%s; capability tracepoint %s",
	    s->per_syscall ? "their own tracepoints (syscalls:sys_exit_*)" : "the raw sys_exit hook",
	    !s->hook_why[0] ? ""
	    : s->per_syscall
		? "; those this kernel has none for, through the raw sys_exit hook while watched: "
		: ": ",
	    s->hook_why, (s->o->ring_bytes ? s->o->ring_bytes : 8u << 20) >> 10, fentry, kprobe, bpflsm,
	    lsm[0] ? " (lsm=" : "", lsm, lsm[0] ? ")" : "",
	    s->has_capable ? "yes (capabilities are counted while learning)"
			   : "no (capabilities are inferred from syscalls)");
	if (w > 0)
		len += (size_t)w;
	if (log)
		log(ud, 0, msg);
	btf__free(vm);
}

static uint32_t host_mntns(void)
{
	struct stat st;
	if (stat("/proc/1/ns/mnt", &st) == 0)
		return (uint32_t)st.st_ino;
	if (stat("/proc/self/ns/mnt", &st) == 0)
		return (uint32_t)st.st_ino;
	return 0;
}

/* The address ranges of the kernel's probing capability checkers, from
 * /proc/kallsyms (zero where it hides addresses). */
static void noaudit_ranges(__u64 out[BW_EV_NOAUDIT][2])
{
	static const char *const names[BW_EV_NOAUDIT] = {
	    "security_vm_enough_memory_mm",	"ns_capable_noaudit",
	    "has_capability_noaudit",		"has_ns_capability_noaudit",
	    "capable_wrt_inode_uidgid_noaudit", "file_ns_capable_noaudit",
	};
	memset(out, 0, sizeof(__u64) * 2 * BW_EV_NOAUDIT);
	FILE *f = fopen("/proc/kallsyms", "re");
	if (!f)
		return;
	char line[512];
	__u64 start[BW_EV_NOAUDIT] = {0};
	__u64 best_end[BW_EV_NOAUDIT];
	for (int i = 0; i < BW_EV_NOAUDIT; i++)
		best_end[i] = ~0ull;
	/* pass 1: the functions' addresses */
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char type, name[256];
		if (sscanf(line, "%llx %c %255s", &a, &type, name) != 3 || a == 0)
			continue;
		for (int i = 0; i < BW_EV_NOAUDIT; i++)
			if (strcmp(name, names[i]) == 0)
				start[i] = a;
	}
	/* pass 2: each one ends where the next symbol starts */
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char type;
		if (sscanf(line, "%llx %c", &a, &type) != 2)
			continue;
		for (int i = 0; i < BW_EV_NOAUDIT; i++)
			if (start[i] && a > start[i] && a < best_end[i])
				best_end[i] = a;
	}
	fclose(f);
	for (int i = 0; i < BW_EV_NOAUDIT; i++)
		if (start[i] && best_end[i] != ~0ull) {
			out[i][0] = start[i];
			out[i][1] = best_end[i];
		}
}

/* Attach the program of each wanted syscall to its sys_exit tracepoint
 * (bw_sys_NAME's twin, bw_tp_NAME), detach those no longer wanted. A
 * syscall this kernel does not have (no tracepoint) is passed over. */
static int attach_per_syscall(struct state *s, const bool *want, struct bw_error *err)
{
	for (size_t t = 0; t < bw_mon_n_evtypes; t++) {
		const struct bw_mon_evtype *et = &bw_mon_evtypes[t];
		if (!et->prog || strncmp(et->prog, "bw_sys_", 7) != 0 || s->no_tp[t])
			continue;
		if (!want[t]) {
			bpf_link__destroy(s->tp_links[t]);
			s->tp_links[t] = NULL;
			continue;
		}
		if (s->tp_links[t])
			continue;
		char pname[64], tp[64];
		snprintf(pname, sizeof(pname), "bw_tp_%s", et->prog + 7);
		snprintf(tp, sizeof(tp), "sys_exit_%s", tracepoint_name(et->name));
		struct bpf_program *prog = bpf_object__find_program_by_name(s->skel->obj, pname);
		if (!prog)
			return bw_error_set(err, BW_EIO, "eBPF: the program %s is missing", pname);
		struct bpf_link *l = bpf_program__attach_tracepoint(prog, "syscalls", tp);
		if (!l) {
			if (errno == ENOENT)
				continue;
			if (errno == EPERM || errno == EACCES)
				return not_permitted(err, "attaching to a syscall's tracepoint was refused");
			return bw_error_sys(err, BW_EIO, "eBPF: cannot attach to syscalls:%s", tp);
		}
		s->tp_links[t] = l;
	}
	return 0;
}

static void detach_per_syscall(struct state *s)
{
	for (size_t t = 0; t < BW_MON_MAX_EVTYPES; t++) {
		bpf_link__destroy(s->tp_links[t]);
		s->tp_links[t] = NULL;
	}
	bpf_link__destroy(s->raw_link);
	s->raw_link = NULL;
}

static int apply_config(struct state *s, const struct bw_mon_kconfig *k, struct bw_error *err)
{
	struct bw_ev_config cfg = {0};
	cfg.flags = k->flags;
	if (s->o->containers_only)
		cfg.flags |= BW_CFG_CONTAINERS_ONLY;
	if (s->o->all_opens)
		cfg.flags |= BW_CFG_ALL_OPENS | BW_CFG_ALL_PATHS;
	cfg.self_pid = s->o->include_self_events ? 0 : (uint32_t)getpid();
	cfg.host_cgroup_id = bw_mon_host_cgroup_id();
	cfg.host_mntns = host_mntns();
	cfg.kinds = k->kinds;
	cfg.n_prefixes = (uint32_t)k->n_prefixes;
	if (cfg.flags & BW_CFG_LEARN)
		noaudit_ranges(cfg.noaudit);
	for (uint32_t i = 0; i < BW_EV_PREFIXES; i++) {
		struct bw_ev_prefix p = {0};
		if (i < k->n_prefixes) {
			p.len = (uint32_t)strnlen(k->prefixes[i], BW_EV_PREFIX_LEN - 1);
			memcpy(p.s, k->prefixes[i], p.len);
			p.flags = k->prefix_write_only[i] ? BW_PFX_WRITE_ONLY : 0;
			size_t h = p.len < 8 ? p.len : 8;
			memcpy(&p.head, p.s, h);
			memset(&p.mask, 0xff, h);
		}
		if (bpf_map_update_elem(bpf_map__fd(s->skel->maps.bw_prefixes), &i, &p, BPF_ANY) < 0)
			return bw_error_sys(err, BW_EIO, "eBPF: cannot write the path prefixes");
	}
	/* the filter first: a per-syscall hook attached below filters at once */
	__u32 zero = 0;
	if (bpf_map_update_elem(bpf_map__fd(s->skel->maps.bw_cfg), &zero, &cfg, BPF_ANY) < 0)
		return bw_error_sys(err, BW_EIO, "eBPF: cannot write the configuration");
	/* the per-syscall programs: the attached tracepoints, or the tail-call
	 * table, are the enable mask. Hooks that stay are left alone (a reload
	 * loses nothing). */
	bool want[BW_MON_MAX_EVTYPES] = {0};
	for (size_t t = 0; t < bw_mon_n_evtypes; t++)
		want[t] = k->evtype_on[t];
	int rc;
	if (s->per_syscall && (rc = attach_per_syscall(s, want, err)) != 0)
		return rc;
	bool need_raw = false;
	int pfd = bpf_map__fd(s->skel->maps.bw_syscall_progs);
	for (size_t t = 0; t < bw_mon_n_evtypes; t++) {
		const struct bw_mon_evtype *et = &bw_mon_evtypes[t];
		if (!et->prog)
			continue;
		int nr = bw_mon_evtype_nr((int)t);
		if (nr < 0 || nr >= 512)
			continue;
		__u32 key = (__u32)nr;
		if (!want[t] || (s->per_syscall && !s->no_tp[t])) {
			bpf_map_delete_elem(pfd, &key);
			continue;
		}
		need_raw = true;
		struct bpf_program *prog = bpf_object__find_program_by_name(s->skel->obj, et->prog);
		int fd = prog ? bpf_program__fd(prog) : -1;
		if (fd < 0)
			return bw_error_set(err, BW_EIO, "eBPF: the program %s is missing", et->prog);
		if (bpf_map_update_elem(pfd, &key, &fd, BPF_ANY) < 0)
			return bw_error_sys(err, BW_EIO, "eBPF: cannot enable %s", et->name);
	}
	if (s->per_syscall && need_raw && !s->raw_link) {
		s->raw_link = bpf_program__attach(s->skel->progs.bw_sys_exit);
		if (!s->raw_link)
			return bw_error_sys(err, BW_EIO,
					    "eBPF: cannot attach to the raw sys_exit tracepoint");
	} else if (s->per_syscall && !need_raw && s->raw_link) {
		bpf_link__destroy(s->raw_link);
		s->raw_link = NULL;
	}
	return 0;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct state *s = ctx;
	s->cb(s->cb_ud, data, size);
	return 0;
}

static int bpf_open(const struct bw_monitor_opts *o, const struct bw_mon_kconfig *k, void **out,
		    bw_monitor_log_fn log, void *log_ud, struct bw_error *err)
{
	*out = NULL;
	int rc = probe(err);
	if (rc)
		return rc;
	libbpf_set_print(libbpf_print);
	struct state *s = bw_calloc(1, sizeof(*s));
	s->o = o;
	s->skel = bw_monitor_bpf__open();
	if (!s->skel) {
		free(s);
		return bw_error_sys(err, BW_EUNSUPPORTED, "eBPF: cannot open the programs: %s", last_libbpf);
	}
	size_t ring = o->ring_bytes ? o->ring_bytes : 8u << 20;
	size_t p2 = 4096;
	while (p2 < ring && p2 < (1u << 30))
		p2 <<= 1;
	bpf_map__set_max_entries(s->skel->maps.bw_events, (__u32)p2);
	struct btf *vm = btf__load_vmlinux_btf();
	s->has_capable = vm && btf__find_by_name_kind(vm, "btf_trace_cap_capable", BTF_KIND_TYPEDEF) > 0;
	btf__free(vm);
	if (!s->has_capable)
		bpf_program__set_autoload(s->skel->progs.bw_cap_capable, false);
	/* the per-syscall programs: one of the two forms is loaded (the
	 * verifier sees each body once), and user space attaches it, or puts it
	 * into the tail-call table (all of them, or in per-syscall mode those
	 * without a tracepoint of their own) */
	s->per_syscall = use_per_syscall(k, s->hook_why, sizeof(s->hook_why));
	bool any_no_tp = false;
	if (s->per_syscall) {
		size_t len = 0;
		for (size_t t = 0; t < bw_mon_n_evtypes; t++) {
			const struct bw_mon_evtype *et = &bw_mon_evtypes[t];
			if (!et->prog || bw_mon_evtype_nr((int)t) < 0 || has_exit_tracepoint(et->name))
				continue;
			s->no_tp[t] = any_no_tp = true;
			int w = snprintf(s->hook_why + len, sizeof(s->hook_why) - len, "%s%s",
					 len ? ", " : "", et->name);
			if (w > 0 && (size_t)w < sizeof(s->hook_why) - len)
				len += (size_t)w;
		}
	}
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, s->skel->obj)
	{
		const char *sec = bpf_program__section_name(prog);
		if (strcmp(sec, "raw_tp") == 0) {
			bpf_program__set_autoattach(prog, false);
			bool needed = !s->per_syscall;
			for (size_t t = 0; t < bw_mon_n_evtypes && !needed; t++)
				needed = s->no_tp[t] && bw_mon_evtypes[t].prog &&
					 strcmp(bw_mon_evtypes[t].prog, bpf_program__name(prog)) == 0;
			bpf_program__set_autoload(prog, needed);
		} else if (strcmp(sec, "tp") == 0) {
			bpf_program__set_autoattach(prog, false);
			if (!s->per_syscall)
				bpf_program__set_autoload(prog, false);
		}
	}
	if (s->per_syscall) {
		/* attached by apply_config while a syscall without a tracepoint is watched */
		bpf_program__set_autoattach(s->skel->progs.bw_sys_exit, false);
		if (!any_no_tp)
			bpf_program__set_autoload(s->skel->progs.bw_sys_exit, false);
	}
	if (k->flows_only) {
		/* the flow log's mode: the TCP state hook and connect() alone (either
		 * form of it, and the raw dispatcher when connect() has no tracepoint) */
		bpf_object__for_each_program(prog, s->skel->obj)
		{
			const char *name = bpf_program__name(prog);
			if (strcmp(name, "bw_tcp_state") && strcmp(name, "bw_sys_exit") &&
			    strcmp(name, "bw_sys_connect") && strcmp(name, "bw_tp_connect"))
				bpf_program__set_autoload(prog, false);
		}
	}
	if (bw_monitor_bpf__load(s->skel) != 0) {
		int e = errno;
		bw_monitor_bpf__destroy(s->skel);
		free(s);
		if (e == EPERM || e == EACCES)
			return not_permitted(err, "the kernel refused to load the programs");
		return bw_error_set(err, BW_EUNSUPPORTED, "eBPF: the kernel refused the programs: %s (%s)",
				    strerror(e), last_libbpf);
	}
	s->ncpu = libbpf_num_possible_cpus();
	if ((rc = apply_config(s, k, err)) != 0) {
		detach_per_syscall(s);
		bw_monitor_bpf__destroy(s->skel);
		free(s);
		return rc;
	}
	if (bw_monitor_bpf__attach(s->skel) != 0) {
		int e = errno;
		detach_per_syscall(s);
		bw_monitor_bpf__destroy(s->skel);
		free(s);
		if (e == EPERM || e == EACCES)
			return not_permitted(err, "attaching to tracepoints was refused");
		return bw_error_set(err, BW_EUNSUPPORTED, "eBPF: cannot attach to the tracepoints: %s (%s)",
				    strerror(e), last_libbpf);
	}
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.bw_events), on_record, s, NULL);
	if (!s->rb) {
		detach_per_syscall(s);
		bw_monitor_bpf__destroy(s->skel);
		free(s);
		return bw_error_sys(err, BW_EIO, "eBPF: cannot map the ring buffer");
	}
	detect_optional(s, log, log_ud);
	*out = s;
	return 0;
}

static int bpf_configure(void *st, const struct bw_mon_kconfig *k, struct bw_error *err)
{
	return apply_config(st, k, err);
}

static int bpf_poll(void *st, int timeout_ms, bw_mon_record_fn cb, void *ud)
{
	struct state *s = st;
	s->cb = cb;
	s->cb_ud = ud;
	int n = ring_buffer__poll(s->rb, timeout_ms);
	/* records written without a wake-up (see bw_emit) are read here */
	int m = ring_buffer__consume(s->rb);
	if (n < 0 && n != -EINTR)
		return n;
	return (n > 0 ? n : 0) + (m > 0 ? m : 0);
}

static void bpf_counters(void *st, struct bw_mon_src_counters *c)
{
	struct state *s = st;
	memset(c, 0, sizeof(*c));
	int n = s->ncpu > 0 ? s->ncpu : 1;
	__u64 *vals = bw_calloc((size_t)n, sizeof(*vals));
	int fd = bpf_map__fd(s->skel->maps.bw_stats);
	c->ncpu = n < 256 ? n : 256;
	for (__u32 k = 0; k < BW_STAT__COUNT; k++) {
		if (bpf_map_lookup_elem(fd, &k, vals) != 0)
			continue;
		for (int i = 0; i < n; i++) {
			if (k == BW_STAT_EVENTS)
				c->events += vals[i];
			else if (k == BW_STAT_DROPS) {
				c->drops += vals[i];
				if (i < 256)
					c->drops_cpu[i] = vals[i];
			} else
				c->filtered += vals[i];
		}
	}
	free(vals);
}

static void bpf_learn_counts(void *st, int which,
			     void (*fn)(void *ud, uint64_t cgroup, uint32_t id, uint64_t n), void *ud)
{
	struct state *s = st;
	int fd = bpf_map__fd(which ? s->skel->maps.bw_cap_counts : s->skel->maps.bw_syscall_counts);
	struct bw_ev_count_key key, next;
	bool first = true;
	/* collect the keys first: deleting while walking restarts the walk */
	struct bw_ev_count_key *keys = NULL;
	size_t n = 0, cap = 0;
	while (bpf_map_get_next_key(fd, first ? NULL : &key, &next) == 0) {
		first = false;
		key = next;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			keys = bw_realloc(keys, cap * sizeof(*keys));
		}
		keys[n++] = next;
		if (n > 200000)
			break;
	}
	for (size_t i = 0; i < n; i++) {
		__u64 v = 0;
		if (bpf_map_lookup_and_delete_elem(fd, &keys[i], &v) != 0) {
			if (bpf_map_lookup_elem(fd, &keys[i], &v) != 0)
				continue;
			bpf_map_delete_elem(fd, &keys[i]);
		}
		fn(ud, keys[i].cgroup_id, keys[i].id, v);
	}
	free(keys);
}

static bool bpf_has_capable(void *st)
{
	return ((struct state *)st)->has_capable;
}

static void bpf_close(void *st)
{
	struct state *s = st;
	if (!s)
		return;
	ring_buffer__free(s->rb);
	detach_per_syscall(s);
	bw_monitor_bpf__destroy(s->skel);
	free(s);
}

const struct bw_mon_source_ops bw_mon_source_bpf = {
    .name = "bpf",
    .probe = probe,
    .open = bpf_open,
    .configure = bpf_configure,
    .poll = bpf_poll,
    .counters = bpf_counters,
    .learn_counts = bpf_learn_counts,
    .has_capable = bpf_has_capable,
    .close = bpf_close,
};
