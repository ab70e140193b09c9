/* --no-sandbox, --debug: the commands that parse untrusted input confine
 * themselves (src/sandbox) once start-up is over: options parsed, the
 * configuration read, --output opened, credentials and connections that
 * need a program or a socket made. The policy here is the shared part;
 * each command adds its inputs. See docs/security.md.
 *
 * BULWARK_SANDBOX_SELFTEST=open|socket|exec is the test suite's proof: once
 * inside the sandbox (never outside it: under --no-sandbox it is not read),
 * try what the sandbox forbids — open /etc/shadow and /etc/passwd, make an
 * IPv4 socket, execute /bin/true — and say whether each was refused. It
 * reads nothing of what it opens and runs nothing: a refused call fails,
 * and one the sandbox let through is closed (or, for exec, leaves this
 * process replaced by /bin/true, which the test sees as a missing report). */
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "cli.h"

#include "cache/cache.h"
#include "sandbox/sandbox.h"
#include "vulndb/vulndb.h"

/* Limits: the file-size cap keeps a runaway writer (a report, the cache,
 * a database) from filling the disk; the CPU cap stops a loop an input
 * made; the address space is the 256 MiB budget of any one input (issue
 * #18), four times over, plus each worker thread's stack and malloc arena,
 * plus what a secret scanner's compiled database and a database's cache
 * take: a backstop behind the parsers' own budgets, not a replacement. */
#define LIMIT_FILE_SIZE (64ULL << 30)
#define LIMIT_CPU_SECONDS (4ULL * 3600)
#define LIMIT_ADDRESS_SPACE_EXTRA (4ULL << 30)

static const char *const default_ignorefiles[] = {".bulwarkignore", ".trivyignore", ".trivyignore.yaml"};

struct bw_sandbox *bw_cli_sandbox_begin(struct bw_cli *cli)
{
	if (cli->no_sandbox) {
		if (cli->debug)
			fprintf(stderr, "bulwark %s: sandbox: off (--no-sandbox)\n", cli->cmd->name);
		return NULL;
	}
	struct bw_sandbox *sb = bw_sandbox_new();
	bw_sandbox_allow_system(sb, false);
	if (cli->ignorefile)
		bw_sandbox_allow(sb, cli->ignorefile, BW_SANDBOX_READ);
	else
		for (size_t i = 0; i < BW_ARRAY_SIZE(default_ignorefiles); i++)
			bw_sandbox_allow(sb, default_ignorefiles[i], BW_SANDBOX_READ);
	for (size_t i = 0; i < cli->n_vex; i++)
		bw_sandbox_allow(sb, cli->vex[i], BW_SANDBOX_READ);
	bw_sandbox_allow(sb, cli->dockerfile, BW_SANDBOX_READ);
	/* --output: opened (not truncated) now, written through that descriptor */
	if (cli->output && strcmp(cli->output, "-") != 0 && !cli->output_fd_set) {
		int fd = open(cli->output, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0666);
		if (fd >= 0) {
			cli->output_fd = fd;
			cli->output_fd_set = true;
		} else {
			cli->output_errno = errno;
		}
	}
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "bulwark %s: ", cli->cmd->name);
	bw_sandbox_set_report(sb, STDERR_FILENO, prefix, BW_EXIT_ERROR);
	bw_sandbox_set_limits(sb, LIMIT_FILE_SIZE, LIMIT_CPU_SECONDS, LIMIT_ADDRESS_SPACE_EXTRA);
	return sb;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return bw_strdup(".");
	if (slash == path)
		return bw_strdup("/");
	return bw_strndup(path, (size_t)(slash - path));
}

void bw_cli_sandbox_allow_cache(struct bw_cli *cli, struct bw_sandbox *sb, bool no_cache)
{
	if (!sb)
		return;
	char *cache = bw_cache_default_dir();
	if (cache && !no_cache) {
		/* bw_cache_open would make it inside; a rule needs it made now */
		struct bw_error err = BW_ERROR_INIT;
		struct bw_cache *c = NULL;
		if (access(cache, F_OK) != 0 && bw_cache_open(cache, &c, &err) == 0)
			bw_cache_free(c);
		bw_sandbox_allow(sb, cache, BW_SANDBOX_WRITE);
	}
	free(cache);
	/* the database and its journal, beside it */
	char *db = cli->db_path ? bw_strdup(cli->db_path) : bw_vulndb_default_path();
	if (db) {
		char *dir = dir_of(db);
		bw_sandbox_allow(sb, dir, BW_SANDBOX_WRITE);
		free(dir);
	}
	free(db);
}

static void selftest(struct bw_cli *cli)
{
	const char *t = getenv("BULWARK_SANDBOX_SELFTEST");
	if (!t || !*t)
		return;
	const char *name = cli->cmd->name;
	if (strcmp(t, "open") == 0) {
		static const char *const paths[] = {"/etc/shadow", "/etc/passwd"};
		for (size_t i = 0; i < BW_ARRAY_SIZE(paths); i++) {
			int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
			int e = errno;
			if (fd >= 0)
				close(fd);
			fprintf(stderr, "bulwark %s: sandbox self-test: open %s: %s%s\n", name, paths[i],
				fd < 0 ? "refused: " : "NOT refused", fd < 0 ? strerror(e) : "");
		}
	} else if (strcmp(t, "socket") == 0) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int e = errno;
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "bulwark %s: sandbox self-test: socket: %s%s\n", name,
			fd < 0 ? "refused: " : "NOT refused", fd < 0 ? strerror(e) : "");
	} else if (strcmp(t, "exec") == 0) {
		char *argv[] = {(char *)"true", NULL};
		char *envp[] = {NULL};
		fflush(NULL);
		execve("/bin/true", argv, envp);
		fprintf(stderr, "bulwark %s: sandbox self-test: exec: refused: %s\n", name, strerror(errno));
	}
	fflush(stderr);
}

int bw_cli_sandbox_apply(struct bw_cli *cli, struct bw_sandbox *sb, struct bw_error *err)
{
	if (!sb)
		return 0;
	/* what is buffered now is written once, not by a confined and an unconfined writer */
	fflush(NULL);
	int rc = bw_sandbox_enter(sb, err);
	for (const char *l = bw_sandbox_summary(sb); cli->debug && *l;) {
		size_t n = strcspn(l, "\n");
		fprintf(stderr, "bulwark %s: %.*s\n", cli->cmd->name, (int)n, l);
		l += n + (l[n] == '\n');
	}
	bw_sandbox_free(sb);
	if (rc < 0)
		return rc;
	selftest(cli);
	return 0;
}

int bw_cli_sandbox_enter(struct bw_cli *cli, struct bw_sandbox *sb)
{
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_cli_sandbox_apply(cli, sb, &err);
	return rc < 0 ? bw_cli_fail(cli, &err) : 0;
}
