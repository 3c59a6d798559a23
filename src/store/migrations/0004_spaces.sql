-- 0004_spaces.sql - spaces, their members, invitations and join requests;
-- personal lists; the audit log of privileged reads; public profiles.
-- Portable SQL: INTEGER/TEXT columns only, ids made by the application.
--
-- A post in a space has posts.audience = 'space' and posts.space_id set.
-- Who may read it follows from spaces.kind and space_members (see
-- model/audience.c and AUD_SQL in store/sqlite_posts.c).

CREATE TABLE spaces (
	id              INTEGER PRIMARY KEY,
	handle          TEXT NOT NULL,
	handle_lower    TEXT NOT NULL UNIQUE,
	name            TEXT NOT NULL,
	description     TEXT NOT NULL DEFAULT '',
	purpose         TEXT NOT NULL DEFAULT 'other' CHECK (purpose IN
	                ('project', 'team', 'community', 'support', 'ideas', 'announcements', 'other')),
	kind            TEXT NOT NULL CHECK (kind IN ('internal', 'external', 'public')),
	access          TEXT NOT NULL CHECK (access IN ('open', 'closed', 'secret')),
	posting         TEXT NOT NULL DEFAULT 'everyone' CHECK (posting IN ('everyone', 'moderators')),
	avatar_media_id INTEGER NOT NULL DEFAULT 0,
	archived        INTEGER NOT NULL DEFAULT 0,
	created_by      INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);
CREATE INDEX spaces_kind ON spaces(kind, access, id);

CREATE TABLE space_members (
	space_id        INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	role            TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'moderator', 'member')),
	-- what of this space reaches the member's home timeline
	home            TEXT NOT NULL DEFAULT 'all' CHECK (home IN ('all', 'pinned', 'none')),
	joined_at       INTEGER NOT NULL,
	PRIMARY KEY (space_id, account_id)
);
CREATE INDEX space_members_account ON space_members(account_id, space_id);

-- invitations of existing accounts (account_id) or, by email link, of
-- people without an account yet (invite_id: a guest registration invite)
CREATE TABLE space_invitations (
	id              INTEGER PRIMARY KEY,
	space_id        INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL DEFAULT 0,
	invite_id       INTEGER NOT NULL DEFAULT 0,
	email           TEXT NOT NULL DEFAULT '',
	invited_by      INTEGER NOT NULL,
	created_at      INTEGER NOT NULL
);
CREATE INDEX space_invitations_space ON space_invitations(space_id, id);
CREATE INDEX space_invitations_account ON space_invitations(account_id);
CREATE INDEX space_invitations_invite ON space_invitations(invite_id);

CREATE TABLE space_requests (
	space_id        INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	note            TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (space_id, account_id)
);

CREATE TABLE space_pins (
	space_id        INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
	post_id         INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	pinned_by       INTEGER NOT NULL,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (space_id, post_id)
);
CREATE INDEX space_pins_post ON space_pins(post_id);

CREATE INDEX posts_space ON posts(space_id, id) WHERE space_id <> 0;

-- Mastodon's personal lists (lists of accounts)
CREATE TABLE lists (
	id              INTEGER PRIMARY KEY,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	title           TEXT NOT NULL,
	replies_policy  TEXT NOT NULL DEFAULT 'list' CHECK (replies_policy IN ('followed', 'list', 'none')),
	exclusive       INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL
);
CREATE INDEX lists_account ON lists(account_id, id);

CREATE TABLE list_accounts (
	list_id         INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	PRIMARY KEY (list_id, account_id)
);
CREATE INDEX list_accounts_account ON list_accounts(account_id);

-- privileged reads and actions (moderation access to what the role would
-- not otherwise see), append-only
CREATE TABLE audit_log (
	id              INTEGER PRIMARY KEY,
	actor_id        INTEGER NOT NULL,
	action          TEXT NOT NULL,
	object_type     TEXT NOT NULL,
	object_id       INTEGER NOT NULL DEFAULT 0,
	detail          TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log(actor_id, id);

-- A profile is shown to anonymous visitors, and to guests who share no
-- space with the person, only when it is public.
ALTER TABLE accounts ADD COLUMN profile_public INTEGER NOT NULL DEFAULT 0;
