/*
 * config.h - server settings from three sources.
 *
 * Precedence: command-line flags win over environment variables, which win
 * over the file DATA/parley.conf, which wins over the built-in defaults.
 * The data directory itself comes from --data or PARLEY_DATA (default
 * ./var), since the file lives inside it.
 *
 * The file holds `key = value` lines; `#` starts a comment. Keys:
 *   listen           ADDR:PORT to serve on        (PARLEY_LISTEN, --listen)
 *   base_url         public URL of the instance   (PARLEY_BASE_URL, --base-url)
 *   max_body         request body limit in bytes  (PARLEY_MAX_BODY)
 *   max_upload       body limit of media uploads  (PARLEY_MAX_UPLOAD)
 *   threads          HTTP worker threads          (PARLEY_THREADS)
 *   max_connections  open connection limit        (PARLEY_MAX_CONNECTIONS)
 *   timeout          idle connection timeout, s   (PARLEY_TIMEOUT)
 *   max_streams      held streaming connections   (PARLEY_MAX_STREAMS;
 *                    default 10000; 0 turns streaming off)
 *   stream_heartbeat seconds between heartbeats on
 *                    an idle stream               (PARLEY_STREAM_HEARTBEAT; 15)
 *   instance_name    shown in the UI and the API  (PARLEY_INSTANCE_NAME)
 *   log_level        debug, info, warn or error   (PARLEY_LOG_LEVEL)
 *   trusted_proxies  addresses of reverse proxies whose X-Forwarded-For is
 *                    believed, space-separated (PARLEY_TRUSTED_PROXIES;
 *                    default "127.0.0.1 ::1"; "none" for none)
 *   post_max_chars   characters in a post, default 5000 (PARLEY_POST_MAX_CHARS)
 *   article_max_chars characters in an article, default 100000
 *                    (PARLEY_ARTICLE_MAX_CHARS)
 *   poll_max_options options in a poll, 2-10, default 4 (PARLEY_POLL_MAX_OPTIONS)
 *   reactions        the emoji people may react with, space-separated
 *                    (PARLEY_REACTIONS; default "👍 ❤️ 🎉 😄 🤔 👀")
 *   api_rate_limit   API requests per window for each access token, or
 *                    each address without one; 0 turns the limit off
 *                    (PARLEY_API_RATE_LIMIT; default 300, as Mastodon)
 *   api_rate_window  the window, seconds (PARLEY_API_RATE_WINDOW; 300)
 *   profile_image_max largest avatar or header upload, bytes, default 4 MiB
 *                    (PARLEY_PROFILE_IMAGE_MAX)
 *   working_hours    the organisation's working hours, for response targets
 *                    counted in working time (PARLEY_WORKING_HOURS; "09:00-17:00")
 *   working_days     its working days (PARLEY_WORKING_DAYS; "mon-fri")
 *   timezone         its time zone: "UTC", an offset ("+02:00", "UTC-5") or an
 *                    IANA name (PARLEY_TIMEZONE; "UTC")
 *   routing_min_target the shortest response target a routing policy may
 *                    set, seconds (PARLEY_ROUTING_MIN_TARGET; 60)
 *   idea_vote_limit  votes one person may give on idea boards in 10
 *                    minutes, default 30 (PARLEY_IDEA_VOTE_LIMIT)
 *   idea_new_account_hours a vote from an account younger than this is
 *                    flagged, default 24; 0 flags none
 *                    (PARLEY_IDEA_NEW_ACCOUNT_HOURS)
 */
#ifndef PARLEY_LIB_CONFIG_H
#define PARLEY_LIB_CONFIG_H

#include <stddef.h>

struct config {
	char data_dir[1024];
	char listen[128];
	char base_url[512];
	char instance_name[128];
	char trusted_proxies[512];
	size_t max_body;
	size_t max_upload;
	int threads;
	int max_connections;
	int timeout;
	int max_streams;
	int stream_heartbeat;
	int log_level;
	int https; /* derived: base_url starts with https:// */
	/* conversations */
	long post_max_chars;
	long article_max_chars;
	int poll_max_options;
	char reactions[256];
	/* the API's request budget (http/ratelimit.h) */
	long api_rate_limit;
	int api_rate_window;
	/* people */
	size_t profile_image_max;
	/* routing questions (model/routing.h; checked by routing_configure()) */
	char working_hours[32];
	char working_days[64];
	char timezone[64];
	long routing_min_target;
	/* idea boards (model/idea.h) */
	int idea_vote_limit;
	int idea_new_account_hours;
};

/* Defaults, with data_dir taken from `data_dir` (NULL: env or ./var). */
void config_defaults(struct config *c, const char *data_dir);

/* Set one key from text. Returns 0, or -1 with a message in err for an
 * unknown key or a bad value. */
int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen);

/* Apply DATA/parley.conf if present. Returns 0, -1 on a bad line (err says
 * which). A missing file is not an error. */
int config_load_file(struct config *c, char *err, size_t errlen);

/* Apply PARLEY_* environment variables. Returns 0 or -1 (err). */
int config_load_env(struct config *c, char *err, size_t errlen);

/* Derive base_url from listen when unset, and the https flag. */
void config_finish(struct config *c);

#endif
