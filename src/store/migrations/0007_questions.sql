-- 0007_questions.sql - questions and answers, routing to experts, the
-- listeners' queue and what the listeners watch (issue 7).
--
-- A question is a post (its audience is the post's audience: a space, the
-- organisation, or public) plus a row here keyed by the post id; an answer
-- is a reply to the question's post plus a row in answers. So every read
-- goes through the audience rule of posts, and no second path is needed.
-- Times are int64 milliseconds since the epoch, as everywhere.

CREATE TABLE questions (
	post_id         INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
	space_id        INTEGER NOT NULL DEFAULT 0,        -- 0: not in a space
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, -- the asker
	title           TEXT NOT NULL,
	tags            TEXT NOT NULL DEFAULT '',          -- space-separated, lower case
	state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered', 'resolved', 'closed')),
	close_reason    TEXT NOT NULL DEFAULT '' CHECK (close_reason IN ('', 'duplicate', 'out_of_scope', 'other')),
	close_note      TEXT NOT NULL DEFAULT '',
	duplicate_of    INTEGER NOT NULL DEFAULT 0,        -- question post id
	accepted_answer_id INTEGER NOT NULL DEFAULT 0,     -- answer post id
	policy_mode     TEXT NOT NULL DEFAULT 'manual' CHECK (policy_mode IN ('suggest', 'assign', 'manual')),
	target_ms       INTEGER NOT NULL DEFAULT 0,        -- the response target when asked
	first_due_at    INTEGER NOT NULL DEFAULT 0,        -- asked_at + target (working time); 0: none
	due_at          INTEGER NOT NULL DEFAULT 0,        -- when the current level passes; 0: no timer
	escalation_level INTEGER NOT NULL DEFAULT 0,       -- 0 first candidates, 1 next candidates, 2 listeners
	escalations     INTEGER NOT NULL DEFAULT 0,
	asked_at        INTEGER NOT NULL,
	first_answer_at INTEGER NOT NULL DEFAULT 0,
	first_answer_by INTEGER NOT NULL DEFAULT 0,
	resolved_at     INTEGER NOT NULL DEFAULT 0,
	closed_at       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX questions_space ON questions(space_id, post_id);
CREATE INDEX questions_state ON questions(state, post_id);
CREATE INDEX questions_asker ON questions(account_id, post_id);
CREATE INDEX questions_asked ON questions(space_id, asked_at);

-- Full text of questions, for "similar questions" (rowid = post_id).
CREATE VIRTUAL TABLE questions_fts USING fts5(title, body, tags, tokenize = 'porter unicode61');

CREATE TABLE answers (
	post_id         INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
	question_id     INTEGER NOT NULL REFERENCES questions(post_id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	upvotes         INTEGER NOT NULL DEFAULT 0,
	downvotes       INTEGER NOT NULL DEFAULT 0,
	accepted_at     INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL
);
CREATE INDEX answers_question ON answers(question_id, post_id);
CREATE INDEX answers_account ON answers(account_id, accepted_at);

CREATE TABLE answer_votes (
	answer_id       INTEGER NOT NULL REFERENCES answers(post_id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	value           INTEGER NOT NULL CHECK (value IN (-1, 1)),
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (answer_id, account_id)
);

-- How questions of a space (space_id 0: outside spaces) are routed.
-- A scope without a row uses the defaults below.
CREATE TABLE routing_policies (
	space_id        INTEGER PRIMARY KEY,
	mode            TEXT NOT NULL DEFAULT 'suggest' CHECK (mode IN ('suggest', 'assign', 'manual')),
	top_n           INTEGER NOT NULL DEFAULT 3,
	target_ms       INTEGER NOT NULL DEFAULT 14400000, -- 4 hours
	working_hours   INTEGER NOT NULL DEFAULT 1,        -- count the target in working time
	max_open        INTEGER NOT NULL DEFAULT 5,        -- open assignments before "overloaded"
	updated_by      INTEGER NOT NULL DEFAULT 0,
	updated_at      INTEGER NOT NULL
);

-- The ranked experts computed when a question is asked.
CREATE TABLE question_candidates (
	question_id     INTEGER NOT NULL REFERENCES questions(post_id) ON DELETE CASCADE,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	rank            INTEGER NOT NULL,                  -- 1 = best
	score           REAL NOT NULL,
	reasons         TEXT NOT NULL DEFAULT '[]',        -- JSON array of strings
	notified_level  INTEGER NOT NULL DEFAULT -1,       -- escalation level it was notified at; -1 never
	PRIMARY KEY (question_id, account_id)
);
CREATE INDEX question_candidates_rank ON question_candidates(question_id, rank);

-- Listeners of a space, or of the whole organisation (space_id 0).
CREATE TABLE listeners (
	space_id        INTEGER NOT NULL,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	added_by        INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (space_id, account_id)
);
CREATE INDEX listeners_account ON listeners(account_id);

-- The listeners' queue: questions, and posts that mention a watched
-- account or contain a watched keyword. space_id is the scope whose
-- listeners own the item (0: the organisation-wide listeners).
CREATE TABLE queue_items (
	id              INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL CHECK (kind IN ('question', 'mention', 'keyword')),
	post_id         INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	space_id        INTEGER NOT NULL DEFAULT 0,
	state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
	assignee_id     INTEGER NOT NULL DEFAULT 0,        -- 0: unassigned
	assigned_at     INTEGER NOT NULL DEFAULT 0,
	snoozed_until   INTEGER NOT NULL DEFAULT 0,
	matched         TEXT NOT NULL DEFAULT '',          -- the keyword or @account that matched
	close_reason    TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	UNIQUE (kind, post_id, space_id)
);
CREATE INDEX queue_items_scope ON queue_items(space_id, state, id);
CREATE INDEX queue_items_assignee ON queue_items(assignee_id, state);

-- Who did what to a queue item, and when (actor 0: Parley's routing).
CREATE TABLE queue_actions (
	id              INTEGER PRIMARY KEY,
	item_id         INTEGER NOT NULL REFERENCES queue_items(id) ON DELETE CASCADE,
	actor_id        INTEGER NOT NULL DEFAULT 0,
	action          TEXT NOT NULL,
	detail          TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL
);
CREATE INDEX queue_actions_item ON queue_actions(item_id, id);

-- What listeners watch: keywords, and accounts whose mentions come in.
CREATE TABLE listen_watches (
	space_id        INTEGER NOT NULL,                  -- 0: organisation-wide
	kind            TEXT NOT NULL CHECK (kind IN ('keyword', 'account')),
	value           TEXT NOT NULL,                     -- lower-case keyword, or the account id
	created_by      INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	PRIMARY KEY (space_id, kind, value)
);
