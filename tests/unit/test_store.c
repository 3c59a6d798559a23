/*
 * test_store.c - unit tests for the storage layer (src/store/) on a real
 * SQLite database in a temporary directory, and for the model code on top
 * of it: account creation and sign-in (model/account.c), sign-in rate
 * limiting (model/authlimit.c) and registration/invites
 * (model/registration.c).
 *
 * Password hashing costs about 0.1 s a call, so the model tests create
 * few accounts; the store tests insert rows with an empty password hash.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lib/id.h"
#include "lib/log.h"
#include "lib/secret.h"
#include "lib/timeutil.h"
#include "model/account.h"
#include "model/authlimit.h"
#include "model/registration.h"
#include "store/store.h"
#include "store/store_posts.h"
#include "unit.h"

static char dir[256];
static char err[512];

static const char *const PW = "Tr0ub4dor&3-horse";

static void fill_account(struct account_row *a, const char *username, const char *email)
{
	memset(a, 0, sizeof *a);
	a->id = id_next();
	snprintf(a->username, sizeof a->username, "%s", username);
	snprintf(a->email, sizeof a->email, "%s", email);
	snprintf(a->display_name, sizeof a->display_name, "%s", username);
	snprintf(a->kind, sizeof a->kind, "staff");
	a->discoverable = 1;
	a->created_at = time_now_ms();
}

static int64_t add_account(const char *username, const char *email)
{
	struct account_row a;

	fill_account(&a, username, email);
	return store_account_insert(&a) == STORE_OK ? a.id : 0;
}

/* ---- lifetime -------------------------------------------------------- */

static void test_open_migrates(void)
{
	CHECK(store_schema_latest() >= 1);
	CHECK(store_schema_version() == store_schema_latest());
	CHECK(store_ping() == STORE_OK);
	CHECK(store_account_count() == 0);
}

static void test_open_bad_dir(void)
{
	char path[512], file[400];
	FILE *f;

	snprintf(file, sizeof file, "%s/plainfile", dir);
	f = fopen(file, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	snprintf(path, sizeof path, "%s/sub", file);
	err[0] = '\0';
	CHECK(store_open(path, err, sizeof err) == -1);
	CHECK(err[0] != '\0');
	unlink(file);
}

/* ---- accounts -------------------------------------------------------- */

static void test_account_insert_get(void)
{
	struct account_row a, b;

	fill_account(&a, "Alice_1", "Alice.One@Example.COM");
	a.is_admin = 1;
	a.locked = 1;
	a.bot = 1;
	snprintf(a.note, sizeof a.note, "hello");
	snprintf(a.password_hash, sizeof a.password_hash, "$argon2id$fake");
	CHECK(store_account_insert(&a) == STORE_OK);

	memset(&b, 0x55, sizeof b);
	CHECK(store_account_get(a.id, &b) == STORE_OK);
	CHECK(b.id == a.id);
	CHECK_STR(b.username, "Alice_1");
	CHECK_STR(b.email, "Alice.One@Example.COM");
	CHECK_STR(b.display_name, "Alice_1");
	CHECK_STR(b.note, "hello");
	CHECK_STR(b.kind, "staff");
	CHECK(b.is_admin == 1 && b.is_moderator == 0 && b.suspended == 0);
	CHECK(b.locked == 1 && b.bot == 1 && b.discoverable == 1);
	CHECK_STR(b.password_hash, "$argon2id$fake");
	CHECK(b.created_at == a.created_at);
	CHECK(b.last_seen_at == 0);

	memset(&b, 0, sizeof b);
	CHECK(store_account_by_username("alice_1", &b) == STORE_OK);
	CHECK(b.id == a.id);
	CHECK(store_account_by_username("ALICE_1", &b) == STORE_OK);
	CHECK(b.id == a.id);
	CHECK_STR(b.username, "Alice_1"); /* the original case is kept */
	CHECK(store_account_by_email("alice.one@example.com", &b) == STORE_OK);
	CHECK(b.id == a.id);
	CHECK(store_account_by_email("ALICE.ONE@EXAMPLE.COM", &b) == STORE_OK);
	CHECK(b.id == a.id);

	CHECK(store_account_get(a.id + 1, &b) == STORE_NOTFOUND);
	CHECK(store_account_by_username("alice_2", &b) == STORE_NOTFOUND);
	CHECK(store_account_by_username("", &b) == STORE_NOTFOUND);
	CHECK(store_account_by_email("nobody@example.com", &b) == STORE_NOTFOUND);
	{
		char longname[100];

		memset(longname, 'a', sizeof longname - 1);
		longname[sizeof longname - 1] = '\0';
		CHECK(store_account_by_username(longname, &b) == STORE_NOTFOUND);
	}
}

static void test_account_conflicts(void)
{
	struct account_row a, b;

	fill_account(&a, "Bob_Conflict", "bob@example.com");
	CHECK(store_account_insert(&a) == STORE_OK);

	fill_account(&b, "bob_CONFLICT", "other-bob@example.com");
	CHECK(store_account_insert(&b) == STORE_CONFLICT);
	CHECK(store_account_get(b.id, &b) == STORE_NOTFOUND);

	fill_account(&b, "bob_two", "BOB@EXAMPLE.COM");
	CHECK(store_account_insert(&b) == STORE_CONFLICT);

	/* the same id twice */
	fill_account(&b, "bob_three", "bob3@example.com");
	b.id = a.id;
	CHECK(store_account_insert(&b) == STORE_CONFLICT);

	/* a kind outside the CHECK constraint is an error, not a conflict */
	fill_account(&b, "bob_four", "bob4@example.com");
	snprintf(b.kind, sizeof b.kind, "boss");
	CHECK(store_account_insert(&b) == STORE_ERROR);
	CHECK(store_account_get(b.id, &b) == STORE_NOTFOUND);
	/* the connection still works after the errors */
	CHECK(store_ping() == STORE_OK);
}

struct idlist {
	int64_t ids[64];
	int n;
};

static void collect(const struct account_row *a, void *ctx)
{
	struct idlist *l = ctx;

	if (l->n < 64)
		l->ids[l->n++] = a->id;
}

static void test_account_list_paging(void)
{
	int64_t mine[5], before = 0;
	struct idlist page, all;
	int i, j, k, pages = 0, found = 0, ordered = 1;
	int64_t total = store_account_count();

	for (i = 0; i < 5; i++) {
		char u[32], e[64];

		snprintf(u, sizeof u, "pager_%d", i);
		snprintf(e, sizeof e, "pager%d@example.com", i);
		mine[i] = add_account(u, e);
		CHECK(mine[i] != 0);
	}
	CHECK(store_account_count() == total + 5);

	/* newest first */
	memset(&page, 0, sizeof page);
	CHECK(store_account_list(0, 2, collect, &page) == STORE_OK);
	CHECK(page.n == 2);
	CHECK(page.ids[0] == mine[4]);
	CHECK(page.ids[1] == mine[3]);

	/* walk every page of 2 */
	memset(&all, 0, sizeof all);
	do {
		memset(&page, 0, sizeof page);
		CHECK(store_account_list(before, 2, collect, &page) == STORE_OK);
		for (j = 0; j < page.n && all.n < 64; j++)
			all.ids[all.n++] = page.ids[j];
		if (page.n)
			before = page.ids[page.n - 1];
		pages++;
	} while (page.n == 2 && pages < 40);
	CHECK(all.n == (int)(total + 5));
	for (j = 1; j < all.n; j++)
		if (all.ids[j] >= all.ids[j - 1])
			ordered = 0;
	CHECK(ordered);
	for (k = 0; k < 5; k++)
		for (j = 0; j < all.n; j++)
			if (all.ids[j] == mine[k])
				found++;
	CHECK(found == 5);

	/* before a given id: only older ones */
	memset(&page, 0, sizeof page);
	CHECK(store_account_list(mine[2], 10, collect, &page) == STORE_OK);
	CHECK(page.n >= 2);
	CHECK(page.ids[0] == mine[1]);
	CHECK(page.ids[1] == mine[0]);

	/* before the oldest: nothing */
	memset(&page, 0, sizeof page);
	CHECK(store_account_list(1, 10, collect, &page) == STORE_OK);
	CHECK(page.n == 0);
}

static void test_account_updates(void)
{
	int64_t id = add_account("updater", "updater@example.com");
	struct account_row a;

	CHECK(id != 0);
	CHECK(store_account_set_roles(id, "guest", 0, 1) == STORE_OK);
	CHECK(store_account_get(id, &a) == STORE_OK);
	CHECK_STR(a.kind, "guest");
	CHECK(a.is_moderator == 1 && a.is_admin == 0);
	CHECK(store_account_set_suspended(id, 1) == STORE_OK);
	CHECK(store_account_set_password(id, "$argon2id$new") == STORE_OK);
	CHECK(store_account_touch(id, 123456) == STORE_OK);
	CHECK(store_account_get(id, &a) == STORE_OK);
	CHECK(a.suspended == 1);
	CHECK_STR(a.password_hash, "$argon2id$new");
	CHECK(a.last_seen_at == 123456);

	CHECK(store_account_set_roles(id + 1, "staff", 0, 0) == STORE_NOTFOUND);
	CHECK(store_account_set_suspended(id + 1, 1) == STORE_NOTFOUND);
	CHECK(store_account_set_password(id + 1, "x") == STORE_NOTFOUND);
}

/* ---- sessions -------------------------------------------------------- */

static void fill_session(struct session_row *s, int64_t account_id, const char *hash)
{
	int64_t now = time_now_ms();

	memset(s, 0, sizeof *s);
	s->id = id_next();
	s->account_id = account_id;
	snprintf(s->token_hash, sizeof s->token_hash, "%s", hash);
	snprintf(s->csrf, sizeof s->csrf, "csrf-%s", hash);
	s->created_at = now;
	s->last_used_at = now;
	s->expires_at = now + 86400000;
	snprintf(s->user_agent, sizeof s->user_agent, "TestAgent/1.0");
	snprintf(s->ip, sizeof s->ip, "192.0.2.1");
}

static int count_sessions_cb_n;

static void count_session(const struct session_row *s, void *ctx)
{
	(void)s;
	(void)ctx;
	count_sessions_cb_n++;
}

static int count_sessions(int64_t account_id)
{
	count_sessions_cb_n = 0;
	if (store_session_list(account_id, count_session, NULL) != STORE_OK)
		return -1;
	return count_sessions_cb_n;
}

static void test_sessions(void)
{
	int64_t owner = add_account("sess_owner", "sess_owner@example.com");
	int64_t other = add_account("sess_other", "sess_other@example.com");
	struct session_row s, s2, s3, got;
	char h[SECRET_HASH_LEN + 1];

	CHECK(owner && other);
	secret_hash("token-one", h, sizeof h);
	fill_session(&s, owner, h);
	CHECK(store_session_insert(&s) == STORE_OK);

	memset(&got, 0, sizeof got);
	CHECK(store_session_by_hash(h, &got) == STORE_OK);
	CHECK(got.id == s.id);
	CHECK(got.account_id == owner);
	CHECK_STR(got.token_hash, h);
	CHECK_STR(got.csrf, s.csrf);
	CHECK(got.expires_at == s.expires_at);
	CHECK_STR(got.user_agent, "TestAgent/1.0");
	CHECK_STR(got.ip, "192.0.2.1");
	CHECK(store_session_by_hash("0000", &got) == STORE_NOTFOUND);

	/* the same token hash twice is a conflict */
	fill_session(&s2, owner, h);
	CHECK(store_session_insert(&s2) == STORE_CONFLICT);

	/* a session for an account that does not exist is refused */
	fill_session(&s2, owner + 999, "no-such-account-hash");
	CHECK(store_session_insert(&s2) != STORE_OK);

	CHECK(store_session_touch(s.id, 1000, 2000) == STORE_OK);
	CHECK(store_session_by_hash(h, &got) == STORE_OK);
	CHECK(got.last_used_at == 1000 && got.expires_at == 2000);

	/* another account cannot delete it */
	CHECK(store_session_delete_for(other, s.id) == STORE_NOTFOUND);
	CHECK(store_session_by_hash(h, &got) == STORE_OK);
	CHECK(store_session_delete_for(owner, s.id) == STORE_OK);
	CHECK(store_session_by_hash(h, &got) == STORE_NOTFOUND);
	CHECK(store_session_delete_for(owner, s.id) == STORE_NOTFOUND);
	CHECK(store_session_delete(s.id) == STORE_NOTFOUND);

	/* delete_all with and without a session to keep */
	fill_session(&s, owner, "hash-a");
	fill_session(&s2, owner, "hash-b");
	fill_session(&s3, owner, "hash-c");
	CHECK(store_session_insert(&s) == STORE_OK);
	CHECK(store_session_insert(&s2) == STORE_OK);
	CHECK(store_session_insert(&s3) == STORE_OK);
	fill_session(&got, other, "hash-other");
	CHECK(store_session_insert(&got) == STORE_OK);
	CHECK(count_sessions(owner) == 3);
	CHECK(store_session_delete_all(owner, s2.id) == STORE_OK);
	CHECK(count_sessions(owner) == 1);
	CHECK(store_session_by_hash("hash-b", &got) == STORE_OK);
	CHECK(store_session_delete_all(owner, 0) == STORE_OK);
	CHECK(count_sessions(owner) == 0);
	CHECK(count_sessions(other) == 1); /* untouched */
	CHECK(store_session_by_hash("hash-other", &got) == STORE_OK);
	CHECK(store_session_delete(got.id) == STORE_OK);
	CHECK(count_sessions(other) == 0);
}

/* ---- OAuth ----------------------------------------------------------- */

static int64_t add_app(const char *name, const char *client_id)
{
	struct app_row a;

	memset(&a, 0, sizeof a);
	a.id = id_next();
	snprintf(a.name, sizeof a.name, "%s", name);
	snprintf(a.redirect_uris, sizeof a.redirect_uris, "urn:ietf:wg:oauth:2.0:oob");
	snprintf(a.scopes, sizeof a.scopes, "read write");
	snprintf(a.client_id, sizeof a.client_id, "%s", client_id);
	secret_hash("client-secret", a.secret_hash, sizeof a.secret_hash);
	a.created_at = time_now_ms();
	return store_app_insert(&a) == STORE_OK ? a.id : 0;
}

static void fill_token(struct token_row *t, int64_t app, int64_t account,
		       const char *tok, const char *refresh)
{
	memset(t, 0, sizeof *t);
	t->id = id_next();
	t->app_id = app;
	t->account_id = account;
	secret_hash(tok, t->token_hash, sizeof t->token_hash);
	if (refresh)
		secret_hash(refresh, t->refresh_hash, sizeof t->refresh_hash);
	snprintf(t->scopes, sizeof t->scopes, "read");
	t->created_at = time_now_ms();
}

struct app_seen {
	int n;
	int64_t count;
	char name[64];
};

static void app_cb(const struct app_row *a, int64_t count, int64_t last, void *ctx)
{
	struct app_seen *s = ctx;

	(void)last;
	s->n++;
	s->count = count;
	snprintf(s->name, sizeof s->name, "%.63s", a->name);
}

static void test_apps_and_tokens(void)
{
	int64_t acct = add_account("tok_owner", "tok_owner@example.com");
	int64_t app = add_app("Test App", "client-id-1");
	struct app_row ar;
	struct token_row t, t2, got;
	char h[SECRET_HASH_LEN + 1], rh[SECRET_HASH_LEN + 1];
	struct app_seen seen;

	CHECK(acct && app);
	CHECK(add_app("Dup", "client-id-1") == 0); /* client_id is unique */
	CHECK(store_app_by_client_id("client-id-1", &ar) == STORE_OK);
	CHECK(ar.id == app);
	CHECK_STR(ar.name, "Test App");
	CHECK_STR(ar.scopes, "read write");
	CHECK(store_app_get(app, &ar) == STORE_OK);
	CHECK_STR(ar.client_id, "client-id-1");
	CHECK(store_app_by_client_id("nope", &ar) == STORE_NOTFOUND);
	CHECK(store_app_get(app + 1, &ar) == STORE_NOTFOUND);

	fill_token(&t, app, acct, "access-1", "refresh-1");
	CHECK(store_token_insert(&t) == STORE_OK);
	secret_hash("access-1", h, sizeof h);
	secret_hash("refresh-1", rh, sizeof rh);
	memset(&got, 0, sizeof got);
	CHECK(store_token_by_hash(h, &got) == STORE_OK);
	CHECK(got.id == t.id);
	CHECK(got.app_id == app);
	CHECK(got.account_id == acct);
	CHECK_STR(got.refresh_hash, rh);
	CHECK_STR(got.scopes, "read");
	CHECK(got.revoked_at == 0);
	CHECK(store_token_by_refresh(rh, &got) == STORE_OK);
	CHECK(got.id == t.id);
	CHECK(store_token_by_hash(rh, &got) == STORE_NOTFOUND);
	CHECK(store_token_by_refresh(h, &got) == STORE_NOTFOUND);

	/* an app-only token with no refresh token */
	fill_token(&t2, app, 0, "app-only", NULL);
	CHECK(store_token_insert(&t2) == STORE_OK);
	secret_hash("app-only", h, sizeof h);
	CHECK(store_token_by_hash(h, &got) == STORE_OK);
	CHECK(got.account_id == 0);
	CHECK_STR(got.refresh_hash, "");
	CHECK(store_token_by_refresh("", &got) == STORE_NOTFOUND);
	/* a second token without refresh is no conflict (NULLs differ) */
	fill_token(&t2, app, 0, "app-only-2", NULL);
	CHECK(store_token_insert(&t2) == STORE_OK);
	/* the same access token hash twice is */
	fill_token(&t2, app, 0, "app-only-2", NULL);
	CHECK(store_token_insert(&t2) == STORE_CONFLICT);

	memset(&seen, 0, sizeof seen);
	CHECK(store_token_apps(acct, app_cb, &seen) == STORE_OK);
	CHECK(seen.n == 1);
	CHECK(seen.count == 1);
	CHECK_STR(seen.name, "Test App");

	CHECK(store_token_touch(t.id, 4242) == STORE_OK);
	CHECK(store_token_revoke(t.id, 5000) == STORE_OK);
	secret_hash("access-1", h, sizeof h);
	CHECK(store_token_by_hash(h, &got) == STORE_OK);
	CHECK(got.revoked_at == 5000);
	CHECK(got.last_used_at == 4242);
	/* revoking again keeps the first revocation time */
	CHECK(store_token_revoke(t.id, 9000) == STORE_OK);
	CHECK(store_token_by_hash(h, &got) == STORE_OK);
	CHECK(got.revoked_at == 5000);

	memset(&seen, 0, sizeof seen);
	CHECK(store_token_apps(acct, app_cb, &seen) == STORE_OK);
	CHECK(seen.n == 0); /* only live tokens count */

	/* revoke by app and by account */
	fill_token(&t, app, acct, "access-2", NULL);
	CHECK(store_token_insert(&t) == STORE_OK);
	CHECK(store_token_revoke_app(acct, app, 6000) == STORE_OK);
	CHECK(store_token_revoke_app(acct, app, 6000) == STORE_NOTFOUND);
	fill_token(&t, app, acct, "access-3", NULL);
	CHECK(store_token_insert(&t) == STORE_OK);
	CHECK(store_token_revoke_account(acct, 7000) == STORE_OK);
	secret_hash("access-3", h, sizeof h);
	CHECK(store_token_by_hash(h, &got) == STORE_OK);
	CHECK(got.revoked_at == 7000);
}

static void test_codes(void)
{
	int64_t acct = add_account("code_owner", "code_owner@example.com");
	int64_t app = add_app("Code App", "client-id-code");
	struct code_row c, got;

	CHECK(acct && app);
	memset(&c, 0, sizeof c);
	c.app_id = app;
	c.account_id = acct;
	snprintf(c.redirect_uri, sizeof c.redirect_uri, "https://app.example/cb");
	snprintf(c.scopes, sizeof c.scopes, "read write");
	snprintf(c.code_challenge, sizeof c.code_challenge, "challenge");
	c.expires_at = time_now_ms() + 600000;
	CHECK(store_code_insert("code-hash-1", &c) == STORE_OK);
	CHECK(store_code_insert("code-hash-1", &c) == STORE_CONFLICT);

	memset(&got, 0, sizeof got);
	CHECK(store_code_take("code-hash-1", &got) == STORE_OK);
	CHECK(got.app_id == app && got.account_id == acct);
	CHECK_STR(got.redirect_uri, "https://app.example/cb");
	CHECK_STR(got.scopes, "read write");
	CHECK_STR(got.code_challenge, "challenge");
	CHECK(got.expires_at == c.expires_at);
	/* single use */
	CHECK(store_code_take("code-hash-1", &got) == STORE_NOTFOUND);
	CHECK(store_code_take("never-issued", &got) == STORE_NOTFOUND);
}

/* ---- invites --------------------------------------------------------- */

static int64_t add_invite(const char *code, const char *kind, int max_uses, int64_t expires_at)
{
	struct invite_row v;

	memset(&v, 0, sizeof v);
	v.id = id_next();
	snprintf(v.code, sizeof v.code, "%s", code);
	snprintf(v.kind, sizeof v.kind, "%s", kind);
	v.max_uses = max_uses;
	v.expires_at = expires_at;
	v.created_at = time_now_ms();
	return store_invite_insert(&v) == STORE_OK ? v.id : 0;
}

static void test_invites(void)
{
	int64_t now = time_now_ms();
	int64_t two = add_invite("code-two-uses", "staff", 2, 0);
	int64_t exp = add_invite("code-expiring", "guest", 0, now + 60000);
	int64_t rev = add_invite("code-revoked", "guest", 5, 0);
	int64_t unl = add_invite("code-unlimited", "guest", 0, 0);
	struct invite_row v;
	int i, ok = 1;

	CHECK(two && exp && rev && unl);
	CHECK(add_invite("code-two-uses", "staff", 1, 0) == 0); /* code is unique */

	CHECK(store_invite_by_code("code-two-uses", &v) == STORE_OK);
	CHECK(v.id == two);
	CHECK_STR(v.kind, "staff");
	CHECK(v.max_uses == 2 && v.uses == 0 && v.revoked == 0 && v.expires_at == 0);
	CHECK(v.created_by == 0);
	CHECK(store_invite_by_code("no-such-code", &v) == STORE_NOTFOUND);

	/* counted uses, refused past max_uses */
	CHECK(store_invite_use(two, now) == STORE_OK);
	CHECK(store_invite_by_code("code-two-uses", &v) == STORE_OK && v.uses == 1);
	CHECK(store_invite_use(two, now) == STORE_OK);
	CHECK(store_invite_use(two, now) == STORE_NOTFOUND);
	CHECK(store_invite_by_code("code-two-uses", &v) == STORE_OK && v.uses == 2);

	/* refused after expiry, fine before */
	CHECK(store_invite_use(exp, now + 60000) == STORE_NOTFOUND);
	CHECK(store_invite_use(exp, now + 120000) == STORE_NOTFOUND);
	CHECK(store_invite_use(exp, now) == STORE_OK);

	/* refused after revoke */
	CHECK(store_invite_use(rev, now) == STORE_OK);
	CHECK(store_invite_revoke(rev) == STORE_OK);
	CHECK(store_invite_use(rev, now) == STORE_NOTFOUND);
	CHECK(store_invite_by_code("code-revoked", &v) == STORE_OK);
	CHECK(v.revoked == 1 && v.uses == 1);
	CHECK(store_invite_revoke(rev + 12345) == STORE_NOTFOUND);

	/* max_uses 0 means unlimited */
	for (i = 0; i < 10; i++)
		if (store_invite_use(unl, now) != STORE_OK)
			ok = 0;
	CHECK(ok);
	CHECK(store_invite_by_code("code-unlimited", &v) == STORE_OK && v.uses == 10);

	CHECK(store_invite_use(unl + 999, now) == STORE_NOTFOUND);
}

/* ---- settings and failures ------------------------------------------- */

static void test_settings(void)
{
	char v[64];

	memset(v, 'x', sizeof v);
	CHECK(store_setting_get("missing_key", v, sizeof v) == STORE_OK);
	CHECK_STR(v, "");
	CHECK(store_setting_set("greeting", "hello") == STORE_OK);
	CHECK(store_setting_get("greeting", v, sizeof v) == STORE_OK);
	CHECK_STR(v, "hello");
	CHECK(store_setting_set("greeting", "bonjour") == STORE_OK);
	CHECK(store_setting_get("greeting", v, sizeof v) == STORE_OK);
	CHECK_STR(v, "bonjour");
	CHECK(store_setting_set("greeting", "") == STORE_OK);
	CHECK(store_setting_get("greeting", v, sizeof v) == STORE_OK);
	CHECK_STR(v, "");
	/* a long value is truncated safely into a small buffer */
	{
		char small[4];

		CHECK(store_setting_set("long", "abcdefgh") == STORE_OK);
		CHECK(store_setting_get("long", small, sizeof small) == STORE_OK);
		CHECK_STR(small, "abc");
	}
}

static void test_failures(void)
{
	struct failure_row f = { 3, 1000, 2000 }, got = { 0, 0, 0 };

	CHECK(store_failure_get("login:nobody", &got) == STORE_NOTFOUND);
	CHECK(store_failure_put("login:nobody", &f) == STORE_OK);
	CHECK(store_failure_get("login:nobody", &got) == STORE_OK);
	CHECK(got.failures == 3 && got.last_failure_at == 1000 && got.locked_until == 2000);
	f.failures = 4;
	f.locked_until = 9999;
	CHECK(store_failure_put("login:nobody", &f) == STORE_OK);
	CHECK(store_failure_get("login:nobody", &got) == STORE_OK);
	CHECK(got.failures == 4 && got.locked_until == 9999);
	CHECK(store_failure_clear("login:nobody") == STORE_OK);
	CHECK(store_failure_get("login:nobody", &got) == STORE_NOTFOUND);
	CHECK(store_failure_clear("login:nobody") == STORE_OK);
}

/* ---- transactions and reopening -------------------------------------- */

static void test_transactions(void)
{
	struct account_row a, got;

	fill_account(&a, "rolled_back", "rolled_back@example.com");
	CHECK(store_begin() == STORE_OK);
	CHECK(store_account_insert(&a) == STORE_OK);
	CHECK(store_account_get(a.id, &got) == STORE_OK); /* visible inside */
	store_rollback();
	CHECK(store_account_get(a.id, &got) == STORE_NOTFOUND);
	CHECK(store_account_by_username("rolled_back", &got) == STORE_NOTFOUND);

	fill_account(&a, "committed", "committed@example.com");
	CHECK(store_begin() == STORE_OK);
	CHECK(store_account_insert(&a) == STORE_OK);
	CHECK(store_setting_set("tx_setting", "yes") == STORE_OK);
	CHECK(store_commit() == STORE_OK);
	CHECK(store_account_get(a.id, &got) == STORE_OK);

	/* rollback outside a transaction is harmless */
	store_rollback();
	CHECK(store_ping() == STORE_OK);
	/* commit without begin fails */
	CHECK(store_commit() == STORE_ERROR);
	CHECK(store_ping() == STORE_OK);
}

/* ---- jobs ---------------------------------------------------------- */

/* A job claimed, then scheduled again while it runs (a handler that
 * reschedules itself, or a coalesced job), survives its own completion;
 * a job nobody moved is deleted. */
static void test_job_moved_while_running_is_kept(void)
{
	struct job_row j;

	CHECK(store_job_put(id_next(), "test.kept", 1, 1000) == STORE_OK);
	CHECK(store_job_claim(2000, 62000, &j) == STORE_OK);
	CHECK_STR(j.kind, "test.kept");
	CHECK(j.run_at == 62000);
	CHECK(store_job_put(id_next(), "test.kept", 1, 5000) == STORE_OK);  /* moved */
	CHECK(store_job_done(j.id, j.run_at) == STORE_OK);
	CHECK(store_job_claim(6000, 66000, &j) == STORE_OK);             /* still there */
	CHECK(j.ref_id == 1 && j.attempts == 1);
	CHECK(store_job_done(j.id, j.run_at) == STORE_OK);
	CHECK(store_job_claim(1000000, 1060000, &j) == STORE_NOTFOUND);  /* gone */
}

static void test_reopen_keeps_data(void)
{
	struct account_row got;
	char v[16];

	store_close();
	CHECK(store_ping() == STORE_ERROR); /* no database after close */
	err[0] = '\0';
	CHECK(store_open(dir, err, sizeof err) == 0);
	CHECK_STR(err, "");
	CHECK(store_schema_version() == store_schema_latest());
	CHECK(store_account_by_username("committed", &got) == STORE_OK);
	CHECK(store_account_by_username("alice_1", &got) == STORE_OK);
	CHECK(store_setting_get("tx_setting", v, sizeof v) == STORE_OK);
	CHECK_STR(v, "yes");
}

static void test_newer_schema_refused(void)
{
	char dir2[300], db[400];
	sqlite3 *db3 = NULL;
	int rc;

	snprintf(dir2, sizeof dir2, "%s/newer", dir);
	store_close();
	err[0] = '\0';
	CHECK(store_open(dir2, err, sizeof err) == 0);
	store_close();

	snprintf(db, sizeof db, "%s/parley.db", dir2);
	rc = sqlite3_open(db, &db3);
	CHECK(rc == SQLITE_OK);
	if (rc == SQLITE_OK) {
		rc = sqlite3_exec(db3, "INSERT INTO schema_version (version, applied_at) VALUES (999, 0)",
				  NULL, NULL, NULL);
		CHECK(rc == SQLITE_OK);
	}
	sqlite3_close(db3);

	err[0] = '\0';
	CHECK(store_open(dir2, err, sizeof err) == -1);
	CHECK(strstr(err, "newer") != NULL);
	CHECK(strstr(err, "999") != NULL);
	CHECK(store_ping() == STORE_ERROR); /* nothing left open */

	/* back to the main database for the tests that follow */
	err[0] = '\0';
	CHECK(store_open(dir, err, sizeof err) == 0);
	CHECK(store_ping() == STORE_OK);
}

/* ---- model: accounts ------------------------------------------------- */

static void test_account_create_validation(void)
{
	struct account_new n;
	struct account_row out;
	char thirty1[32];

	memset(&n, 0, sizeof n);
	n.username = "a b";
	n.email = "ab@example.com";
	n.password = PW;
	n.role = ROLE_STAFF;
	err[0] = '\0';
	CHECK(account_create(&n, &out, err, sizeof err) == M_INVALID);
	CHECK(strstr(err, "Username") != NULL);

	memset(thirty1, 'u', 31);
	thirty1[31] = '\0';
	n.username = thirty1;
	err[0] = '\0';
	CHECK(account_create(&n, &out, err, sizeof err) == M_INVALID);
	CHECK(strstr(err, "Username") != NULL);
	thirty1[30] = '\0'; /* 30 is allowed, checked below without storing */
	CHECK(account_validate(&n, err, sizeof err) == M_OK);

	n.username = "";
	CHECK(account_create(&n, &out, err, sizeof err) == M_INVALID);
	n.username = NULL;
	CHECK(account_create(&n, &out, err, sizeof err) == M_INVALID);
	n.username = "caf\xc3\xa9";
	CHECK(account_create(&n, &out, err, sizeof err) == M_INVALID);

	n.username = "valid_name";
	{
		static const char *const bad[] = {
			"no-at-sign", "@example.com", "a@@example.com", "a@b@example.com",
			"a@example", "a@.example.com", "a@example.com.", "a b@example.com",
			"<a>@example.com", "",
		};
		size_t i;

		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			n.email = bad[i];
			err[0] = '\0';
			CHECK(account_create(&n, &out, err, sizeof err) == M_INVALID);
			CHECK(strstr(err, "Email") != NULL);
		}
	}
	n.email = NULL;
	CHECK(account_create(&n, &out, err, sizeof err) == M_INVALID);

	n.email = "valid@example.com";
	n.password = "short";
	err[0] = '\0';
	CHECK(account_create(&n, &out, err, sizeof err) == M_INVALID);
	CHECK(strstr(err, "Password") != NULL);
	n.password = NULL;
	CHECK(account_create(&n, &out, err, sizeof err) == M_INVALID);
	n.password = "valid_name"; /* 10 chars, but the username */
	CHECK(account_create(&n, &out, err, sizeof err) == M_INVALID);

	n.password = PW;
	{
		char dn[202];

		memset(dn, 'x', 201);
		dn[201] = '\0';
		n.display_name = dn;
		err[0] = '\0';
		CHECK(account_create(&n, &out, err, sizeof err) == M_INVALID);
		CHECK(strstr(err, "Display name") != NULL);
		dn[200] = '\0'; /* 200 bytes is fine */
		CHECK(account_validate(&n, err, sizeof err) == M_OK);
		n.display_name = NULL;
	}

	CHECK(store_account_by_username("valid_name", &out) == STORE_NOTFOUND);
}

static int64_t dora_id;

static void test_account_create_success(void)
{
	struct account_new n;
	struct account_row out, got, dup;

	memset(&n, 0, sizeof n);
	n.username = "Dora_Explorer";
	n.email = "Dora@Example.org";
	n.password = PW;
	n.role = ROLE_MODERATOR;
	memset(&out, 0, sizeof out);
	err[0] = '\0';
	CHECK(account_create(&n, &out, err, sizeof err) == M_OK);
	CHECK(out.id != 0);
	dora_id = out.id;
	CHECK_STR(out.username, "Dora_Explorer");
	CHECK_STR(out.display_name, "Dora_Explorer"); /* defaults to the username */
	CHECK_STR(out.kind, "staff");
	CHECK(out.is_moderator == 1 && out.is_admin == 0);
	CHECK(strncmp(out.password_hash, "$argon2id$", 10) == 0);
	CHECK(store_account_get(out.id, &got) == STORE_OK);
	CHECK_STR(got.email, "Dora@Example.org");
	CHECK_STR(account_role_name(&got), "moderator");
	{
		char idtext[32];

		id_format(idtext, sizeof idtext, dora_id);
		memset(&got, 0, sizeof got);
		CHECK(account_find(idtext, &got) == M_OK && got.id == dora_id);
		CHECK(account_find("dora_EXPLORER", &got) == M_OK && got.id == dora_id);
		CHECK(account_find("dora@example.org", &got) == M_OK && got.id == dora_id);
		CHECK(account_find("", &got) == M_NOTFOUND);
		CHECK(account_find(NULL, &got) == M_NOTFOUND);
		CHECK(account_find("nobody_here", &got) == M_NOTFOUND);
	}

	/* the same username in another case */
	n.username = "DORA_EXPLORER";
	n.email = "someone.else@example.org";
	err[0] = '\0';
	CHECK(account_create(&n, &dup, err, sizeof err) == M_CONFLICT);
	CHECK(strstr(err, "Username") != NULL);
	/* the same email in another case */
	n.username = "dora_two";
	n.email = "DORA@example.ORG";
	err[0] = '\0';
	CHECK(account_create(&n, &dup, err, sizeof err) == M_CONFLICT);
	CHECK(strstr(err, "Email") != NULL);
}

static void test_account_authenticate(void)
{
	struct account_row a;
	int retry = -1;

	CHECK(dora_id != 0);
	memset(&a, 0, sizeof a);
	err[0] = '\0';
	CHECK(account_authenticate("dora_explorer", PW, "198.51.100.1", &a, &retry,
				   err, sizeof err) == M_OK);
	CHECK(a.id == dora_id);
	CHECK(retry == 0);
	CHECK(store_account_get(dora_id, &a) == STORE_OK);
	CHECK(a.last_seen_at > 0);

	/* by email, any case */
	memset(&a, 0, sizeof a);
	CHECK(account_authenticate("DORA@EXAMPLE.ORG", PW, "198.51.100.1", &a, &retry,
				   err, sizeof err) == M_OK);
	CHECK(a.id == dora_id);

	err[0] = '\0';
	CHECK(account_authenticate("dora_explorer", "wrong password!", "198.51.100.1", &a, &retry,
				   err, sizeof err) == M_UNAUTHORIZED);
	CHECK(strstr(err, "Invalid") != NULL);
	/* an unknown name gets the same answer */
	{
		char err2[512] = "";

		CHECK(account_authenticate("no_such_user", PW, "198.51.100.1", &a, &retry,
					   err2, sizeof err2) == M_UNAUTHORIZED);
		CHECK_STR(err2, err);
	}
	CHECK(account_authenticate("", PW, "198.51.100.1", &a, &retry, err, sizeof err) == M_UNAUTHORIZED);
	CHECK(account_authenticate(NULL, PW, "198.51.100.1", &a, &retry, err, sizeof err) == M_UNAUTHORIZED);
	CHECK(account_authenticate("dora_explorer", NULL, "198.51.100.1", &a, &retry, err, sizeof err) == M_UNAUTHORIZED);

	/* a success clears the login's failures */
	CHECK(account_authenticate("dora_explorer", PW, "198.51.100.1", &a, &retry,
				   err, sizeof err) == M_OK);
	{
		struct failure_row f;

		CHECK(store_failure_get("login:dora_explorer", &f) == STORE_NOTFOUND);
		CHECK(store_failure_get("ip:198.51.100.1", &f) == STORE_OK); /* not the address's */
	}
}

static void test_account_lockout(void)
{
	struct account_row a;
	int retry, i, unauthorized = 0;
	const char *ip = "198.51.100.2";

	/* AUTHLIMIT_LOGIN_FREE wrong passwords, then even the right one is refused */
	for (i = 0; i < AUTHLIMIT_LOGIN_FREE; i++) {
		retry = -1;
		if (account_authenticate("Dora_Explorer", "not the password", ip, &a, &retry,
					 err, sizeof err) == M_UNAUTHORIZED && retry == 0)
			unauthorized++;
	}
	CHECK(unauthorized == AUTHLIMIT_LOGIN_FREE);
	retry = 0;
	err[0] = '\0';
	CHECK(account_authenticate("dora_explorer", PW, "203.0.113.9", &a, &retry,
				   err, sizeof err) == M_LIMITED);
	CHECK(retry > 0);
	CHECK(retry <= 30);
	CHECK(strstr(err, "Too many") != NULL);

	/* the lock ends after its time */
	CHECK(authlimit_check("dora_explorer", "203.0.113.9", time_now_ms() + 31000) == 0);
	/* clear it for later tests */
	authlimit_success("dora_explorer", "192.0.2.1");
	CHECK(authlimit_check("dora_explorer", "203.0.113.9", time_now_ms()) == 0);
}

static void test_account_suspended(void)
{
	struct account_row a;
	int retry = 0;

	CHECK(store_account_set_suspended(dora_id, 1) == STORE_OK);
	err[0] = '\0';
	CHECK(account_authenticate("dora_explorer", PW, "198.51.100.3", &a, &retry,
				   err, sizeof err) == M_FORBIDDEN);
	CHECK(strstr(err, "suspended") != NULL);
	CHECK(store_account_set_suspended(dora_id, 0) == STORE_OK);
}

/* ---- model: rate limiting without hashing ---------------------------- */

static void test_authlimit_backoff(void)
{
	int64_t now = 1800000000000LL;
	int i, w;

	for (i = 0; i < AUTHLIMIT_LOGIN_FREE - 1; i++)
		authlimit_fail("Backoff", "192.0.2.50", now);
	CHECK(authlimit_check("backoff", "192.0.2.51", now) == 0);
	authlimit_fail("backoff", "192.0.2.50", now);
	CHECK(authlimit_check("BACKOFF", "192.0.2.51", now) == 30);
	/* each failure after the lock doubles it */
	authlimit_fail("backoff", "192.0.2.50", now);
	CHECK(authlimit_check("backoff", "192.0.2.51", now) == 60);
	authlimit_fail("backoff", "192.0.2.50", now);
	CHECK(authlimit_check("backoff", "192.0.2.51", now) == 120);
	/* up to an hour */
	for (i = 0; i < 20; i++)
		authlimit_fail("backoff", "192.0.2.50", now);
	w = authlimit_check("backoff", "192.0.2.51", now);
	CHECK(w == 3600);
	/* failures older than 15 minutes are forgotten */
	authlimit_fail("backoff", "192.0.2.52", now + 3600000 + 16 * 60000);
	CHECK(authlimit_check("backoff", "192.0.2.51", now + 3600000 + 16 * 60000) == 0);
	authlimit_success("backoff", "192.0.2.1");
}

static void test_authlimit_cap_reachable(void)
{
	/* Someone who waits out every lock and tries again: the lock doubles
	 * each time "up to one hour" (authlimit.h). The 15-minute window
	 * must not wipe the count while the account is still being attacked,
	 * or the backoff restarts at 30 s with fresh free tries. */
	int64_t now = 1900000000000LL;
	int i, w, max_wait = 0, resets = 0, prev = 0;

	for (i = 0; i < 30; i++) {
		authlimit_fail("persistent", "192.0.2.200", now);
		w = authlimit_check("persistent", "192.0.2.201", now);
		if (w > max_wait)
			max_wait = w;
		if (prev > 0 && w == 0)
			resets++;
		prev = w;
		now += (int64_t)w * 1000 + 1000;
	}
	CHECK(max_wait == 3600);
	CHECK(resets == 0);
	authlimit_success("persistent", "192.0.2.1");
}

static void test_authlimit_ip(void)
{
	int64_t now = 1800000000000LL;
	struct failure_row f;
	char login[32];
	int i;

	for (i = 0; i < AUTHLIMIT_IP_FREE - 1; i++) {
		snprintf(login, sizeof login, "spray%d", i);
		authlimit_fail(login, "192.0.2.99", now);
	}
	CHECK(authlimit_check("fresh_name", "192.0.2.99", now) == 0);
	authlimit_fail("spray_last", "192.0.2.99", now);
	CHECK(authlimit_check("fresh_name", "192.0.2.99", now) == 30);
	CHECK(authlimit_check("fresh_name", "192.0.2.100", now) == 0);
	/* while the address is locked, an attempt is refused and not counted */
	CHECK(authlimit_attempt("fresh_name", "192.0.2.99", now) == 30);
	CHECK(store_failure_get("login:fresh_name", &f) == STORE_NOTFOUND);
	/* an attempt counts at once; its success gives back only its own count */
	CHECK(authlimit_attempt("lucky", "192.0.2.100", now) == 0);
	CHECK(store_failure_get("ip:192.0.2.100", &f) == STORE_OK && f.failures == 1);
	authlimit_success("lucky", "192.0.2.100");
	CHECK(store_failure_get("ip:192.0.2.100", &f) == STORE_OK && f.failures == 0);
	CHECK(store_failure_get("login:lucky", &f) == STORE_NOTFOUND);
	/* the locked address is still locked: the refused attempt changed nothing */
	CHECK(authlimit_check("fresh_name", "192.0.2.99", now) == 30);
}

/* ---- model: registration --------------------------------------------- */

static void test_registration_policy(void)
{
	struct reg_policy pol;
	enum reg_mode m;

	CHECK(registration_get(&pol) == M_OK);
	CHECK(pol.mode == REG_CLOSED); /* the default */
	CHECK_STR(pol.domains, "");

	CHECK(registration_mode_parse("open", &m) == 0 && m == REG_OPEN);
	CHECK(registration_mode_parse("invite", &m) == 0 && m == REG_INVITE);
	CHECK(registration_mode_parse("closed", &m) == 0 && m == REG_CLOSED);
	CHECK(registration_mode_parse("Open", &m) == -1);
	CHECK(registration_mode_parse(NULL, &m) == -1);
	CHECK_STR(registration_mode_name(REG_INVITE), "invite");

	err[0] = '\0';
	CHECK(registration_set(REG_OPEN, "", err, sizeof err) == M_INVALID);
	CHECK(err[0] != '\0');
	CHECK(registration_set(REG_OPEN, "not_a_domain", err, sizeof err) == M_INVALID);
	CHECK(registration_set(REG_OPEN, "localhost", err, sizeof err) == M_INVALID);
	CHECK(registration_set(REG_OPEN, ".example.com", err, sizeof err) == M_INVALID);
	CHECK(registration_get(&pol) == M_OK && pol.mode == REG_CLOSED);

	CHECK(registration_set(REG_OPEN, " Example.COM,corp.example\nthird.example ", err, sizeof err) == M_OK);
	CHECK(registration_get(&pol) == M_OK);
	CHECK(pol.mode == REG_OPEN);
	CHECK_STR(pol.domains, "example.com corp.example third.example");

	CHECK(registration_set(REG_CLOSED, NULL, err, sizeof err) == M_OK);
	CHECK(registration_get(&pol) == M_OK && pol.mode == REG_CLOSED);
	CHECK_STR(pol.domains, "");
}

static void test_invite_create_validation(void)
{
	struct invite_row v;

	CHECK(invite_create(0, "admin", 1, 0, &v, err, sizeof err) == M_INVALID);
	CHECK(invite_create(0, NULL, 1, 0, &v, err, sizeof err) == M_INVALID);
	CHECK(invite_create(0, "guest", -1, 0, &v, err, sizeof err) == M_INVALID);
	CHECK(invite_create(0, "guest", 100001, 0, &v, err, sizeof err) == M_INVALID);
	CHECK(invite_create(0, "guest", 1, time_now_ms() - 1000, &v, err, sizeof err) == M_INVALID);
	memset(&v, 0, sizeof v);
	CHECK(invite_create(dora_id, "guest", 1, time_now_ms() + 3600000, &v, err, sizeof err) == M_OK);
	CHECK(v.id != 0);
	CHECK(strlen(v.code) == 22);
	CHECK(v.created_by == dora_id);
}

static void test_invites_model(void)
{
	struct invite_row guest_inv, staff_inv, v;
	struct account_new n;
	struct account_row out;

	CHECK(invite_create(0, "guest", 1, 0, &guest_inv, err, sizeof err) == M_OK);
	CHECK(invite_create(0, "staff", 0, 0, &staff_inv, err, sizeof err) == M_OK);

	/* registration closed: invite links do not work */
	CHECK(registration_set(REG_CLOSED, "", err, sizeof err) == M_OK);
	err[0] = '\0';
	CHECK(invite_check(guest_inv.code, &v, err, sizeof err) == M_FORBIDDEN);
	CHECK(strstr(err, "closed") != NULL);

	CHECK(registration_set(REG_INVITE, "", err, sizeof err) == M_OK);
	memset(&v, 0, sizeof v);
	CHECK(invite_check(guest_inv.code, &v, err, sizeof err) == M_OK);
	CHECK(v.id == guest_inv.id);
	CHECK(invite_check("no-such-invite", &v, err, sizeof err) == M_NOTFOUND);
	CHECK(invite_check(NULL, &v, err, sizeof err) == M_NOTFOUND);

	/* bad account details do not use the invite up */
	memset(&n, 0, sizeof n);
	n.username = "bad name";
	n.email = "guest1@partner.example";
	n.password = PW;
	CHECK(invite_redeem(guest_inv.code, &n, &out, err, sizeof err) == M_INVALID);
	CHECK(store_invite_by_code(guest_inv.code, &v) == STORE_OK && v.uses == 0);

	/* a guest invite makes a guest, whatever role was asked for */
	n.username = "guest_one";
	n.role = ROLE_ADMIN;
	memset(&out, 0, sizeof out);
	err[0] = '\0';
	CHECK(invite_redeem(guest_inv.code, &n, &out, err, sizeof err) == M_OK);
	CHECK_STR(out.kind, "guest");
	CHECK(out.is_admin == 0 && out.is_moderator == 0);
	CHECK(store_account_by_username("guest_one", &out) == STORE_OK);
	CHECK_STR(out.kind, "guest");
	CHECK_STR(account_role_name(&out), "guest");
	CHECK(store_invite_by_code(guest_inv.code, &v) == STORE_OK && v.uses == 1);

	/* single use: a second redemption is refused */
	n.username = "guest_two";
	n.email = "guest2@partner.example";
	err[0] = '\0';
	CHECK(invite_redeem(guest_inv.code, &n, &out, err, sizeof err) == M_NOTFOUND);
	CHECK(strstr(err, "used") != NULL);
	CHECK(store_account_by_username("guest_two", &out) == STORE_NOTFOUND);
	CHECK(invite_check(guest_inv.code, &v, err, sizeof err) == M_NOTFOUND);

	/* a staff invite makes staff */
	n.username = "staff_by_invite";
	n.email = "staff@corp.example";
	n.role = ROLE_GUEST;
	CHECK(invite_redeem(staff_inv.code, &n, &out, err, sizeof err) == M_OK);
	CHECK_STR(out.kind, "staff");

	/* a taken username: the invite use is rolled back */
	n.username = "STAFF_BY_INVITE";
	n.email = "staff2@corp.example";
	CHECK(invite_redeem(staff_inv.code, &n, &out, err, sizeof err) == M_CONFLICT);
	CHECK(store_invite_by_code(staff_inv.code, &v) == STORE_OK && v.uses == 1);

	/* revoked invites stop working */
	CHECK(invite_revoke(staff_inv.id) == M_OK);
	err[0] = '\0';
	CHECK(invite_check(staff_inv.code, &v, err, sizeof err) == M_NOTFOUND);
	CHECK(invite_revoke(staff_inv.id + 777) == M_NOTFOUND);

	CHECK(registration_set(REG_CLOSED, "", err, sizeof err) == M_OK);
}

static void test_signup(void)
{
	struct account_new n;
	struct account_row out;

	memset(&n, 0, sizeof n);
	n.username = "open_signup";
	n.email = "Someone@EXAMPLE.com";
	n.password = PW;
	n.role = ROLE_ADMIN;

	/* not open: refused */
	CHECK(registration_set(REG_INVITE, "", err, sizeof err) == M_OK);
	err[0] = '\0';
	CHECK(registration_signup(&n, &out, err, sizeof err) == M_FORBIDDEN);
	CHECK(strstr(err, "not open") != NULL);

	CHECK(registration_set(REG_OPEN, "example.com corp.example", err, sizeof err) == M_OK);

	/* other domains, and subdomains, are refused */
	n.email = "someone@other.org";
	CHECK(registration_signup(&n, &out, err, sizeof err) == M_FORBIDDEN);
	n.email = "someone@sub.example.com";
	CHECK(registration_signup(&n, &out, err, sizeof err) == M_FORBIDDEN);
	n.email = "someone@example.com.evil.org";
	CHECK(registration_signup(&n, &out, err, sizeof err) == M_FORBIDDEN);
	n.email = "someone@xexample.com";
	CHECK(registration_signup(&n, &out, err, sizeof err) == M_FORBIDDEN);
	n.email = NULL;
	CHECK(registration_signup(&n, &out, err, sizeof err) == M_FORBIDDEN);
	CHECK(store_account_by_username("open_signup", &out) == STORE_NOTFOUND);

	/* a listed domain, in any case, makes a plain staff account */
	n.email = "Someone@EXAMPLE.com";
	memset(&out, 0, sizeof out);
	err[0] = '\0';
	CHECK(registration_signup(&n, &out, err, sizeof err) == M_OK);
	CHECK_STR(out.kind, "staff");
	CHECK(out.is_admin == 0 && out.is_moderator == 0);
	CHECK(store_account_by_email("someone@example.com", &out) == STORE_OK);

	CHECK(registration_set(REG_CLOSED, "", err, sizeof err) == M_OK);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void rm_rf(const char *path)
{
	if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "  could not remove %s\n", path);
}

static void test_prune(void)
{
	int64_t acct = add_account("prune_owner", "prune_owner@example.com");
	int64_t app = add_app("Prune App", "client-id-prune");
	int64_t now = time_now_ms();
	struct session_row live, dead, got;
	struct code_row c, cgot;
	struct failure_row f;
	char h1[SECRET_HASH_LEN + 1], h2[SECRET_HASH_LEN + 1];

	CHECK(acct && app);
	secret_hash("prune-live", h1, sizeof h1);
	secret_hash("prune-dead", h2, sizeof h2);
	fill_session(&live, acct, h1);
	fill_session(&dead, acct, h2);
	dead.expires_at = now - 1000;
	CHECK(store_session_insert(&live) == STORE_OK);
	CHECK(store_session_insert(&dead) == STORE_OK);

	memset(&c, 0, sizeof c);
	c.app_id = app;
	c.account_id = acct;
	snprintf(c.redirect_uri, sizeof c.redirect_uri, "urn:ietf:wg:oauth:2.0:oob");
	snprintf(c.scopes, sizeof c.scopes, "read");
	c.expires_at = now - 1000;
	CHECK(store_code_insert("prune-old-code", &c) == STORE_OK);
	c.expires_at = now + 600000;
	CHECK(store_code_insert("prune-new-code", &c) == STORE_OK);

	/* stale and unlocked: goes; stale but still locked: stays; recent: stays */
	f.failures = 3; f.last_failure_at = now - 90000000; f.locked_until = 0;
	CHECK(store_failure_put("prune:stale", &f) == STORE_OK);
	f.locked_until = now + 60000;
	CHECK(store_failure_put("prune:locked", &f) == STORE_OK);
	f.last_failure_at = now; f.locked_until = 0;
	CHECK(store_failure_put("prune:recent", &f) == STORE_OK);

	CHECK(store_prune(now, now - 86400000) == STORE_OK);
	CHECK(store_session_by_hash(h1, &got) == STORE_OK);
	CHECK(store_session_by_hash(h2, &got) == STORE_NOTFOUND);
	CHECK(store_code_take("prune-old-code", &cgot) == STORE_NOTFOUND);
	CHECK(store_code_take("prune-new-code", &cgot) == STORE_OK);
	CHECK(store_failure_get("prune:stale", &f) == STORE_NOTFOUND);
	CHECK(store_failure_get("prune:locked", &f) == STORE_OK);
	CHECK(store_failure_get("prune:recent", &f) == STORE_OK);
}

int main(void)
{
	if (secret_init() < 0) {
		fprintf(stderr, "secret_init failed\n");
		return 1;
	}
	log_set_level(LOG_WARN);
	snprintf(dir, sizeof dir, "/tmp/parley-test-store-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	if (store_open(dir, err, sizeof err) < 0) {
		fprintf(stderr, "store_open: %s\n", err);
		return 1;
	}
	RUN(test_open_migrates);
	RUN(test_open_bad_dir);
	RUN(test_account_insert_get);
	RUN(test_account_conflicts);
	RUN(test_account_list_paging);
	RUN(test_account_updates);
	RUN(test_sessions);
	RUN(test_apps_and_tokens);
	RUN(test_codes);
	RUN(test_invites);
	RUN(test_settings);
	RUN(test_failures);
	RUN(test_prune);
	RUN(test_transactions);
	RUN(test_job_moved_while_running_is_kept);
	RUN(test_reopen_keeps_data);
	RUN(test_newer_schema_refused);
	RUN(test_account_create_validation);
	RUN(test_account_create_success);
	RUN(test_account_authenticate);
	RUN(test_account_lockout);
	RUN(test_account_suspended);
	RUN(test_authlimit_backoff);
	RUN(test_authlimit_cap_reachable);
	RUN(test_authlimit_ip);
	RUN(test_registration_policy);
	RUN(test_invite_create_validation);
	RUN(test_invites_model);
	RUN(test_signup);
	store_close();
	rm_rf(dir);
	return unit_finish("store");
}
