/* Where alerts go: the caller's stream, a file rotated by size, syslog, an
 * HTTP webhook. The webhook is served by its own thread from a bounded
 * queue, with retries and a back-off, so that a slow or dead receiver never
 * holds up the event loop (a full queue drops the oldest alert, counted). */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <syslog.h>

#include "monitor-int.h"

#define QUEUE_MAX 4096

struct bw_mon_sinks {
	FILE *out;
	enum bw_monitor_out_format fmt;
	char *rotate_path;
	int rotate_fd;
	uint64_t rotate_size, rotate_max;
	int rotate_keep;
	bool syslog;
	/* webhook */
	char *url;
	int retries;
	long timeout_ms;
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char **queue;
	size_t qhead, qlen;
	bool stopping;
	uint64_t sent, failed, dropped, write_errors;
};

static void rotate(struct bw_mon_sinks *s)
{
	if (s->rotate_fd >= 0)
		close(s->rotate_fd);
	s->rotate_fd = -1;
	for (int i = s->rotate_keep; i >= 1; i--) {
		char *from = i == 1 ? bw_strdup(s->rotate_path) : bw_asprintf("%s.%d", s->rotate_path, i - 1);
		char *to = bw_asprintf("%s.%d", s->rotate_path, i);
		if (i == s->rotate_keep)
			unlink(to);
		rename(from, to);
		free(from);
		free(to);
	}
	s->rotate_fd = open(s->rotate_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
	s->rotate_size = 0;
}

static void write_rotated(struct bw_mon_sinks *s, const char *line, size_t len)
{
	if (s->rotate_fd < 0)
		return;
	if (s->rotate_size && s->rotate_size + len > s->rotate_max)
		rotate(s);
	if (s->rotate_fd < 0) {
		s->write_errors++;
		return;
	}
	ssize_t w = write(s->rotate_fd, line, len);
	if (w != (ssize_t)len)
		s->write_errors++;
	else
		s->rotate_size += len;
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	return size * n;
}

static void *webhook_thread(void *arg)
{
	struct bw_mon_sinks *s = arg;
	CURL *c = curl_easy_init();
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (!s->qlen && !s->stopping)
			pthread_cond_wait(&s->cv, &s->mu);
		if (!s->qlen && s->stopping) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		char *body = s->queue[s->qhead];
		s->qhead = (s->qhead + 1) % QUEUE_MAX;
		s->qlen--;
		bool stopping = s->stopping;
		pthread_mutex_unlock(&s->mu);
		bool ok = false;
		for (int attempt = 0; c && attempt <= s->retries && !ok; attempt++) {
			if (attempt) {
				/* back off 0.2 s, 0.4 s, 0.8 s, … (shorter when stopping) */
				long ms = (200L << (attempt - 1));
				if (ms > 5000)
					ms = 5000;
				usleep((useconds_t)(stopping ? ms / 4 : ms) * 1000);
			}
			curl_easy_reset(c);
			curl_easy_setopt(c, CURLOPT_URL, s->url);
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
			curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
			curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, s->timeout_ms);
			curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, s->timeout_ms);
			curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
			curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
			curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
			long code = 0;
			if (curl_easy_perform(c) == CURLE_OK &&
			    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK && code >= 200 &&
			    code < 300)
				ok = true;
		}
		free(body);
		pthread_mutex_lock(&s->mu);
		if (ok)
			s->sent++;
		else
			s->failed++;
		pthread_mutex_unlock(&s->mu);
	}
	curl_slist_free_all(hdr);
	if (c)
		curl_easy_cleanup(c);
	return NULL;
}

int bw_mon_sinks_open(const struct bw_monitor_opts *o, struct bw_mon_sinks **out, struct bw_error *err)
{
	struct bw_mon_sinks *s = bw_calloc(1, sizeof(*s));
	s->out = o->out_file;
	s->fmt = o->out_format;
	s->rotate_fd = -1;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (o->rotate_path) {
		s->rotate_path = bw_strdup(o->rotate_path);
		s->rotate_max = o->rotate_bytes ? o->rotate_bytes : 64u << 20;
		s->rotate_keep = o->rotate_keep > 0 ? o->rotate_keep : 5;
		s->rotate_fd =
		    open(s->rotate_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
		if (s->rotate_fd < 0) {
			int rc = bw_error_sys(err, BW_EIO, "cannot open %s", s->rotate_path);
			bw_mon_sinks_close(s);
			return rc;
		}
		struct stat st;
		if (fstat(s->rotate_fd, &st) == 0)
			s->rotate_size = (uint64_t)st.st_size;
	}
	if (o->syslog) {
		s->syslog = true;
		openlog("bulwark", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	}
	if (o->webhook_url) {
		if (strncmp(o->webhook_url, "http://", 7) != 0 &&
		    strncmp(o->webhook_url, "https://", 8) != 0) {
			bw_mon_sinks_close(s);
			return bw_error_set(err, BW_EUSAGE, "--webhook %s: an http:// or https:// URL",
					    o->webhook_url);
		}
		curl_global_init(CURL_GLOBAL_DEFAULT);
		s->url = bw_strdup(o->webhook_url);
		s->retries = o->webhook_retries > 0 ? o->webhook_retries : 3;
		s->timeout_ms = o->webhook_timeout > 0 ? (long)(o->webhook_timeout * 1000) : 5000;
		s->queue = bw_calloc(QUEUE_MAX, sizeof(*s->queue));
		if (pthread_create(&s->thread, NULL, webhook_thread, s) == 0)
			s->thread_started = true;
	}
	*out = s;
	return 0;
}

static int syslog_level(enum bw_severity sev)
{
	switch (sev) {
	case BW_SEV_CRITICAL:
		return LOG_CRIT;
	case BW_SEV_HIGH:
		return LOG_ERR;
	case BW_SEV_MEDIUM:
		return LOG_WARNING;
	case BW_SEV_LOW:
		return LOG_NOTICE;
	default:
		return LOG_INFO;
	}
}

static void put_line(struct bw_mon_sinks *s, const char *json_line, const char *text)
{
	if (s->out) {
		if (s->fmt == BW_MONITOR_OUT_TEXT) {
			if (text) {
				bw_report_put_text(s->out, text, SIZE_MAX, 0);
				fputc('\n', s->out);
			}
		} else {
			fputs(json_line, s->out);
			fputc('\n', s->out);
		}
		if (fflush(s->out) != 0)
			s->write_errors++;
	}
	if (s->rotate_path) {
		size_t n = strlen(json_line);
		char *l = malloc(n + 2);
		if (l) {
			memcpy(l, json_line, n);
			l[n] = '\n';
			write_rotated(s, l, n + 1);
			free(l);
		}
	}
}

void bw_mon_sinks_alert(struct bw_mon_sinks *s, json_t *json, const char *text, enum bw_severity sev)
{
	char *line = json_dumps(json, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(json);
	if (!line)
		return;
	put_line(s, line, text);
	if (s->syslog)
		syslog(syslog_level(sev), "%s", text ? text : line);
	if (s->url) {
		pthread_mutex_lock(&s->mu);
		if (s->qlen == QUEUE_MAX) {
			free(s->queue[s->qhead]);
			s->qhead = (s->qhead + 1) % QUEUE_MAX;
			s->qlen--;
			s->dropped++;
		}
		s->queue[(s->qhead + s->qlen) % QUEUE_MAX] = line;
		s->qlen++;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		return;
	}
	free(line);
}

void bw_mon_sinks_stats(struct bw_mon_sinks *s, json_t *json)
{
	char *line = json_dumps(json, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(json);
	if (!line)
		return;
	/* counters are lines of the JSON stream; people read them on stderr */
	put_line(s, line, NULL);
	free(line);
}

void bw_mon_sinks_counters(struct bw_mon_sinks *s, uint64_t *sent, uint64_t *failed, uint64_t *dropped,
			   uint64_t *write_errors)
{
	pthread_mutex_lock(&s->mu);
	*sent = s->sent;
	*failed = s->failed;
	*dropped = s->dropped;
	*write_errors = s->write_errors;
	pthread_mutex_unlock(&s->mu);
}

void bw_mon_sinks_close(struct bw_mon_sinks *s)
{
	if (!s)
		return;
	if (s->thread_started) {
		pthread_mutex_lock(&s->mu);
		s->stopping = true;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->thread, NULL);
	}
	if (s->queue) {
		for (size_t i = 0; i < s->qlen; i++)
			free(s->queue[(s->qhead + i) % QUEUE_MAX]);
		free(s->queue);
	}
	if (s->rotate_fd >= 0)
		close(s->rotate_fd);
	if (s->syslog)
		closelog();
	free(s->rotate_path);
	free(s->url);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
