/* libFuzzer: the Docker Engine's HTTP answers, served by a fake engine on a
 * unix socket (a thread of this harness) to the real clients: `audit` (info,
 * the container list, each container's inspect, the image list, image
 * inspects and exports), `net graph --engine` (networks, containers) and a
 * docker:NAME image (inspect, then the export streamed as an archive).
 *
 * Input: records [selector][length: 2 bytes, little endian][body]. The
 * selector's low 3 bits choose the request it answers (ROUTES below), its
 * next 2 bits the status (200, 404, 500, 302). A request without a record
 * gets a valid /version answer, or 404. */
#include "audit/audit.h"
#include "engine/engine.h"
#include "image/image.h"
#include "net/net.h"

#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { R_VERSION, R_CONTAINERS, R_INSPECT, R_IMAGES, R_IMAGE, R_INFO, R_NETWORKS, R_EXPORT, R_N };

struct answer {
	bool set;
	int status;
	const char *body;
	size_t len;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
/* The answers point into input, the harness's copy of the run's bytes: the
 * server may still be writing an answer the client gave up on when the run
 * ends and libFuzzer frees its own buffer. */
static struct answer answers[R_N];
static uint8_t *input;
static int listener = -1;
static char host[160], root[64];

static bool ends_with(const char *s, size_t n, const char *suf)
{
	size_t m = strlen(suf);
	return n >= m && memcmp(s + n - m, suf, m) == 0;
}

static int route(const char *p, size_t n)
{
	/* without the /vX.Y prefix and the query */
	if (n > 2 && p[0] == '/' && p[1] == 'v') {
		const char *s = memchr(p + 1, '/', n - 1);
		if (s) {
			n -= (size_t)(s - p);
			p = s;
		}
	}
	const char *q = memchr(p, '?', n);
	if (q)
		n = (size_t)(q - p);
#define IS(lit) (n == strlen(lit) && memcmp(p, lit, n) == 0)
#define STARTS(lit) (n >= strlen(lit) && memcmp(p, lit, strlen(lit)) == 0)
	if (IS("/version") || IS("/_ping"))
		return R_VERSION;
	if (IS("/containers/json"))
		return R_CONTAINERS;
	if (STARTS("/containers/") && ends_with(p, n, "/json"))
		return R_INSPECT;
	if (IS("/images/json"))
		return R_IMAGES;
	if (STARTS("/images/") && ends_with(p, n, "/json"))
		return R_IMAGE;
	if (STARTS("/images/") && ends_with(p, n, "/get"))
		return R_EXPORT;
	if (IS("/info"))
		return R_INFO;
	if (STARTS("/networks"))
		return R_NETWORKS;
	return -1;
#undef IS
#undef STARTS
}

static void serve(int c)
{
	char req[8192];
	size_t got = 0;
	while (got < sizeof(req) - 1) {
		ssize_t k = read(c, req + got, sizeof(req) - 1 - got);
		if (k <= 0)
			break;
		got += (size_t)k;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[got] = '\0';
	const char *sp = strchr(req, ' ');
	const char *path = sp ? sp + 1 : "";
	const char *end = strchr(path, ' ');
	int r = route(path, end ? (size_t)(end - path) : strlen(path));
	pthread_mutex_lock(&mu);
	struct answer a = r >= 0 ? answers[r] : (struct answer){0};
	static const char version[] = "{\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\"}";
	static const char none[] = "{\"message\":\"no such thing\"}";
	if (!a.set)
		a = r == R_VERSION ? (struct answer){true, 200, version, sizeof(version) - 1}
				   : (struct answer){true, 404, none, sizeof(none) - 1};
	char head[256];
	int hn = snprintf(head, sizeof(head),
			  "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s"
			  "Connection: close\r\n\r\n",
			  a.status, a.len, a.status == 302 ? "Location: /elsewhere\r\n" : "");
	if (write(c, head, (size_t)hn) == hn && a.len) {
		size_t off = 0;
		while (off < a.len) {
			ssize_t k = write(c, a.body + off, a.len - off);
			if (k <= 0)
				break;
			off += (size_t)k;
		}
	}
	pthread_mutex_unlock(&mu);
}

static void *server(void *arg)
{
	(void)arg;
	for (;;) {
		int c = accept(listener, NULL, NULL);
		if (c < 0)
			continue;
		struct timeval tv = {2, 0};
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		serve(c);
		close(c);
	}
	return NULL;
}

static void clean_up(void)
{
	char p[96];
	snprintf(p, sizeof(p), "%s/engine.sock", root);
	unlink(p);
	snprintf(p, sizeof(p), "%s/host", root);
	rmdir(p);
	rmdir(root);
}

static void start(void)
{
	snprintf(root, sizeof(root), "/tmp/bw-fuzz-engine-XXXXXX");
	if (!mkdtemp(root))
		abort();
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/engine.sock", root);
	listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(listener, 16) < 0)
		abort();
	snprintf(host, sizeof(host), "unix://%s", sa.sun_path);
	/* the host root the audit reads files from: empty */
	char hr[96];
	snprintf(hr, sizeof(hr), "%s/host", root);
	mkdir(hr, 0755);
	pthread_t t;
	if (pthread_create(&t, NULL, server, NULL) != 0)
		abort();
	pthread_detach(t);
	atexit(clean_up);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (listener < 0)
		start();
	static const int statuses[] = {200, 404, 500, 302};
	pthread_mutex_lock(&mu);
	memset(answers, 0, sizeof(answers));
	free(input);
	input = bw_malloc(size ? size : 1);
	if (size)
		memcpy(input, data, size);
	data = input;
	for (size_t at = 0; at + 3 <= size;) {
		size_t len = (size_t)data[at + 1] | (size_t)data[at + 2] << 8;
		if (len > size - at - 3)
			len = size - at - 3;
		struct answer *a = &answers[data[at] & 7];
		if (!a->set)
			*a = (struct answer){true, statuses[(data[at] >> 3) & 3], (const char *)data + at + 3,
					     len};
		at += 3 + len;
	}
	pthread_mutex_unlock(&mu);

	char hr[96];
	snprintf(hr, sizeof(hr), "%s/host", root);
	struct bw_audit_opts ao = {
	    .engine_host = host, .engine_timeout_ms = 1000, .timeout_s = 4, .host_root = hr};
	struct bw_report *r = bw_report_new("host", "fuzz");
	struct bw_error err = BW_ERROR_INIT;
	(void)bw_audit_run(&ao, r, &err);
	bw_report_free(r);

	struct bw_engine_opts eo = {.host = host, .timeout_ms = 1000};
	struct bw_engine *e = NULL;
	if (bw_engine_open(&eo, &e, &err) == 0) {
		struct bw_net_graph *g = NULL;
		if (bw_net_graph_from_engine(e, &g, &err) == 0)
			bw_net_graph_free(g);
		bw_engine_free(e);
	}

	struct bw_image_opts io = {.jobs = 1, .docker_host = host};
	struct bw_image *img = NULL;
	if (bw_image_open("docker:fuzz", &io, &img, &err) == 0) {
		if (bw_image_walk(img, NULL, 0, NULL, NULL, &err) == 0) {
			const struct bw_file *f;
			bw_image_resolve(img, "/etc/os-release", &f, &err);
		}
		bw_image_free(img);
	}
	return 0;
}
