-- 0001_init.sql - accounts, sessions, OAuth, invites, settings.
-- Portable SQL: INTEGER/TEXT columns only, ids made by the application.

CREATE TABLE accounts (
	id              INTEGER PRIMARY KEY,
	username        TEXT NOT NULL,
	username_lower  TEXT NOT NULL UNIQUE,
	email           TEXT NOT NULL,
	email_lower     TEXT NOT NULL UNIQUE,
	display_name    TEXT NOT NULL DEFAULT '',
	note            TEXT NOT NULL DEFAULT '',
	kind            TEXT NOT NULL CHECK (kind IN ('staff', 'guest', 'remote')),
	is_admin        INTEGER NOT NULL DEFAULT 0,
	is_moderator    INTEGER NOT NULL DEFAULT 0,
	suspended       INTEGER NOT NULL DEFAULT 0,
	locked          INTEGER NOT NULL DEFAULT 0,
	bot             INTEGER NOT NULL DEFAULT 0,
	discoverable    INTEGER NOT NULL DEFAULT 1,
	password_hash   TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	last_seen_at    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
	id              INTEGER PRIMARY KEY,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	token_hash      TEXT NOT NULL UNIQUE,
	csrf            TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	last_used_at    INTEGER NOT NULL,
	expires_at      INTEGER NOT NULL,
	user_agent      TEXT NOT NULL DEFAULT '',
	ip              TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE oauth_apps (
	id              INTEGER PRIMARY KEY,
	name            TEXT NOT NULL,
	website         TEXT NOT NULL DEFAULT '',
	redirect_uris   TEXT NOT NULL,
	scopes          TEXT NOT NULL,
	client_id       TEXT NOT NULL UNIQUE,
	secret_hash     TEXT NOT NULL,
	created_at      INTEGER NOT NULL
);

CREATE TABLE oauth_codes (
	code_hash       TEXT PRIMARY KEY,
	app_id          INTEGER NOT NULL REFERENCES oauth_apps(id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	redirect_uri    TEXT NOT NULL,
	scopes          TEXT NOT NULL,
	code_challenge  TEXT NOT NULL DEFAULT '',
	expires_at      INTEGER NOT NULL
);

CREATE TABLE oauth_tokens (
	id              INTEGER PRIMARY KEY,
	app_id          INTEGER NOT NULL REFERENCES oauth_apps(id) ON DELETE CASCADE,
	account_id      INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
	token_hash      TEXT NOT NULL UNIQUE,
	refresh_hash    TEXT UNIQUE,
	scopes          TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	last_used_at    INTEGER NOT NULL DEFAULT 0,
	revoked_at      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX oauth_tokens_account ON oauth_tokens(account_id, app_id);

CREATE TABLE invites (
	id              INTEGER PRIMARY KEY,
	code            TEXT NOT NULL UNIQUE,
	created_by      INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
	kind            TEXT NOT NULL CHECK (kind IN ('staff', 'guest')),
	max_uses        INTEGER NOT NULL DEFAULT 1,
	uses            INTEGER NOT NULL DEFAULT 0,
	expires_at      INTEGER NOT NULL DEFAULT 0,
	revoked         INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL
);

CREATE TABLE settings (
	key             TEXT PRIMARY KEY,
	value           TEXT NOT NULL
);

CREATE TABLE auth_failures (
	key             TEXT PRIMARY KEY,
	failures        INTEGER NOT NULL,
	last_failure_at INTEGER NOT NULL,
	locked_until    INTEGER NOT NULL
);
