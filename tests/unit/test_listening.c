/*
 * test_listening.c - watched keywords and accounts (model/listening.c) on
 * a real database: whole-word matching, keyword normalisation, who may
 * manage the watches, scheduling only when something is watched, and the
 * "listen.post" job: one item per (post, scope), idempotent, mention
 * before keyword, and never an item for a scope none of whose listeners
 * may read the post (a direct message, a closed space).
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/id.h"
#include "lib/log.h"
#include "lib/secret.h"
#include "lib/timeutil.h"
#include "model/listening.h"
#include "model/space.h"
#include "store/store.h"
#include "store/store_listeners.h"
#include "store/store_posts.h"
#include "store/store_spaces.h"
#include "unit.h"

static char dir[256];
static char err[512];
static sqlite3 *raw;
static int64_t org_l, space_l, author, guest, outsider, acme, space_s;

static int64_t make_account(const char *name, const char *kind)
{
	struct account_row a;

	memset(&a, 0, sizeof a);
	a.id = id_next();
	snprintf(a.username, sizeof a.username, "%s", name);
	snprintf(a.email, sizeof a.email, "%s@example.org", name);
	snprintf(a.kind, sizeof a.kind, "%s", kind);
	a.created_at = time_now_ms();
	return store_account_insert(&a) == STORE_OK ? a.id : 0;
}

static void viewer_of(int64_t id, struct viewer *v)
{
	memset(v, 0, sizeof *v);
	v->signed_in = 1;
	CHECK(store_account_get(id, &v->account) == STORE_OK);
}

static int64_t make_post(const char *audience, int64_t space, const char *title, const char *text,
			 const int64_t *mentions, size_t nmentions)
{
	struct post_row p;

	memset(&p, 0, sizeof p);
	p.id = id_next();
	p.account_id = author;
	snprintf(p.audience, sizeof p.audience, "%s", audience);
	p.space_id = space;
	snprintf(p.kind, sizeof p.kind, "note");
	p.title = (char *)title;
	p.source = (char *)text;
	p.content = p.spoiler_text = "";
	p.created_at = time_now_ms();
	if (store_post_insert(&p) != STORE_OK)
		return 0;
	if (nmentions && store_post_set_mentions(p.id, mentions, nmentions) != STORE_OK)
		return 0;
	return p.id;
}

static int64_t count(const char *sql, int64_t a)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	if (sqlite3_prepare_v2(raw, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The one item of post p in scope s: its kind and matched into out, or "" */
static void item_of(int64_t p, int64_t s, char *out, size_t n)
{
	sqlite3_stmt *st;

	out[0] = '\0';
	if (sqlite3_prepare_v2(raw, "SELECT kind || ' ' || matched FROM queue_items WHERE post_id = ?1"
			       " AND space_id = ?2", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, p);
	sqlite3_bind_int64(st, 2, s);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static void test_matching(void)
{
	char k[LISTEN_KEYWORD_MAX + 1];

	CHECK(listening_text_matches("our billing is down", "billing"));
	CHECK(listening_text_matches("billing", "billing"));
	CHECK(listening_text_matches("#billing!", "billing"));
	CHECK(listening_text_matches("(billing)", "billing"));
	CHECK(!listening_text_matches("rebilling", "billing"));
	CHECK(!listening_text_matches("billings", "billing"));
	CHECK(!listening_text_matches("billing_team", "billing"));
	CHECK(listening_text_matches("a billing\n  error here", "billing error"));
	CHECK(!listening_text_matches("billing errors", "billing error"));
	CHECK(!listening_text_matches("", "billing"));
	CHECK(!listening_text_matches("x", ""));
	CHECK(listening_text_matches("we use c++ daily", "c++"));
	/* non-ASCII letters are word characters */
	CHECK(!listening_text_matches("caféx", "café"));
	CHECK(listening_text_matches("un café.", "café"));

	CHECK(listening_fold("  Billing   Error ", k, sizeof k) == 0);
	CHECK_STR(k, "billing error");
	CHECK(listening_fold("CAFÉ", k, sizeof k) == 0);
	CHECK_STR(k, "café");
	CHECK(listening_fold("   ", k, sizeof k) == -1);
	CHECK(listening_fold("!!!", k, sizeof k) == -1);
	CHECK(listening_fold("abcdef", k, 4) == -1);
}

static void build_world(void)
{
	struct space_row s;
	struct space_member_row m;

	org_l = make_account("orgl", "staff");
	space_l = make_account("spacel", "staff");
	author = make_account("author", "staff");
	guest = make_account("guest", "guest");
	outsider = make_account("outsider", "staff");
	acme = make_account("acme", "staff");
	CHECK(org_l && space_l && author && guest && outsider && acme);

	memset(&s, 0, sizeof s);
	s.id = id_next();
	snprintf(s.handle, sizeof s.handle, "ops");
	snprintf(s.name, sizeof s.name, "Ops");
	snprintf(s.purpose, sizeof s.purpose, "team");
	snprintf(s.kind, sizeof s.kind, "internal");
	snprintf(s.access, sizeof s.access, "closed");
	snprintf(s.posting, sizeof s.posting, "everyone");
	s.created_by = author;
	s.created_at = s.updated_at = time_now_ms();
	CHECK(store_space_insert(&s, author) == STORE_OK);
	space_s = s.id;
	memset(&m, 0, sizeof m);
	m.space_id = space_s;
	m.account_id = space_l;
	snprintf(m.role, sizeof m.role, "member");
	snprintf(m.home, sizeof m.home, "all");
	m.joined_at = time_now_ms();
	CHECK(store_space_member_put(&m) == STORE_OK);
	CHECK(store_listener_add(0, org_l, 0, time_now_ms()) == STORE_OK);
	CHECK(store_listener_add(space_s, space_l, 0, time_now_ms()) == STORE_OK);
}

static void test_nothing_watched_schedules_nothing(void)
{
	int64_t p = make_post("organisation", 0, "", "billing", NULL, 0);

	CHECK(listening_schedule(p, time_now_ms()) == 0);
	CHECK(count("SELECT count(*) FROM jobs WHERE kind = 'listen.post'", 0) == 0);
}

static void test_manage_watches(void)
{
	struct viewer v;
	struct space_view sv;
	struct listening_watches w;
	const char *kw[] = { "Billing", " billing ", "Outage  Report" };
	const char *acc[] = { "@acme", "acme" };
	const char *bad_acc[] = { "nobody" };
	const char *bad_kw[] = { "   " };
	const char *deploy[] = { "deploy" };

	viewer_of(org_l, &v);
	CHECK(listening_put(&v, NULL, kw, 3, acc, 2, &w, err, sizeof err) == M_OK);
	CHECK(w.nkeywords == 2);
	CHECK_STR(w.keywords[0], "billing");
	CHECK_STR(w.keywords[1], "outage report");
	CHECK(w.naccounts == 1 && w.accounts[0] == acme);
	CHECK(listening_put(&v, NULL, kw, 1, bad_acc, 1, NULL, err, sizeof err) == M_INVALID);
	CHECK(listening_put(&v, NULL, bad_kw, 1, NULL, 0, NULL, err, sizeof err) == M_INVALID);
	/* the failed puts changed nothing */
	CHECK(listening_get(&v, NULL, &w, err, sizeof err) == M_OK);
	CHECK(w.nkeywords == 2 && w.naccounts == 1);

	/* neither a stranger nor a space listener manages the organisation's */
	viewer_of(outsider, &v);
	CHECK(listening_get(&v, NULL, &w, err, sizeof err) == M_FORBIDDEN);
	CHECK(listening_put(&v, NULL, kw, 1, NULL, 0, NULL, err, sizeof err) == M_FORBIDDEN);
	viewer_of(space_l, &v);
	CHECK(listening_get(&v, NULL, &w, err, sizeof err) == M_FORBIDDEN);
	/* the space listener manages the space's; the org listener does not */
	CHECK(space_lookup_id(&v, space_s, &sv) == M_OK);
	CHECK(listening_put(&v, &sv, deploy, 1, NULL, 0, &w, err, sizeof err) == M_OK);
	CHECK(w.nkeywords == 1 && w.naccounts == 0);
	viewer_of(author, &v);  /* the owner */
	CHECK(space_lookup_id(&v, space_s, &sv) == M_OK);
	CHECK(listening_get(&v, &sv, &w, err, sizeof err) == M_OK);
	CHECK(w.nkeywords == 1);
	viewer_of(org_l, &v);
	if (space_lookup_id(&v, space_s, &sv) == M_OK)
		CHECK(listening_get(&v, &sv, &w, err, sizeof err) == M_FORBIDDEN);
}

static void test_job_creates_items(void)
{
	int64_t mention_acme[1] = { acme }, mention_guest[1] = { guest };
	int64_t p1, p2, p3, p4, p5, p6;
	char item[200];

	/* p1: an organisation post with a keyword (in the title) */
	p1 = make_post("organisation", 0, "Billing question", "is it down?", NULL, 0);
	CHECK(listening_schedule(p1, time_now_ms()) == 1);
	CHECK(count("SELECT count(*) FROM jobs WHERE kind = 'listen.post' AND ref_id = ?1", p1) == 1);
	CHECK(listening_post_job(p1) == 0);
	CHECK(listening_post_job(p1) == 0);   /* again: still one item */
	CHECK(count("SELECT count(*) FROM queue_items WHERE post_id = ?1", p1) == 1);
	item_of(p1, 0, item, sizeof item);
	CHECK_STR(item, "keyword billing");
	CHECK(count("SELECT count(*) FROM queue_actions a JOIN queue_items i ON i.id = a.item_id"
		    " WHERE i.post_id = ?1 AND a.action = 'created' AND a.actor_id = 0", p1) == 1);

	/* p2: a direct message to the guest about billing: no listener reads it */
	p2 = make_post("direct", 0, "", "billing outage report", mention_guest, 1);
	CHECK(listening_post_job(p2) == 0);
	CHECK(count("SELECT count(*) FROM queue_items WHERE post_id = ?1", p2) == 0);

	/* p3: in the closed space: the space's listener hears "deploy"; the org
	 * listener, not a member, cannot read it, so no org item for billing */
	p3 = make_post("space", space_s, "", "Deploy failed, billing too", NULL, 0);
	CHECK(listening_post_job(p3) == 0);
	item_of(p3, space_s, item, sizeof item);
	CHECK_STR(item, "keyword deploy");
	CHECK(count("SELECT count(*) FROM queue_items WHERE post_id = ?1", p3) == 1);

	/* p4: mentions a watched account and a keyword: one mention item */
	p4 = make_post("public", 0, "", "hello @acme about billing", mention_acme, 1);
	CHECK(listening_post_job(p4) == 0);
	item_of(p4, 0, item, sizeof item);
	CHECK_STR(item, "mention @acme");
	CHECK(count("SELECT count(*) FROM queue_items WHERE post_id = ?1", p4) == 1);

	/* p5: not a whole word */
	p5 = make_post("public", 0, "", "rebilling and redeployment", NULL, 0);
	CHECK(listening_post_job(p5) == 0);
	CHECK(count("SELECT count(*) FROM queue_items WHERE post_id = ?1", p5) == 0);

	/* p6: a public post with both scopes' keywords: one item each */
	p6 = make_post("public", 0, "", "Outage report: deploy broke billing", NULL, 0);
	CHECK(listening_post_job(p6) == 0);
	CHECK(count("SELECT count(*) FROM queue_items WHERE post_id = ?1", p6) == 2);
	item_of(p6, 0, item, sizeof item);
	CHECK_STR(item, "keyword billing");

	/* a post deleted before its job ran: nothing, and no retry */
	CHECK(listening_post_job(id_next()) == 0);
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
	char path[300];

	if (secret_init() < 0)
		return 1;
	log_set_level(LOG_WARN);
	snprintf(dir, sizeof dir, "/tmp/parley-test-listening-XXXXXX");
	if (!mkdtemp(dir) || store_open(dir, err, sizeof err) < 0) {
		fprintf(stderr, "cannot open a store: %s\n", err);
		return 1;
	}
	snprintf(path, sizeof path, "%s/parley.db", dir);
	if (sqlite3_open(path, &raw) != SQLITE_OK)
		return 1;
	sqlite3_busy_timeout(raw, 5000);
	RUN(test_matching);
	RUN(build_world);
	RUN(test_nothing_watched_schedules_nothing);
	RUN(test_manage_watches);
	RUN(test_job_creates_items);
	sqlite3_close(raw);
	store_close();
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return unit_finish("listening");
}
