"""Account counts (followers, following, statuses) are kept by triggers
(migration 0009) as follows and posts change: after a random run of
follows, unfollows, posts, reblogs and deletes, every account's counts
match what the test itself counted."""
import random

from social import Actor


def test_counts_follow_random_changes(server):
    rnd = random.Random(11)
    people = [Actor(server) for _ in range(5)]
    follows = set()
    posts = {a.id: [] for a in people}
    for _ in range(120):
        a, b = rnd.sample(people, 2)
        op = rnd.random()
        if op < 0.3:
            r = a.acct(b, "follow")
            assert r.status_code == 200, r.text
            follows.add((a.id, b.id))
        elif op < 0.45:
            r = a.acct(b, "unfollow")
            assert r.status_code == 200, r.text
            follows.discard((a.id, b.id))
        elif op < 0.75:
            st = a.post_status("count me %d" % rnd.randint(0, 1 << 30), "public")
            posts[a.id].append(st["id"])
        elif op < 0.85 and posts[b.id]:
            r = a.act(rnd.choice(posts[b.id]), "reblog")      # a reblog is a post of a's
            assert r.status_code == 200, r.text
            if r.json()["id"] not in posts[a.id]:
                posts[a.id].append(r.json()["id"])
        elif posts[a.id]:
            sid = posts[a.id].pop(rnd.randrange(len(posts[a.id])))
            r = a.delete(f"/api/v1/statuses/{sid}")
            assert r.status_code == 200, r.text
            # deleting a post deletes its reblogs too
            for p in people:
                for rid in list(posts[p.id]):
                    got = p.get(f"/api/v1/statuses/{rid}")
                    if got.status_code == 404:
                        posts[p.id].remove(rid)
    for a in people:
        acc = people[0].ok("GET", f"/api/v1/accounts/{a.id}")
        assert acc["followers_count"] == sum(1 for f in follows if f[1] == a.id), acc
        assert acc["following_count"] == sum(1 for f in follows if f[0] == a.id), acc
        assert acc["statuses_count"] == len(posts[a.id]), (acc, posts[a.id])
