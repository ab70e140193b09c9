/* See fake_engine.h. Test code: simple, bounded, never exits the process. */
#include "fake_engine.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/core.h"

static void send_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void send_str(int fd, const char *s)
{
	send_all(fd, s, strlen(s));
}

/* Read the request head (and a Content-Length body); false on EOF. */
static bool read_request(struct fake_engine *f, int fd)
{
	char buf[16384];
	size_t len = 0;
	char *end = NULL;
	while (!end) {
		if (len + 1 >= sizeof(buf))
			return false;
		ssize_t n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
		if (n <= 0)
			return false;
		len += (size_t)n;
		buf[len] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	sscanf(buf, "%15s %511s", f->last_method, f->last_path);
	size_t have = len - (size_t)(end + 4 - buf);
	long want = 0;
	const char *cl = bw_strcasestr(buf, "\r\nContent-Length:");
	if (cl && cl < end)
		want = strtol(cl + 17, NULL, 10);
	size_t bl = 0;
	memcpy(f->last_body, end + 4, have < sizeof(f->last_body) - 1 ? have : sizeof(f->last_body) - 1);
	bl = have < sizeof(f->last_body) - 1 ? have : sizeof(f->last_body) - 1;
	while ((long)have < want) {
		char tmp[4096];
		ssize_t n = recv(fd, tmp, sizeof(tmp), 0);
		if (n <= 0)
			break;
		size_t k = (size_t)n;
		if (bl + k < sizeof(f->last_body) - 1) {
			memcpy(f->last_body + bl, tmp, k);
			bl += k;
		}
		have += k;
	}
	f->last_body[bl] = '\0';
	return true;
}

static void reply(int fd, int status, const char *ctype, const char *body)
{
	char head[512];
	snprintf(head, sizeof(head),
		 "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
		 status, ctype, strlen(body));
	send_str(fd, head);
	send_str(fd, body);
}

static void serve(struct fake_engine *f, int fd)
{
	if (!read_request(f, fd))
		return;
	if (strcmp(f->last_path, "/version") == 0) {
		char body[256];
		snprintf(body, sizeof(body),
			 "{\"Version\":\"fake\",\"ApiVersion\":\"%s\",\"MinAPIVersion\":\"%s\"}",
			 f->api_version ? f->api_version : "1.41",
			 f->min_api_version ? f->min_api_version : "1.12");
		reply(fd, 200, "application/json", body);
		return;
	}
	atomic_fetch_add(&f->requests, 1);
	const char *ctype = f->content_type ? f->content_type : "application/json";
	switch (f->mode) {
	case FAKE_REPLY:
		reply(fd, f->status ? f->status : 200, ctype, f->body ? f->body : "");
		break;
	case FAKE_CLOSE_MID: {
		send_str(
		    fd,
		    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n");
		char part[100];
		memset(part, ' ', sizeof(part));
		part[0] = '[';
		send_all(fd, part, sizeof(part));
		break;
	}
	case FAKE_CLOSE_MID_CHUNK:
		send_str(
		    fd,
		    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
		    "5\r\n[1,2,\r\n");
		break;
	case FAKE_ENDLESS: {
		send_str(fd,
			 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[");
		char chunk[65536];
		for (size_t i = 0; i + 2 <= sizeof(chunk); i += 2)
			memcpy(chunk + i, "1,", 2);
		while (!atomic_load(&f->stop)) {
			ssize_t w = send(fd, chunk, sizeof(chunk), MSG_NOSIGNAL);
			if (w <= 0)
				break;
		}
		break;
	}
	case FAKE_SILENT: {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		for (int i = 0; i < 100 && !atomic_load(&f->stop); i++) {
			if (poll(&p, 1, 100) > 0) {
				char c;
				if (recv(fd, &c, 1, 0) <= 0)
					break;
			}
		}
		break;
	}
	case FAKE_HANGUP:
		break;
	}
}

static void *run(void *ud)
{
	struct fake_engine *f = ud;
	while (!atomic_load(&f->stop)) {
		struct pollfd p = {.fd = f->lfd, .events = POLLIN};
		if (poll(&p, 1, 50) <= 0)
			continue;
		int fd = accept(f->lfd, NULL, NULL);
		if (fd < 0)
			continue;
		serve(f, fd);
		close(fd);
	}
	return NULL;
}

int fake_engine_start(struct fake_engine *f)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/bw-fake-engine-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->sock, sizeof(f->sock), "%s/docker.sock", f->dir);
	snprintf(f->host, sizeof(f->host), "unix://%s", f->sock);
	f->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (f->lfd < 0)
		return -1;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f->sock);
	if (bind(f->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(f->lfd, 16) < 0)
		return -1;
	atomic_store(&f->stop, false);
	atomic_store(&f->requests, 0);
	return pthread_create(&f->thread, NULL, run, f) == 0 ? 0 : -1;
}

void fake_engine_stop(struct fake_engine *f)
{
	atomic_store(&f->stop, true);
	pthread_join(f->thread, NULL);
	close(f->lfd);
	unlink(f->sock);
	rmdir(f->dir);
}
