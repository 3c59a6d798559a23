-- 0006_mastodon.sql - what the Mastodon client API needs beyond
-- conversations: announcements, keyword filters, follow requests, direct
-- conversations and dismissed suggestions.
-- Portable SQL: INTEGER/TEXT columns only, ids made by the application.

-- Instance announcements, written by administrators (Markdown source and
-- the sanitised HTML rendered from it).
CREATE TABLE announcements (
	id              INTEGER PRIMARY KEY,
	text            TEXT NOT NULL,
	content         TEXT NOT NULL,
	starts_at       INTEGER NOT NULL DEFAULT 0,   -- ms, 0: none
	ends_at         INTEGER NOT NULL DEFAULT 0,   -- ms, 0: none; listed until then
	all_day         INTEGER NOT NULL DEFAULT 0,
	published       INTEGER NOT NULL DEFAULT 1,
	published_at    INTEGER NOT NULL DEFAULT 0,
	created_by      INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);

CREATE TABLE announcement_dismissals (
	announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	PRIMARY KEY (announcement_id, account_id)
);

CREATE TABLE announcement_reactions (
	announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	name            TEXT NOT NULL,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (announcement_id, account_id, name)
);

-- Keyword and status filters (Mastodon's v2 filters; a v1 filter is one
-- keyword of a filter). context: space-separated subset of
-- home notifications public thread account.
CREATE TABLE filters (
	id              INTEGER PRIMARY KEY,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	title           TEXT NOT NULL,
	context         TEXT NOT NULL,
	action          TEXT NOT NULL DEFAULT 'warn' CHECK (action IN ('warn', 'hide')),
	expires_at      INTEGER NOT NULL DEFAULT 0,   -- ms, 0: never
	created_at      INTEGER NOT NULL
);
CREATE INDEX filters_account ON filters(account_id, id);

CREATE TABLE filter_keywords (
	id              INTEGER PRIMARY KEY,
	filter_id       INTEGER NOT NULL REFERENCES filters(id) ON DELETE CASCADE,
	keyword         TEXT NOT NULL,
	whole_word      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX filter_keywords_filter ON filter_keywords(filter_id, id);

CREATE TABLE filter_statuses (
	id              INTEGER PRIMARY KEY,
	filter_id       INTEGER NOT NULL REFERENCES filters(id) ON DELETE CASCADE,
	post_id         INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	UNIQUE (filter_id, post_id)
);

-- Follow requests to locked accounts, until authorized or rejected.
CREATE TABLE follow_requests (
	id              INTEGER NOT NULL,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,  -- who asks
	target_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,  -- the locked account
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (account_id, target_id)
);
CREATE INDEX follow_requests_target ON follow_requests(target_id, id);

-- Direct conversations: each direct post belongs to one conversation (the
-- one of the post it replies to, else its own id); each participant has a
-- row saying whether they have read it, deleted when they remove it from
-- their list (a new post brings it back).
CREATE TABLE post_conversations (
	post_id         INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
	conversation_id INTEGER NOT NULL
);
CREATE INDEX post_conversations_conversation ON post_conversations(conversation_id, post_id);

CREATE TABLE conversation_accounts (
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	conversation_id INTEGER NOT NULL,
	unread          INTEGER NOT NULL DEFAULT 0,
	last_status_id  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (account_id, conversation_id)
);
CREATE INDEX conversation_accounts_last ON conversation_accounts(account_id, last_status_id);

-- Follow suggestions a person dismissed.
CREATE TABLE suggestion_dismissals (
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	target_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (account_id, target_id)
);
