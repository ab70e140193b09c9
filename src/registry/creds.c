/* Where a registry's credentials come from, in this order:
 *   1. the options (--username and --password-stdin);
 *   2. REGISTRY_AUTH_FILE, containers' auth.json ({"auths": {HOST: {"auth":
 *      base64(user:pass)}}}, credHelpers too);
 *   3. $DOCKER_CONFIG/config.json (default ~/.docker/config.json):
 *      credHelpers[HOST], else credsStore, run as `docker-credential-NAME
 *      get` with the server on standard input and {"Username", "Secret"} on
 *      standard output; else auths[HOST].
 * Keys of auths may be written "host", "https://host", "http://host/v2/";
 * Docker Hub's are "https://index.docker.io/v1/" (or "docker.io"). Secrets
 * are zeroed when released and never put into a message. */
#include <jansson.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "registry-int.h"

extern char **environ;

static void zfree(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void reg_creds_release(struct reg_creds *c)
{
	zfree(c->username);
	zfree(c->password);
	memset(c, 0, sizeof(*c));
}

/* "https://host:port/v1/" -> "host:port" */
static void key_host(const char *k, char *out, size_t outlen)
{
	const char *p = strstr(k, "://");
	p = p ? p + 3 : k;
	size_t n = strcspn(p, "/");
	snprintf(out, outlen, "%.*s", (int)n, p);
}

static bool is_hub(const char *h)
{
	return strcmp(h, "docker.io") == 0 || strcmp(h, "index.docker.io") == 0 ||
	       strcmp(h, BW_REGISTRY_DOCKER_HUB_HOST) == 0;
}

static bool host_matches(const char *key, const char *host)
{
	char kh[300];
	key_host(key, kh, sizeof(kh));
	if (strcmp(kh, host) == 0)
		return true;
	return is_hub(kh) && is_hub(host);
}

static json_t *find_host(json_t *obj, const char *host)
{
	const char *k;
	json_t *v;
	if (!json_is_object(obj))
		return NULL;
	/* an exact key first, then any spelling of it */
	if ((v = json_object_get(obj, host)))
		return v;
	json_object_foreach(obj, k, v)
	{
		if (host_matches(k, host))
			return v;
	}
	return NULL;
}

int reg_creds_from_json(json_t *j, const char *host, struct reg_creds *c, const char **helper)
{
	*helper = NULL;
	json_t *h = find_host(json_object_get(j, "credHelpers"), host);
	if (json_is_string(h) && json_string_length(h) > 0) {
		*helper = json_string_value(h);
		return 0;
	}
	json_t *a = find_host(json_object_get(j, "auths"), host);
	if (json_is_object(a)) {
		const char *auth = json_string_value(json_object_get(a, "auth"));
		if (auth && *auth) {
			size_t n = strlen(auth);
			if (n > 16384)
				return 0;
			unsigned char *dec = bw_malloc(n);
			int k = bw_base64_decode(auth, n, dec, n);
			char *colon = k > 0 ? memchr(dec, ':', (size_t)k) : NULL;
			if (colon) {
				c->username = bw_strndup((char *)dec, (size_t)(colon - (char *)dec));
				c->password =
				    bw_strndup(colon + 1, (size_t)k - (size_t)(colon + 1 - (char *)dec));
			}
			explicit_bzero(dec, n);
			free(dec);
			if (colon && c->username[0])
				return 1;
			reg_creds_release(c);
		}
		const char *u = json_string_value(json_object_get(a, "username"));
		const char *p = json_string_value(json_object_get(a, "password"));
		if (u && p && *u) {
			c->username = bw_strdup(u);
			c->password = bw_strdup(p);
			return 1;
		}
	}
	json_t *store = json_object_get(j, "credsStore");
	if (json_is_string(store) && json_string_length(store) > 0)
		*helper = json_string_value(store);
	return 0;
}

static bool helper_name_ok(const char *n)
{
	if (!*n || strlen(n) > 64)
		return false;
	for (const char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

/* Run docker-credential-NAME get with host on stdin. */
static int run_helper(const char *name, const char *host, struct reg_creds *c, struct bw_error *err)
{
	if (!helper_name_ok(name))
		return bw_error_set(err, BW_EINPUT, "credential helper name '%.64s' is not valid", name);
	char prog[96];
	snprintf(prog, sizeof(prog), "docker-credential-%s", name);
	int in[2], out[2];
	if (pipe2(in, O_CLOEXEC) < 0)
		return bw_error_sys(err, BW_EIO, "%s: pipe", prog);
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return bw_error_sys(err, BW_EIO, "%s: pipe", prog);
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	char *argv[] = {prog, (char *)"get", NULL};
	pid_t pid;
	int se = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	if (se != 0) {
		close(in[1]);
		close(out[0]);
		errno = se;
		return bw_error_sys(err, BW_EREMOTE, "credential helper %s for %s cannot be run", prog, host);
	}
	signal(SIGPIPE, SIG_IGN);
	/* the server URL as the docker CLI passes it */
	char *server = is_hub(host) ? bw_strdup("https://index.docker.io/v1/") : bw_strdup(host);
	ssize_t wr = write(in[1], server, strlen(server));
	(void)wr;
	free(server);
	close(in[1]);
	struct bw_buf b;
	bw_buf_init(&b, REG_CRED_MAX);
	char chunk[1024];
	bool big = false;
	double deadline = bw_now() + 30;
	for (;;) {
		struct pollfd pf = {.fd = out[0], .events = POLLIN};
		int left = (int)((deadline - bw_now()) * 1000);
		if (left <= 0 || poll(&pf, 1, left) <= 0) {
			if (left > 0 && errno == EINTR)
				continue;
			kill(pid, SIGKILL);
			big = true;
			break;
		}
		ssize_t k = read(out[0], chunk, sizeof(chunk));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		if (bw_buf_add(&b, chunk, (size_t)k) < 0) {
			big = true;
			kill(pid, SIGKILL);
			break;
		}
	}
	explicit_bzero(chunk, sizeof(chunk));
	close(out[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int rc = 0;
	if (big) {
		rc = bw_error_set(err, BW_EREMOTE,
				  "credential helper %s for %s did not answer within 30 s and %u bytes", prog,
				  host, REG_CRED_MAX);
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* "credentials not found in native keychain": none, not an error */
		rc = 0;
	} else {
		json_error_t je;
		json_t *j = json_loadb(b.data ? b.data : "", b.len, 0, &je);
		const char *u = json_string_value(json_object_get(j, "Username"));
		const char *s = json_string_value(json_object_get(j, "Secret"));
		if (!j || !u || !s)
			rc = bw_error_set(err, BW_EREMOTE,
					  "credential helper %s for %s answered something other than "
					  "{\"Username\", \"Secret\"}",
					  prog, host);
		else if (strcmp(u, "<token>") != 0 && *u) {
			c->username = bw_strdup(u);
			c->password = bw_strdup(s);
			snprintf(c->source, sizeof(c->source), "credential helper %s", prog);
		}
		json_decref(j);
	}
	if (b.data)
		explicit_bzero(b.data, b.len);
	bw_buf_release(&b);
	return rc;
}

/* Read a config file; a missing file is no credentials. */
static int from_file(const char *path, const char *host, struct reg_creds *c, struct bw_error *err)
{
	struct bw_buf b;
	bw_buf_init(&b, 4u << 20);
	struct bw_error e = BW_ERROR_INIT;
	int rc = bw_buf_read_file(&b, path, &e);
	if (rc < 0) {
		bw_buf_release(&b);
		if (e.sys_errno == ENOENT || e.sys_errno == ENOTDIR)
			return 0;
		*err = e;
		return bw_error_prefix(err, "credentials for %s: ", host);
	}
	json_error_t je;
	json_t *j = json_loadb(b.data ? b.data : "", b.len, 0, &je);
	if (b.data)
		explicit_bzero(b.data, b.len);
	bw_buf_release(&b);
	if (!j)
		return bw_error_set(err, BW_EINPUT, "%s: not JSON (line %d: %s)", path, je.line, je.text);
	const char *helper = NULL;
	int found = reg_creds_from_json(j, host, c, &helper);
	rc = 0;
	if (found == 1)
		snprintf(c->source, sizeof(c->source), "%s", path);
	else if (helper)
		rc = run_helper(helper, host, c, err);
	json_decref(j);
	return rc < 0 ? rc : (c->username ? 1 : 0);
}

int reg_creds_lookup(const char *host, const struct bw_registry_opts *opts, struct reg_creds *c,
		     struct bw_error *err)
{
	memset(c, 0, sizeof(*c));
	if (opts && opts->username) {
		c->username = bw_strdup(opts->username);
		c->password = bw_strdup(opts->password ? opts->password : "");
		snprintf(c->source, sizeof(c->source), "--username");
		return 0;
	}
	if (opts && opts->no_env_auth)
		return 0;
	const char *af = getenv("REGISTRY_AUTH_FILE");
	if (af && *af) {
		int rc = from_file(af, host, c, err);
		if (rc != 0)
			return rc < 0 ? rc : 0;
	}
	const char *dc = getenv("DOCKER_CONFIG");
	char *path;
	if (dc && *dc) {
		path = bw_asprintf("%s/config.json", dc);
	} else {
		const char *home = getenv("HOME");
		path = bw_asprintf("%s/.docker/config.json", home && *home ? home : "/root");
	}
	int rc = from_file(path, host, c, err);
	free(path);
	return rc < 0 ? rc : 0;
}
