/*
 * store.h - the storage interface.
 *
 * The model layer talks to storage only through the functions below; it
 * never sees SQL. Today one backend implements them (store/sqlite*.c, on an
 * embedded SQLite database in WAL mode); a PostgreSQL backend will implement
 * the same header. The SQL in the backends sticks to what both databases
 * accept (INTEGER ids, TEXT, `?` placeholders rewritten per backend later,
 * INSERT ... RETURNING, no SQLite-only types).
 *
 * Connections: one per thread, opened on first use and closed when the
 * thread exits (or by store_close() for the calling thread). Prepared
 * statements are cached per connection.
 *
 * Durability: the SQLite backend runs with journal_mode=WAL and
 * synchronous=FULL, so a function that returned STORE_OK has its write on
 * disk (fsync of the WAL) before the caller answers the user.
 *
 * Return codes: STORE_OK (0), STORE_NOTFOUND, STORE_CONFLICT (a unique
 * key already exists), STORE_ERROR (logged here; the caller answers 500).
 * Output structs are filled only on STORE_OK. Strings in the structs are
 * fixed-size arrays: nothing returned needs freeing, except where a
 * function says so.
 */
#ifndef PARLEY_STORE_STORE_H
#define PARLEY_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

enum store_rc {
	STORE_ERROR = -1,
	STORE_OK = 0,
	STORE_NOTFOUND = 1,
	STORE_CONFLICT = 2,
};

/* ---- lifetime -------------------------------------------------------- */

/* Open (creating if needed) DATA_DIR/parley.db and apply the embedded
 * migrations in one transaction. Fails (-1, message in err) when the
 * directory cannot be used, a migration fails, or the database was made
 * by a newer Parley (its schema version is above the binary's). */
int store_open(const char *data_dir, char *err, size_t errlen);
/* Close the calling thread's connection and forget the path. */
void store_close(void);
/* Schema version the database is at, and the newest this binary knows. */
int store_schema_version(void);
int store_schema_latest(void);
/* A cheap query; STORE_OK when the database answers. */
int store_ping(void);

/* Copy the whole database, consistently, into a new file at `dest` (which
 * must not exist), while other threads or processes keep using it
 * (SQLite's online backup). -1 with err on failure; no partial file is
 * left behind. */
int store_backup(const char *dest, char *err, size_t errlen);

/* Transactions on the calling thread's connection (BEGIN IMMEDIATE, so a
 * writer never deadlocks on lock upgrade). Nesting is not supported. */
int store_begin(void);
int store_commit(void);
void store_rollback(void);
/* A read transaction: every read until store_read_end() sees one snapshot
 * and the connection takes its locks once, not once per query. For a
 * burst of many small reads (the streaming dispatch asks a few questions
 * per open stream). Must not write in between. Not nested, nor inside
 * store_begin(). */
int store_read_begin(void);
void store_read_end(void);

/* ---- accounts -------------------------------------------------------- */

#define ACCOUNT_USERNAME_MAX 30
#define ACCOUNT_EMAIL_MAX 254

struct account_row {
	int64_t id;
	char username[ACCOUNT_USERNAME_MAX + 1];
	char email[ACCOUNT_EMAIL_MAX + 1];
	char display_name[256];
	char note[2048];
	char kind[8];          /* "staff", "guest" or "remote" */
	int is_admin;
	int is_moderator;
	int suspended;
	int locked;
	int bot;
	int discoverable;
	char password_hash[160];
	int64_t created_at;    /* ms */
	int64_t last_seen_at;  /* ms, 0 when never */
	int profile_public;    /* profile shown to anonymous visitors and unrelated guests */
	int64_t version;       /* moves whenever anything the Account entity shows
	                        * changes: this row's public columns, its counts,
	                        * profile, skills, endorsements, links (triggers of
	                        * migration 0011); read-only here */
};

/* Insert; a taken username or email (case-insensitive) is STORE_CONFLICT. */
int store_account_insert(const struct account_row *a);
int store_account_get(int64_t id, struct account_row *out);
int store_account_by_username(const char *username, struct account_row *out);
int store_account_by_email(const char *email, struct account_row *out);
int64_t store_account_count(void);
/* Page through accounts by id descending, ids below `before` (0: from the
 * newest). Calls fn for each row; returns STORE_OK or STORE_ERROR. */
int store_account_list(int64_t before, int limit,
		       void (*fn)(const struct account_row *, void *), void *ctx);
int store_account_set_roles(int64_t id, const char *kind, int is_admin, int is_moderator);
int store_account_set_suspended(int64_t id, int suspended);
/* The profile fields a person edits themselves. */
int store_account_update_profile(const struct account_row *a);
int store_account_set_password(int64_t id, const char *hash);
int store_account_touch(int64_t id, int64_t now_ms);

/* ---- browser sessions ------------------------------------------------ */

struct session_row {
	int64_t id;
	int64_t account_id;
	char token_hash[65];   /* hex */
	char csrf[64];
	int64_t created_at;
	int64_t last_used_at;
	int64_t expires_at;
	char user_agent[256];
	char ip[64];
};

int store_session_insert(const struct session_row *s);
int store_session_by_hash(const char *token_hash, struct session_row *out);
int store_session_touch(int64_t id, int64_t now_ms, int64_t expires_at);
int store_session_delete(int64_t id);
/* Delete one of an account's sessions (NOTFOUND if not theirs). */
int store_session_delete_for(int64_t account_id, int64_t id);
/* Delete all of an account's sessions except `keep` (0: all). */
int store_session_delete_all(int64_t account_id, int64_t keep);
int store_session_list(int64_t account_id,
		       void (*fn)(const struct session_row *, void *), void *ctx);

/* ---- OAuth ----------------------------------------------------------- */

struct app_row {
	int64_t id;
	char name[256];
	char website[512];
	char redirect_uris[2048]; /* newline-separated */
	char scopes[512];         /* space-separated */
	char client_id[64];
	char secret_hash[65];
	int64_t created_at;
};

struct code_row {
	int64_t app_id;
	int64_t account_id;
	char redirect_uri[1024];
	char scopes[512];
	char code_challenge[128];
	int64_t expires_at;
};

struct token_row {
	int64_t id;
	int64_t app_id;
	int64_t account_id;       /* 0 for client_credentials tokens */
	char token_hash[65];
	char refresh_hash[65];    /* "" when none */
	char scopes[512];
	int64_t created_at;
	int64_t last_used_at;
	int64_t revoked_at;       /* 0 while valid */
};

int store_app_insert(const struct app_row *a);
int store_app_by_client_id(const char *client_id, struct app_row *out);
int store_app_get(int64_t id, struct app_row *out);

int store_code_insert(const char *code_hash, const struct code_row *c);
/* Delete an account's pending codes, for one app (app_id) or all (0). */
int store_code_delete(int64_t account_id, int64_t app_id);
/* Fetch and delete in one step (a code is single-use). */
int store_code_take(const char *code_hash, struct code_row *out);

int store_token_insert(const struct token_row *t);
int store_token_by_hash(const char *token_hash, struct token_row *out);
int store_token_by_refresh(const char *refresh_hash, struct token_row *out);
int store_token_revoke(int64_t id, int64_t now_ms);
int store_token_touch(int64_t id, int64_t now_ms);
/* Revoke every token an account holds for one app. */
int store_token_revoke_app(int64_t account_id, int64_t app_id, int64_t now_ms);
/* Revoke all of an account's tokens (suspension, password reset). */
int store_token_revoke_account(int64_t account_id, int64_t now_ms);
/* Apps with live tokens for an account: fn(app, token count, last used). */
int store_token_apps(int64_t account_id,
		     void (*fn)(const struct app_row *, int64_t, int64_t, void *), void *ctx);

/* ---- invites and settings -------------------------------------------- */

struct invite_row {
	int64_t id;
	char code[64];
	int64_t created_by;
	char kind[8];          /* "staff" or "guest" */
	int max_uses;          /* 0: unlimited */
	int uses;
	int64_t expires_at;    /* 0: never */
	int revoked;
	int64_t created_at;
};

int store_invite_insert(const struct invite_row *inv);
int store_invite_by_code(const char *code, struct invite_row *out);
/* Count one use if the invite is still valid at `now` (not revoked, not
 * expired, uses below max). STORE_NOTFOUND when it is not. Atomic. */
int store_invite_use(int64_t id, int64_t now_ms);
int store_invite_revoke(int64_t id);
int store_invite_list(void (*fn)(const struct invite_row *, void *), void *ctx);

/* Key-value instance settings. `out` gets "" when the key is absent. */
int store_setting_get(const char *key, char *out, size_t n);
int store_setting_set(const char *key, const char *value);

/* ---- sign-in failure counters ---------------------------------------- */

struct failure_row {
	int failures;
	int64_t last_failure_at;
	int64_t locked_until;
};

int store_failure_get(const char *key, struct failure_row *out);
int store_failure_put(const char *key, const struct failure_row *f);
int store_failure_clear(const char *key);

/* ---- housekeeping ---------------------------------------------------- */

/* Delete what can no longer be used: sessions and authorization codes
 * expired before now_ms, and failure counters idle since failures_before
 * whose lock has ended. Returns STORE_OK or STORE_ERROR. */
int store_prune(int64_t now_ms, int64_t failures_before);

#endif
