/*
 * test_stream.c - unit tests for held SSE streams (src/http/stream.c) in
 * the real server (src/http/server.c) on a loopback port, with the
 * Mastodon streaming dispatcher (src/api/mastodon/streaming.c) and the
 * event bus (src/model/events.c) on top.
 *
 * The client side is a raw socket that undoes the chunked encoding, so the
 * tests see exactly the bytes a browser's EventSource would. The server
 * runs with a 1-second heartbeat, a 1-second connection timeout and room
 * for MAX_STREAMS streams; the last test stops it with streams open.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/mastodon/streaming.h"
#include "http/response.h"
#include "http/router.h"
#include "http/server.h"
#include "http/stream.h"
#include "lib/buf.h"
#include "lib/config.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "model/events.h"
#include "unit.h"

#define MAX_STREAMS 6

static struct config cfg;
static int port;

/* ---- the test's own streams ---------------------------------------------- */

struct tsub {
	int id;
};

static atomic_int freed;       /* tsubs freed */
static atomic_int next_id = 1;

static void tsub_free(void *p)
{
	atomic_fetch_add(&freed, 1);
	free(p);
}

/* GET /t/stream: a stream whose subscription is a numbered struct tsub
 * (numbered in order of opening: see last_id()) */
static void h_stream(struct request *rq, struct response *rs)
{
	struct tsub *t = malloc(sizeof *t);

	if (!t) {
		http_error(rq, rs, 500, "oom");
		return;
	}
	t->id = atomic_fetch_add(&next_id, 1);
	if (stream_open(rq, rs, t, tsub_free) < 0) {
		free(t);
		resp_retry_after(rs, 3);
		http_error(rq, rs, 503, "Too many open streams");
	}
}

static void h_plain(struct request *rq, struct response *rs)
{
	(void)rq;
	resp_json(rs, 200, json_pack("{s:s}", "status", "ok"));
}

struct find {
	int id;
	int n;
	const char *event, *data;
	int rc;
};

static void send_to(struct stream *s, void *sub, void *ctx)
{
	struct find *f = ctx;

	if (!stream_sub_is(s, tsub_free))
		return;
	f->n++;
	if (((struct tsub *)sub)->id == f->id)
		f->rc = stream_send(s, f->event, f->data, strlen(f->data));
}

/* Send to the test stream with this id; the stream_send() result, or -9
 * when there is no such stream. */
static int send_id(int id, const char *event, const char *data)
{
	struct find f = { id, 0, event, data, -9 };

	stream_foreach(send_to, &f);
	return f.rc;
}

static int count_tsubs(void)
{
	struct find f = { -1, 0, "x", "", -9 };

	stream_foreach(send_to, &f);
	return f.n;
}

/* ---- a raw HTTP client that undoes chunked encoding ---------------------- */

struct client {
	int fd;
	struct buf raw;     /* everything received */
	size_t hdr_len;     /* bytes of status line + headers, 0 until complete */
	size_t pos;         /* parse position in raw (chunked body) */
	struct buf body;    /* the body so far, de-chunked */
	int chunked;        /* Transfer-Encoding: chunked (else the body is raw) */
	int ended;          /* the terminating zero-size chunk arrived */
	int closed;         /* the server closed the connection */
};

static int client_open(struct client *c, const char *path, int rcvbuf)
{
	struct sockaddr_in a;
	char req[512];
	int n;

	memset(c, 0, sizeof *c);
	buf_init(&c->raw, 0);
	buf_init(&c->body, 0);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0)
		return -1;
	if (rcvbuf)
		setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(c->fd, (struct sockaddr *)&a, sizeof a) < 0)
		return -1;
	n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n", path);
	return write(c->fd, req, (size_t)n) == n ? 0 : -1;
}

static void client_close(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	buf_release(&c->raw);
	buf_release(&c->body);
}

/* De-chunk what has arrived. */
static void client_parse(struct client *c)
{
	if (!c->hdr_len) {
		const char *e = c->raw.data ? memmem(c->raw.data, c->raw.len, "\r\n\r\n", 4) : NULL;

		if (!e)
			return;
		c->hdr_len = (size_t)(e - c->raw.data) + 4;
		c->pos = c->hdr_len;
		c->chunked = memmem(c->raw.data, c->hdr_len, "Transfer-Encoding: chunked", 26) != NULL;
	}
	if (!c->chunked) {
		buf_append(&c->body, c->raw.data + c->pos, c->raw.len - c->pos);
		c->pos = c->raw.len;
		return;
	}
	while (!c->ended && c->pos < c->raw.len) {
		const char *p = c->raw.data + c->pos;
		const char *eol = memmem(p, c->raw.len - c->pos, "\r\n", 2);
		unsigned long size;
		size_t need;

		if (!eol)
			return;
		size = strtoul(p, NULL, 16);
		need = (size_t)(eol - p) + 2 + size + 2;
		if (c->pos + need > c->raw.len)
			return;
		if (size == 0) {
			c->ended = 1;
			return;
		}
		buf_append(&c->body, eol + 2, size);
		c->pos += need;
	}
}

/* Read for up to ms milliseconds, until `want` is in the body (NULL: until
 * the body ends or the connection closes). 1 when found. */
static int client_wait(struct client *c, const char *want, int ms)
{
	int64_t deadline = time_mono_us() + (int64_t)ms * 1000;

	for (;;) {
		struct pollfd pfd = { c->fd, POLLIN, 0 };
		int64_t left;
		char tmp[8192];
		ssize_t n;

		client_parse(c);
		if (want && c->body.data && strstr(c->body.data, want))
			return 1;
		if (!want && (c->ended || c->closed))
			return 1;
		if (c->closed)
			return 0;
		left = (deadline - time_mono_us()) / 1000;
		if (left <= 0)
			return 0;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(c->fd, tmp, sizeof tmp);
		if (n <= 0)
			c->closed = 1;
		else
			buf_append(&c->raw, tmp, (size_t)n);
	}
}

static const char *client_headers(struct client *c)
{
	client_parse(c);
	return c->hdr_len ? c->raw.data : "";
}

static int wait_freed(int target, int ms)
{
	int64_t deadline = time_mono_us() + (int64_t)ms * 1000;

	while (atomic_load(&freed) < target && time_mono_us() < deadline)
		usleep(10 * 1000);
	return atomic_load(&freed) >= target;
}

/* Streams of earlier tests whose clients closed are noticed at the next
 * heartbeat: wait for them to go. */
static int wait_no_streams(int ms)
{
	int64_t deadline = time_mono_us() + (int64_t)ms * 1000;

	while (stream_count() > 0 && time_mono_us() < deadline)
		usleep(10 * 1000);
	return stream_count() == 0;
}

/* The id of the stream opened last: ids are handed out in order. */
static int last_id(void)
{
	return atomic_load(&next_id) - 1;
}

/* ---- tests ------------------------------------------------------------------- */

static void test_open_headers_and_first_bytes(void)
{
	struct client c;

	CHECK(client_open(&c, "/t/stream", 0) == 0);
	CHECK(client_wait(&c, ":)\n", 2000));
	CHECK(strncmp(client_headers(&c), "HTTP/1.1 200", 12) == 0);
	CHECK(strcasestr(client_headers(&c), "\r\nContent-Type: text/event-stream\r\n") != NULL);
	CHECK(strcasestr(client_headers(&c), "\r\nCache-Control: no-cache\r\n") != NULL);
	CHECK(strcasestr(client_headers(&c), "\r\nX-Accel-Buffering: no\r\n") != NULL);
	CHECK(strcasestr(client_headers(&c), "\r\nTransfer-Encoding: chunked\r\n") != NULL);
	CHECK(strcasestr(client_headers(&c), "Content-Length") == NULL);
	CHECK(stream_count() >= 1);
	client_close(&c);
}

static void test_send_events(void)
{
	struct client c;
	int id;

	CHECK(client_open(&c, "/t/stream", 0) == 0);
	CHECK(client_wait(&c, ":)\n", 2000));
	id = last_id();
	/* the stream is idle now (suspended): a send wakes it */
	usleep(100 * 1000);
	CHECK(send_id(id, "update", "{\"id\":\"1\"}") == 0);
	CHECK(client_wait(&c, "event: update\ndata: {\"id\":\"1\"}\n\n", 2000));
	/* one after the other, in order */
	CHECK(send_id(id, "delete", "12345") == 0);
	CHECK(send_id(id, "notification", "{\"n\":2}") == 0);
	CHECK(client_wait(&c, "event: delete\ndata: 12345\n\nevent: notification\ndata: {\"n\":2}\n\n", 2000));
	/* line breaks in data become more data lines, never a forged field */
	CHECK(send_id(id, "update", "a\nevent: forged\r\nb\rc") == 0);
	CHECK(client_wait(&c, "event: update\ndata: a\ndata: event: forged\ndata: b\ndata: c\n\n", 2000));
	CHECK(send_id(id, "update", "") == 0);
	CHECK(client_wait(&c, "event: update\ndata: \n\n", 2000));
	client_close(&c);
}

static void test_heartbeat_and_no_timeout_while_idle(void)
{
	struct client c, plain;
	int64_t t0 = time_mono_us();

	CHECK(client_open(&c, "/t/stream", 0) == 0);
	CHECK(client_wait(&c, ":)\n", 2000));
	CHECK(client_wait(&c, ":)\n:thump\n", 3000));
	/* the connection timeout (1 s here) cuts an idle keep-alive
	 * connection, but not a stream whose heartbeats flow */
	CHECK(client_open(&plain, "/t/plain", 0) == 0);
	CHECK(client_wait(&plain, "ok", 2000));
	CHECK(client_wait(&c, ":thump\n:thump\n:thump\n", 5000));
	CHECK(time_mono_us() - t0 >= 2500000);
	CHECK(!c.closed && !c.ended);
	CHECK(client_wait(&plain, NULL, 3000) && plain.closed);
	client_close(&plain);
	client_close(&c);
}

static void test_client_gone_frees_sub_once(void)
{
	struct client c;
	int before = atomic_load(&freed), id;

	CHECK(client_open(&c, "/t/stream", 0) == 0);
	CHECK(client_wait(&c, ":)\n", 2000));
	id = last_id();
	CHECK(send_id(id, "update", "x") == 0);
	client_close(&c);
	/* noticed at the latest when the next heartbeat fails to go out */
	CHECK(wait_freed(before + 1, 4000));
	CHECK(send_id(id, "update", "x") == -9); /* gone from the list */
	usleep(300 * 1000);
	CHECK(atomic_load(&freed) == before + 1); /* exactly once */
}

static void test_slow_reader_is_ended(void)
{
	struct client c;
	char chunk[8193];
	int before = atomic_load(&freed), id, i, rc = 0;

	memset(chunk, 'x', sizeof chunk - 1);
	chunk[sizeof chunk - 1] = '\0';
	CHECK(client_open(&c, "/t/stream", 4096) == 0);
	CHECK(client_wait(&c, ":)\n", 2000));
	id = last_id();
	/* never read again: the socket buffers fill, then the queue */
	for (i = 0; i < 4000 && rc == 0; i++) {
		rc = send_id(id, "update", chunk);
		if (i % 64 == 0)
			usleep(1000); /* let the worker move bytes to the socket */
	}
	CHECK(rc == -1);
	CHECK(i < 4000);
	CHECK(send_id(id, "update", "more") != 0); /* -1, or already gone */
	/* the connection goes when the worker next looks at it: at once if
	 * it can write, else at the connection timeout */
	CHECK(wait_freed(before + 1, 4000));
	client_close(&c);
}

static void test_limit_answers_503(void)
{
	struct client c[MAX_STREAMS + 1];
	int i, opened = 0, before;

	CHECK(wait_no_streams(4000));
	before = atomic_load(&freed);
	for (i = 0; i < MAX_STREAMS; i++) {
		CHECK(client_open(&c[i], "/t/stream", 0) == 0);
		if (client_wait(&c[i], ":)\n", 2000))
			opened++;
	}
	CHECK(opened == MAX_STREAMS);
	CHECK(stream_count() == MAX_STREAMS);
	CHECK(client_open(&c[MAX_STREAMS], "/t/stream", 0) == 0);
	CHECK(client_wait(&c[MAX_STREAMS], "Too many open streams", 2000));
	CHECK(strncmp(client_headers(&c[MAX_STREAMS]), "HTTP/1.1 503", 12) == 0);
	CHECK(strcasestr(client_headers(&c[MAX_STREAMS]), "\r\nRetry-After: 3\r\n") != NULL);
	for (i = 0; i <= MAX_STREAMS; i++)
		client_close(&c[i]);
	CHECK(wait_freed(before + MAX_STREAMS, 4000));
	CHECK(stream_count() == 0);
}

/* ---- the Mastodon dispatcher, with a stand-in decision ------------------------ */

static atomic_int match_calls;
static atomic_int renders;

/* Sends public posts to public streams and posts tagged "news" (event id
 * 42) to hashtag streams for "news"; renders once per event. */
static int fake_match(const struct event *e, const struct stream_sub *sub,
		      struct streaming_cache *cache, const char **event_name, struct buf *payload)
{
	struct streaming_rendering *r;

	atomic_fetch_add(&match_calls, 1);
	if (e->type != EVENT_STATUS_NEW)
		return 0;
	if (sub->kind == STREAM_HASHTAG && !(e->id == 42 && !strcmp(sub->tag, "news")))
		return 0;
	if (sub->kind != STREAM_PUBLIC && sub->kind != STREAM_HASHTAG)
		return 0;
	r = streaming_cache_rendering(cache, STREAMING_KEY_ANYONE);
	if (!r)
		return 0;
	if (r->verdict == STREAMING_UNDECIDED) {
		atomic_fetch_add(&renders, 1);
		buf_printf(&r->json, "{\"id\":\"%lld\"}", (long long)e->id);
		r->event_name = "update";
		r->verdict = STREAMING_SEND;
	}
	if (r->verdict != STREAMING_SEND)
		return 0;
	buf_append(payload, r->json.data, r->json.len);
	*event_name = r->event_name;
	return 1;
}

static void test_dispatcher_sends_to_matching_streams(void)
{
	struct client pub1, pub2, tag, other, mine;
	struct event e = { EVENT_STATUS_NEW, 7, 1 };

	CHECK(wait_no_streams(4000));
	streaming_set_match(fake_match);
	CHECK(client_open(&pub1, "/api/v1/streaming/public", 0) == 0);
	CHECK(client_open(&pub2, "/api/v1/streaming?stream=public", 0) == 0);
	CHECK(client_open(&tag, "/api/v1/streaming/hashtag?tag=%23News", 0) == 0);
	CHECK(client_open(&other, "/api/v1/streaming/public/local", 0) == 0);
	CHECK(client_open(&mine, "/t/stream", 0) == 0);
	CHECK(client_wait(&pub1, ":)\n", 2000) && client_wait(&pub2, ":)\n", 2000) &&
	      client_wait(&tag, ":)\n", 2000) && client_wait(&other, ":)\n", 2000) &&
	      client_wait(&mine, ":)\n", 2000));
	atomic_store(&match_calls, 0);
	atomic_store(&renders, 0);
	events_publish(&e);
	e.id = 42;
	events_publish(&e);
	CHECK(client_wait(&pub1, "event: update\ndata: {\"id\":\"7\"}\n\nevent: update\ndata: {\"id\":\"42\"}\n\n", 2000));
	CHECK(client_wait(&pub2, "event: update\ndata: {\"id\":\"7\"}\n\nevent: update\ndata: {\"id\":\"42\"}\n\n", 2000));
	CHECK(client_wait(&tag, "event: update\ndata: {\"id\":\"42\"}\n\n", 2000));
	usleep(200 * 1000);
	CHECK(strstr(buf_str(&tag.body), "\"7\"") == NULL);
	CHECK(strstr(buf_str(&other.body), "event:") == NULL);
	CHECK(strstr(buf_str(&mine.body), "event:") == NULL);
	/* the four Mastodon streams were asked, the test's own stream was not;
	 * each event was rendered once */
	CHECK(atomic_load(&match_calls) == 8);
	CHECK(atomic_load(&renders) == 2);
	streaming_set_match(NULL);
	client_close(&pub1);
	client_close(&pub2);
	client_close(&tag);
	client_close(&other);
	client_close(&mine);
}

static void test_cache_table(void)
{
	struct event e = { EVENT_STATUS_NEW, 1, 2 };
	struct streaming_cache c;
	struct streaming_rendering *r;
	int64_t k;
	int ok = 1;

	streaming_cache_init(&c, &e);
	CHECK(c.event == &e && c.nused == 0);
	for (k = 0; k < 5000; k++) {
		r = streaming_cache_rendering(&c, k * 7919);
		if (!r || r->key != k * 7919 || r->verdict != STREAMING_UNDECIDED) {
			ok = 0;
			break;
		}
		r->verdict = STREAMING_SEND;
		buf_printf(&r->json, "%lld", (long long)k);
	}
	CHECK(ok);
	CHECK(c.nused == 5000);
	for (k = 0; k < 5000 && ok; k++) {
		char want[32];

		r = streaming_cache_rendering(&c, k * 7919);
		snprintf(want, sizeof want, "%lld", (long long)k);
		if (!r || r->verdict != STREAMING_SEND || strcmp(buf_str(&r->json), want))
			ok = 0;
	}
	CHECK(ok);
	CHECK(c.nused == 5000);
	CHECK(streaming_cache_rendering(&c, INT64_MIN) == NULL);
	c.data = malloc(10);
	c.free_data = free;
	streaming_cache_release(&c);
	CHECK(c.slots == NULL && c.nused == 0 && c.data == NULL);
}

static void test_kind_names(void)
{
	enum stream_kind k;

	CHECK(stream_kind_parse("user:notification", &k) == 0 && k == STREAM_USER_NOTIFICATION);
	CHECK(stream_kind_parse("hashtag:local", &k) == 0 && k == STREAM_HASHTAG_LOCAL);
	CHECK(stream_kind_parse("list", &k) == 0 && k == STREAM_LIST);
	/* issue 6: Mastodon's direct stream (conversations) */
	CHECK(stream_kind_parse("direct", &k) == 0 && k == STREAM_DIRECT);
	CHECK(stream_kind_parse("nonsense", &k) == -1);
	CHECK(stream_kind_parse(NULL, &k) == -1);
	CHECK_STR(stream_kind_name(STREAM_PUBLIC_LOCAL), "public:local");
}

static void test_stop_with_open_streams(void)
{
	struct client c[3];
	int i, before, ended = 0;
	int64_t t0;

	CHECK(wait_no_streams(4000));
	before = atomic_load(&freed);

	for (i = 0; i < 3; i++) {
		CHECK(client_open(&c[i], i == 2 ? "/api/v1/streaming/public" : "/t/stream", 0) == 0);
		CHECK(client_wait(&c[i], ":)\n", 2000));
	}
	usleep(100 * 1000); /* all idle: suspended */
	CHECK(count_tsubs() == 2);
	t0 = time_mono_us();
	server_stop(3500);
	CHECK(time_mono_us() - t0 < 1000000);
	for (i = 0; i < 3; i++) {
		if (client_wait(&c[i], NULL, 2000) && c[i].ended)
			ended++; /* a clean end of the chunked body */
		client_close(&c[i]);
	}
	CHECK(ended == 3);
	CHECK(atomic_load(&freed) == before + 2);
	CHECK(stream_count() == 0);
}

static int free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), p = -1;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		p = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return p;
}

int main(void)
{
	char err[256] = "", v[32];

	signal(SIGPIPE, SIG_IGN);
	log_set_level(LOG_ERROR);
	config_defaults(&cfg, "unused");
	port = free_port();
	snprintf(v, sizeof v, "127.0.0.1:%d", port);
	config_set(&cfg, "listen", v, err, sizeof err);
	config_set(&cfg, "stream_heartbeat", "1", err, sizeof err);
	config_set(&cfg, "timeout", "1", err, sizeof err);
	snprintf(v, sizeof v, "%d", MAX_STREAMS);
	config_set(&cfg, "max_streams", v, err, sizeof err);
	config_finish(&cfg);
	router_add("GET", "/t/stream", h_stream, ROUTE_API, NULL);
	router_add("GET", "/t/plain", h_plain, ROUTE_API, NULL);
	mastodon_streaming_routes();
	if (events_start() < 0 || server_start(&cfg, err, sizeof err) < 0) {
		fprintf(stderr, "cannot start: %s\n", err);
		return 1;
	}
	RUN(test_kind_names);
	RUN(test_cache_table);
	RUN(test_open_headers_and_first_bytes);
	RUN(test_send_events);
	RUN(test_heartbeat_and_no_timeout_while_idle);
	RUN(test_client_gone_frees_sub_once);
	RUN(test_slow_reader_is_ended);
	RUN(test_limit_answers_503);
	RUN(test_dispatcher_sends_to_matching_streams);
	RUN(test_stop_with_open_streams);
	events_stop();
	events_reset();
	router_reset();
	return unit_finish("test_stream");
}
