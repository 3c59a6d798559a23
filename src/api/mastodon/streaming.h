/*
 * streaming.h - Mastodon's streaming API over Server-Sent Events: what a
 * client subscribed to, and the decision "does this event go to this
 * stream, and as what".
 *
 * streaming.c opens the streams (GET /api/v1/streaming/...) and subscribes
 * one dispatcher to the event bus (model/events.h). For each event, the
 * dispatcher makes one struct streaming_cache, walks every open stream
 * asking streaming_match(), sends what it answers, and frees the cache.
 * streaming_match() lives in streaming_match.c, apart, because it is where
 * the model's rules (audience, follows, mutes) meet the Mastodon entities.
 *
 * Cost: an event is looked at once per open stream, so streaming_match()
 * must be cheap per stream. Anything that does not depend on the stream -
 * loading the post, rendering its Status JSON, working out its audience -
 * is done once per event and kept in the cache.
 */
#ifndef PARLEY_API_MASTODON_STREAMING_H
#define PARLEY_API_MASTODON_STREAMING_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "model/events.h"
#include "model/viewer.h"
#include "http/request.h"

struct config;

enum stream_kind {
	STREAM_USER,              /* "user": home timeline and notifications */
	STREAM_USER_NOTIFICATION, /* "user:notification" */
	STREAM_PUBLIC,            /* "public": the federated timeline */
	STREAM_PUBLIC_LOCAL,      /* "public:local" */
	STREAM_HASHTAG,           /* "hashtag", with tag */
	STREAM_HASHTAG_LOCAL,     /* "hashtag:local", with tag */
	STREAM_LIST,              /* "list", with list_id */
	STREAM_DIRECT,            /* "direct": the viewer's direct conversations */
};

#define STREAM_TAG_MAX 100

/* What one open stream is subscribed to. Owned by the stream (http/stream.h)
 * and freed with stream_sub_free(). The viewer is a copy taken when the
 * stream opened (without its password hash or CSRF token). */
struct stream_sub {
	enum stream_kind kind;
	struct viewer viewer;          /* signed_in == 0: anonymous (public streams) */
	char tag[STREAM_TAG_MAX + 1];  /* hashtag streams: without '#', ASCII lowercased */
	int64_t list_id;               /* list streams */
	const struct config *cfg;      /* the server's (base URL for entities) */
	int html;                      /* web page stream: "update" carries the post's HTML
	                                * fragment (streaming_set_html); deletes remove it */
};

/* Open a stream for this request (the web face's live pages use it with
 * html = 1; the viewer comes from the session cookie). Answers the error
 * itself (401, 400, 503) when it cannot. */
void streaming_open(struct request *rq, struct response *rs, enum stream_kind kind, int html);

struct post_row;
/* How the web face renders one post as HTML for the viewer of rq:
 * 1 when rendered, 0 when not to be shown, -1 on failure. Set once at
 * start-up. */
typedef int (*streaming_html_fn)(struct request *rq, const struct post_row *p, struct buf *out);
void streaming_set_html(streaming_html_fn fn);
streaming_html_fn streaming_html(void);

void stream_sub_free(void *sub);

/* A hashtag stream's tag as streams compare it: without '#', case-folded
 * (lib/markdown.h: markdown_tag_key). 0, or -1 with a message (missing,
 * too long, characters a hashtag cannot have). */
int streaming_tag_key(const char *tag, char *out, size_t n, const char **msg);
/* A list stream's list id. 0, or -1 with a message. */
int streaming_list_id(const char *value, int64_t *out, const char **msg);

/* Mastodon's name of a kind ("user:notification"), and back (-1: unknown). */
const char *stream_kind_name(enum stream_kind k);
int stream_kind_parse(const char *name, enum stream_kind *out);

/* ---- the per-event cache ------------------------------------------------ */

/*
 * One rendering of the event's object (a Status or Notification entity,
 * or a deleted id) as one kind of viewer sees it. `key` says for whom:
 * STREAMING_KEY_ANYONE for the rendering anybody may be shown (public
 * streams), an account id for a viewer-specific one (e.g. with that
 * viewer's favourited/bookmarked flags), STREAMING_KEY_CLASS | class for
 * one a class of viewers shares. streaming_match() fills it on
 * first use and then copies `json` into its payload for every stream that
 * wants the same.
 */
#define STREAMING_KEY_ANYONE 0
/* Keys of the renderings shared by a class of viewers (streaming_match.c:
 * class_key()): this bit, plus the class in the low bits. Account ids are
 * milliseconds << 16, far below it. */
#define STREAMING_KEY_CLASS (1LL << 61)

enum streaming_verdict {
	STREAMING_UNDECIDED = 0, /* just made: fill it */
	STREAMING_SEND,          /* json holds the payload */
	STREAMING_SKIP,          /* nothing to send (gone, or not visible to key) */
};

struct streaming_rendering {
	int64_t key;
	enum streaming_verdict verdict;
	const char *event_name;  /* "update", "status.update", "notification", "delete" */
	struct buf json;
	unsigned hide;           /* filter contexts (model/filter.h) in which the
	                          * viewer's "hide" filters leave the status out */
};

struct streaming_cache {
	const struct event *event;
	/* Whatever streaming_match() loads once per event (the post, its
	 * author, its audience), with the function that frees it. */
	void *data;
	void (*free_data)(void *data);
	int data_loaded;         /* set once loading was tried (data may stay NULL) */
	/* renderings, an open-addressing table keyed by `key` */
	struct streaming_rendering *slots;
	size_t nslots, nused;
};

/* Start an empty cache for event e (borrowed: it must outlive the cache). */
void streaming_cache_init(struct streaming_cache *c, const struct event *e);
/* Free the renderings and, with free_data, the data. */
void streaming_cache_release(struct streaming_cache *c);
/* The rendering for key: made empty (verdict STREAMING_UNDECIDED) on first
 * use. The pointer is valid until the next call (the table may grow). NULL
 * when memory runs out. */
struct streaming_rendering *streaming_cache_rendering(struct streaming_cache *c, int64_t key);

/* ---- the decision ---------------------------------------------------------- */

/*
 * Should event e go to the stream subscribed as sub? 1 with *event_name
 * (a static string: "update", "status.update", "notification", "delete")
 * and the payload (one line: compact JSON, or the id for "delete")
 * appended to `payload`, which the caller has emptied; 0 to send nothing.
 * Must respect the audience model: nothing goes to a viewer who may not
 * read it. Runs on the event dispatcher thread, once per open stream per
 * event: do per-event work once, through `cache`.
 */
int streaming_match(const struct event *e, const struct stream_sub *sub,
		    struct streaming_cache *cache, const char **event_name, struct buf *payload);

typedef int (*streaming_match_fn)(const struct event *e, const struct stream_sub *sub,
				  struct streaming_cache *cache, const char **event_name,
				  struct buf *payload);

/* Replace the decision (NULL: back to streaming_match). For tests, which
 * exercise the dispatcher without the model. Call before events flow. */
void streaming_set_match(streaming_match_fn fn);

/* Routes, and the dispatcher's subscription to the event bus: call before
 * events_start(). */
void mastodon_streaming_routes(void);

/* The dispatcher, as the event bus calls it (exposed for tests). */
void streaming_dispatch(const struct event *e, void *unused);

/* ---- WebSocket (streaming_ws.c) ------------------------------------------ */

/* GET /api/v1/streaming as a WebSocket: the handshake (the token came in
 * Authorization, access_token or Sec-WebSocket-Protocol, which is then
 * echoed), then streams by ?stream= and by subscribe / unsubscribe
 * messages. Answers the error itself when it cannot. */
void streaming_ws_open(struct request *rq, struct response *rs);
/* Send event e to every WebSocket subscription it matches (match decides,
 * through the dispatcher's cache). On the dispatcher thread. */
void streaming_ws_dispatch(const struct event *e, struct streaming_cache *cache, streaming_match_fn match);

#endif
