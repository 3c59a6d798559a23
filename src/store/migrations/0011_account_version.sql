-- 0011_account_version.sql - a version on each account that moves
-- whenever anything its Mastodon Account entity shows changes.
--
-- The entity (api/mastodon/entities.c) is made from the account row, its
-- counts, its profile, its top skills with their endorsements, and its
-- links. Rendering it takes five queries, and a timeline page renders a
-- dozen; api/mastodon/account_cache.c keeps the entities between requests
-- and compares this version, read with the account row it reads anyway,
-- to know whether its copy is current. Triggers keep it, so every writer
-- is covered: the server's threads, the command-line tools (another
-- process) and the benchmark generator.

ALTER TABLE accounts ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- the row's shown columns (not last_seen_at, email or the password; the
-- bump itself changes only `version`, which fires nothing)
CREATE TRIGGER account_version_row AFTER UPDATE OF username, display_name, note, kind, is_admin,
	is_moderator, suspended, locked, bot, discoverable, created_at, profile_public ON accounts BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = NEW.id;
END;

-- followers, following, statuses (kept by the triggers of 0009)
CREATE TRIGGER account_version_stats_insert AFTER INSERT ON account_stats BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = NEW.account_id;
END;
CREATE TRIGGER account_version_stats_update AFTER UPDATE ON account_stats BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = NEW.account_id;
END;

CREATE TRIGGER account_version_profile_insert AFTER INSERT ON profiles BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = NEW.account_id;
END;
CREATE TRIGGER account_version_profile_update AFTER UPDATE ON profiles BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = NEW.account_id;
END;
CREATE TRIGGER account_version_profile_delete AFTER DELETE ON profiles BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = OLD.account_id;
END;

CREATE TRIGGER account_version_skill_insert AFTER INSERT ON profile_skills BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = NEW.account_id;
END;
CREATE TRIGGER account_version_skill_update AFTER UPDATE ON profile_skills BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = NEW.account_id;
END;
CREATE TRIGGER account_version_skill_delete AFTER DELETE ON profile_skills BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = OLD.account_id;
END;

-- endorsements order the top skills
CREATE TRIGGER account_version_endorse AFTER INSERT ON endorsements BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = NEW.account_id;
END;
CREATE TRIGGER account_version_unendorse AFTER DELETE ON endorsements BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = OLD.account_id;
END;

CREATE TRIGGER account_version_link_insert AFTER INSERT ON profile_links BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = NEW.account_id;
END;
CREATE TRIGGER account_version_link_update AFTER UPDATE ON profile_links BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = NEW.account_id;
END;
CREATE TRIGGER account_version_link_delete AFTER DELETE ON profile_links BEGIN
	UPDATE accounts SET version = version + 1 WHERE id = OLD.account_id;
END;

-- a skill renamed in the vocabulary shows on everyone who holds it
CREATE TRIGGER account_version_skill_rename AFTER UPDATE OF name ON skills BEGIN
	UPDATE accounts SET version = version + 1
	WHERE id IN (SELECT account_id FROM profile_skills WHERE skill_id = NEW.id);
END;
