"""The hashtag timeline walks the tag's index newest first (issue 8: the
query drives from post_tags, see src/store/sqlite_posts.c TL_TAGGED):
order, limit, max_id, since_id and min_id must stay what they were, and
reblogs and posts outside the two readable audiences stay out."""
import uuid

from social import ids, staff


def test_tag_timeline_order_and_paging(server):
    a, b = staff(server), staff(server)
    tag = "pg" + uuid.uuid4().hex[:10]
    posted = [a.post_status(f"number {i} #{tag}", "public" if i % 2 else "organisation")["id"]
              for i in range(6)]
    a.post_status(f"followers only #{tag}", "private")
    b.ok("POST", f"/api/v1/statuses/{posted[5]}/reblog")
    newest_first = list(reversed(posted))
    path = f"/api/v1/timelines/tag/{tag}"
    assert ids(b.timeline(path)) == newest_first
    assert ids(b.timeline(path + "?limit=2")) == newest_first[:2]
    assert ids(b.timeline(f"{path}?limit=2&max_id={newest_first[1]}")) == newest_first[2:4]
    assert ids(b.timeline(f"{path}?since_id={posted[3]}")) == newest_first[:2]
    # min_id: the oldest ones above it, still newest first
    assert ids(b.timeline(f"{path}?limit=2&min_id={posted[1]}")) == [posted[3], posted[2]]
