/*
 * streaming.c - Mastodon's streaming API over Server-Sent Events
 * (see streaming.h): the routes that open streams, the per-event cache,
 * and the dispatcher that walks the open streams for each event.
 *
 *   GET /api/v1/streaming/health              "OK" (no auth)
 *   GET /api/v1/streaming/user                home + notifications (token)
 *   GET /api/v1/streaming/user/notification   notifications (token)
 *   GET /api/v1/streaming/public[/local]      anyone
 *   GET /api/v1/streaming/hashtag[/local]     anyone; tag= required
 *   GET /api/v1/streaming/list                list= required (token)
 *   GET /api/v1/streaming/direct              "conversation" events (token)
 *   GET /api/v1/streaming?stream=NAME         the same by name, with tag=/list=
 *
 * Clients pass the token as ?access_token= (EventSource cannot set
 * headers) or in the Authorization header; http/auth.c takes both.
 * Events: "update", "status.update", "delete", "notification"; a ":thump"
 * comment every stream_heartbeat seconds (http/stream.c).
 */
#include "api/mastodon/streaming.h"
#include "model/list.h"
#include "lib/markdown.h"
#include "http/response.h"
#include "http/router.h"
#include "http/stream.h"
#include "http/websocket.h"
#include "lib/log.h"
#include "lib/timeutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- subscriptions --------------------------------------------------------- */

static const char *const kind_names[] = {
	[STREAM_USER] = "user",
	[STREAM_USER_NOTIFICATION] = "user:notification",
	[STREAM_PUBLIC] = "public",
	[STREAM_PUBLIC_LOCAL] = "public:local",
	[STREAM_HASHTAG] = "hashtag",
	[STREAM_HASHTAG_LOCAL] = "hashtag:local",
	[STREAM_LIST] = "list",
	[STREAM_DIRECT] = "direct",
};

const char *stream_kind_name(enum stream_kind k)
{
	return (size_t)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "?";
}

int stream_kind_parse(const char *name, enum stream_kind *out)
{
	size_t i;

	for (i = 0; name && i < sizeof kind_names / sizeof kind_names[0]; i++) {
		if (!strcmp(name, kind_names[i])) {
			*out = (enum stream_kind)i;
			return 0;
		}
	}
	return -1;
}

void stream_sub_free(void *sub)
{
	free(sub);
}

/* ---- the per-event cache --------------------------------------------------- */

void streaming_cache_init(struct streaming_cache *c, const struct event *e)
{
	memset(c, 0, sizeof *c);
	c->event = e;
}

void streaming_cache_release(struct streaming_cache *c)
{
	size_t i;

	for (i = 0; i < c->nslots; i++)
		buf_release(&c->slots[i].json);
	free(c->slots);
	if (c->free_data && c->data)
		c->free_data(c->data);
	memset(c, 0, sizeof *c);
}

static size_t slot_of(int64_t key, size_t nslots)
{
	uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull; /* Fibonacci hashing */

	return (size_t)(h >> 32) & (nslots - 1);
}

/* Empty slots have key INT64_MIN (not an account id, nor ANYONE). */
static int grow(struct streaming_cache *c)
{
	size_t n = c->nslots ? c->nslots * 2 : 16, i;
	struct streaming_rendering *s = malloc(n * sizeof *s);

	if (!s)
		return -1;
	for (i = 0; i < n; i++) {
		s[i].key = INT64_MIN;
		s[i].verdict = STREAMING_UNDECIDED;
		s[i].event_name = NULL;
		buf_init(&s[i].json, 0);
		s[i].hide = 0;
	}
	for (i = 0; i < c->nslots; i++) {
		size_t j;

		if (c->slots[i].key == INT64_MIN)
			continue;
		j = slot_of(c->slots[i].key, n);
		while (s[j].key != INT64_MIN)
			j = (j + 1) & (n - 1);
		s[j] = c->slots[i];
	}
	free(c->slots);
	c->slots = s;
	c->nslots = n;
	return 0;
}

struct streaming_rendering *streaming_cache_rendering(struct streaming_cache *c, int64_t key)
{
	size_t j;

	if (key == INT64_MIN)
		return NULL;
	if ((c->nused + 1) * 4 > c->nslots * 3 && grow(c) < 0) /* at most 3/4 full */
		return NULL;
	j = slot_of(key, c->nslots);
	while (c->slots[j].key != INT64_MIN) {
		if (c->slots[j].key == key)
			return &c->slots[j];
		j = (j + 1) & (c->nslots - 1);
	}
	c->slots[j].key = key;
	c->nused++;
	return &c->slots[j];
}

/* ---- the dispatcher ------------------------------------------------------------ */

static streaming_match_fn match_fn = streaming_match;

void streaming_set_match(streaming_match_fn fn)
{
	match_fn = fn ? fn : streaming_match;
}

struct walk {
	const struct event *e;
	struct streaming_cache cache;
	struct buf payload;
};

static void walk_stream(struct stream *s, void *sub, void *ctx)
{
	struct walk *w = ctx;
	const char *name = NULL;

	if (!stream_sub_is(s, stream_sub_free))
		return; /* someone else's stream */
	buf_reset(&w->payload);
	w->payload.failed = 0;
	if (match_fn(w->e, sub, &w->cache, &name, &w->payload) <= 0 || !name)
		return;
	if (w->payload.failed) {
		log_error("streaming: the payload of event %d:%lld did not fit", (int)w->e->type,
			  (long long)w->e->id);
		return;
	}
	stream_send(s, name, buf_str(&w->payload), w->payload.len);
}

void streaming_dispatch(const struct event *e, void *unused)
{
	struct walk w;
	int64_t t0;
	int in_tx;

	(void)unused;
	if (stream_count() == 0 && ws_count() == 0)
		return; /* nobody listens: no work at all */
	w.e = e;
	t0 = time_now_ms();
	streaming_cache_init(&w.cache, e);
	buf_init(&w.payload, STREAM_QUEUE_MAX);
	/* a few reads per stream: one snapshot and one lock for all of them
	 * (otherwise two fcntl() calls a query) */
	in_tx = store_read_begin() == STORE_OK;
	stream_foreach(walk_stream, &w);
	/* the same event, through the same cache, to the WebSockets */
	streaming_ws_dispatch(e, &w.cache, match_fn);
	if (in_tx)
		store_read_end();
	buf_release(&w.payload);
	streaming_cache_release(&w.cache);
	/* how long the slowest part of a post's way to its readers takes (the
	 * benchmark of issue 8 reads it from the log) */
	log_debug("streaming: event %d:%lld walked %zu streams in %lld ms", (int)e->type, (long long)e->id,
		  stream_count(), (long long)(time_now_ms() - t0));
}

/* ---- the routes -------------------------------------------------------------------- */

static void get_health(struct request *rq, struct response *rs)
{
	(void)rq;
	rs->status = 200;
	rs->content_type = "text/plain; charset=utf-8";
	buf_reset(&rs->body);
	buf_puts(&rs->body, "OK");
}

int streaming_tag_key(const char *t, char *out, size_t n, const char **msg)
{
	size_t len, i;

	while (t && *t == '#')
		t++;
	if (!t || !*t) {
		*msg = "Missing tag name parameter";
		return -1;
	}
	len = strlen(t);
	if (len >= n) {
		*msg = "The tag name is too long";
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)t[i];

		if (ch <= ' ' || ch == '#' || ch == ',') {
			*msg = "The tag name has characters a hashtag cannot have";
			return -1;
		}
	}
	/* the same key posts' tags are matched by (lib/markdown.h) */
	{
		struct buf key = BUF_INIT;
		int ok = markdown_tag_key(t, len, &key) == 0 && key.len < n;

		if (ok)
			memcpy(out, buf_str(&key), key.len + 1);
		buf_release(&key);
		if (!ok) {
			*msg = "The tag name is too long";
			return -1;
		}
	}
	return 0;
}

/* tag= without '#', case-folded (tags match without regard to case).
 * 0, or -1 with a message. */
static int read_tag(struct request *rq, char *out, size_t n, const char **msg)
{
	const char *t = req_arg(rq, "tag");

	if (!t)
		t = req_param(rq, "tag"); /* /live/tags/:tag */
	return streaming_tag_key(t, out, n, msg);
}

int streaming_list_id(const char *v, int64_t *out, const char **msg)
{
	char *end;
	long long x;

	if (!v || !*v) {
		*msg = "Missing list parameter";
		return -1;
	}
	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno || *end || x <= 0) {
		*msg = "The list parameter must be a list id";
		return -1;
	}
	*out = (int64_t)x;
	return 0;
}

static streaming_html_fn html_fn;

void streaming_set_html(streaming_html_fn fn)
{
	html_fn = fn;
}

streaming_html_fn streaming_html(void)
{
	return html_fn;
}

static void open_stream(struct request *rq, struct response *rs, enum stream_kind kind)
{
	streaming_open(rq, rs, kind, 0);
}

void streaming_open(struct request *rq, struct response *rs, enum stream_kind kind, int html)
{
	struct stream_sub *sub;
	const char *msg = NULL;

	if ((kind == STREAM_USER || kind == STREAM_USER_NOTIFICATION || kind == STREAM_LIST ||
	     kind == STREAM_DIRECT) && !rq->viewer.signed_in) {
		/* the dedicated routes check this first (ROUTE_AUTH); the
		 * ?stream= route comes here */
		http_error(rq, rs, 401, "This stream requires an access token of a user");
		return;
	}
	sub = calloc(1, sizeof *sub);
	if (!sub) {
		http_error(rq, rs, 503, "The server is busy; try again in a moment");
		return;
	}
	sub->kind = kind;
	if ((kind == STREAM_HASHTAG || kind == STREAM_HASHTAG_LOCAL) &&
	    read_tag(rq, sub->tag, sizeof sub->tag, &msg) < 0)
		goto bad;
	/* a list (or space) not the viewer's answers 404; streaming_match()
	 * checks again for every event, so leaving a space ends its stream's
	 * deliveries at once */
	if (kind == STREAM_LIST) {
		struct list_view lv;

		if (streaming_list_id(req_arg(rq, "list"), &sub->list_id, &msg) < 0)
			goto bad;
		if (list_lookup(&rq->viewer, sub->list_id, &lv) != M_OK) {
			free(sub);
			http_error(rq, rs, 404, "Record not found");
			return;
		}
	}
	sub->viewer = rq->viewer;
	sub->cfg = rq->cfg;
	sub->html = html;
	/* keep no secrets for the life of the stream (a web page's own CSRF
	 * token stays: the post fragments it receives carry forms) */
	memset(sub->viewer.account.password_hash, 0, sizeof sub->viewer.account.password_hash);
	if (!html)
		memset(sub->viewer.csrf, 0, sizeof sub->viewer.csrf);
	if (stream_open(rq, rs, sub, stream_sub_free) < 0) {
		free(sub);
		resp_retry_after(rs, 10);
		http_error(rq, rs, 503, "Too many open streams; try again later");
	}
	return;
bad:
	free(sub);
	http_error(rq, rs, 400, msg);
}

static void get_user(struct request *rq, struct response *rs)
{
	open_stream(rq, rs, STREAM_USER);
}

static void get_user_notification(struct request *rq, struct response *rs)
{
	open_stream(rq, rs, STREAM_USER_NOTIFICATION);
}

static void get_public(struct request *rq, struct response *rs)
{
	open_stream(rq, rs, STREAM_PUBLIC);
}

static void get_public_local(struct request *rq, struct response *rs)
{
	open_stream(rq, rs, STREAM_PUBLIC_LOCAL);
}

static void get_hashtag(struct request *rq, struct response *rs)
{
	open_stream(rq, rs, STREAM_HASHTAG);
}

static void get_hashtag_local(struct request *rq, struct response *rs)
{
	open_stream(rq, rs, STREAM_HASHTAG_LOCAL);
}

static void get_list(struct request *rq, struct response *rs)
{
	open_stream(rq, rs, STREAM_LIST);
}

static void get_direct(struct request *rq, struct response *rs)
{
	open_stream(rq, rs, STREAM_DIRECT);
}

/* GET /api/v1/streaming?stream=public (the WebSocket endpoint's path; as
 * plain HTTP it is the same stream by name) */
static void get_by_name(struct request *rq, struct response *rs)
{
	const char *name = req_arg(rq, "stream");
	enum stream_kind kind;

	if (ws_is_upgrade(rq)) {
		/* the same path serves Mastodon's WebSocket streaming */
		streaming_ws_open(rq, rs);
		return;
	}
	if (!name || !*name) {
		http_error(rq, rs, 400, "Missing stream parameter");
		return;
	}
	if (stream_kind_parse(name, &kind) < 0) {
		http_error(rq, rs, 400, "Unknown stream type");
		return;
	}
	open_stream(rq, rs, kind);
}

#define SCOPE_USER "read|read:statuses|read:notifications"
#define SCOPE_STATUSES "read|read:statuses"

void mastodon_streaming_routes(void)
{
	router_add("GET", "/api/v1/streaming/health", get_health, ROUTE_API, NULL);
	router_add("GET", "/api/v1/streaming/user", get_user, ROUTE_API | ROUTE_AUTH, SCOPE_USER);
	router_add("GET", "/api/v1/streaming/user/notification", get_user_notification,
		   ROUTE_API | ROUTE_AUTH, SCOPE_USER);
	/* public streams: anyone; a token, when given, must be valid and allow reading */
	router_add("GET", "/api/v1/streaming/public", get_public, ROUTE_API, SCOPE_STATUSES);
	router_add("GET", "/api/v1/streaming/public/local", get_public_local, ROUTE_API, SCOPE_STATUSES);
	router_add("GET", "/api/v1/streaming/hashtag", get_hashtag, ROUTE_API, SCOPE_STATUSES);
	router_add("GET", "/api/v1/streaming/hashtag/local", get_hashtag_local, ROUTE_API, SCOPE_STATUSES);
	router_add("GET", "/api/v1/streaming/list", get_list, ROUTE_API | ROUTE_AUTH, SCOPE_STATUSES);
	router_add("GET", "/api/v1/streaming/direct", get_direct, ROUTE_API | ROUTE_AUTH, SCOPE_STATUSES);
	router_add("GET", "/api/v1/streaming", get_by_name, ROUTE_API, SCOPE_USER);
	if (events_subscribe(streaming_dispatch, NULL) < 0)
		log_error("streaming: cannot subscribe to events: streams will get heartbeats only");
}
