/*
 * stream.c - held Server-Sent Events connections (see stream.h).
 *
 * Design. A stream is a chunked libmicrohttpd response made with
 * MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, ...) whose content
 * reader, stream_read(), hands libmicrohttpd whatever is queued. When the
 * queue is empty the reader suspends the connection and returns 0. This is
 * what libmicrohttpd 0.9.75 supports: its documentation says the only safe
 * places to call MHD_suspend_connection() are the access handler and the
 * content reader, and that returning 0 from a reader is meant to be used
 * with it. In its source (daemon.c: internal_suspend_connection_), a
 * suspended connection is removed from the worker's epoll set and from the
 * timeout lists at once, so an idle stream costs no CPU and is never cut by
 * the connection timeout; MHD_resume_connection() (any thread) marks it and
 * wakes the worker through its inter-thread channel, and the worker puts it
 * back as ready to write and calls the reader again.
 *
 * Races, and how each is closed:
 *  - Resume before suspend, or resume of a connection that is not
 *    suspended (undefined in libmicrohttpd): s->suspended is set and read
 *    only under s->lock, by the reader when it suspends and by wake() when
 *    it resumes, so MHD_resume_connection() is called exactly once per
 *    MHD_suspend_connection(), after it.
 *  - A send to a stream whose client went away: a suspended connection is
 *    never closed by libmicrohttpd (it is not even polled), so while
 *    s->suspended is set, s->conn is valid. When the client has gone, the
 *    write after the resume fails and libmicrohttpd closes the connection:
 *    it calls on_completed (server.c), then destroys the response, which
 *    calls stream_free(). stream_free() unlinks the stream under list_lock,
 *    and stream_foreach() holds list_lock for its whole walk, so no walk can
 *    hold a pointer to a freed stream.
 *  - Freeing `sub` exactly once: only stream_free() (the response's free
 *    callback, which libmicrohttpd calls once) and stream_discard() (no
 *    response was ever made) free a stream, and never both.
 *  - Stopping with open streams: libmicrohttpd must not be stopped while a
 *    connection is suspended. streams_shutdown() marks every stream as
 *    ending and resumes the suspended ones under their locks; an ending
 *    stream's reader sends what is left and ends the body instead of
 *    suspending, and streams linked later are born ending.
 *
 * Lock order: list_lock, then a stream's lock, then libmicrohttpd's own
 * mutexes (inside MHD_resume_connection / MHD_suspend_connection).
 * libmicrohttpd calls the reader with the response's mutex held, and
 * calls stream_free() with none of its mutexes held, so neither can close
 * a cycle.
 *
 * The heartbeat thread wakes every second (every 250 ms for heartbeats
 * under 4 s) and sends ":thump" to the streams that have been quiet for a
 * whole heartbeat period, so the work is spread over time instead of waking
 * every stream at the same instant.
 */
#define _GNU_SOURCE
#include "http/stream.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "lib/timeutil.h"

#include <assert.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct stream {
	struct stream *prev, *next; /* in the list, under list_lock */
	int linked;

	pthread_mutex_t lock;       /* guards everything below */
	struct MHD_Connection *conn;
	struct request *rq;         /* for the byte count of the access log */
	struct buf queue;           /* bytes not yet handed to libmicrohttpd */
	size_t head;                /* of which the first `head` were handed */
	int suspended;              /* the reader suspended the connection */
	int wake_pending;           /* queued during stream_foreach(): in `pending` */
	int ending;                 /* send what is queued, then end the body */
	int failed;                 /* end now: close the connection */
	int64_t last_send_us;       /* monotonic; for the heartbeat */

	void *sub;
	void (*free_sub)(void *);
};

static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct stream *list_head;
static size_t nstreams;             /* made and not yet freed */
static size_t max_streams;
static int64_t heartbeat_us;
static int started, shutting_down;

static pthread_t hb_thread;
static pthread_cond_t hb_cond;
static int hb_running, hb_stop;

/* ---- the queue ------------------------------------------------------- */

/* Let libmicrohttpd pick the connection up again if the reader suspended
 * it. Under s->lock. */
static void wake(struct stream *s)
{
	if (s->suspended) {
		s->suspended = 0;
		MHD_resume_connection(s->conn);
	}
}

/* Set while this thread runs stream_foreach(): sends then only note their
 * stream in `pending`, and the walk resumes the noted ones in bursts of
 * PENDING_MAX (and the rest at its end). libmicrohttpd (0.9.75) walks a
 * worker's whole list of suspended connections each time it wakes to take
 * resumed ones, so resuming 10,000 streams one by one cost O(streams) per
 * resume: half the CPU of a post to 10,000 streams (docs/PERFORMANCE.md).
 * Noted streams stay valid: the walk holds list_lock, without which no
 * stream is freed. */
#define PENDING_MAX 1024 /* streams resumed together */
static __thread int deferring;
static __thread struct stream *pending[PENDING_MAX];
static __thread size_t npending;

static void wake_pending_streams(void)
{
	size_t i;

	for (i = 0; i < npending; i++) {
		struct stream *s = pending[i];

		pthread_mutex_lock(&s->lock);
		if (s->wake_pending) {
			s->wake_pending = 0;
			wake(s);
		}
		pthread_mutex_unlock(&s->lock);
	}
	npending = 0;
}

static size_t queued(const struct stream *s)
{
	return s->queue.len - s->head;
}

/* End the stream as a slow reader (or on a failed allocation): drop what
 * is queued and close. Under s->lock. */
static void fail(struct stream *s, const char *why)
{
	if (!s->failed)
		log_info("stream: closing a stream: %s", why);
	s->failed = 1;
	buf_release(&s->queue);
	s->head = 0;
	wake(s);
}

/* Append text to the queue, or fail the stream past the cap. Under s->lock. */
static int enqueue(struct stream *s, const char *text, size_t len)
{
	if (queued(s) + len > STREAM_QUEUE_MAX) {
		fail(s, "the client is not reading fast enough");
		return -1;
	}
	if (s->head && s->head == s->queue.len) {
		buf_reset(&s->queue);
		s->head = 0;
	} else if (s->head && s->queue.len + len > s->queue.max) {
		/* the bytes already handed over count against the buffer's cap */
		memmove(s->queue.data, s->queue.data + s->head, queued(s));
		s->queue.len -= s->head;
		s->head = 0;
	}
	if (buf_append(&s->queue, text, len) < 0) {
		fail(s, "out of memory");
		return -1;
	}
	s->last_send_us = time_mono_us();
	return 0;
}

/* ---- the content reader ---------------------------------------------- */

/* Called by libmicrohttpd on the connection's worker thread, whenever it
 * can take more of the body. */
static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *s = cls;
	size_t n;

	(void)pos;
	pthread_mutex_lock(&s->lock);
	if (s->failed) {
		pthread_mutex_unlock(&s->lock);
		return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	n = queued(s);
	if (n) {
		if (n > max)
			n = max;
		memcpy(out, s->queue.data + s->head, n);
		s->head += n;
		if (s->head == s->queue.len) {
			buf_reset(&s->queue);
			s->head = 0;
		} else if (s->head > 64 * 1024) {
			/* a reader taking it in small pieces: keep the buffer small */
			memmove(s->queue.data, s->queue.data + s->head, s->queue.len - s->head);
			s->queue.len -= s->head;
			s->head = 0;
		}
		if (s->rq)
			s->rq->bytes_sent += n;
		pthread_mutex_unlock(&s->lock);
		return (ssize_t)n;
	}
	if (s->ending) {
		pthread_mutex_unlock(&s->lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	/* nothing to say: park the connection until wake() */
	assert(!s->suspended);
	s->suspended = 1;
	MHD_suspend_connection(s->conn);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

/* ---- lifetime ---------------------------------------------------------- */

static void stream_destroy(struct stream *s)
{
	pthread_mutex_lock(&list_lock);
	if (s->linked) {
		if (s->prev)
			s->prev->next = s->next;
		else
			list_head = s->next;
		if (s->next)
			s->next->prev = s->prev;
		s->linked = 0;
	}
	assert(nstreams > 0);
	nstreams--;
	pthread_mutex_unlock(&list_lock);
	if (s->free_sub)
		s->free_sub(s->sub);
	buf_release(&s->queue);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* The response's free callback: the connection is done with the stream.
 * libmicrohttpd calls it once, after on_completed, with none of its locks. */
static void stream_free(void *cls)
{
	stream_destroy(cls);
}

void stream_discard(struct stream *s)
{
	if (s)
		stream_destroy(s);
}

int stream_open(struct request *rq, struct response *rs, void *sub, void (*free_sub)(void *))
{
	struct stream *s;

	pthread_mutex_lock(&list_lock);
	if (!started || shutting_down || nstreams >= max_streams) {
		pthread_mutex_unlock(&list_lock);
		return -1;
	}
	nstreams++; /* reserve the place before unlocking */
	pthread_mutex_unlock(&list_lock);

	s = calloc(1, sizeof *s);
	if (!s) {
		pthread_mutex_lock(&list_lock);
		nstreams--;
		pthread_mutex_unlock(&list_lock);
		return -1;
	}
	pthread_mutex_init(&s->lock, NULL);
	buf_init(&s->queue, STREAM_QUEUE_MAX);
	s->rq = rq;
	s->sub = sub;
	s->free_sub = free_sub;
	/* a first comment: sends the headers and a first chunk through any
	 * buffering proxy at once, so the client knows the stream is open */
	enqueue(s, ":)\n", 3);

	rs->status = 200;
	rs->content_type = "text/event-stream";
	buf_reset(&rs->body);
	resp_header(rs, "Cache-Control", "no-cache");
	resp_header(rs, "X-Accel-Buffering", "no");
	rs->stream = s;
	return 0;
}

struct MHD_Response *stream_response(struct stream *s, struct request *rq)
{
	struct MHD_Response *mr;

	/* the block size only matters for HTTP/1.0 clients (no chunked
	 * encoding), where it is the largest piece read at once */
	mr = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, stream_read, s, stream_free);
	if (!mr) {
		stream_discard(s);
		return NULL;
	}
	s->conn = rq->conn;
	pthread_mutex_lock(&list_lock);
	if (shutting_down)
		s->ending = 1; /* opened as the server stops: end at once */
	s->prev = NULL;
	s->next = list_head;
	if (list_head)
		list_head->prev = s;
	list_head = s;
	s->linked = 1;
	pthread_mutex_unlock(&list_lock);
	return mr;
}

/* ---- sending ----------------------------------------------------------- */

int stream_send(struct stream *s, const char *event, const char *data, size_t len)
{
	struct buf b = BUF_INIT;
	const char *p = data, *end = data + len;
	int rc = -1;

	assert(event && !strpbrk(event, "\r\n"));
	/* build outside the lock: the frame, with one data line per line */
	buf_puts(&b, "event: ");
	buf_puts(&b, event);
	buf_putc(&b, '\n');
	for (;;) {
		const char *eol = p;

		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		buf_puts(&b, "data: ");
		if (eol > p)
			buf_append(&b, p, (size_t)(eol - p));
		buf_putc(&b, '\n');
		if (eol == end)
			break;
		if (*eol == '\r' && eol + 1 < end && eol[1] == '\n')
			eol++; /* CRLF is one line break */
		p = eol + 1;
	}
	buf_putc(&b, '\n');

	pthread_mutex_lock(&s->lock);
	if (b.failed)
		fail(s, "out of memory");
	else if (!s->ending && !s->failed && enqueue(s, b.data, b.len) == 0) {
		if (!deferring || npending == PENDING_MAX) {
			wake(s); /* (a full `pending` cannot happen: emptied below) */
		} else if (!s->wake_pending) {
			s->wake_pending = 1;
			pending[npending++] = s;
		}
		rc = 0;
	}
	pthread_mutex_unlock(&s->lock);
	if (deferring && npending == PENDING_MAX)
		wake_pending_streams();
	buf_release(&b);
	return rc;
}

int stream_sub_is(const struct stream *s, void (*free_sub)(void *))
{
	return s->free_sub == free_sub;
}

void stream_foreach(void (*fn)(struct stream *s, void *sub, void *ctx), void *ctx)
{
	struct stream *s;

	pthread_mutex_lock(&list_lock);
	deferring = 1;
	for (s = list_head; s; s = s->next) {
		int live;

		pthread_mutex_lock(&s->lock);
		live = !s->ending && !s->failed;
		pthread_mutex_unlock(&s->lock);
		if (live)
			fn(s, s->sub, ctx);
	}
	wake_pending_streams();
	deferring = 0;
	pthread_mutex_unlock(&list_lock);
}

size_t stream_count(void)
{
	size_t n;

	pthread_mutex_lock(&list_lock);
	n = nstreams;
	pthread_mutex_unlock(&list_lock);
	return n;
}

/* ---- heartbeat ----------------------------------------------------------- */

static void heartbeat_once(void)
{
	int64_t now = time_mono_us();
	struct stream *s;

	pthread_mutex_lock(&list_lock);
	for (s = list_head; s; s = s->next) {
		pthread_mutex_lock(&s->lock);
		if (!s->ending && !s->failed && now - s->last_send_us >= heartbeat_us &&
		    enqueue(s, ":thump\n", 7) == 0)
			wake(s);
		pthread_mutex_unlock(&s->lock);
	}
	pthread_mutex_unlock(&list_lock);
}

static void *heartbeat_main(void *unused)
{
	int64_t tick_ms = heartbeat_us >= 4 * 1000000LL ? 1000 : 250;
	struct timespec ts;

	(void)unused;
	pthread_mutex_lock(&list_lock);
	while (!hb_stop) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += (long)(tick_ms % 1000) * 1000000L;
		ts.tv_sec += (time_t)(tick_ms / 1000) + ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		while (!hb_stop && pthread_cond_timedwait(&hb_cond, &list_lock, &ts) != ETIMEDOUT)
			;
		if (hb_stop)
			break;
		pthread_mutex_unlock(&list_lock);
		heartbeat_once();
		pthread_mutex_lock(&list_lock);
	}
	pthread_mutex_unlock(&list_lock);
	return NULL;
}

int streams_start(int max, int heartbeat_seconds)
{
	pthread_condattr_t ca;

	max_streams = max > 0 ? (size_t)max : 0;
	heartbeat_us = (int64_t)(heartbeat_seconds > 0 ? heartbeat_seconds : 15) * 1000000LL;
	shutting_down = 0;
	hb_stop = 0;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&hb_cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&hb_thread, NULL, heartbeat_main, NULL) != 0) {
		log_error("stream: cannot start the heartbeat thread");
		pthread_cond_destroy(&hb_cond);
		return -1;
	}
	hb_running = 1;
	pthread_mutex_lock(&list_lock);
	started = 1;
	pthread_mutex_unlock(&list_lock);
	return 0;
}

void streams_shutdown(void)
{
	struct stream *s;
	int n = 0;

	pthread_mutex_lock(&list_lock);
	shutting_down = 1;
	hb_stop = 1;
	if (hb_running)
		pthread_cond_signal(&hb_cond);
	for (s = list_head; s; s = s->next) {
		pthread_mutex_lock(&s->lock);
		s->ending = 1;
		wake(s);
		pthread_mutex_unlock(&s->lock);
		n++;
	}
	pthread_mutex_unlock(&list_lock);
	if (hb_running) {
		pthread_join(hb_thread, NULL);
		pthread_cond_destroy(&hb_cond);
		hb_running = 0;
	}
	if (n)
		log_info("stream: ending %d open streams", n);
}
