/*
 * websocket.c - WebSocket connections on libmicrohttpd's upgrade, framed
 * by libwslay (see websocket.h).
 *
 * Design. libmicrohttpd sends our 101 answer, suspends the connection in
 * its own loops and calls upgraded() with the socket. From then on the
 * socket is ours until we call MHD_upgrade_action(CLOSE), after which
 * libmicrohttpd closes it and finishes the request (on_completed in
 * server.c, which releases the pending upgrade). One WebSocket thread
 * waits on an epoll set holding every upgraded socket plus an eventfd to
 * wake it; for each ready socket it lets wslay read (wslay_event_recv) and
 * write (wslay_event_send) under the connection's lock. wslay answers
 * pings and close frames by itself and refuses messages over
 * WS_MESSAGE_MAX with 1009.
 *
 * Locks and their order: list_lock (the list of connections, the count),
 * then a connection's lock (its wslay context and flags). Text messages
 * received are copied out while the connection's lock is held and handed
 * to the handler after it is released, so a handler may take its own
 * locks and then call ws_send_text() without inverting that order.
 *
 * Lifetime. A connection is freed only by the WebSocket thread, after it
 * is unlinked under list_lock; ws_foreach() holds list_lock for its whole
 * walk, so nobody can hold a pointer to a freed connection. Senders on
 * other threads never close a socket: a connection to end is marked (and
 * its socket shut down, which wakes the WebSocket thread with EPOLLHUP).
 */
#define _GNU_SOURCE
#include "http/websocket.h"
#include "http/request.h"
#include "http/response.h"
#include "http/stream.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "lib/sha1.h"
#include "lib/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wslay/wslay.h>

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define INBOX_BYTES_MAX (1024u * 1024) /* messages read at once, waiting for the handler */
#define CLOSE_WAIT_US (2 * 1000000LL) /* after our close frame, before giving up */

struct ws_pending {
	const struct ws_handler *h;
	void *user;
	atomic_int taken;        /* a connection took user */
};

struct inbox_msg {
	char *data;
	size_t len;
};

struct ws_conn {
	struct ws_conn *prev, *next;   /* under list_lock */
	int linked;

	pthread_mutex_t lock;          /* everything below */
	int fd;
	struct MHD_UpgradeResponseHandle *urh;
	wslay_event_context_ptr ctx;
	const struct ws_handler *h;
	void *user;
	char *extra;                   /* bytes libmicrohttpd read past the headers */
	size_t extra_len, extra_off;
	int dead;                      /* end now: unlink, close, free */
	int close_queued;
	int64_t close_at_us;           /* when our close frame was queued */
	int draining;                  /* our close is sent, theirs has not come: read and
	                                * drop until they close (no RST on unread bytes) */
	int64_t last_recv_us, last_send_us, last_ping_us;
	unsigned events;               /* the epoll interest set */
	struct inbox_msg *inbox;       /* text messages read, for the handler */
	size_t ninbox, inbox_cap, inbox_bytes;
};

static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ws_conn *list_head;
static size_t nconns;                 /* pending + open */
static size_t max_conns;
static int64_t ping_us = 15 * 1000000LL;
static int epfd = -1, wakefd = -1;
static pthread_t thread;
static int running, stopping;
static atomic_int stop_thread;

/* ---- the handshake ---------------------------------------------------------------- */

/* Is `token` one of the comma-separated tokens of header value v? */
static int has_token(const char *v, const char *token)
{
	size_t tl = strlen(token);

	while (v && *v) {
		size_t n;

		v += strspn(v, " \t,");
		n = strcspn(v, ",");
		while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
			n--;
		if (n == tl && !strncasecmp(v, token, tl))
			return 1;
		v += strcspn(v, ",");
	}
	return 0;
}

int ws_is_upgrade(const struct request *rq)
{
	const char *up = req_header(rq, "Upgrade");

	return up && has_token(up, "websocket");
}

int ws_accept(struct request *rq, struct response *rs, const struct ws_handler *h, void *user,
	      const char *protocol)
{
	const char *key = req_header(rq, "Sec-WebSocket-Key");
	const char *version = req_header(rq, "Sec-WebSocket-Version");
	const char *conn = req_header(rq, "Connection");
	unsigned char raw[24], digest[SHA1_DIGEST_LEN];
	char accept[64], joined[128];
	size_t raw_len = 0;
	struct ws_pending *p;

	if (strcmp(rq->method, "GET") || !ws_is_upgrade(rq) || !conn || !has_token(conn, "upgrade") || !key ||
	    strlen(key) != 24 || sodium_base642bin(raw, sizeof raw, key, 24, NULL, &raw_len, NULL,
						   sodium_base64_VARIANT_ORIGINAL) != 0 || raw_len != 16) {
		http_error(rq, rs, 400, "This is not a valid WebSocket handshake");
		return -1;
	}
	if (!version || strcmp(version, "13")) {
		resp_header(rs, "Sec-WebSocket-Version", "13");
		http_error(rq, rs, 426, "Only WebSocket version 13 is supported");
		return -1;
	}
	pthread_mutex_lock(&list_lock);
	if (!running || stopping || nconns >= max_conns) {
		pthread_mutex_unlock(&list_lock);
		resp_retry_after(rs, 10);
		http_error(rq, rs, 503, "Too many open streams; try again later");
		return -1;
	}
	nconns++;
	pthread_mutex_unlock(&list_lock);
	p = calloc(1, sizeof *p);
	if (!p) {
		pthread_mutex_lock(&list_lock);
		nconns--;
		pthread_mutex_unlock(&list_lock);
		http_error(rq, rs, 503, "The server is busy; try again in a moment");
		return -1;
	}
	p->h = h;
	p->user = user;
	snprintf(joined, sizeof joined, "%s" WS_GUID, key);
	sha1(joined, strlen(joined), digest);
	sodium_bin2base64(accept, sizeof accept, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
	rs->status = 101;
	rs->content_type = NULL;
	buf_reset(&rs->body);
	resp_header(rs, "Upgrade", "websocket");
	resp_header(rs, "Sec-WebSocket-Accept", accept);
	if (protocol && *protocol)
		resp_header(rs, "Sec-WebSocket-Protocol", protocol);
	rs->upgrade = p;
	rq->ws = p;
	return 0;
}

void ws_pending_release(struct ws_pending *p)
{
	if (!p)
		return;
	if (!atomic_load(&p->taken)) {
		/* never upgraded: the client went away first */
		p->h->on_close(NULL, p->user);
		pthread_mutex_lock(&list_lock);
		nconns--;
		pthread_mutex_unlock(&list_lock);
	}
	free(p);
}

/* ---- wslay's side ------------------------------------------------------------------ */

static ssize_t recv_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags, void *ud)
{
	struct ws_conn *c = ud;
	ssize_t n;

	(void)flags;
	if (c->extra_off < c->extra_len) {
		n = (ssize_t)(c->extra_len - c->extra_off < len ? c->extra_len - c->extra_off : len);
		memcpy(buf, c->extra + c->extra_off, (size_t)n);
		c->extra_off += (size_t)n;
		return n;
	}
	do
		n = recv(c->fd, buf, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		wslay_event_set_error(ctx, errno == EAGAIN || errno == EWOULDBLOCK ? WSLAY_ERR_WOULDBLOCK
										  : WSLAY_ERR_CALLBACK_FAILURE);
		return -1;
	}
	if (n == 0) {
		wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
		return -1;
	}
	c->last_recv_us = time_mono_us();
	return n;
}

static ssize_t send_cb(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags, void *ud)
{
	struct ws_conn *c = ud;
	ssize_t n;

	(void)flags;
	do
		n = send(c->fd, data, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		wslay_event_set_error(ctx, errno == EAGAIN || errno == EWOULDBLOCK ? WSLAY_ERR_WOULDBLOCK
										  : WSLAY_ERR_CALLBACK_FAILURE);
		return -1;
	}
	c->last_send_us = time_mono_us();
	return n;
}

static void on_msg(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *arg, void *ud)
{
	struct ws_conn *c = ud;
	char *copy;

	(void)ctx;
	if (arg->opcode != WSLAY_TEXT_FRAME)
		return; /* binary messages mean nothing here; control frames are wslay's */
	if (c->inbox_bytes + arg->msg_length > INBOX_BYTES_MAX) {
		/* a flood faster than we can answer it */
		wslay_event_queue_close(c->ctx, WSLAY_CODE_POLICY_VIOLATION,
					(const uint8_t *)"too many messages at once", 25);
		return;
	}
	if (c->ninbox == c->inbox_cap) {
		size_t nc = c->inbox_cap ? c->inbox_cap * 2 : 8;
		struct inbox_msg *ni = realloc(c->inbox, nc * sizeof *ni);

		if (!ni)
			return;
		c->inbox = ni;
		c->inbox_cap = nc;
	}
	copy = malloc(arg->msg_length + 1);
	if (!copy)
		return;
	memcpy(copy, arg->msg, arg->msg_length);
	copy[arg->msg_length] = '\0';
	c->inbox[c->ninbox].data = copy;
	c->inbox[c->ninbox].len = arg->msg_length;
	c->ninbox++;
	c->inbox_bytes += arg->msg_length;
}

static const struct wslay_event_callbacks callbacks = {
	recv_cb, send_cb, NULL, NULL, NULL, NULL, on_msg,
};

/* Ask epoll for what wslay wants. Under c->lock. */
static void update_interest(struct ws_conn *c)
{
	unsigned want = EPOLLRDHUP;
	struct epoll_event ev;

	if (c->dead)
		return;
	if (wslay_event_want_read(c->ctx) || c->draining)
		want |= EPOLLIN;
	if (wslay_event_want_write(c->ctx))
		want |= EPOLLOUT;
	if (want == c->events)
		return;
	memset(&ev, 0, sizeof ev);
	ev.events = want;
	ev.data.ptr = c;
	if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->events = want;
}

/* Send what can go now; mark the connection dead when it is finished (both
 * directions done) or broken. Under c->lock. */
static void pump_send(struct ws_conn *c)
{
	if (!c->dead && wslay_event_want_write(c->ctx) && wslay_event_send(c->ctx) != 0)
		c->dead = 1;
	if (!c->dead && !c->draining && !wslay_event_want_read(c->ctx) && !wslay_event_want_write(c->ctx)) {
		if (wslay_event_get_close_received(c->ctx)) {
			c->dead = 1;
		} else {
			/* we closed (a message too big, the server stopping):
			 * wait for the peer's close, dropping what it still sends */
			c->draining = 1;
			if (!c->close_queued) {
				c->close_queued = 1;
				c->close_at_us = time_mono_us();
			}
		}
	}
	update_interest(c);
}

/* ---- the upgrade -------------------------------------------------------------------- */

static void link_conn(struct ws_conn *c)
{
	pthread_mutex_lock(&list_lock);
	c->prev = NULL;
	c->next = list_head;
	if (list_head)
		list_head->prev = c;
	list_head = c;
	c->linked = 1;
	pthread_mutex_unlock(&list_lock);
}

/* libmicrohttpd, on the connection's worker, after sending our 101. */
static void upgraded(void *cls, struct MHD_Connection *connection, void *con_cls, const char *extra_in,
		     size_t extra_in_size, MHD_socket sock, struct MHD_UpgradeResponseHandle *urh)
{
	struct ws_pending *p = cls;
	struct ws_conn *c = calloc(1, sizeof *c);
	struct epoll_event ev;
	int one = 1, flags;

	(void)connection;
	(void)con_cls;
	atomic_store(&p->taken, 1);
	if (!c)
		goto fail;
	pthread_mutex_init(&c->lock, NULL);
	c->fd = sock;
	c->urh = urh;
	c->h = p->h;
	c->user = p->user;
	c->last_recv_us = c->last_send_us = c->last_ping_us = time_mono_us();
	if (extra_in_size) {
		c->extra = malloc(extra_in_size);
		if (!c->extra)
			goto fail_conn;
		memcpy(c->extra, extra_in, extra_in_size);
		c->extra_len = extra_in_size;
	}
	if (wslay_event_context_server_init(&c->ctx, &callbacks, c) != 0)
		goto fail_conn;
	wslay_event_config_set_max_recv_msg_length(c->ctx, WS_MESSAGE_MAX);
	flags = fcntl(sock, F_GETFL, 0);
	if (flags >= 0)
		fcntl(sock, F_SETFL, flags | O_NONBLOCK);
	/* events are small and should leave at once */
	setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	link_conn(c);
	memset(&ev, 0, sizeof ev);
	/* EPOLLOUT fires at once: the first serve() also reads what came
	 * with the handshake (c->extra), which is not on the socket */
	c->events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
	ev.events = c->events;
	ev.data.ptr = c;
	pthread_mutex_lock(&list_lock);
	if (stopping || epoll_ctl(epfd, EPOLL_CTL_ADD, sock, &ev) != 0)
		c->dead = 1; /* freed by the next tick, or by the shutdown */
	pthread_mutex_unlock(&list_lock);
	return;
fail_conn:
	free(c->extra);
	pthread_mutex_destroy(&c->lock);
	free(c);
fail:
	log_error("websocket: cannot take over an upgraded connection");
	p->h->on_close(NULL, p->user);
	MHD_upgrade_action(urh, MHD_UPGRADE_ACTION_CLOSE);
	pthread_mutex_lock(&list_lock);
	nconns--;
	pthread_mutex_unlock(&list_lock);
}

struct MHD_Response *ws_response(struct ws_pending *p)
{
	return MHD_create_response_for_upgrade(upgraded, p);
}

/* ---- sending ------------------------------------------------------------------------ */

/* End a connection from any thread: its socket is shut down, which wakes
 * the WebSocket thread (EPOLLHUP) to free it. Under c->lock. */
static void kill_conn(struct ws_conn *c, const char *why)
{
	if (!c->dead)
		log_info("websocket: closing a connection: %s", why);
	c->dead = 1;
	shutdown(c->fd, SHUT_RDWR);
}

int ws_send_text(struct ws_conn *c, const char *data, size_t len)
{
	struct wslay_event_msg msg = { WSLAY_TEXT_FRAME, (const uint8_t *)data, len };
	int rc = -1;

	pthread_mutex_lock(&c->lock);
	if (c->dead || c->close_queued || !wslay_event_get_write_enabled(c->ctx)) {
		/* closing: nothing more goes out */
	} else if (wslay_event_get_queued_msg_length(c->ctx) + len > STREAM_QUEUE_MAX) {
		kill_conn(c, "the client is not reading fast enough");
	} else if (wslay_event_queue_msg(c->ctx, &msg) == 0) {
		rc = 0;
		pump_send(c);
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

void ws_close(struct ws_conn *c, uint16_t code, const char *reason)
{
	pthread_mutex_lock(&c->lock);
	if (!c->dead && !c->close_queued) {
		wslay_event_queue_close(c->ctx, code, (const uint8_t *)(reason ? reason : ""),
					reason ? strlen(reason) : 0);
		c->close_queued = 1;
		c->close_at_us = time_mono_us();
		pump_send(c);
	}
	pthread_mutex_unlock(&c->lock);
}

void ws_foreach(const struct ws_handler *h, void (*fn)(struct ws_conn *c, void *user, void *ctx), void *ctx)
{
	struct ws_conn *c;

	pthread_mutex_lock(&list_lock);
	for (c = list_head; c; c = c->next) {
		int live;

		pthread_mutex_lock(&c->lock);
		live = !c->dead && !c->close_queued && c->h == h;
		pthread_mutex_unlock(&c->lock);
		if (live)
			fn(c, c->user, ctx);
	}
	pthread_mutex_unlock(&list_lock);
}

size_t ws_count(void)
{
	size_t n;

	pthread_mutex_lock(&list_lock);
	n = nconns;
	pthread_mutex_unlock(&list_lock);
	return n;
}

/* ---- the WebSocket thread ---------------------------------------------------------------- */

/* Unlink, give the user back, hand the socket to libmicrohttpd to close,
 * free. On the WebSocket thread only. */
static void destroy(struct ws_conn *c)
{
	pthread_mutex_lock(&list_lock);
	if (c->linked) {
		if (c->prev)
			c->prev->next = c->next;
		else
			list_head = c->next;
		if (c->next)
			c->next->prev = c->prev;
		c->linked = 0;
	}
	nconns--;
	pthread_mutex_unlock(&list_lock);
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	c->h->on_close(c, c->user);
	wslay_event_context_free(c->ctx);
	while (c->ninbox)
		free(c->inbox[--c->ninbox].data);
	free(c->inbox);
	free(c->extra);
	MHD_upgrade_action(c->urh, MHD_UPGRADE_ACTION_CLOSE);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* Read and write what the socket allows; deliver the messages read. */
static void serve(struct ws_conn *c, unsigned events)
{
	struct inbox_msg *inbox;
	size_t n, i;
	int dead;

	pthread_mutex_lock(&c->lock);
	if (!c->dead && c->draining && (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP))) {
		char junk[4096];
		ssize_t r;

		while ((r = recv(c->fd, junk, sizeof junk, 0)) > 0)
			;
		if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			c->dead = 1;
	}
	if (!c->dead && ((events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) || c->extra_off < c->extra_len) &&
	    wslay_event_want_read(c->ctx) && wslay_event_recv(c->ctx) != 0)
		c->dead = 1;
	if (!c->dead && (events & (EPOLLHUP | EPOLLERR)))
		c->dead = 1;
	pump_send(c);
	/* take the messages read; the handler runs without the lock */
	n = c->ninbox;
	inbox = c->inbox;
	c->inbox = NULL;
	c->ninbox = c->inbox_cap = c->inbox_bytes = 0;
	dead = c->dead;
	pthread_mutex_unlock(&c->lock);
	for (i = 0; i < n; i++) {
		if (!dead)
			c->h->on_message(c, c->user, inbox[i].data, inbox[i].len);
		free(inbox[i].data);
	}
	free(inbox);
	if (dead)
		destroy(c);
}

/* Once a tick: pings for quiet connections, an end for silent or
 * half-closed ones and for those marked dead by other threads. */
static void tick(void)
{
	int64_t now = time_mono_us();
	struct ws_conn *c, *next, *doomed = NULL;

	pthread_mutex_lock(&list_lock);
	for (c = list_head; c; c = next) {
		next = c->next;
		pthread_mutex_lock(&c->lock);
		if (!c->dead && c->close_queued && now - c->close_at_us > CLOSE_WAIT_US)
			c->dead = 1;
		if (!c->dead && now - c->last_recv_us > 3 * ping_us)
			c->dead = 1; /* not even a pong for three periods */
		/* a ping when either way has been quiet for a period: the pong
		 * shows the client is there even when it only listens */
		if (!c->dead && !c->close_queued && now - c->last_ping_us >= ping_us &&
		    (now - c->last_send_us >= ping_us || now - c->last_recv_us >= ping_us)) {
			struct wslay_event_msg ping = { WSLAY_PING, NULL, 0 };

			if (wslay_event_queue_msg(c->ctx, &ping) == 0)
				pump_send(c);
			c->last_ping_us = now;
		}
		if (c->dead) {
			/* collect, and free below without holding list_lock */
			if (c->prev)
				c->prev->next = c->next;
			else
				list_head = c->next;
			if (c->next)
				c->next->prev = c->prev;
			c->linked = 0;
			c->next = doomed;
			doomed = c;
		}
		pthread_mutex_unlock(&c->lock);
	}
	pthread_mutex_unlock(&list_lock);
	while (doomed) {
		c = doomed;
		doomed = c->next;
		destroy(c);
	}
}

static void *ws_main(void *unused)
{
	struct epoll_event evs[64];
	int64_t next_tick = time_mono_us() + 1000000;

	(void)unused;
	while (!atomic_load(&stop_thread)) {
		int64_t wait = (next_tick - time_mono_us()) / 1000;
		int n = epoll_wait(epfd, evs, 64, wait < 0 ? 0 : (int)wait), i;

		for (i = 0; i < n; i++) {
			if (evs[i].data.ptr == NULL) {
				uint64_t v;

				/* woken to stop */
				if (read(wakefd, &v, sizeof v) < 0 && errno != EAGAIN)
					log_debug("websocket: eventfd read: %s", strerror(errno));
				continue;
			}
			serve(evs[i].data.ptr, evs[i].events);
		}
		if (time_mono_us() >= next_tick) {
			tick();
			next_tick = time_mono_us() + 1000000;
		}
	}
	return NULL;
}

int websockets_start(int max, int ping_seconds)
{
	struct epoll_event ev;

	max_conns = max > 0 ? (size_t)max : 0;
	ping_us = (int64_t)(ping_seconds > 0 ? ping_seconds : 15) * 1000000LL;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (epfd < 0 || wakefd < 0)
		goto fail;
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, wakefd, &ev) != 0)
		goto fail;
	atomic_store(&stop_thread, 0);
	stopping = 0;
	if (pthread_create(&thread, NULL, ws_main, NULL) != 0)
		goto fail;
	pthread_mutex_lock(&list_lock);
	running = 1;
	pthread_mutex_unlock(&list_lock);
	return 0;
fail:
	log_error("websocket: cannot start the WebSocket thread");
	if (epfd >= 0)
		close(epfd);
	if (wakefd >= 0)
		close(wakefd);
	epfd = wakefd = -1;
	return -1;
}

void websockets_shutdown(void)
{
	struct ws_conn *c;
	int64_t deadline;
	uint64_t one = 1;
	int n = 0;

	pthread_mutex_lock(&list_lock);
	if (!running) {
		pthread_mutex_unlock(&list_lock);
		return;
	}
	stopping = 1;
	for (c = list_head; c; c = c->next) {
		pthread_mutex_lock(&c->lock);
		if (!c->dead && !c->close_queued) {
			wslay_event_queue_close(c->ctx, WSLAY_CODE_GOING_AWAY,
						(const uint8_t *)"server shutting down", 20);
			c->close_queued = 1;
			c->close_at_us = time_mono_us();
			pump_send(c);
		}
		pthread_mutex_unlock(&c->lock);
		n++;
	}
	pthread_mutex_unlock(&list_lock);
	if (n)
		log_info("websocket: closing %d connections", n);
	/* the thread keeps serving: clients answer the close frames */
	deadline = time_mono_us() + 500 * 1000;
	while (time_mono_us() < deadline) {
		pthread_mutex_lock(&list_lock);
		c = list_head;
		pthread_mutex_unlock(&list_lock);
		if (!c)
			break;
		usleep(10 * 1000);
	}
	atomic_store(&stop_thread, 1);
	if (write(wakefd, &one, sizeof one) < 0)
		log_debug("websocket: wake failed: %s", strerror(errno));
	pthread_join(thread, NULL);
	/* whoever did not answer is closed now */
	for (;;) {
		pthread_mutex_lock(&list_lock);
		c = list_head;
		pthread_mutex_unlock(&list_lock);
		if (!c)
			break;
		destroy(c);
	}
	pthread_mutex_lock(&list_lock);
	running = 0;
	pthread_mutex_unlock(&list_lock);
	close(epfd);
	close(wakefd);
	epfd = wakefd = -1;
}
