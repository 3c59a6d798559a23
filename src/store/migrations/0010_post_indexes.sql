-- 0010_post_indexes.sql - an index on post_id for every table that refers
-- to posts and had none.
--
-- Deleting a post cascades to these tables; without an index each delete
-- scanned them whole. The streaming dispatch also asks, once per event,
-- who bookmarked or pinned a post (store_post_touched_by), which needs
-- them.

CREATE INDEX bookmarks_post ON bookmarks(post_id);
CREATE INDEX pins_post ON pins(post_id);
CREATE INDEX filter_statuses_post ON filter_statuses(post_id);
CREATE INDEX queue_items_post ON queue_items(post_id);
