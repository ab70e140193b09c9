/* The rule engine on synthetic events: conditions.cases (see its header)
 * walked by a small runner. Each condition is compiled as the only rule of
 * a rules file (the whole pipeline: YAML, parser, macros, lists, field
 * typing, folding for the event's type) and evaluated on the event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "monitor/monitor-int.h"

#include <arpa/inet.h>

#ifndef CASES_FILE
#error "CASES_FILE not defined"
#endif

static struct bw_mon mon;
static struct bw_mon_container ctr;
static _Alignas(8) unsigned char rec[16384];
static size_t rec_len;
static uint32_t next_pid = 101;

static const char prelude[] = "- list: shells\n"
			      "  items: [sh, bash, '\"x y\"']\n"
			      "- list: nested\n"
			      "  items: [shells, zsh]\n"
			      "- list: loop_a\n"
			      "  items: [loop_b]\n"
			      "- list: loop_b\n"
			      "  items: [loop_a]\n"
			      "- macro: m_exec\n"
			      "  condition: evt.type in (execve, execveat)\n"
			      "- macro: cycle_a\n"
			      "  condition: cycle_b\n"
			      "- macro: cycle_b\n"
			      "  condition: proc.name = x or cycle_a\n"
			      "- macro: uses_cycle\n"
			      "  condition: (cycle_a)\n";

/* ---- building records ---------------------------------------------------------- */

struct kv {
	const char *k;
	char v[1024];
};

static const char *get(struct kv *kv, size_t n, const char *k, const char *def)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].k, k) == 0)
			return kv[i].v;
	return def;
}

static long long num(struct kv *kv, size_t n, const char *k, long long def)
{
	const char *v = get(kv, n, k, NULL);
	return v ? strtoll(v, NULL, 0) : def;
}

static uint32_t open_flags(const char *s)
{
	static const struct {
		const char *n;
		uint32_t v;
	} t[] = {{"O_RDONLY", 0},   {"O_WRONLY", 01},	{"O_RDWR", 02},
		 {"O_CREAT", 0100}, {"O_TRUNC", 01000}, {"O_APPEND", 02000}};
	uint32_t f = 0;
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", s);
	char *pos = buf;
	for (char *tok; (tok = bw_next_token(&pos, "|")) != NULL;)
		for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
			if (strcmp(t[i].n, tok) == 0)
				f |= t[i].v;
	return f;
}

static void put_str(size_t *off, const char *s, bool missing)
{
	struct bw_ev_str h = {0};
	if (missing || !s) {
		h.flags = BW_STRF_MISSING;
		memcpy(rec + *off, &h, sizeof(h));
		*off += sizeof(h);
		return;
	}
	h.len = (uint16_t)strlen(s);
	memcpy(rec + *off, &h, sizeof(h));
	*off += sizeof(h);
	memcpy(rec + *off, s, h.len);
	*off += h.len;
}

static void addr(const char *s, int family, uint8_t *out)
{
	if (s)
		inet_pton(family == 10 ? AF_INET6 : AF_INET, s, out);
}

static void build(const char *kind, struct kv *kv, size_t n, uint32_t pid, uint32_t ppid)
{
	memset(rec, 0, sizeof(rec));
	struct bw_ev_hdr *h = (void *)rec;
	const char *sc = get(kv, n, "syscall", NULL);
	h->pid = h->tid = pid;
	h->ppid = ppid;
	h->uid = h->euid = (uint32_t)num(kv, n, "uid", 0);
	h->loginuid = (uint32_t)num(kv, n, "loginuid", -1);
	h->ts = 1000000000000ull;
	h->cgroup_id = 4242;
	h->cap_effective = (uint64_t)num(kv, n, "caps", 0x1fffffffffll);
	h->ret = num(kv, n, "ret", 0);
	snprintf(h->comm, sizeof(h->comm), "%.15s", get(kv, n, "comm", "probe"));
	size_t off = sizeof(*h);
	if (strcmp(kind, "exec") == 0) {
		h->kind = BW_EV_EXEC;
		sc = sc ? sc : "execve";
		struct bw_ev_exec *e = (void *)(rec + off);
		e->tty = (uint32_t)num(kv, n, "tty", 0);
		e->start_time = 1;
		e->exe_ino = 7;
		e->exe_flags = num(kv, n, "memfd", 0) ? BW_EXEF_MEMFD : 0;
		off += sizeof(*e);
		const char *args = get(kv, n, "args", "x");
		char argv[1024];
		size_t al = 0;
		for (const char *p = args; *p && al < sizeof(argv) - 1; p++)
			argv[al++] = *p == '|' ? '\0' : *p;
		argv[al++] = '\0';
		put_str(&off, get(kv, n, "exe", "/x"), false);
		put_str(&off, get(kv, n, "exe", "/x"), false);
		struct bw_ev_str sh = {(uint16_t)al, 0};
		memcpy(rec + off, &sh, sizeof(sh));
		off += sizeof(sh);
		memcpy(rec + off, argv, al);
		off += al;
		put_str(&off, get(kv, n, "cwd", "/"), false);
		put_str(&off, "cgroup", false);
	} else if (strcmp(kind, "open") == 0) {
		h->kind = BW_EV_OPEN;
		sc = sc ? sc : "openat";
		struct bw_ev_open *e = (void *)(rec + off);
		e->dirfd = -100;
		e->flags = open_flags(get(kv, n, "flags", "O_RDONLY"));
		e->fdkind = BW_FD_FILE;
		off += sizeof(*e);
		put_str(&off, get(kv, n, "path", "/x"), false);
		const char *res = get(kv, n, "resolved", NULL);
		put_str(&off, res, res == NULL);
	} else if (strcmp(kind, "connect") == 0 || strcmp(kind, "accept") == 0 || strcmp(kind, "dup") == 0) {
		h->kind = strcmp(kind, "connect") == 0	? BW_EV_CONNECT
			  : strcmp(kind, "accept") == 0 ? BW_EV_ACCEPT
							: BW_EV_DUP;
		sc = sc ? sc : kind[0] == 'c' ? "connect" : kind[0] == 'a' ? "accept4" : "dup2";
		struct bw_ev_sock *e = (void *)(rec + off);
		e->family = (uint16_t)num(kv, n, "family", 2);
		e->type = (uint16_t)num(kv, n, "type", 1);
		e->protocol = (uint16_t)num(kv, n, "proto", 6);
		e->lport = (uint16_t)num(kv, n, "lport", 0);
		e->rport = (uint16_t)num(kv, n, "rport", 0);
		e->fd = (int)num(kv, n, "fd", 3);
		e->fdkind = BW_FD_SOCK;
		addr(get(kv, n, "laddr", NULL), e->family, e->laddr);
		addr(get(kv, n, "raddr", NULL), e->family, e->raddr);
		off += sizeof(*e);
		put_str(&off, NULL, true);
	} else if (strcmp(kind, "socket") == 0) {
		h->kind = BW_EV_SOCKET;
		sc = sc ? sc : "socket";
		struct bw_ev_socket *e = (void *)(rec + off);
		e->domain = (uint32_t)num(kv, n, "domain", 2);
		e->type = (uint32_t)num(kv, n, "type", 1);
		e->protocol = (uint32_t)num(kv, n, "proto", 0);
		off += sizeof(*e);
	} else if (strcmp(kind, "ptrace") == 0) {
		h->kind = BW_EV_PTRACE;
		sc = sc ? sc : "ptrace";
		struct bw_ev_ptrace *e = (void *)(rec + off);
		e->request = (uint64_t)num(kv, n, "request", 0);
		off += sizeof(*e);
	} else if (strcmp(kind, "symlink") == 0 || strcmp(kind, "link") == 0) {
		h->kind = kind[0] == 's' ? BW_EV_SYMLINK : BW_EV_LINK;
		sc = sc ? sc : kind[0] == 's' ? "symlinkat" : "linkat";
		struct bw_ev_path2 *e = (void *)(rec + off);
		e->olddirfd = e->newdirfd = -100;
		off += sizeof(*e);
		put_str(&off, get(kv, n, "target", "/x"), false);
		put_str(&off, get(kv, n, "linkpath", "/y"), false);
	} else if (strcmp(kind, "chmod") == 0) {
		h->kind = BW_EV_CHMOD;
		sc = sc ? sc : "fchmodat";
		struct bw_ev_chmod *e = (void *)(rec + off);
		e->dirfd = -100;
		e->mode = (uint32_t)num(kv, n, "mode", 0644);
		off += sizeof(*e);
		put_str(&off, get(kv, n, "path", "/x"), false);
		put_str(&off, NULL, true);
	} else if (strcmp(kind, "memfd") == 0) {
		h->kind = BW_EV_MEMFD;
		sc = sc ? sc : "memfd_create";
		off += sizeof(struct bw_ev_memfd);
		put_str(&off, get(kv, n, "path", "x"), false);
	} else {
		fail_msg("unknown event kind %s", kind);
	}
	h->syscall = (uint16_t)bw_mon_syscall_nr(sc);
	h->size = (uint16_t)off;
	rec_len = off;
}

static void apply(void)
{
	struct bw_mon_event ev;
	memset(&ev, 0, sizeof(ev));
	assert_true(bw_mon_decode(rec, rec_len, &ev));
	bw_mon_proctab_apply(&mon.procs, ev.hdr, ev.fixed, ev.str, ev.nstr, 0);
}

/* Parse " k=v k=\"v w\"" ('|' stands for a NUL in args). */
static size_t parse_kv(char *line, struct kv *kv, size_t max)
{
	size_t n = 0;
	char *p = line;
	while (*p && n < max) {
		while (*p == ' ')
			p++;
		char *eq = strchr(p, '=');
		if (!eq)
			break;
		*eq = '\0';
		kv[n].k = p;
		char *v = eq + 1, *end;
		if (*v == '"') {
			v++;
			end = strchr(v, '"');
			if (!end)
				end = v + strlen(v);
		} else {
			end = v + strcspn(v, " ");
		}
		snprintf(kv[n].v, sizeof(kv[n].v), "%.*s", (int)(end - v), v);
		n++;
		p = *end ? end + 1 : end;
	}
	return n;
}

/* ---- compiling and evaluating --------------------------------------------------- */

static int compile(const char *cond, struct bw_mon_ruleset **rs, struct bw_error *err)
{
	char *text = NULL;
	if (asprintf(&text,
		     "%s- rule: t\n  desc: t\n  output: o\n  priority: INFO\n  condition: |-\n    %s\n",
		     prelude, cond) < 0)
		return -1;
	const char *name = "cases";
	const char *texts[] = {text};
	size_t lens[] = {strlen(text)};
	int rc = bw_mon_rules_load_buffers(&name, texts, lens, 1, false, false, rs, err);
	free(text);
	return rc;
}

static bool eval_on_event(struct bw_mon_ruleset *rs)
{
	struct bw_mon_event ev;
	memset(&ev, 0, sizeof(ev));
	assert_true(bw_mon_decode(rec, rec_len, &ev));
	ev.mon = &mon;
	ev.scratch = mon.scratch;
	ev.scratch_cap = sizeof(mon.scratch);
	ev.ts_ns = ev.hdr->ts;
	ev.num = 1;
	ev.proc = bw_mon_proctab_apply(&mon.procs, ev.hdr, ev.fixed, ev.str, ev.nstr, 0);
	ev.ctr = &ctr;
	bool hit = false;
	for (size_t i = 0; i < rs->n_by_type[ev.evtype]; i++)
		hit |= bw_mon_eval(rs->by_type[ev.evtype][i].cond, &ev);
	return hit;
}

static void test_cases(void **state)
{
	(void)state;
	FILE *f = fopen(CASES_FILE, "r");
	assert_non_null(f);
	bw_mon_proctab_init(&mon.procs, 0);
	snprintf(mon.hostname, sizeof(mon.hostname), "test");
	ctr.host = true;
	ctr.id = "host";
	ctr.name = "host";
	char line[4096];
	int lineno = 0, failures = 0, cases = 0;
	uint32_t parent = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		struct kv kv[32];
		if (strncmp(line, "parent ", 7) == 0) {
			char comm[64], exe[512];
			assert_int_equal(sscanf(line + 7, "%63s %511s", comm, exe), 2);
			char spec[1024];
			snprintf(spec, sizeof(spec), "comm=%s exe=%s args=%s", comm, exe, comm);
			size_t n = parse_kv(spec, kv, 32);
			build("exec", kv, n, 100, 1);
			apply();
			parent = 100;
		} else if (strncmp(line, "container ", 10) == 0) {
			static char name[128], image[256], repo[256], tag[64];
			assert_int_equal(sscanf(line + 10, "%127s %255s", name, image), 2);
			char *colon = strrchr(image, ':');
			snprintf(repo, sizeof(repo), "%.*s",
				 (int)(colon ? colon - image : (long)strlen(image)), image);
			snprintf(tag, sizeof(tag), "%s", colon ? colon + 1 : "latest");
			ctr.host = false;
			ctr.id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
			ctr.name = name;
			ctr.image = image;
			ctr.image_repo = repo;
			ctr.image_tag = tag;
			ctr.runtime = "docker";
			ctr.resolved = true;
		} else if (strncmp(line, "event ", 6) == 0) {
			char kind[32];
			assert_int_equal(sscanf(line + 6, "%31s", kind), 1);
			char *rest = line + 6 + strlen(kind);
			size_t n = parse_kv(rest, kv, 32);
			build(kind, kv, n, next_pid++, parent ? parent : 1);
		} else if (strncmp(line, "true ", 5) == 0 || strncmp(line, "false ", 6) == 0) {
			bool want = line[0] == 't';
			const char *cond = line + (want ? 5 : 6);
			struct bw_mon_ruleset *rs = NULL;
			struct bw_error err = BW_ERROR_INIT;
			cases++;
			if (compile(cond, &rs, &err) != 0) {
				print_error("%s:%d: %s: does not compile: %s\n", CASES_FILE, lineno, cond,
					    err.msg);
				failures++;
				continue;
			}
			bool got = eval_on_event(rs);
			if (got != want) {
				print_error("%s:%d: %s: %s, expected %s\n", CASES_FILE, lineno, cond,
					    got ? "true" : "false", want ? "true" : "false");
				failures++;
			}
			bw_mon_ruleset_free(rs);
		} else if (strncmp(line, "error ", 6) == 0) {
			char *arrow = strstr(line, " => ");
			assert_non_null(arrow);
			*arrow = '\0';
			const char *want = line + 6;
			const char *cond = arrow + 4;
			struct bw_mon_ruleset *rs = NULL;
			struct bw_error err = BW_ERROR_INIT;
			cases++;
			int rc = compile(cond, &rs, &err);
			if (rc == 0) {
				print_error("%s:%d: %s: compiled, expected an error with '%s'\n", CASES_FILE,
					    lineno, cond, want);
				bw_mon_ruleset_free(rs);
				failures++;
			} else if (!strstr(err.msg, want) || !strstr(err.msg, "rule 't'")) {
				print_error("%s:%d: %s: error '%s' lacks '%s' or the rule's name\n",
					    CASES_FILE, lineno, cond, err.msg, want);
				failures++;
			}
		} else {
			fail_msg("%s:%d: cannot read '%s'", CASES_FILE, lineno, line);
		}
	}
	fclose(f);
	bw_mon_proctab_release(&mon.procs);
	print_message("%d cases\n", cases);
	assert_true(cases > 100);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
