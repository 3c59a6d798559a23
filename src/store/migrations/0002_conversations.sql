-- 0002_conversations.sql - posts, follows, reactions, notifications, polls, jobs.
-- Portable SQL: INTEGER/TEXT columns only, ids made by the application.
--
-- Timelines are computed when read (fan-out on read): a post is one row,
-- whatever its author's follower count, so writing it costs the same for
-- everyone. See docs/ARCHITECTURE.md, "Conversations".

CREATE TABLE posts (
	id              INTEGER PRIMARY KEY,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	audience        TEXT NOT NULL CHECK (audience IN ('public', 'organisation', 'followers', 'direct', 'space')),
	space_id        INTEGER NOT NULL DEFAULT 0,
	kind            TEXT NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'article')),
	in_reply_to_id  INTEGER NOT NULL DEFAULT 0,
	in_reply_to_account_id INTEGER NOT NULL DEFAULT 0,
	reblog_of_id    INTEGER REFERENCES posts(id) ON DELETE CASCADE,
	quote_of_id     INTEGER NOT NULL DEFAULT 0,
	title           TEXT NOT NULL DEFAULT '',
	source          TEXT NOT NULL DEFAULT '',
	content         TEXT NOT NULL DEFAULT '',
	spoiler_text    TEXT NOT NULL DEFAULT '',
	sensitive       INTEGER NOT NULL DEFAULT 0,
	language        TEXT NOT NULL DEFAULT '',
	app_id          INTEGER NOT NULL DEFAULT 0,
	has_media       INTEGER NOT NULL DEFAULT 0,
	has_poll        INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	edited_at       INTEGER NOT NULL DEFAULT 0,
	replies_count   INTEGER NOT NULL DEFAULT 0,
	reblogs_count   INTEGER NOT NULL DEFAULT 0,
	favourites_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX posts_account ON posts(account_id, id);
CREATE INDEX posts_reply ON posts(in_reply_to_id);
CREATE INDEX posts_reblog ON posts(reblog_of_id, account_id);
CREATE INDEX posts_audience ON posts(audience, id);

-- earlier versions of edited posts (the current one is in posts)
CREATE TABLE post_edits (
	id              INTEGER PRIMARY KEY,
	post_id         INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	title           TEXT NOT NULL DEFAULT '',
	source          TEXT NOT NULL,
	content         TEXT NOT NULL,
	spoiler_text    TEXT NOT NULL DEFAULT '',
	sensitive       INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL
);
CREATE INDEX post_edits_post ON post_edits(post_id, id);

CREATE TABLE mentions (
	post_id         INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	PRIMARY KEY (post_id, account_id)
);
CREATE INDEX mentions_account ON mentions(account_id, post_id);

CREATE TABLE tags (
	id              INTEGER PRIMARY KEY,
	name            TEXT NOT NULL,
	name_lower      TEXT NOT NULL UNIQUE,
	created_at      INTEGER NOT NULL
);

CREATE TABLE post_tags (
	post_id         INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	tag_id          INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tags_tag ON post_tags(tag_id, post_id);

CREATE TABLE post_links (
	post_id         INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	url             TEXT NOT NULL,
	PRIMARY KEY (post_id, url)
);

CREATE TABLE follows (
	follower_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	followee_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	id              INTEGER NOT NULL,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX follows_followee ON follows(followee_id, id);
CREATE INDEX follows_follower ON follows(follower_id, id);

CREATE TABLE blocks (
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	target_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (account_id, target_id)
);
CREATE INDEX blocks_target ON blocks(target_id);

CREATE TABLE mutes (
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	target_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	notifications   INTEGER NOT NULL DEFAULT 1,
	expires_at      INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (account_id, target_id)
);

-- favourites, bookmarks: the row id orders the lists (newest first)
CREATE TABLE favourites (
	id              INTEGER PRIMARY KEY,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	post_id         INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	UNIQUE (account_id, post_id)
);
CREATE INDEX favourites_post ON favourites(post_id, id);

CREATE TABLE bookmarks (
	id              INTEGER PRIMARY KEY,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	post_id         INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	UNIQUE (account_id, post_id)
);

CREATE TABLE pins (
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	post_id         INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (account_id, post_id)
);

CREATE TABLE reactions (
	post_id         INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	emoji           TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (post_id, account_id, emoji)
);

CREATE TABLE tag_follows (
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	tag_id          INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	id              INTEGER NOT NULL,
	PRIMARY KEY (account_id, tag_id)
);
CREATE INDEX tag_follows_tag ON tag_follows(tag_id);

CREATE TABLE polls (
	id              INTEGER PRIMARY KEY,
	post_id         INTEGER NOT NULL UNIQUE REFERENCES posts(id) ON DELETE CASCADE,
	multiple        INTEGER NOT NULL DEFAULT 0,
	hide_totals     INTEGER NOT NULL DEFAULT 0,
	expires_at      INTEGER NOT NULL,
	options         TEXT NOT NULL,      -- newline-separated titles
	voters_count    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE poll_votes (
	poll_id         INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	choice          INTEGER NOT NULL,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (poll_id, account_id, choice)
);

CREATE TABLE notifications (
	id              INTEGER PRIMARY KEY,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	from_account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	type            TEXT NOT NULL,
	post_id         INTEGER REFERENCES posts(id) ON DELETE CASCADE,
	emoji           TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL
);
CREATE INDEX notifications_account ON notifications(account_id, id);
CREATE INDEX notifications_post ON notifications(post_id);

CREATE TABLE notification_prefs (
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	type            TEXT NOT NULL,
	enabled         INTEGER NOT NULL,
	PRIMARY KEY (account_id, type)
);

-- Mastodon's markers: where the user stopped reading a timeline
CREATE TABLE markers (
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	timeline        TEXT NOT NULL,
	last_read_id    INTEGER NOT NULL,
	version         INTEGER NOT NULL DEFAULT 1,
	updated_at      INTEGER NOT NULL,
	PRIMARY KEY (account_id, timeline)
);

-- durable background work (src/jobs): retried with backoff until done
CREATE TABLE jobs (
	id              INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL,
	ref_id          INTEGER NOT NULL DEFAULT 0,
	run_at          INTEGER NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	UNIQUE (kind, ref_id)
);
CREATE INDEX jobs_run_at ON jobs(run_at);
