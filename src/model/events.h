/*
 * events.h - the in-process event bus: "something visible just changed".
 *
 * The model publishes an event after a write has committed (a post was
 * created, edited or deleted; a notification was made). Subscribers -
 * today the streaming API (api/mastodon/streaming.c), later the web UI's
 * live updates - are called with each event on one dispatcher thread, in
 * publish order, so a slow subscriber never holds up the writer.
 *
 * An event carries ids only, never rendered content: a subscriber loads
 * what it needs, once per event, and decides who may see it
 * (model/audience). Events are not durable: what must survive a crash
 * (federation delivery, e-mail) goes through the job table instead. A
 * client that misses events (a dropped event, a reconnect) catches up by
 * reading its timeline, as Mastodon clients do.
 *
 * Scale: the bus is in-process today. A deployment of several Parley
 * processes over one PostgreSQL database would carry the same events over
 * PostgreSQL LISTEN/NOTIFY behind this same interface: events_publish()
 * becomes a NOTIFY (inside the committing transaction, so it is sent
 * exactly when the write commits) and the dispatcher thread LISTENs and
 * calls the subscribers as it does now. Nothing outside events.c changes.
 *
 * Threads: events_subscribe() is for start-up, before events_start();
 * events_publish() may be called from any thread at any time.
 */
#ifndef PARLEY_MODEL_EVENTS_H
#define PARLEY_MODEL_EVENTS_H

#include <stdint.h>

enum event_type {
	EVENT_STATUS_NEW = 1,
	EVENT_STATUS_EDIT,
	EVENT_STATUS_DELETE,
	EVENT_NOTIFICATION,
};

struct event {
	enum event_type type;
	int64_t id;         /* the post or the notification */
	int64_t account_id; /* the post's author, or the notification's recipient */
};

/* Called on the dispatcher thread. `e` is only valid during the call. The
 * subscriber must not block for long (it holds up every later event) and
 * must not call events_stop(). */
typedef void (*events_fn)(const struct event *e, void *ctx);

/* Queue capacity: past this many undelivered events, new ones are dropped. */
#define EVENTS_QUEUE_MAX 4096
/* Subscriber slots. */
#define EVENTS_MAX_SUBSCRIBERS 8

/* Add a subscriber; subscribers are called in the order they were added.
 * Before events_start() only. 0, or -1 when all slots are taken or the bus
 * is already running. */
int events_subscribe(events_fn fn, void *ctx);

/* Start the dispatcher thread. 0, or -1 when the thread cannot be created
 * (or the bus is already running). */
int events_start(void);

/* Queue an event for the subscribers (copied). Never waits: when the queue
 * is full the event is dropped, counted (events_dropped()) and a warning
 * is logged (at most one every 10 seconds). When the bus is not running
 * (command-line tools, before start, after stop) the event is discarded
 * silently: nobody is listening. */
void events_publish(const struct event *e);

/* Stop: events already queued are still delivered, then the dispatcher
 * thread is joined. Later events_publish() calls are discarded. Safe to call
 * when the bus never started. */
void events_stop(void);

/* Events dropped because the queue was full, since the start. */
uint64_t events_dropped(void);

/* Forget every subscriber and counter (the bus must be stopped). For
 * tests, which start and stop the bus several times in one process. */
void events_reset(void);

#endif
