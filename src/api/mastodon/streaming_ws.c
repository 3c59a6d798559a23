/*
 * streaming_ws.c - Mastodon's streaming API over WebSocket
 * (GET /api/v1/streaming with Upgrade: websocket; framing in
 * http/websocket.c).
 *
 * One connection carries several streams. They are chosen by the query
 * (?stream=user, ?stream=hashtag&tag=x, ?stream=list&list=1) and by
 * messages from the client:
 *   {"type": "subscribe", "stream": "hashtag", "tag": "x"}
 *   {"type": "unsubscribe", "stream": "hashtag", "tag": "x"}
 * Every event that matches a subscription is sent as
 *   {"stream": ["hashtag", "x"], "event": "update", "payload": "<JSON as a string>"}
 * ("delete" carries the id as its payload). Mistakes are answered with
 *   {"error": "...", "status": 400}
 * and the connection stays open. At most WS_SUBS_MAX subscriptions per
 * connection; messages over WS_MESSAGE_MAX bytes close it (1009).
 *
 * What each subscription receives is decided by streaming_match() as for
 * the SSE streams: the same audience rule, the same per-event cache.
 */
#include "api/mastodon/streaming.h"
#include "http/response.h"
#include "http/stream.h"
#include "http/websocket.h"
#include "lib/log.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define WS_SUBS_MAX 32

struct ws_sub {
	enum stream_kind kind;
	char tag[STREAM_TAG_MAX + 1];
	int64_t list_id;
};

/* One connection's state. `tmpl` holds the viewer once; matching fills its
 * kind, tag and list for each subscription in turn (under `lock`). */
struct ws_session {
	pthread_mutex_t lock;
	struct stream_sub tmpl;
	struct ws_sub subs[WS_SUBS_MAX];
	int nsubs;
};

static void session_close(struct ws_conn *c, void *user);
static void session_message(struct ws_conn *c, void *user, const char *data, size_t len);

static const struct ws_handler handler = { session_message, session_close };

static void session_close(struct ws_conn *c, void *user)
{
	struct ws_session *s = user;

	(void)c;
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static void send_json(struct ws_conn *c, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;

	if (text)
		ws_send_text(c, text, strlen(text));
	free(text);
	json_decref(j);
}

static void send_error(struct ws_conn *c, const char *msg, int status)
{
	send_json(c, json_pack("{s:s, s:i}", "error", msg, "status", status));
}

/* Read a subscription from a stream name and its tag / list values.
 * 0, or -1 with a message and a status (400 bad, 401 needs a user). */
static int parse_sub(const struct ws_session *s, const char *name, const char *tag, const char *list,
		     struct ws_sub *out, const char **msg, int *status)
{
	memset(out, 0, sizeof *out);
	*status = 400;
	if (!name || !*name) {
		*msg = "Missing stream parameter";
		return -1;
	}
	if (stream_kind_parse(name, &out->kind) < 0) {
		*msg = "Unknown stream type";
		return -1;
	}
	if ((out->kind == STREAM_USER || out->kind == STREAM_USER_NOTIFICATION || out->kind == STREAM_LIST ||
	     out->kind == STREAM_DIRECT) && !s->tmpl.viewer.signed_in) {
		*msg = "This stream requires an access token of a user";
		*status = 401;
		return -1;
	}
	if ((out->kind == STREAM_HASHTAG || out->kind == STREAM_HASHTAG_LOCAL) &&
	    streaming_tag_key(tag, out->tag, sizeof out->tag, msg) < 0)
		return -1;
	if (out->kind == STREAM_LIST && streaming_list_id(list, &out->list_id, msg) < 0)
		return -1;
	return 0;
}

static int same_sub(const struct ws_sub *a, const struct ws_sub *b)
{
	return a->kind == b->kind && !strcmp(a->tag, b->tag) && a->list_id == b->list_id;
}

/* Add (on) or remove a subscription. Under s->lock. 0, or -1 with msg. */
static int change_sub(struct ws_session *s, const struct ws_sub *sub, int on, const char **msg)
{
	int i;

	for (i = 0; i < s->nsubs; i++)
		if (same_sub(&s->subs[i], sub))
			break;
	if (on) {
		if (i < s->nsubs)
			return 0; /* already: nothing to do */
		if (s->nsubs >= WS_SUBS_MAX) {
			*msg = "Too many subscriptions on this connection";
			return -1;
		}
		s->subs[s->nsubs++] = *sub;
		return 0;
	}
	if (i < s->nsubs) {
		s->subs[i] = s->subs[s->nsubs - 1];
		s->nsubs--;
	}
	return 0;
}

static const char *str_member(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* {"type": "subscribe" | "unsubscribe", "stream": ..., "tag"?: ..., "list"?: ...} */
static void session_message(struct ws_conn *c, void *user, const char *data, size_t len)
{
	struct ws_session *s = user;
	struct ws_sub sub;
	const char *type, *msg = NULL, *list;
	char listbuf[24];
	json_t *j = json_loadb(data, len, 0, NULL), *lv;
	int status, rc;

	if (!json_is_object(j)) {
		json_decref(j);
		send_error(c, "Messages must be JSON objects", 400);
		return;
	}
	type = str_member(j, "type");
	if (!type || (strcmp(type, "subscribe") && strcmp(type, "unsubscribe"))) {
		json_decref(j);
		send_error(c, "Unknown message type: use subscribe or unsubscribe", 400);
		return;
	}
	/* a list id may come as a number or a string */
	lv = json_object_get(j, "list");
	list = str_member(j, "list");
	if (json_is_integer(lv)) {
		snprintf(listbuf, sizeof listbuf, "%" JSON_INTEGER_FORMAT, json_integer_value(lv));
		list = listbuf;
	}
	if (parse_sub(s, str_member(j, "stream"), str_member(j, "tag"), list, &sub, &msg, &status) < 0) {
		json_decref(j);
		send_error(c, msg, status);
		return;
	}
	pthread_mutex_lock(&s->lock);
	rc = change_sub(s, &sub, !strcmp(type, "subscribe"), &msg);
	pthread_mutex_unlock(&s->lock);
	json_decref(j);
	if (rc < 0)
		send_error(c, msg, 400);
}

void streaming_ws_open(struct request *rq, struct response *rs)
{
	struct ws_session *s = calloc(1, sizeof *s);
	const char *name = req_arg(rq, "stream"), *msg = NULL, *protocol = NULL;
	char proto[256];
	struct ws_sub first;
	int status;

	if (!s) {
		http_error(rq, rs, 503, "The server is busy; try again in a moment");
		return;
	}
	pthread_mutex_init(&s->lock, NULL);
	s->tmpl.viewer = rq->viewer;
	s->tmpl.cfg = rq->cfg;
	/* keep no secrets for the life of the connection */
	memset(s->tmpl.viewer.account.password_hash, 0, sizeof s->tmpl.viewer.account.password_hash);
	memset(s->tmpl.viewer.csrf, 0, sizeof s->tmpl.viewer.csrf);
	if (name && *name) {
		if (parse_sub(s, name, req_arg(rq, "tag"), req_arg(rq, "list"), &first, &msg, &status) < 0) {
			session_close(NULL, s);
			http_error(rq, rs, status, msg);
			return;
		}
		s->subs[s->nsubs++] = first;
	}
	/* a token sent as the subprotocol is echoed back, as the protocol
	 * requires of a server that accepts it */
	{
		const char *p = req_header(rq, "Sec-WebSocket-Protocol");

		if (p) {
			size_t len;

			p += strspn(p, " \t");
			len = strcspn(p, ", \t");
			if (len && len < sizeof proto) {
				memcpy(proto, p, len);
				proto[len] = '\0';
				protocol = proto;
			}
		}
	}
	if (ws_accept(rq, rs, &handler, s, protocol) < 0)
		session_close(NULL, s);
}

/* ---- events ------------------------------------------------------------------ */

struct walk {
	const struct event *e;
	struct streaming_cache *cache;
	streaming_match_fn match;
	struct buf payload;
};

/* ["hashtag", "x"], ["list", "12"], ["user"]... */
static json_t *stream_json(const struct ws_sub *sub)
{
	json_t *a = json_pack("[s]", stream_kind_name(sub->kind));

	if (sub->kind == STREAM_HASHTAG || sub->kind == STREAM_HASHTAG_LOCAL) {
		json_array_append_new(a, json_string(sub->tag));
	} else if (sub->kind == STREAM_LIST) {
		char id[24];

		snprintf(id, sizeof id, "%lld", (long long)sub->list_id);
		json_array_append_new(a, json_string(id));
	}
	return a;
}

static void walk_session(struct ws_conn *c, void *user, void *ctx)
{
	struct ws_session *s = user;
	struct walk *w = ctx;
	int i;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->nsubs; i++) {
		const struct ws_sub *sub = &s->subs[i];
		const char *name = NULL;

		s->tmpl.kind = sub->kind;
		memcpy(s->tmpl.tag, sub->tag, sizeof s->tmpl.tag);
		s->tmpl.list_id = sub->list_id;
		buf_reset(&w->payload);
		w->payload.failed = 0;
		if (w->match(w->e, &s->tmpl, w->cache, &name, &w->payload) <= 0 || !name || w->payload.failed)
			continue;
		send_json(c, json_pack("{s:o, s:s, s:s%}", "stream", stream_json(sub), "event", name,
				       "payload", w->payload.data ? w->payload.data : "", w->payload.len));
	}
	pthread_mutex_unlock(&s->lock);
}

void streaming_ws_dispatch(const struct event *e, struct streaming_cache *cache, streaming_match_fn match)
{
	struct walk w;

	if (ws_count() == 0)
		return;
	w.e = e;
	w.cache = cache;
	w.match = match;
	buf_init(&w.payload, STREAM_QUEUE_MAX);
	ws_foreach(&handler, walk_session, &w);
	buf_release(&w.payload);
}
