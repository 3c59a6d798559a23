/*
 * websocket.h - WebSocket connections (RFC 6455) on libmicrohttpd's
 * "upgrade", with libwslay doing the framing.
 *
 * A route handler that sees a WebSocket handshake (ws_is_upgrade) calls
 * ws_accept(): the answer becomes "101 Switching Protocols", and once it is
 * sent libmicrohttpd hands the socket over. From then on one thread of our
 * own (the WebSocket thread, with one epoll set) reads and writes every
 * WebSocket: wslay parses frames, answers pings and close frames, and
 * hands complete text messages to the connection's handler; anyone may
 * queue text messages with ws_send_text() from any thread.
 *
 * Limits: a message received may be at most WS_MESSAGE_MAX bytes (larger:
 * the connection is closed with 1009); a connection may have at most
 * STREAM_QUEUE_MAX bytes waiting to be sent (a reader too slow: closed);
 * the number of connections is bounded (websockets_start). When a
 * connection has been quiet either way for `ping` seconds the server sends
 * a ping (at most one a period); a connection from which nothing (not even
 * a pong) has come for three periods is closed.
 *
 * Ownership: `user` belongs to the connection once ws_accept() returns 0
 * and is given back exactly once, to handler->on_close(), however the
 * connection ends (closed by either side, failed, never upgraded because
 * the client went away first, or the server stopping).
 */
#ifndef PARLEY_HTTP_WEBSOCKET_H
#define PARLEY_HTTP_WEBSOCKET_H

#include <stddef.h>
#include <stdint.h>

struct request;
struct response;
struct ws_conn;

#define WS_MESSAGE_MAX (16u * 1024)

struct ws_handler {
	/* A complete text message (not NUL-terminated; at most WS_MESSAGE_MAX
	 * bytes). Called on the WebSocket thread with no lock held: it may
	 * call ws_send_text() and ws_close(). */
	void (*on_message)(struct ws_conn *c, void *user, const char *data, size_t len);
	/* The connection is gone (c may be NULL when it never opened): free
	 * user. No other callback follows. */
	void (*on_close)(struct ws_conn *c, void *user);
};

/* ---- for route handlers ------------------------------------------------- */

/* 1 when the request asks to switch to WebSocket (Upgrade: websocket). */
int ws_is_upgrade(const struct request *rq);
/* Answer the handshake: 101 with Sec-WebSocket-Accept (and
 * Sec-WebSocket-Protocol: `protocol`, when not NULL: the subprotocol the
 * client offered that we take). 0, and `user` is taken; or -1 with the
 * error already answered (400 for a bad handshake, 426 for a version
 * other than 13, 503 when the connection limit is reached or the server
 * is stopping) and `user` NOT taken. */
int ws_accept(struct request *rq, struct response *rs, const struct ws_handler *h, void *user,
	      const char *protocol);

/* ---- for whoever has something to say ---------------------------------------- */

/* Queue a text message (valid UTF-8). Thread-safe. 0, or -1 when the
 * connection is closing, or when this would queue more than
 * STREAM_QUEUE_MAX bytes (the connection is then closed). */
int ws_send_text(struct ws_conn *c, const char *data, size_t len);
/* Start the closing handshake with code and reason. Thread-safe. */
void ws_close(struct ws_conn *c, uint16_t code, const char *reason);
/* Call fn for every open connection whose handler is h. fn runs with the
 * connection list locked: it must be quick and may call ws_send_text(),
 * never ws_foreach(). */
void ws_foreach(const struct ws_handler *h, void (*fn)(struct ws_conn *c, void *user, void *ctx), void *ctx);
/* Open connections (including those being upgraded). */
size_t ws_count(void);

/* ---- for the server (http/server.c) --------------------------------------------- */

struct ws_pending;
struct MHD_Response;

/* Start the WebSocket thread: at most max_conns connections, a ping every
 * ping_seconds of silence. 0, or -1 when the thread cannot start. */
int websockets_start(int max_conns, int ping_seconds);
/* The 101 response for a request whose handler called ws_accept(). NULL
 * on failure (the pending upgrade is then released). */
struct MHD_Response *ws_response(struct ws_pending *p);
/* The request is finished (it was upgraded and has closed, or it never
 * was): release the pending upgrade (and the user, if no connection took
 * it). */
void ws_pending_release(struct ws_pending *p);
/* Close every connection (a close frame with 1001 "going away", a short
 * wait for the answers, then the sockets), stop the thread. Later
 * handshakes are refused with 503. */
void websockets_shutdown(void);

#endif
