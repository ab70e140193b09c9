/* A scripted, misbehaving Docker Engine on a unix socket, served by a
 * thread: answers GET /version with a chosen ApiVersion and every other
 * request the way its mode says (errors, a connection closed mid-body, a
 * body that never ends, silence). One request per connection. */
#ifndef BW_TEST_FAKE_ENGINE_H
#define BW_TEST_FAKE_ENGINE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

enum fake_mode {
	FAKE_REPLY,	      /* status + body with Content-Length */
	FAKE_CLOSE_MID,	      /* Content-Length: 100000, 100 bytes, close */
	FAKE_CLOSE_MID_CHUNK, /* chunked, one chunk, close */
	FAKE_ENDLESS,	      /* 200, no length, writes until the client goes */
	FAKE_SILENT,	      /* reads the request, never answers */
	FAKE_HANGUP,	      /* reads the request, closes at once */
};

struct fake_engine {
	char dir[64];
	char sock[96];
	char host[160]; /* "unix://…" */
	int lfd;
	pthread_t thread;
	atomic_bool stop;
	/* the script; set before a request, read by the thread */
	const char *api_version;     /* default "1.41" */
	const char *min_api_version; /* default "1.12" */
	enum fake_mode mode;
	int status;
	const char *body;
	const char *content_type;
	atomic_int requests;
	char last_method[16];
	char last_path[512];
	char last_body[4096];
};

/* Start the server on a fresh socket; returns 0 or -1. */
int fake_engine_start(struct fake_engine *f);
void fake_engine_stop(struct fake_engine *f);

#endif
