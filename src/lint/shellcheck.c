/* ShellCheck for RUN scripts. Every shell RUN (and ONBUILD RUN) of a
 * Dockerfile is written to a private temporary directory as a script of
 * its own: a shebang naming the shell in force (SHELL, default /bin/sh),
 * `export NAME=1` lines for the proxy variables and the ARG and ENV names
 * in scope (so ShellCheck does not call them unassigned, as Hadolint does),
 * then the RUN's text as the shell reads it (continuations joined). One
 * `shellcheck --format=json1` run reads them all (a few runs side by side
 * for very large files), bounded in time and output. Each comment becomes
 * a finding SCnnnn at the Dockerfile line and column it points to. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lint-int.h"

extern char **environ;

#define SC_PER_RUN 512		  /* scripts per shellcheck process, at most */
#define SC_MIN_PER_RUN 64	  /* fewer are not worth a process of their own */
#define SC_MAX_PROCS 4		  /* processes side by side */
#define SC_TIMEOUT 60.0		  /* seconds for all runs of one Dockerfile */
#define SC_MAX_SCRIPT (64u << 10) /* a larger RUN is not given to ShellCheck (its time grows fast) */
#define SC_MAX_OUTPUT (64u << 20) /* bytes of JSON per process */
#define SC_MAX_INPUT (64u << 20)  /* bytes of scripts per Dockerfile */
#define SC_MAX_VARS 4096	  /* names exported per script */

bool lint_is_sc_id(const char *id)
{
	if (bw_strncasecmp(id, "SC", 2) != 0)
		return false;
	size_t n = 0;
	while (bw_isdigit(id[2 + n]))
		n++;
	return n == 4 && !id[6];
}

/* What a RUN's shell sees: the shell and the variable names in scope. */
struct sc_scope {
	const char *shebang; /* NULL: a shell ShellCheck does not read */
	const char **vars;
	size_t n_vars;
};

#define SC_NONE ((size_t)-1)

struct sc_job {
	const struct df_instr *in;
	const char *script;
	size_t len;
	int header;  /* lines written before the script */
	size_t next; /* the next job with the same file, or SC_NONE */
};

/* One file given to ShellCheck: RUNs whose file would be the same bytes
 * (the same script in the same scope) share it and its comments. */
struct sc_file {
	const char *text;
	size_t len;
	uint64_t hash;
	size_t first; /* its first job */
};

struct sc_run {
	struct lint_ctx *c;
	struct sc_job *jobs;
	size_t n_jobs, cap_jobs;
	struct sc_file *files;
	size_t n_files, cap_files;
	size_t *slots; /* open addressing: file index + 1, 0 empty */
	size_t n_slots;
	char dir[4096];
	size_t input; /* bytes written */
	bool failed;  /* a warning was given */
};

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* The file of these bytes already written, or SC_NONE (its slot in *slot). */
static size_t find_file(struct sc_run *run, const char *t, size_t n, uint64_t h, size_t *slot)
{
	if (run->n_files * 2 >= run->n_slots) {
		size_t ns = run->n_slots ? run->n_slots * 2 : 256;
		size_t *sl = bw_calloc(ns, sizeof(*sl));
		for (size_t f = 0; f < run->n_files; f++) {
			size_t k = run->files[f].hash & (ns - 1);
			while (sl[k])
				k = (k + 1) & (ns - 1);
			sl[k] = f + 1;
		}
		free(run->slots);
		run->slots = sl;
		run->n_slots = ns;
	}
	size_t k = h & (run->n_slots - 1);
	for (; run->slots[k]; k = (k + 1) & (run->n_slots - 1)) {
		const struct sc_file *f = &run->files[run->slots[k] - 1];
		if (f->hash == h && f->len == n && !memcmp(f->text, t, n))
			return run->slots[k] - 1;
	}
	*slot = k;
	return SC_NONE;
}

static const char *shebang_of(const char *shell)
{
	const char *b = shell;
	for (const char *p = shell; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	if (!strcmp(b, "sh") || !strcmp(b, "ash") || !strcmp(b, "busybox"))
		return "#!/bin/sh\n";
	if (!strcmp(b, "bash"))
		return "#!/bin/bash\n";
	if (!strcmp(b, "dash"))
		return "#!/bin/dash\n";
	if (!strcmp(b, "ksh") || !strcmp(b, "mksh"))
		return "#!/bin/ksh\n";
	return NULL; /* pwsh, powershell.exe, cmd.exe, zsh, an interpreter */
}

static bool var_name_ok(const char *s)
{
	if (!bw_isalpha(*s) && *s != '_')
		return false;
	for (; *s; s++)
		if (!bw_isalnum(*s) && *s != '_')
			return false;
	return true;
}

static void scope_add(struct lint_ctx *c, struct sc_scope *sc, const char *name)
{
	if (!var_name_ok(name) || sc->n_vars >= SC_MAX_VARS)
		return;
	for (size_t k = 0; k < sc->n_vars; k++)
		if (!strcmp(sc->vars[k], name))
			return;
	const char **v = bw_arena_alloc(&c->scratch, (sc->n_vars + 1) * sizeof(*v));
	if (sc->n_vars)
		memcpy(v, sc->vars, sc->n_vars * sizeof(*v));
	v[sc->n_vars++] = name;
	sc->vars = v;
}

static void scope_default(struct lint_ctx *c, struct sc_scope *sc)
{
	static const char *const proxies[] = {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
					      "FTP_PROXY",  "ftp_proxy",  "NO_PROXY",	 "no_proxy"};
	memset(sc, 0, sizeof(*sc));
	sc->shebang = "#!/bin/sh\n";
	for (size_t k = 0; k < BW_ARRAY_SIZE(proxies); k++)
		scope_add(c, sc, proxies[k]);
}

static void warn_once(struct sc_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn_once(struct sc_run *run, const char *fmt, ...)
{
	if (run->failed)
		return;
	run->failed = true;
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		BW_BUG("vasprintf failed");
	va_end(ap);
	struct bw_report *r = run->c->report;
	for (size_t i = 0; i < r->n_warnings; i++)
		if (!strcmp(r->warnings[i], s)) {
			free(s);
			return;
		}
	bw_report_warn(r, "%s", s);
	free(s);
}

/* Write the script of one RUN as <dir>/<index>. */
static void add_job(struct sc_run *run, const struct df_instr *in, const struct sc_scope *sc)
{
	struct lint_ctx *c = run->c;
	size_t len;
	bool heredoc;
	const char *text = lint_run_text(c, in, &len, &heredoc);
	if (!text || !sc->shebang || run->failed)
		return;
	/* a RUN whose heredocs feed commands: ShellCheck would not see their bodies */
	if (!heredoc && in->n_heredocs)
		return;
	if (len > SC_MAX_SCRIPT) {
		bw_report_warn(c->report,
			       "%s:%d: the RUN script is larger than %u KiB: not checked with ShellCheck",
			       c->df->path, in->line, SC_MAX_SCRIPT >> 10);
		return;
	}
	struct bw_buf b;
	bw_buf_init(&b, SC_MAX_INPUT);
	int header = 0;
	if (len > 2 && text[0] == '#' && text[1] == '!') {
		/* a heredoc script naming its shell: as it is */
	} else {
		bw_buf_addstr(&b, sc->shebang);
		header++;
		for (size_t k = 0; k < sc->n_vars; k++) {
			bw_buf_printf(&b, "export %s=1\n", sc->vars[k]);
			header++;
		}
	}
	bw_buf_add(&b, text, len);
	bw_buf_addstr(&b, "\n");
	BW_ALLOC_GROW(run->jobs, run->n_jobs + 1, run->cap_jobs);
	struct sc_job *job = &run->jobs[run->n_jobs];
	*job = (struct sc_job){in, text, len, header, SC_NONE};
	uint64_t h = fnv1a(b.data, b.len);
	size_t slot = 0, same = find_file(run, b.data, b.len, h, &slot);
	if (same != SC_NONE) {
		/* the same bytes as an earlier RUN's: ShellCheck reads them once */
		size_t *p = &run->files[same].first;
		while (*p != SC_NONE)
			p = &run->jobs[*p].next;
		*p = run->n_jobs++;
		bw_buf_release(&b);
		return;
	}
	if (run->input + b.len > SC_MAX_INPUT) {
		warn_once(
		    run, "%s: the RUN scripts are larger than %u MiB: ShellCheck checked those up to line %d",
		    c->df->path, SC_MAX_INPUT >> 20, in->line);
		bw_buf_release(&b);
		return;
	}
	run->input += b.len;
	char path[4200];
	snprintf(path, sizeof(path), "%s/%zu", run->dir, run->n_files);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	bool ok = fd >= 0 && write(fd, b.data, b.len) == (ssize_t)b.len;
	if (fd >= 0 && close(fd) != 0)
		ok = false;
	if (!ok) {
		warn_once(run, "%s: ShellCheck skipped: cannot write %s: %s", c->df->path, path,
			  strerror(errno));
		unlink(path);
		bw_buf_release(&b);
		return;
	}
	BW_ALLOC_GROW(run->files, run->n_files + 1, run->cap_files);
	run->files[run->n_files] =
	    (struct sc_file){bw_arena_strndup(&c->scratch, b.data, b.len), b.len, h, run->n_jobs++};
	run->slots[slot] = ++run->n_files;
	bw_buf_release(&b);
}

/* Byte offset of (line, column) of job j's file in its script: both
 * 1-based, columns counting characters; clamped to the script. */
static size_t script_off(const struct sc_job *j, long line, long col)
{
	long l = line - j->header;
	size_t off = 0;
	if (l < 1)
		return 0;
	for (long k = 1; k < l; k++) {
		const char *nl = memchr(j->script + off, '\n', j->len - off);
		if (!nl)
			return j->len;
		off = (size_t)(nl - j->script) + 1;
	}
	for (long k = 1; k < col && off < j->len && j->script[off] != '\n'; k++) {
		off++;
		while (off < j->len && ((unsigned char)j->script[off] & 0xC0) == 0x80)
			off++;
	}
	return off;
}

static bool sc_disabled(const struct lint_ctx *c, const char *id)
{
	static const char *const excluded[] = {"SC2187", "SC1090", "SC1091", NULL};
	if (bw_str_in(id, excluded))
		return true;
	for (size_t i = 0; c->cfg && i < c->cfg->n_sc_disabled; i++)
		if (!bw_strcasecmp(c->cfg->sc_disabled[i], id))
			return true;
	return false;
}

static enum bw_severity sc_severity(const char *level)
{
	/* as Hadolint maps them: error, warning, info, style */
	if (!strcmp(level, "warning"))
		return BW_SEV_MEDIUM;
	if (!strcmp(level, "info"))
		return BW_SEV_LOW;
	if (!strcmp(level, "style"))
		return BW_SEV_INFO;
	return BW_SEV_HIGH;
}

static void report_job(struct sc_run *run, const struct sc_job *j, json_t *cm)
{
	struct lint_ctx *c = run->c;
	const char *level = json_string_value(json_object_get(cm, "level"));
	const char *msg = json_string_value(json_object_get(cm, "message"));
	json_int_t code = json_integer_value(json_object_get(cm, "code"));
	if (!level || !msg || code <= 0 || code > 9999)
		return;
	char id[16];
	snprintf(id, sizeof(id), "SC%04d", (int)code);
	if (sc_disabled(c, id))
		return;
	long line = (long)json_integer_value(json_object_get(cm, "line"));
	long col = (long)json_integer_value(json_object_get(cm, "column"));
	long eline = (long)json_integer_value(json_object_get(cm, "endLine"));
	long ecol = (long)json_integer_value(json_object_get(cm, "endColumn"));
	if (line <= j->header)
		return; /* about the lines bulwark wrote */
	size_t off = script_off(j, line, col);
	size_t eoff = script_off(j, eline, ecol);
	if (eoff > off)
		eoff--; /* ShellCheck's end is one past */
	else
		eoff = off;
	int l, cl, el, ec;
	lint_run_pos(c, j->in, off < j->len ? off : (j->len ? j->len - 1 : 0), &l, &cl);
	lint_run_pos(c, j->in, eoff < j->len ? eoff : (j->len ? j->len - 1 : 0), &el, &ec);
	char *ev = bw_asprintf("%s (%s): %s", id, level, msg);
	char *rem = bw_asprintf("See https://www.shellcheck.net/wiki/%s", id);
	lint_report_ext(c, id, sc_severity(level), msg, j->in, l, cl, el, ec, ev, rem, rem + 4);
	free(ev);
	free(rem);
}

static void report_comment(struct sc_run *run, json_t *cm)
{
	const char *file = json_string_value(json_object_get(cm, "file"));
	if (!file)
		return;
	const char *base = strrchr(file, '/');
	char *end;
	unsigned long idx = strtoul(base ? base + 1 : file, &end, 10);
	if (*end || idx >= run->n_files)
		return;
	for (size_t k = run->files[idx].first; k != SC_NONE; k = run->jobs[k].next)
		report_job(run, &run->jobs[k], cm);
}

static void parse_output(struct sc_run *run, const char *out, size_t len)
{
	json_error_t je;
	json_t *doc = json_loadb(out, len, 0, &je);
	json_t *comments = json_object_get(doc, "comments");
	if (!json_is_array(comments)) {
		warn_once(run, "%s: ShellCheck's output was not the JSON expected: %s", run->c->df->path,
			  doc ? "no comments array" : je.text);
	} else {
		size_t i;
		json_t *cm;
		json_array_foreach(comments, i, cm) report_comment(run, cm);
	}
	json_decref(doc);
}

struct sc_proc {
	pid_t pid;
	int fd;
	struct bw_buf out;
	bool over;
};

static bool spawn_chunk(struct sc_run *run, size_t from, size_t to, struct sc_proc *p)
{
	size_t n = to - from;
	char **argv = bw_calloc(n + 8, sizeof(char *));
	size_t a = 0;
	argv[a++] = (char *)"shellcheck";
	argv[a++] = (char *)"--format=json1";
	argv[a++] = (char *)"--norc";
	argv[a++] = (char *)"--";
	for (size_t k = from; k < to; k++)
		argv[a++] = bw_asprintf("%s/%zu", run->dir, k);
	int fds[2];
	bool ok = pipe2(fds, O_CLOEXEC) == 0;
	if (ok) {
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
		posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
		int se = posix_spawnp(&p->pid, "shellcheck", &fa, NULL, argv, environ);
		posix_spawn_file_actions_destroy(&fa);
		close(fds[1]);
		if (se != 0) {
			close(fds[0]);
			warn_once(run, "%s: ShellCheck skipped: shellcheck cannot be run: %s",
				  run->c->df->path, strerror(se));
			ok = false;
		} else {
			p->fd = fds[0];
			bw_buf_init(&p->out, SC_MAX_OUTPUT);
			p->over = false;
		}
	}
	for (size_t k = 4; k < a; k++)
		free(argv[k]);
	free(argv);
	return ok;
}

/* Run shellcheck over the jobs, in up to SC_MAX_PROCS processes at a
 * time (no more than the processors), all within SC_TIMEOUT. */
static void run_all(struct sc_run *run)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t maxp = ncpu > 0 && (size_t)ncpu < SC_MAX_PROCS ? (size_t)ncpu : SC_MAX_PROCS;
	/* spread the scripts over the processors, SC_MIN_PER_RUN to SC_PER_RUN a process */
	size_t per = (run->n_files + maxp - 1) / maxp;
	per = per < SC_MIN_PER_RUN ? SC_MIN_PER_RUN : per > SC_PER_RUN ? SC_PER_RUN : per;
	size_t chunks = (run->n_files + per - 1) / per, next = 0;
	struct sc_proc procs[SC_MAX_PROCS];
	size_t np = 0;
	double deadline = bw_now() + SC_TIMEOUT;
	bool timed_out = false;
	while ((next < chunks && !run->failed) || np) {
		while (next < chunks && np < maxp && !run->failed && !timed_out) {
			size_t from = next * per, to = from + per;
			if (to > run->n_files)
				to = run->n_files;
			next++;
			if (spawn_chunk(run, from, to, &procs[np]))
				np++;
		}
		if (!np)
			break;
		struct pollfd pf[SC_MAX_PROCS];
		for (size_t k = 0; k < np; k++)
			pf[k] = (struct pollfd){.fd = procs[k].fd, .events = POLLIN};
		int left = (int)((deadline - bw_now()) * 1000);
		int pr = left > 0 ? poll(pf, (nfds_t)np, left) : 0;
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0) {
			timed_out = true;
			for (size_t k = 0; k < np; k++)
				kill(procs[k].pid, SIGKILL);
		}
		for (size_t k = 0; k < np;) {
			struct sc_proc *p = &procs[k];
			bool done = timed_out;
			if (!done && (pf[k].revents & (POLLIN | POLLHUP | POLLERR))) {
				char chunk[65536];
				ssize_t got = read(p->fd, chunk, sizeof(chunk));
				if (got < 0 && errno == EINTR)
					got = 1; /* again */
				else if (got <= 0)
					done = true;
				else if (!p->over && bw_buf_add(&p->out, chunk, (size_t)got) < 0) {
					p->over = true;
					kill(p->pid, SIGKILL);
				}
			}
			if (!done) {
				k++;
				continue;
			}
			close(p->fd);
			int status = 0;
			while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR)
				;
			if (timed_out)
				warn_once(
				    run,
				    "%s: ShellCheck did not finish within %.0f s: its findings are missing",
				    run->c->df->path, SC_TIMEOUT);
			else if (p->over)
				warn_once(run,
					  "%s: ShellCheck wrote more than %u MiB: its findings are missing",
					  run->c->df->path, SC_MAX_OUTPUT >> 20);
			else if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
				warn_once(run, "%s: shellcheck failed (status %d): its findings are missing",
					  run->c->df->path,
					  WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
			else
				parse_output(run, p->out.data ? p->out.data : "", p->out.len);
			bw_buf_release(&p->out);
			procs[k] = procs[--np];
			pf[k] = pf[np];
		}
	}
}

/* Is there a shellcheck on PATH? */
static bool have_shellcheck(void)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *dup = bw_strdup(path), *rest = dup;
	bool found = false;
	for (char *d; !found && (d = bw_next_token(&rest, ":"));) {
		char *p = bw_asprintf("%s/shellcheck", *d ? d : ".");
		struct stat st;
		found = stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
		free(p);
	}
	free(dup);
	return found;
}

static void remove_dir(struct sc_run *run)
{
	char path[4200];
	for (size_t k = 0; k < run->n_files; k++) {
		snprintf(path, sizeof(path), "%s/%zu", run->dir, k);
		unlink(path);
	}
	rmdir(run->dir);
}

void lint_shellcheck(struct lint_ctx *c)
{
	struct sc_run run = {.c = c};
	const struct df_file *df = c->df;
	if (!have_shellcheck()) {
		warn_once(&run, "shellcheck not found: RUN scripts were not checked with ShellCheck (install "
				"shellcheck, or use --no-shellcheck)");
		return;
	}
	const char *tmp = getenv("TMPDIR");
	snprintf(run.dir, sizeof(run.dir), "%s/bulwark-shellcheck-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(run.dir)) {
		warn_once(&run, "%s: ShellCheck skipped: cannot make a directory under %s: %s", df->path,
			  tmp && *tmp ? tmp : "/tmp", strerror(errno));
		return;
	}
	/* scopes: each stage starts from its parent stage's, or the default */
	struct sc_scope *final = bw_arena_alloc(&c->scratch, (df->n_stages + 1) * sizeof(*final));
	struct sc_scope sc;
	scope_default(c, &sc);
	int stage = -1;
	for (size_t i = 0; i < df->n_instrs; i++) {
		const struct df_instr *in = &df->instrs[i];
		if (in->kind == DF_FROM && in->stage >= 0 && in->stage != stage) {
			if (stage >= 0)
				final[stage] = sc;
			stage = in->stage;
			int parent = df->stages[stage].parent;
			if (parent >= 0 && parent < stage)
				sc = final[parent];
			else
				scope_default(c, &sc);
			continue;
		}
		if (in->kind == DF_ARG || in->kind == DF_ENV) {
			for (size_t k = 0; k < in->n_kvs; k++)
				scope_add(c, &sc, in->kvs[k].key);
		} else if (in->kind == DF_SHELL && in->json && in->argc) {
			sc.shebang = shebang_of(in->argv[0]);
		} else if (in->kind == DF_RUN && !in->json) {
			add_job(&run, in, &sc);
		} else if (in->kind == DF_ONBUILD && in->sub && in->sub->kind == DF_RUN && !in->sub->json) {
			/* runs in a later build, whose shell and variables are unknown here */
			struct sc_scope later;
			scope_default(c, &later);
			add_job(&run, in->sub, &later);
		}
	}
	if (run.n_files)
		run_all(&run);
	remove_dir(&run);
	free(run.jobs);
	free(run.files);
	free(run.slots);
}
