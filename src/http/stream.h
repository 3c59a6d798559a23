/*
 * stream.h - held Server-Sent Events connections (text/event-stream).
 *
 * A route handler turns its request into a stream with stream_open(); the
 * connection then stays open, and whoever has something to say (the event
 * dispatcher, the heartbeat) queues SSE events on it with stream_send().
 *
 * Streams cost no thread: when a stream has nothing queued, its connection
 * is suspended in libmicrohttpd (taken out of the worker's epoll set), and
 * stream_send() resumes it. One process holds thousands of idle streams;
 * what each costs is libmicrohttpd's connection memory, one socket and the
 * caller's subscription data. See stream.c for the design and its races.
 *
 * Every `heartbeat` seconds without other traffic, a stream gets the SSE
 * comment ":thump\n" (as Mastodon sends), which keeps proxies from closing
 * it and lets the server notice clients that went away.
 *
 * Ownership: `sub` belongs to the stream once stream_open() succeeds and
 * is freed exactly once with free_sub(), when the stream ends for any
 * reason: the client went away, its queue overflowed, the server is
 * stopping, or the response could not be sent.
 */
#ifndef PARLEY_HTTP_STREAM_H
#define PARLEY_HTTP_STREAM_H

#include <stddef.h>

struct request;
struct response;
struct stream;

/* Bytes a stream may have queued before it is ended as a slow reader. */
#define STREAM_QUEUE_MAX (256u * 1024)

/* ---- for route handlers ---------------------------------------------- */

/* Make this request's answer a held text/event-stream (status 200, headers
 * Content-Type: text/event-stream, Cache-Control: no-cache,
 * X-Accel-Buffering: no). The handler must not change rs afterwards.
 * Returns 0 and takes `sub`; -1 when the stream limit (max_streams) is
 * reached or the server is stopping: then `sub` is NOT taken, rs is
 * untouched, and the caller answers 503 with Retry-After. */
int stream_open(struct request *rq, struct response *rs, void *sub, void (*free_sub)(void *));

/* ---- for whoever has events to send ---------------------------------- */

/* Call fn for every open stream, with its subscription. `s` is valid only
 * during the call. fn runs with the stream list locked: it must be quick,
 * must not block, and must not call stream_open() or stream_foreach(); it
 * may call stream_send(), whose connections are resumed together when the
 * walk ends (not one by one during it). Streams that are ending are
 * skipped. */
void stream_foreach(void (*fn)(struct stream *s, void *sub, void *ctx), void *ctx);

/* Queue one event: "event: NAME\ndata: DATA\n\n". NAME is a constant
 * without line breaks. DATA should be one line (compact JSON, an id); a
 * line break in it starts another "data:" line, which SSE clients join
 * back with "\n". Thread-safe. 0, or -1 when the stream is ending, or when
 * this would put more than STREAM_QUEUE_MAX bytes in its queue (a reader
 * too slow to keep up): the stream is then ended, its connection closed. */
int stream_send(struct stream *s, const char *event, const char *data, size_t len);

/* Is this stream's subscription of the kind freed by free_sub? (Several
 * faces may hold streams; each dispatcher only looks at its own.) */
int stream_sub_is(const struct stream *s, void (*free_sub)(void *));

/* Open streams, counting those being set up. */
size_t stream_count(void);

/* ---- for the server (http/server.c) ---------------------------------- */

struct MHD_Response;

/* Start the heartbeat thread; limit streams to max_streams (0: streaming
 * is refused). 0, or -1 when the thread cannot start. */
int streams_start(int max_streams, int heartbeat_seconds);

/* The libmicrohttpd response for a stream made by stream_open(): it owns
 * the stream from now on (freed with the response). NULL on failure, the
 * stream then freed. conn is the request's MHD_Connection. */
struct MHD_Response *stream_response(struct stream *s, struct request *rq);

/* Free a stream whose response was never made (the server gave up). */
void stream_discard(struct stream *s);

/* The server is stopping: refuse new streams, end every open one (each
 * sends what it has queued, then ends its chunked body cleanly), and stop
 * the heartbeat. After this no stream touches libmicrohttpd again except
 * through its own content reader, so MHD_stop_daemon() is safe once the
 * streams are done. */
void streams_shutdown(void);

#endif
