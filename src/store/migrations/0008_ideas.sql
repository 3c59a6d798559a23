-- 0008_ideas.sql - idea boards of spaces: ideas, their versions, votes
-- (issue 7).
--
-- An idea is a thread of posts in its space: each VERSION is a post
-- (title = the idea's title, text = its description) and comments are
-- replies to a version's post. So the audience rule of posts decides who
-- reads an idea (its first version's post, whose id is the idea's id) and
-- its comments, with no second path. Times are int64 milliseconds.

ALTER TABLE spaces ADD COLUMN ideas_enabled INTEGER NOT NULL DEFAULT 0;

CREATE TABLE ideas (
	id              INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE, -- first version's post
	space_id        INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, -- the author
	title           TEXT NOT NULL,
	category        TEXT NOT NULL DEFAULT '',
	status          TEXT NOT NULL DEFAULT 'new' CHECK (status IN
	                ('new', 'under_review', 'planned', 'in_progress', 'done', 'declined')),
	status_explanation TEXT NOT NULL DEFAULT '',
	status_changed_at INTEGER NOT NULL DEFAULT 0,
	status_changed_by INTEGER NOT NULL DEFAULT 0,
	current_post_id INTEGER NOT NULL,                  -- the newest version's post
	version         INTEGER NOT NULL DEFAULT 1,
	merged_into     INTEGER NOT NULL DEFAULT 0,        -- 0: not merged
	votes_count     INTEGER NOT NULL DEFAULT 0,        -- votes not flagged
	flagged_votes_count INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
);
CREATE INDEX ideas_space ON ideas(space_id, merged_into, id);

CREATE TABLE idea_versions (
	idea_id         INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	version         INTEGER NOT NULL,
	post_id         INTEGER NOT NULL,
	note            TEXT NOT NULL DEFAULT '',          -- what changed ('' for the first)
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (idea_id, version)
);
CREATE INDEX idea_versions_post ON idea_versions(post_id);

-- One vote per person and idea. new_account: the voter's account was
-- younger than idea_new_account_hours when voting (decided then); flag is
-- what moderators see: 'ring' (set by the "ideas.rings" job) wins over
-- 'new_account'. Only votes with flag '' are counted.
CREATE TABLE idea_votes (
	idea_id         INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	created_at      INTEGER NOT NULL,
	new_account     INTEGER NOT NULL DEFAULT 0,
	flag            TEXT NOT NULL DEFAULT '' CHECK (flag IN ('', 'new_account', 'ring')),
	PRIMARY KEY (idea_id, account_id)
);
CREATE INDEX idea_votes_account ON idea_votes(account_id, idea_id);

-- Every vote cast, for the per-person rate limit (pruned as it goes).
CREATE TABLE idea_vote_log (
	account_id      INTEGER NOT NULL,
	created_at      INTEGER NOT NULL
);
CREATE INDEX idea_vote_log_account ON idea_vote_log(account_id, created_at);
