/*
 * config.c - settings from defaults, file, environment and flags (see config.h).
 */
#include "lib/config.h"
#include "lib/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int copy_str(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (len >= n)
		return -1;
	memcpy(dst, src, len + 1);
	return 0;
}

void config_defaults(struct config *c, const char *data_dir)
{
	const char *env = getenv("PARLEY_DATA");

	memset(c, 0, sizeof *c);
	if (!data_dir || !*data_dir)
		data_dir = env && *env ? env : "var";
	if (copy_str(c->data_dir, sizeof c->data_dir, data_dir) < 0)
		copy_str(c->data_dir, sizeof c->data_dir, "var");
	copy_str(c->listen, sizeof c->listen, "127.0.0.1:8080");
	copy_str(c->instance_name, sizeof c->instance_name, "Parley");
	copy_str(c->trusted_proxies, sizeof c->trusted_proxies, "127.0.0.1 ::1");
	c->max_body = 1024 * 1024;
	c->max_upload = 16 * 1024 * 1024;
	c->threads = 4;
	c->max_connections = 1024;
	c->timeout = 60;
	c->max_streams = 10000;
	c->stream_heartbeat = 15;
	c->log_level = LOG_INFO;
	c->post_max_chars = 5000;
	c->article_max_chars = 100000;
	c->poll_max_options = 4;
	c->idea_vote_limit = 30;
	c->idea_new_account_hours = 24;
	c->api_rate_limit = 300;
	c->api_rate_window = 300;
	c->profile_image_max = 4 * 1024 * 1024;
	copy_str(c->working_hours, sizeof c->working_hours, "09:00-17:00");
	copy_str(c->working_days, sizeof c->working_days, "mon-fri");
	copy_str(c->timezone, sizeof c->timezone, "UTC");
	c->routing_min_target = 60;
	copy_str(c->reactions, sizeof c->reactions, "\xf0\x9f\x91\x8d \xe2\x9d\xa4\xef\xb8\x8f "
		 "\xf0\x9f\x8e\x89 \xf0\x9f\x98\x84 \xf0\x9f\xa4\x94 \xf0\x9f\x91\x80");
}

static int parse_long(const char *v, long min, long max, long *out)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < min || x > max)
		return -1;
	*out = x;
	return 0;
}

int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen)
{
	long n;

	if (!strcmp(key, "listen")) {
		if (!strchr(value, ':') || copy_str(c->listen, sizeof c->listen, value) < 0)
			goto bad;
	} else if (!strcmp(key, "base_url")) {
		const char *host = !strncmp(value, "http://", 7) ? value + 7 :
				   !strncmp(value, "https://", 8) ? value + 8 : NULL;

		if (!host || !*host || *host == '/' || copy_str(c->base_url, sizeof c->base_url, value) < 0)
			goto bad;
		/* no trailing slash: paths are appended to it */
		while (c->base_url[0] && c->base_url[strlen(c->base_url) - 1] == '/')
			c->base_url[strlen(c->base_url) - 1] = '\0';
	} else if (!strcmp(key, "instance_name")) {
		if (!*value || copy_str(c->instance_name, sizeof c->instance_name, value) < 0)
			goto bad;
	} else if (!strcmp(key, "trusted_proxies")) {
		if (copy_str(c->trusted_proxies, sizeof c->trusted_proxies,
			     strcmp(value, "none") ? value : "") < 0)
			goto bad;
	} else if (!strcmp(key, "max_body")) {
		if (parse_long(value, 1024, 1L << 30, &n) < 0)
			goto bad;
		c->max_body = (size_t)n;
	} else if (!strcmp(key, "max_upload")) {
		if (parse_long(value, 1024, 1L << 30, &n) < 0)
			goto bad;
		c->max_upload = (size_t)n;
	} else if (!strcmp(key, "profile_image_max")) {
		if (parse_long(value, 1024, 1L << 30, &n) < 0)
			goto bad;
		c->profile_image_max = (size_t)n;
	} else if (!strcmp(key, "threads")) {
		if (parse_long(value, 1, 256, &n) < 0)
			goto bad;
		c->threads = (int)n;
	} else if (!strcmp(key, "max_connections")) {
		if (parse_long(value, 4, 1000000, &n) < 0)
			goto bad;
		c->max_connections = (int)n;
	} else if (!strcmp(key, "timeout")) {
		if (parse_long(value, 1, 3600, &n) < 0)
			goto bad;
		c->timeout = (int)n;
	} else if (!strcmp(key, "post_max_chars")) {
		if (parse_long(value, 1, 100000, &n) < 0)
			goto bad;
		c->post_max_chars = n;
	} else if (!strcmp(key, "article_max_chars")) {
		if (parse_long(value, 1, 1000000, &n) < 0)
			goto bad;
		c->article_max_chars = n;
	} else if (!strcmp(key, "poll_max_options")) {
		if (parse_long(value, 2, 10, &n) < 0)
			goto bad;
		c->poll_max_options = (int)n;
	} else if (!strcmp(key, "idea_vote_limit")) {
		if (parse_long(value, 1, 1000000, &n) < 0)
			goto bad;
		c->idea_vote_limit = (int)n;
	} else if (!strcmp(key, "idea_new_account_hours")) {
		if (parse_long(value, 0, 1000000, &n) < 0)
			goto bad;
		c->idea_new_account_hours = (int)n;
	} else if (!strcmp(key, "api_rate_limit")) {
		if (parse_long(value, 0, 100000000, &n) < 0)
			goto bad;
		c->api_rate_limit = n;
	} else if (!strcmp(key, "api_rate_window")) {
		if (parse_long(value, 1, 86400, &n) < 0)
			goto bad;
		c->api_rate_window = (int)n;
	} else if (!strcmp(key, "reactions")) {
		if (!*value || strchr(value, ',') || copy_str(c->reactions, sizeof c->reactions, value) < 0)
			goto bad;
	} else if (!strcmp(key, "max_streams")) {
		if (parse_long(value, 0, 1000000, &n) < 0)
			goto bad;
		c->max_streams = (int)n;
	} else if (!strcmp(key, "stream_heartbeat")) {
		if (parse_long(value, 1, 3600, &n) < 0)
			goto bad;
		c->stream_heartbeat = (int)n;
	} else if (!strcmp(key, "working_hours")) {
		if (!*value || copy_str(c->working_hours, sizeof c->working_hours, value) < 0)
			goto bad;
	} else if (!strcmp(key, "working_days")) {
		if (copy_str(c->working_days, sizeof c->working_days, value) < 0)
			goto bad;
	} else if (!strcmp(key, "timezone")) {
		if (!*value || copy_str(c->timezone, sizeof c->timezone, value) < 0)
			goto bad;
	} else if (!strcmp(key, "routing_min_target")) {
		if (parse_long(value, 1, 604800, &n) < 0)
			goto bad;
		c->routing_min_target = n;
	} else if (!strcmp(key, "log_level")) {
		if (!strcasecmp(value, "debug"))
			c->log_level = LOG_DEBUG;
		else if (!strcasecmp(value, "info"))
			c->log_level = LOG_INFO;
		else if (!strcasecmp(value, "warn"))
			c->log_level = LOG_WARN;
		else if (!strcasecmp(value, "error"))
			c->log_level = LOG_ERROR;
		else
			goto bad;
	} else {
		snprintf(err, errlen, "unknown setting '%s'", key);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "bad value for %s: '%s'", key, value);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int config_load_file(struct config *c, char *err, size_t errlen)
{
	char path[1100], line[1024], msg[256];
	FILE *f;
	int lineno = 0;

	snprintf(path, sizeof path, "%s/parley.conf", c->data_dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f)) {
		int complete = strchr(line, '\n') != NULL || feof(f);
		char *s = trim(line), *eq;

		lineno++;
		if (!complete) {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			fclose(f);
			return -1;
		}
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		if (config_set(c, trim(s), trim(eq + 1), msg, sizeof msg) < 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

int config_load_env(struct config *c, char *err, size_t errlen)
{
	static const char *const keys[][2] = {
		{ "PARLEY_LISTEN", "listen" },
		{ "PARLEY_BASE_URL", "base_url" },
		{ "PARLEY_MAX_BODY", "max_body" },
		{ "PARLEY_MAX_UPLOAD", "max_upload" },
		{ "PARLEY_THREADS", "threads" },
		{ "PARLEY_MAX_CONNECTIONS", "max_connections" },
		{ "PARLEY_TIMEOUT", "timeout" },
		{ "PARLEY_MAX_STREAMS", "max_streams" },
		{ "PARLEY_STREAM_HEARTBEAT", "stream_heartbeat" },
		{ "PARLEY_INSTANCE_NAME", "instance_name" },
		{ "PARLEY_LOG_LEVEL", "log_level" },
		{ "PARLEY_TRUSTED_PROXIES", "trusted_proxies" },
		{ "PARLEY_POST_MAX_CHARS", "post_max_chars" },
		{ "PARLEY_ARTICLE_MAX_CHARS", "article_max_chars" },
		{ "PARLEY_POLL_MAX_OPTIONS", "poll_max_options" },
		{ "PARLEY_REACTIONS", "reactions" },
		{ "PARLEY_API_RATE_LIMIT", "api_rate_limit" },
		{ "PARLEY_API_RATE_WINDOW", "api_rate_window" },
		{ "PARLEY_PROFILE_IMAGE_MAX", "profile_image_max" },
		{ "PARLEY_WORKING_HOURS", "working_hours" },
		{ "PARLEY_WORKING_DAYS", "working_days" },
		{ "PARLEY_TIMEZONE", "timezone" },
		{ "PARLEY_ROUTING_MIN_TARGET", "routing_min_target" },
		{ "PARLEY_IDEA_VOTE_LIMIT", "idea_vote_limit" },
		{ "PARLEY_IDEA_NEW_ACCOUNT_HOURS", "idea_new_account_hours" },
	};
	char msg[256];
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *v = getenv(keys[i][0]);

		if (v && *v && config_set(c, keys[i][1], v, msg, sizeof msg) < 0) {
			snprintf(err, errlen, "%s: %s", keys[i][0], msg);
			return -1;
		}
	}
	return 0;
}

void config_finish(struct config *c)
{
	if (!c->base_url[0])
		snprintf(c->base_url, sizeof c->base_url, "http://%s", c->listen);
	c->https = !strncmp(c->base_url, "https://", 8);
}
