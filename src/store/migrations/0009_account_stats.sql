-- 0009_account_stats.sql - followers, following and posts counted as they
-- change, not on every read.
--
-- Every account shown in Mastodon JSON carries these counts, so a timeline
-- page of 20 posts used to run 80 count queries (bench/profile.sh: about
-- half the time of the home timeline at size M; docs/PERFORMANCE.md).
-- Triggers keep one row per account in step with follows and posts, so
-- every writer (the store, the bench generator, imports) is covered.

CREATE TABLE account_stats (
	account_id      INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
	followers       INTEGER NOT NULL DEFAULT 0,
	following       INTEGER NOT NULL DEFAULT 0,
	statuses        INTEGER NOT NULL DEFAULT 0,
	last_status_at  INTEGER NOT NULL DEFAULT 0
);

INSERT INTO account_stats (account_id, followers, following, statuses, last_status_at)
SELECT a.id,
       (SELECT count(*) FROM follows WHERE followee_id = a.id),
       (SELECT count(*) FROM follows WHERE follower_id = a.id),
       (SELECT count(*) FROM posts WHERE account_id = a.id),
       coalesce((SELECT created_at FROM posts WHERE account_id = a.id ORDER BY id DESC LIMIT 1), 0)
FROM accounts a;

CREATE TRIGGER account_stats_follow AFTER INSERT ON follows BEGIN
	INSERT INTO account_stats (account_id, followers) VALUES (NEW.followee_id, 1)
		ON CONFLICT (account_id) DO UPDATE SET followers = followers + 1;
	INSERT INTO account_stats (account_id, following) VALUES (NEW.follower_id, 1)
		ON CONFLICT (account_id) DO UPDATE SET following = following + 1;
END;

CREATE TRIGGER account_stats_unfollow AFTER DELETE ON follows BEGIN
	UPDATE account_stats SET followers = followers - 1 WHERE account_id = OLD.followee_id;
	UPDATE account_stats SET following = following - 1 WHERE account_id = OLD.follower_id;
END;

CREATE TRIGGER account_stats_post AFTER INSERT ON posts BEGIN
	INSERT INTO account_stats (account_id, statuses, last_status_at) VALUES (NEW.account_id, 1, NEW.created_at)
		ON CONFLICT (account_id) DO UPDATE SET statuses = statuses + 1,
			last_status_at = max(last_status_at, excluded.last_status_at);
END;

CREATE TRIGGER account_stats_unpost AFTER DELETE ON posts BEGIN
	UPDATE account_stats SET statuses = statuses - 1,
		last_status_at = coalesce((SELECT created_at FROM posts WHERE account_id = OLD.account_id
		                           ORDER BY id DESC LIMIT 1), 0)
	WHERE account_id = OLD.account_id;
END;
