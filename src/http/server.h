/*
 * server.h - the HTTP server: start listening, stop gracefully.
 *
 * Routes must be added (http/router.h) before server_start(). The config
 * is borrowed and must outlive the server.
 */
#ifndef PARLEY_HTTP_SERVER_H
#define PARLEY_HTTP_SERVER_H

#include <stddef.h>

struct config;

/* Listen on cfg->listen with the worker pool. -1 with err on failure. */
int server_start(const struct config *cfg, char *err, size_t errlen);

/* Stop accepting, wait up to grace_ms for requests inside handlers to
 * finish, then close all connections and join the workers. */
void server_stop(int grace_ms);

#endif
