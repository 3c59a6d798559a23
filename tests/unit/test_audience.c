/*
 * test_audience.c - the audience rule (model/audience.c) on a real
 * database: the single-object answer (audience_may_read) and the list
 * filter (the SQL predicate behind store_timeline / store_post_visible)
 * must agree for every viewer, audience and relation, and both must say
 * what DESIGN.md says.
 *
 * The world: an author (staff) posts in every audience, mentioning one
 * staff and one guest account in each; viewers are anonymous, the author,
 * staff and guest strangers, staff and guest followers, the two mentioned
 * accounts, a blocked staff account and a blocker. Reblogs of the public
 * and organisation posts by a third account are checked too.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/id.h"
#include "lib/log.h"
#include "lib/secret.h"
#include "lib/timeutil.h"
#include "model/audience.h"
#include "store/store_spaces.h"
#include "store/store.h"
#include "store/store_posts.h"
#include "unit.h"

static char dir[256];
static char err[512];

enum { V_ANON, V_AUTHOR, V_STAFF, V_GUEST, V_STAFF_FOLLOWER, V_GUEST_FOLLOWER, V_M_STAFF,
       V_M_GUEST, V_BLOCKED, V_BLOCKER, NVIEWERS };
static const char *const vnames[NVIEWERS] = { "anon", "author", "staff", "guest", "staff_follower",
	"guest_follower", "m_staff", "m_guest", "blocked", "blocker" };
static struct account_row acc[NVIEWERS];

enum { A_PUBLIC, A_ORG, A_FOLLOWERS, A_DIRECT, A_SPACE, NAUD };
static const char *const anames[NAUD] = { "public", "organisation", "followers", "direct", "space" };
static int64_t posts[NAUD];
static int64_t reblogs[2];  /* of public and organisation, by the staff stranger */

/* What DESIGN.md says, written out by hand: expected[viewer][audience]. */
static const int expected[NVIEWERS][NAUD] = {
	/*                 pub org fol dir space */
	[V_ANON]         = { 1, 0, 0, 0, 0 },
	[V_AUTHOR]       = { 1, 1, 1, 1, 1 },
	[V_STAFF]        = { 1, 1, 0, 0, 0 },
	[V_GUEST]        = { 1, 0, 0, 0, 0 },
	[V_STAFF_FOLLOWER] = { 1, 1, 1, 0, 0 },
	[V_GUEST_FOLLOWER] = { 1, 0, 1, 0, 0 },
	[V_M_STAFF]      = { 1, 1, 1, 1, 0 },
	[V_M_GUEST]      = { 1, 0, 1, 1, 0 },
	[V_BLOCKED]      = { 0, 0, 0, 0, 0 },
	[V_BLOCKER]      = { 0, 0, 0, 0, 0 },
};

static int64_t make_account(const char *name, const char *kind)
{
	struct account_row a;

	memset(&a, 0, sizeof a);
	a.id = id_next();
	snprintf(a.username, sizeof a.username, "%s", name);
	snprintf(a.email, sizeof a.email, "%s@example.org", name);
	snprintf(a.kind, sizeof a.kind, "%s", kind);
	a.created_at = time_now_ms();
	if (store_account_insert(&a) != STORE_OK)
		return 0;
	return a.id;
}

static int64_t make_post(int64_t author, const char *audience, int64_t reblog_of)
{
	struct post_row p;

	memset(&p, 0, sizeof p);
	p.id = id_next();
	p.account_id = author;
	snprintf(p.audience, sizeof p.audience, "%s", audience);
	snprintf(p.kind, sizeof p.kind, "note");
	p.reblog_of_id = reblog_of;
	p.title = p.source = p.content = p.spoiler_text = "";
	p.created_at = time_now_ms();
	return store_post_insert(&p) == STORE_OK ? p.id : 0;
}

static void viewer_for(int v, struct viewer *out)
{
	memset(out, 0, sizeof *out);
	if (v == V_ANON)
		return;
	out->signed_in = 1;
	store_account_get(acc[v].id, &out->account);
}

static void build_world(void)
{
	int i;
	int64_t both[2];

	for (i = 1; i < NVIEWERS; i++) {
		const char *kind = (i == V_GUEST || i == V_GUEST_FOLLOWER || i == V_M_GUEST) ? "guest" : "staff";

		acc[i].id = make_account(vnames[i], kind);
		CHECK(acc[i].id != 0);
	}
	CHECK(store_follow_add(acc[V_STAFF_FOLLOWER].id, acc[V_AUTHOR].id, id_next(), 1) == STORE_OK);
	CHECK(store_follow_add(acc[V_GUEST_FOLLOWER].id, acc[V_AUTHOR].id, id_next(), 1) == STORE_OK);
	/* the blocked account follows and is mentioned: the block must win */
	CHECK(store_follow_add(acc[V_BLOCKED].id, acc[V_AUTHOR].id, id_next(), 1) == STORE_OK);
	CHECK(store_block_add(acc[V_AUTHOR].id, acc[V_BLOCKED].id, 1) == STORE_OK);
	CHECK(store_block_add(acc[V_BLOCKER].id, acc[V_AUTHOR].id, 1) == STORE_OK);
	for (i = 0; i < NAUD; i++) {
		int64_t m[3] = { acc[V_M_STAFF].id, acc[V_M_GUEST].id, acc[V_BLOCKED].id };

		posts[i] = make_post(acc[V_AUTHOR].id, anames[i], 0);
		CHECK(posts[i] != 0);
		CHECK(store_post_set_mentions(posts[i], m, 3) == STORE_OK);
	}
	both[0] = posts[A_PUBLIC];
	both[1] = posts[A_ORG];
	for (i = 0; i < 2; i++) {
		reblogs[i] = make_post(acc[V_STAFF].id, anames[i], both[i]);
		CHECK(reblogs[i] != 0);
	}
}

static int sql_visible(int v, int64_t post)
{
	struct viewer vw;
	struct store_audience a;

	viewer_for(v, &vw);
	audience_filter(&vw, &a);
	return store_post_visible(&a, post);
}

static int c_visible(int v, int64_t post)
{
	struct viewer vw;
	struct post_row p;
	int ok;

	viewer_for(v, &vw);
	if (store_post_get(post, &p) != STORE_OK)
		return -1;
	ok = audience_may_read(&vw, &p);
	post_row_release(&p);
	return ok;
}

/* The two answers agree, and both say what the table says. */
static void test_matrix(void)
{
	int v, a;

	for (v = 0; v < NVIEWERS; v++)
		for (a = 0; a < NAUD; a++) {
			int s = sql_visible(v, posts[a]), c = c_visible(v, posts[a]);

			if (s != c || c != expected[v][a]) {
				fprintf(stderr, "  viewer %s, audience %s: sql %d, c %d, expected %d\n",
					vnames[v], anames[a], s, c, expected[v][a]);
				CHECK(0);
			}
		}
}

/* A reblog is readable exactly when its original is (the reblogger here
 * is no relation of anyone, so the original decides). */
static void test_reblogs_follow_the_original(void)
{
	int v, i;

	for (v = 0; v < NVIEWERS; v++)
		for (i = 0; i < 2; i++) {
			int s = sql_visible(v, reblogs[i]), c = c_visible(v, reblogs[i]);

			if (s != c || c != expected[v][i]) {
				fprintf(stderr, "  reblog of %s for %s: sql %d, c %d, expected %d\n",
					anames[i], vnames[v], s, c, expected[v][i]);
				CHECK(0);
			}
		}
}

struct collect {
	int64_t ids[64];
	int n;
};

static void collect(const struct post_row *p, void *ctx)
{
	struct collect *c = ctx;

	if (c->n < 64)
		c->ids[c->n++] = p->id;
}

static int listed(const struct collect *c, int64_t id)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->ids[i] == id)
			return 1;
	return 0;
}

/* The author's account timeline, as each viewer lists it, holds exactly
 * the posts the single-object check allows. */
static void test_list_agrees_with_single(void)
{
	int v, a;

	for (v = 0; v < NVIEWERS; v++) {
		struct timeline_query q;
		struct collect c;
		struct viewer vw;

		viewer_for(v, &vw);
		memset(&q, 0, sizeof q);
		memset(&c, 0, sizeof c);
		q.kind = TL_ACCOUNT;
		q.account_id = acc[V_AUTHOR].id;
		q.limit = 40;
		audience_filter(&vw, &q.aud);
		CHECK(store_timeline(&q, collect, &c) == STORE_OK);
		for (a = 0; a < NAUD; a++)
			if (listed(&c, posts[a]) != c_visible(v, posts[a])) {
				fprintf(stderr, "  account timeline of %s, audience %s disagrees\n",
					vnames[v], anames[a]);
				CHECK(0);
			}
	}
}

/* The public timeline never holds anything but public posts, and the
 * organisation timeline nothing but public and organisation ones. */
static void test_timelines_by_audience(void)
{
	struct timeline_query q;
	struct collect c;
	struct viewer vw;
	int a;

	viewer_for(V_M_STAFF, &vw);
	memset(&q, 0, sizeof q);
	memset(&c, 0, sizeof c);
	q.kind = TL_PUBLIC;
	q.limit = 40;
	audience_filter(&vw, &q.aud);
	CHECK(store_timeline(&q, collect, &c) == STORE_OK);
	for (a = 0; a < NAUD; a++)
		CHECK(listed(&c, posts[a]) == (a == A_PUBLIC));
	memset(&c, 0, sizeof c);
	q.kind = TL_ORGANISATION;
	CHECK(store_timeline(&q, collect, &c) == STORE_OK);
	for (a = 0; a < NAUD; a++)
		CHECK(listed(&c, posts[a]) == (a == A_PUBLIC || a == A_ORG));
}

static void test_posting_rules(void)
{
	struct account_row staff, guest;

	CHECK(store_account_get(acc[V_STAFF].id, &staff) == STORE_OK);
	CHECK(store_account_get(acc[V_GUEST].id, &guest) == STORE_OK);
	CHECK(audience_default(&staff) == AUDIENCE_ORGANISATION);
	CHECK(audience_default(&guest) == AUDIENCE_FOLLOWERS);
	CHECK(audience_may_post(&staff, AUDIENCE_ORGANISATION));
	CHECK(!audience_may_post(&guest, AUDIENCE_ORGANISATION));
	CHECK(audience_may_post(&guest, AUDIENCE_PUBLIC));
	CHECK(audience_parse("organisation") == AUDIENCE_ORGANISATION);
	CHECK(audience_parse("everyone") == -1);
	CHECK(audience_parse(NULL) == -1);
}


/* ---- property: random spaces, memberships and posts -------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	/* xorshift64*: reproducible from the seed above */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned)((rng_state * 2685821657736338717ull) >> 33) % n;
}

#define P_ACCOUNTS 10
#define P_SPACES 8
#define P_POSTS 160

struct pspace {
	int64_t id;
	const char *kind, *access;
	int member[P_ACCOUNTS];
};

/* The rule for a space post as the issue states it, written
 * independently of model/audience.c. */
static int oracle_space(const struct pspace *sp, int viewer, int staff)
{
	if (!strcmp(sp->kind, "public"))
		return 1;
	if (viewer >= 0 && sp->member[viewer])
		return 1;
	return !strcmp(sp->kind, "internal") && !strcmp(sp->access, "open") && staff;
}

static void test_random_spaces_agree(void)
{
	static const char *const kinds[] = { "internal", "external", "public" };
	static const char *const accesses[3][3] = { { "open", "closed", "secret" }, { "closed", "secret", "closed" },
						    { "open", "closed", "open" } };
	static const char *const auds[] = { "public", "organisation", "followers", "direct", "space", "space" };
	struct pspace sp[P_SPACES];
	int64_t ids[P_ACCOUNTS], post_ids[P_POSTS];
	int post_space[P_POSTS], post_author[P_POSTS];
	int staff[P_ACCOUNTS];
	int i, j, checked = 0, disagreements = 0, oracle_misses = 0;

	for (i = 0; i < P_ACCOUNTS; i++) {
		char name[32];

		staff[i] = rnd(3) != 0;
		snprintf(name, sizeof name, "prop%d", i);
		ids[i] = make_account(name, staff[i] ? "staff" : "guest");
		CHECK(ids[i] != 0);
	}
	for (i = 0; i < P_ACCOUNTS; i++)
		for (j = 0; j < P_ACCOUNTS; j++)
			if (i != j && rnd(4) == 0)
				store_follow_add(ids[i], ids[j], id_next(), 1);
	store_block_add(ids[0], ids[1], 1);
	for (i = 0; i < P_SPACES; i++) {
		struct space_row s;
		int k = (int)rnd(3), owner;

		memset(&sp[i], 0, sizeof sp[i]);
		sp[i].kind = kinds[k];
		sp[i].access = accesses[k][rnd(3)];
		memset(&s, 0, sizeof s);
		s.id = sp[i].id = id_next();
		snprintf(s.handle, sizeof s.handle, "prop_space_%d", i);
		snprintf(s.name, sizeof s.name, "Space %d", i);
		snprintf(s.kind, sizeof s.kind, "%s", sp[i].kind);
		snprintf(s.access, sizeof s.access, "%s", sp[i].access);
		snprintf(s.purpose, sizeof s.purpose, "other");
		snprintf(s.posting, sizeof s.posting, "everyone");
		s.created_at = s.updated_at = time_now_ms();
		do
			owner = (int)rnd(P_ACCOUNTS);
		while (!staff[owner]);
		CHECK(store_space_insert(&s, ids[owner]) == STORE_OK);
		sp[i].member[owner] = 1;
		for (j = 0; j < P_ACCOUNTS; j++) {
			struct space_member_row m;

			/* internal spaces take staff only (the model's rule) */
			if (sp[i].member[j] || rnd(3) || (!staff[j] && !strcmp(sp[i].kind, "internal")))
				continue;
			memset(&m, 0, sizeof m);
			m.space_id = sp[i].id;
			m.account_id = ids[j];
			snprintf(m.role, sizeof m.role, "member");
			snprintf(m.home, sizeof m.home, "all");
			m.joined_at = time_now_ms();
			CHECK(store_space_member_put(&m) == STORE_OK);
			sp[i].member[j] = 1;
		}
	}
	for (i = 0; i < P_POSTS; i++) {
		struct post_row p;
		const char *aud = auds[rnd(6)];
		int64_t mention = ids[rnd(P_ACCOUNTS)];

		post_author[i] = (int)rnd(P_ACCOUNTS);
		post_space[i] = strcmp(aud, "space") ? -1 : (int)rnd(P_SPACES);
		memset(&p, 0, sizeof p);
		p.id = post_ids[i] = id_next();
		p.account_id = ids[post_author[i]];
		snprintf(p.audience, sizeof p.audience, "%s", aud);
		p.space_id = post_space[i] >= 0 ? sp[post_space[i]].id : 0;
		snprintf(p.kind, sizeof p.kind, "note");
		p.title = p.source = p.content = p.spoiler_text = "";
		p.created_at = time_now_ms();
		CHECK(store_post_insert(&p) == STORE_OK);
		if (rnd(3) == 0)
			store_post_set_mentions(p.id, &mention, 1);
	}
	/* one member leaves a space, one is removed: both lose access at once */
	for (i = 0; i < P_SPACES; i++)
		for (j = 0; j < P_ACCOUNTS; j++)
			if (sp[i].member[j] && rnd(5) == 0 && store_space_owner_count(sp[i].id) > 0) {
				struct space_member_row m;

				if (store_space_member_get(sp[i].id, ids[j], &m) == STORE_OK && strcmp(m.role, "owner")) {
					CHECK(store_space_member_delete(sp[i].id, ids[j]) == STORE_OK);
					sp[i].member[j] = 0;
				}
			}
	for (j = -1; j < P_ACCOUNTS; j++) {
		struct viewer vw;
		struct store_audience a;

		memset(&vw, 0, sizeof vw);
		if (j >= 0) {
			vw.signed_in = 1;
			CHECK(store_account_get(ids[j], &vw.account) == STORE_OK);
		}
		audience_filter(&vw, &a);
		for (i = 0; i < P_POSTS; i++) {
			struct post_row p;
			int c, q;

			CHECK(store_post_get(post_ids[i], &p) == STORE_OK);
			c = audience_may_read(&vw, &p);
			post_row_release(&p);
			q = store_post_visible(&a, post_ids[i]);
			checked++;
			if (c != q) {
				disagreements++;
				fprintf(stderr, "  viewer %d post %d: C %d, SQL %d\n", j, i, c, q);
			}
			/* space posts against the independent oracle (blocks aside) */
			if (post_space[i] >= 0 && j != post_author[i] &&
			    !((j == 0 && post_author[i] == 1) || (j == 1 && post_author[i] == 0)) &&
			    c != oracle_space(&sp[post_space[i]], j, j >= 0 && staff[j]))
				oracle_misses++;
		}
		/* the space feeds list exactly the readable posts of each space */
		for (i = 0; i < P_SPACES; i++) {
			struct timeline_query q;
			struct collect col;
			int k, want = 0;

			memset(&q, 0, sizeof q);
			memset(&col, 0, sizeof col);
			q.kind = TL_SPACE;
			q.space_id = sp[i].id;
			q.aud = a;
			q.limit = 200;
			CHECK(store_timeline(&q, collect, &col) == STORE_OK);
			for (k = 0; k < P_POSTS; k++) {
				struct post_row p;

				if (post_space[k] != i)
					continue;
				CHECK(store_post_get(post_ids[k], &p) == STORE_OK);
				if (audience_may_read(&vw, &p)) {
					want++;
					if (!listed(&col, post_ids[k]))
						disagreements++;
				}
				post_row_release(&p);
			}
			CHECK(col.n == want);
		}
	}
	CHECK(checked == (P_ACCOUNTS + 1) * P_POSTS);
	CHECK(disagreements == 0);
	CHECK(oracle_misses == 0);
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

int main(void)
{
	int rc;

	if (secret_init() < 0)
		return 1;
	log_set_level(LOG_WARN);
	snprintf(dir, sizeof dir, "/tmp/parley-test-audience-XXXXXX");
	if (!mkdtemp(dir) || store_open(dir, err, sizeof err) < 0) {
		fprintf(stderr, "cannot open a store: %s\n", err);
		return 1;
	}
	RUN(build_world);
	RUN(test_matrix);
	RUN(test_reblogs_follow_the_original);
	RUN(test_list_agrees_with_single);
	RUN(test_timelines_by_audience);
	RUN(test_posting_rules);
	RUN(test_random_spaces_agree);
	store_close();
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	rc = unit_finish("audience");
	return rc;
}
