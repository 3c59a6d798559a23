-- 0005_people.sql - profiles, skills and endorsements, interests,
-- languages, links, the reporting line, admin-defined profile fields, and
-- the people search index (FTS5).
-- Portable SQL for the tables (INTEGER/TEXT columns, ids made by the
-- application); the search index and the triggers that keep it in step
-- are SQLite's (a PostgreSQL backend uses its own full-text search behind
-- the same store_people.h).
--
-- Field visibility: each vis_* column is 0 (public: whoever may see the
-- profile), 1 (organisation: staff only) or 2 (only me: the person
-- alone). See model/people.h.

CREATE TABLE profiles (
	account_id      INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
	headline        TEXT NOT NULL DEFAULT '',
	department      TEXT NOT NULL DEFAULT '',
	department_lower TEXT NOT NULL DEFAULT '',
	team            TEXT NOT NULL DEFAULT '',
	location        TEXT NOT NULL DEFAULT '',
	location_lower  TEXT NOT NULL DEFAULT '',
	timezone        TEXT NOT NULL DEFAULT '',
	working_hours   TEXT NOT NULL DEFAULT '',
	pronouns        TEXT NOT NULL DEFAULT '',
	phone           TEXT NOT NULL DEFAULT '',
	email           TEXT NOT NULL DEFAULT '',      -- contact address, not the sign-in one
	vis_headline    INTEGER NOT NULL DEFAULT 0,
	vis_department  INTEGER NOT NULL DEFAULT 0,
	vis_team        INTEGER NOT NULL DEFAULT 0,
	vis_location    INTEGER NOT NULL DEFAULT 0,
	vis_timezone    INTEGER NOT NULL DEFAULT 0,
	vis_working_hours INTEGER NOT NULL DEFAULT 0,
	vis_languages   INTEGER NOT NULL DEFAULT 0,
	vis_pronouns    INTEGER NOT NULL DEFAULT 0,
	vis_phone       INTEGER NOT NULL DEFAULT 1,
	vis_email       INTEGER NOT NULL DEFAULT 1,
	vis_links       INTEGER NOT NULL DEFAULT 0,
	manager_id      INTEGER NOT NULL DEFAULT 0,    -- 0: none
	away_until      INTEGER NOT NULL DEFAULT 0,    -- ms; 0: not away
	status_text     TEXT NOT NULL DEFAULT '',
	avatar_key      TEXT NOT NULL DEFAULT '',      -- '' : the default picture
	avatar_ext      TEXT NOT NULL DEFAULT '',
	header_key      TEXT NOT NULL DEFAULT '',
	header_ext      TEXT NOT NULL DEFAULT '',
	default_privacy TEXT NOT NULL DEFAULT '',      -- Mastodon source[privacy]; '' : by kind
	language        TEXT NOT NULL DEFAULT '',      -- Mastodon source[language]
	-- copies for the directory's facet counts (one row read per person):
	-- the languages, newline-separated, and the skill ids, comma-separated;
	-- kept by store_profile_index with the search index
	facet_languages TEXT NOT NULL DEFAULT '',
	facet_skills    TEXT NOT NULL DEFAULT '',
	updated_at      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX profiles_department ON profiles(department_lower);
CREATE INDEX profiles_location ON profiles(location_lower);
CREATE INDEX profiles_manager ON profiles(manager_id) WHERE manager_id <> 0;
CREATE INDEX profiles_avatar ON profiles(avatar_key) WHERE avatar_key <> '';
CREATE INDEX profiles_header ON profiles(header_key) WHERE header_key <> '';

-- public profiles, for the directory of guests and anonymous visitors;
-- the directory's order by name
CREATE INDEX accounts_public ON accounts(id) WHERE profile_public <> 0;
CREATE INDEX accounts_name_sort ON accounts(lower(display_name), id);
-- the few suspended accounts, whose endorsements do not count
CREATE INDEX accounts_suspended ON accounts(id) WHERE suspended <> 0;

CREATE TABLE profile_languages (
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	language_lower  TEXT NOT NULL,
	language        TEXT NOT NULL,
	position        INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (account_id, language_lower)
);
CREATE INDEX profile_languages_language ON profile_languages(language_lower, account_id);

CREATE TABLE profile_interests (
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	interest_lower  TEXT NOT NULL,
	interest        TEXT NOT NULL,
	position        INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (account_id, interest_lower)
);
CREATE INDEX profile_interests_interest ON profile_interests(interest_lower, account_id);

-- name/value pairs: Mastodon's profile "fields" (links, mostly)
CREATE TABLE profile_links (
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	position        INTEGER NOT NULL,
	name            TEXT NOT NULL,
	value           TEXT NOT NULL,
	PRIMARY KEY (account_id, position)
);

-- the shared skill vocabulary, curated by admins
CREATE TABLE skills (
	id              INTEGER PRIMARY KEY,
	name            TEXT NOT NULL,
	name_lower      TEXT NOT NULL UNIQUE,
	people          INTEGER NOT NULL DEFAULT 0,   -- profiles holding it (kept by triggers)
	created_by      INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL
);

CREATE TABLE skill_aliases (
	alias_lower     TEXT PRIMARY KEY,
	alias           TEXT NOT NULL,
	skill_id        INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE
);
CREATE INDEX skill_aliases_skill ON skill_aliases(skill_id);

-- level: 1 learning, 2 practised, 3 expert
CREATE TABLE profile_skills (
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	skill_id        INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
	level           INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (account_id, skill_id)
);
CREATE INDEX profile_skills_skill ON profile_skills(skill_id, account_id, level);

-- one endorsement per colleague and skill; gone with the skill
CREATE TABLE endorsements (
	account_id      INTEGER NOT NULL,
	skill_id        INTEGER NOT NULL,
	endorser_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (account_id, skill_id, endorser_id),
	FOREIGN KEY (account_id, skill_id) REFERENCES profile_skills(account_id, skill_id) ON DELETE CASCADE
);
CREATE INDEX endorsements_endorser ON endorsements(endorser_id);
CREATE INDEX endorsements_skill ON endorsements(skill_id, account_id, endorser_id);

-- admin-defined profile fields; visibility as the vis_* columns
CREATE TABLE profile_field_defs (
	id              INTEGER PRIMARY KEY,
	name            TEXT NOT NULL,
	name_lower      TEXT NOT NULL UNIQUE,
	kind            TEXT NOT NULL CHECK (kind IN ('text', 'choice', 'date')),
	choices         TEXT NOT NULL DEFAULT '',      -- newline-separated, for 'choice'
	visibility      INTEGER NOT NULL DEFAULT 0,
	position        INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL
);

CREATE TABLE profile_field_values (
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	field_id        INTEGER NOT NULL REFERENCES profile_field_defs(id) ON DELETE CASCADE,
	value           TEXT NOT NULL,
	PRIMARY KEY (account_id, field_id)
);

-- Bumped by every change that can alter what the directory lists, counts
-- or ranks (accounts, profiles, skills, languages, endorsements), so a
-- process may cache counts and rankings and know when they are stale
-- (model/people_search.c). One row.
CREATE TABLE people_meta (
	id              INTEGER PRIMARY KEY CHECK (id = 1),
	gen             INTEGER NOT NULL
);
INSERT INTO people_meta (id, gen) VALUES (1, 1);

-- The search index, one row per account (rowid = account id): the name,
-- the skills (names and aliases) and interests, the profile facts visible
-- to whoever may see the profile (info), the bio, and the facts visible to
-- staff only (info_org). Facts marked "only me" are never indexed.
CREATE VIRTUAL TABLE people_fts USING fts5(
	name, skills, info, bio, info_org,
	tokenize = "unicode61 remove_diacritics 2 tokenchars '+'",
	prefix = '2 3'
);

INSERT INTO profiles (account_id, updated_at) SELECT id, created_at FROM accounts;
INSERT INTO people_fts (rowid, name, skills, info, bio, info_org)
	SELECT id, display_name || ' ' || username, '', '', note, '' FROM accounts;

CREATE TRIGGER people_account_insert AFTER INSERT ON accounts BEGIN
	INSERT INTO profiles (account_id, updated_at) VALUES (NEW.id, NEW.created_at)
		ON CONFLICT DO NOTHING;
	INSERT INTO people_fts (rowid, name, skills, info, bio, info_org)
		VALUES (NEW.id, NEW.display_name || ' ' || NEW.username, '', '', NEW.note, '');
	UPDATE people_meta SET gen = gen + 1;
END;

CREATE TRIGGER people_account_delete AFTER DELETE ON accounts BEGIN
	DELETE FROM people_fts WHERE rowid = OLD.id;
	UPDATE people_meta SET gen = gen + 1;
END;

CREATE TRIGGER people_account_name AFTER UPDATE OF display_name, username ON accounts BEGIN
	UPDATE people_fts SET name = NEW.display_name || ' ' || NEW.username WHERE rowid = NEW.id;
	UPDATE people_meta SET gen = gen + 1;
END;

CREATE TRIGGER people_account_note AFTER UPDATE OF note ON accounts BEGIN
	UPDATE people_fts SET bio = NEW.note WHERE rowid = NEW.id;
	UPDATE people_meta SET gen = gen + 1;
END;

CREATE TRIGGER people_account_flags
	AFTER UPDATE OF suspended, kind, is_admin, is_moderator, profile_public, discoverable ON accounts BEGIN
	UPDATE people_meta SET gen = gen + 1;
END;

CREATE TRIGGER people_profile_update AFTER UPDATE ON profiles BEGIN
	UPDATE people_meta SET gen = gen + 1;
END;
CREATE TRIGGER people_skill_insert AFTER INSERT ON profile_skills BEGIN
	UPDATE skills SET people = people + 1 WHERE id = NEW.skill_id;
	UPDATE people_meta SET gen = gen + 1;
END;
CREATE TRIGGER people_skill_update AFTER UPDATE ON profile_skills BEGIN
	UPDATE people_meta SET gen = gen + 1;
END;
CREATE TRIGGER people_skill_delete AFTER DELETE ON profile_skills BEGIN
	UPDATE skills SET people = people - 1 WHERE id = OLD.skill_id;
	UPDATE people_meta SET gen = gen + 1;
END;
CREATE TRIGGER people_language_insert AFTER INSERT ON profile_languages BEGIN
	UPDATE people_meta SET gen = gen + 1;
END;
CREATE TRIGGER people_language_delete AFTER DELETE ON profile_languages BEGIN
	UPDATE people_meta SET gen = gen + 1;
END;
CREATE TRIGGER people_endorsement_insert AFTER INSERT ON endorsements BEGIN
	UPDATE people_meta SET gen = gen + 1;
END;
CREATE TRIGGER people_endorsement_delete AFTER DELETE ON endorsements BEGIN
	UPDATE people_meta SET gen = gen + 1;
END;
CREATE TRIGGER people_skills_rename AFTER UPDATE OF name ON skills BEGIN
	UPDATE people_meta SET gen = gen + 1;
END;
-- (the search index's derived columns, which change only through
-- store_profile_index, bump the generation there: a virtual table has no
-- triggers)
