-- 0003_media.sql - uploaded media: images and PDFs, attached to posts.
-- Portable SQL: INTEGER/TEXT columns only, ids made by the application.
--
-- The files live in DATA/media/<file_key>.<ext> (the original, re-encoded)
-- and <file_key>.small.<thumb_ext> (the thumbnail); file_key is 128+ bits
-- of randomness and is what their URLs carry. post_id has no foreign key:
-- the posts table comes from another migration, and the model deletes a
-- post's media (rows and files) itself.

CREATE TABLE media (
	id              INTEGER PRIMARY KEY,
	account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	post_id         INTEGER,                      -- NULL while unattached
	position        INTEGER NOT NULL DEFAULT 0,   -- order within the post
	type            TEXT NOT NULL CHECK (type IN ('image', 'unknown')),
	content_type    TEXT NOT NULL,                -- of the stored original
	file_key        TEXT NOT NULL UNIQUE,
	ext             TEXT NOT NULL,
	thumb_ext       TEXT NOT NULL DEFAULT '',     -- '' when there is no thumbnail
	size            INTEGER NOT NULL,             -- bytes of the stored original
	width           INTEGER NOT NULL DEFAULT 0,
	height          INTEGER NOT NULL DEFAULT 0,
	thumb_width     INTEGER NOT NULL DEFAULT 0,
	thumb_height    INTEGER NOT NULL DEFAULT 0,
	description     TEXT NOT NULL DEFAULT '',     -- alt text
	focus_x         INTEGER NOT NULL DEFAULT 0,   -- millionths, -1000000..1000000
	focus_y         INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL
);
CREATE INDEX media_post ON media(post_id, position);
CREATE INDEX media_account ON media(account_id);
CREATE INDEX media_unattached ON media(created_at) WHERE post_id IS NULL;
