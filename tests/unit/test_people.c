/*
 * test_people.c - the people model on a real SQLite database in a
 * temporary directory: visibility levels, the reporting line's cycle
 * check, department lookup for space invitations, skill resolution
 * (aliases and typos), the ranking formula, the FTS expression builder,
 * the directory's cached counts following changes, and the import's
 * "a refused row leaves nothing" rule.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/id.h"
#include "lib/log.h"
#include "lib/secret.h"
#include "lib/timeutil.h"
#include "model/people.h"
#include "model/people_import.h"
#include "model/people_search.h"
#include "store/store.h"
#include "unit.h"

static char dir[256];
static char err[512];

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static struct account_row make(const char *name, const char *kind)
{
	struct account_row a;

	memset(&a, 0, sizeof a);
	a.id = id_next();
	snprintf(a.username, sizeof a.username, "%s", name);
	snprintf(a.email, sizeof a.email, "%s@example.com", name);
	snprintf(a.display_name, sizeof a.display_name, "%s", name);
	snprintf(a.kind, sizeof a.kind, "%s", kind);
	a.discoverable = 1;
	a.created_at = time_now_ms();
	CHECK(store_account_insert(&a) == STORE_OK);
	return a;
}

static struct viewer as(const struct account_row *a)
{
	struct viewer v;

	memset(&v, 0, sizeof v);
	if (a) {
		v.signed_in = 1;
		v.account = *a;
	}
	return v;
}

static void test_names(void)
{
	CHECK(people_vis_parse("public") == VIS_PUBLIC);
	CHECK(people_vis_parse("organisation") == VIS_ORGANISATION);
	CHECK(people_vis_parse("organization") == VIS_ORGANISATION);
	CHECK(people_vis_parse("only_me") == VIS_ONLY_ME);
	CHECK(people_vis_parse("private") == VIS_ONLY_ME);
	CHECK(people_vis_parse("friends") == -1 && people_vis_parse(NULL) == -1);
	CHECK_STR(people_vis_name(VIS_ONLY_ME), "only_me");
	CHECK(people_level_parse("expert") == 3 && people_level_parse("practiced") == 2);
	CHECK(people_level_parse("1") == 1 && people_level_parse("wizard") == -1);
	CHECK(people_fact_parse("working_hours") == PF_WORKING_HOURS);
	CHECK(people_fact_parse("links") == PF_LINKS && people_fact_parse("shoe") == -1);
}

static void test_vis_max(void)
{
	struct account_row s = make("vis_staff", "staff"), g = make("vis_guest", "guest");
	struct viewer vs = as(&s), vg = as(&g), anon = as(NULL);

	CHECK(people_vis_max(&vs, s.id) == VIS_ONLY_ME);
	CHECK(people_vis_max(&vs, g.id) == VIS_ORGANISATION);
	CHECK(people_vis_max(&vg, s.id) == VIS_PUBLIC);
	CHECK(people_vis_max(&vg, g.id) == VIS_ONLY_ME);
	CHECK(people_vis_max(&anon, s.id) == VIS_PUBLIC);
}

static void test_view_blanks_hidden_facts(void)
{
	struct account_row o = make("view_owner", "staff"), s = make("view_staff", "staff");
	struct account_row g = make("view_guest", "guest");
	struct viewer vo = as(&o), vs = as(&s), vg = as(&g);
	struct people_edit e;
	struct profile_view *pv;

	people_edit_init(&e);
	e.text[PF_PHONE] = "+1 555";
	e.text[PF_EMAIL] = "o@x.example";
	e.text[PF_HEADLINE] = "Head";
	e.vis[PF_EMAIL] = VIS_ONLY_ME;
	e.vis[PF_PHONE] = VIS_ORGANISATION;
	CHECK(people_update(&vo, o.id, NULL, &e, NULL, err, sizeof err) == M_OK);
	CHECK(people_view_load(&vo, &o, &pv) == M_OK);
	CHECK_STR(pv->p.text[PF_EMAIL], "o@x.example");
	CHECK(pv->self == 1);
	people_view_free(pv);
	CHECK(people_view_load(&vs, &o, &pv) == M_OK);
	CHECK_STR(pv->p.text[PF_EMAIL], "");
	CHECK_STR(pv->p.text[PF_PHONE], "+1 555");
	CHECK(pv->p.vis[PF_EMAIL] == VIS_ONLY_ME);   /* the level itself is kept */
	people_view_free(pv);
	CHECK(people_view_load(&vg, &o, &pv) == M_OK);
	CHECK_STR(pv->p.text[PF_PHONE], "");
	CHECK_STR(pv->p.text[PF_HEADLINE], "Head");
	people_view_free(pv);
	/* someone else may not edit, an admin may */
	CHECK(people_update(&vs, o.id, NULL, &e, NULL, err, sizeof err) == M_FORBIDDEN);
}

static enum mresult set_manager(const struct account_row *a, const char *manager)
{
	struct people_edit e;

	people_edit_init(&e);
	e.manager = manager;
	err[0] = '\0';
	return people_apply(a->id, &e, err, sizeof err);
}

static void test_manager_cycles(void)
{
	struct account_row a = make("cyc_a", "staff"), b = make("cyc_b", "staff"), c = make("cyc_c", "staff");

	CHECK(set_manager(&b, "cyc_a") == M_OK);
	CHECK(set_manager(&c, "cyc_b") == M_OK);
	CHECK(set_manager(&a, "cyc_c") == M_INVALID);    /* a <- b <- c <- a */
	CHECK(strstr(err, "loop") != NULL);
	CHECK(set_manager(&a, "cyc_a") == M_INVALID);    /* oneself */
	CHECK(set_manager(&a, "nobody_at_all") == M_INVALID);
	CHECK(set_manager(&c, "cyc_a") == M_OK);         /* moving up the chain is fine */
	{
		struct profile_row p;

		CHECK(store_profile_get(c.id, &p) == STORE_OK && p.manager_id == a.id);
		CHECK(store_profile_get(a.id, &p) == STORE_OK && p.manager_id == 0);
	}
}

struct ids {
	int64_t v[16];
	size_t n;
};

static void collect(int64_t id, void *ctx)
{
	struct ids *x = ctx;

	if (x->n < 16)
		x->v[x->n++] = id;
}

static void test_by_department(void)
{
	struct account_row a = make("dep_a", "staff"), b = make("dep_b", "staff"), g = make("dep_g", "guest");
	struct account_row s = make("dep_s", "staff");
	struct people_edit e;
	struct ids got = { { 0 }, 0 };

	people_edit_init(&e);
	e.text[PF_DEPARTMENT] = "Zürich Finance";
	CHECK(people_apply(a.id, &e, err, sizeof err) == M_OK);
	e.text[PF_DEPARTMENT] = "ZÜRICH FINANCE";
	CHECK(people_apply(b.id, &e, err, sizeof err) == M_OK);
	CHECK(people_apply(g.id, &e, err, sizeof err) == M_OK);    /* a guest: not invited */
	CHECK(people_apply(s.id, &e, err, sizeof err) == M_OK);
	CHECK(store_account_set_suspended(s.id, 1) == STORE_OK);  /* suspended: not invited */
	CHECK(store_people_by_department("zürich finance", collect, &got) == STORE_OK);
	CHECK(got.n == 2);
	CHECK((got.v[0] == a.id && got.v[1] == b.id) || (got.v[0] == b.id && got.v[1] == a.id));
	got.n = 0;
	CHECK(store_people_by_department("", collect, &got) == STORE_OK && got.n == 0);
	CHECK(store_people_by_department("Nowhere", collect, &got) == STORE_OK && got.n == 0);
}

static void test_skill_resolution(void)
{
	struct account_row adm = make("sk_admin", "staff");
	struct viewer va;
	struct skill_row s;
	const char *aliases[] = { "JS", "ECMAScript" };
	int dist;

	adm.is_admin = 1;
	va = as(&adm);
	CHECK(people_skill_create(&va, "JavaScript", aliases, 2, &s, err, sizeof err) == M_OK);
	CHECK(people_skill_resolve("javascript", &s, &dist) == M_OK && dist == 0);
	CHECK(people_skill_resolve("js", &s, &dist) == M_OK && !strcmp(s.name, "JavaScript"));
	CHECK(people_skill_resolve("Javascirpt", &s, &dist) == M_OK && dist == 1);
	CHECK_STR(s.name, "JavaScript");
	CHECK(people_skill_resolve("Java Script", &s, &dist) == M_OK && dist == 0); /* same key */
	CHECK(people_skill_resolve("Gardening", &s, &dist) == M_NOTFOUND);
	CHECK(people_skill_create(&va, "ecmascript", NULL, 0, &s, err, sizeof err) == M_CONFLICT);
}

static void test_rank_score(void)
{
	struct dir_evidence e;

	memset(&e, 0, sizeof e);
	CHECK(people_rank_score(&e) == 0.0);
	e.level = 3;
	CHECK(fabs(people_rank_score(&e) - 6.0) < 1e-9);
	e.endorsement_weight = 4.5;
	CHECK(fabs(people_rank_score(&e) - (6.0 + 3.0 * log(5.5))) < 1e-9);
	e.posts = 3;
	e.answers = 1;
	CHECK(fabs(people_rank_score(&e) - (6.0 + 3.0 * log(5.5) + 2.0 * log(4.0) + 3.0 * log(2.0))) < 1e-9);
}

static void test_match_expr(void)
{
	struct buf b = BUF_INIT;

	CHECK(people_match_expr("Rust  eng", 1, &b) == 2);
	CHECK_STR(buf_str(&b), "\"Rust\"* \"eng\"*");
	buf_reset(&b);
	/* quotes and punctuation separate words: nothing reaches FTS5's syntax */
	CHECK(people_match_expr("c++ \"; DROP -- node.js", 0, &b) == 4);
	CHECK_STR(buf_str(&b), "{name skills info bio} : (\"c++\"* \"DROP\"* \"node\"* \"js\"*)");
	buf_reset(&b);
	CHECK(people_match_expr("  +++ ,;", 1, &b) == 0);
	buf_reset(&b);
	CHECK(people_match_expr("Zürich", 1, &b) == 1);
	CHECK_STR(buf_str(&b), "\"Zürich\"*");
	buf_release(&b);
}

static void test_directory_counts_follow_changes(void)
{
	struct account_row s = make("dir_staff", "staff"), p = make("dir_person", "staff");
	struct viewer vs = as(&s), vp = as(&p);
	struct dir_request r;
	struct dir_result *res;
	int64_t before;
	size_t i;
	int found = 0;

	memset(&r, 0, sizeof r);
	r.facets = 1;
	CHECK(people_directory(&vs, &r, &res, err, sizeof err) == M_OK);
	before = res->total;
	people_directory_free(res);
	CHECK(people_skill_add(&vp, p.id, "Basket weaving", "expert", NULL, err, sizeof err) == M_OK);
	make("dir_newcomer", "staff");
	CHECK(people_directory(&vs, &r, &res, err, sizeof err) == M_OK);
	CHECK(res->total == before + 1);
	for (i = 0; i < res->nfacets[FACET_SKILL]; i++)
		if (!strcmp(res->facets[FACET_SKILL][i].value, "Basket weaving") && res->facets[FACET_SKILL][i].count == 1)
			found = 1;
	CHECK(found);
	people_directory_free(res);
	/* who knows it, with evidence */
	r.knows = "basket weavng";
	CHECK(people_directory(&vs, &r, &res, err, sizeof err) == M_OK);
	CHECK(res->knows && res->skill_found && res->skill_corrected);
	CHECK(res->nhits == 1 && res->hits[0].account_id == p.id && res->hits[0].ev.level == 3);
	people_directory_free(res);
	r.knows = NULL;
	r.limit = 81;
	CHECK(people_directory(&vs, &r, &res, err, sizeof err) == M_INVALID);
}

/* Pages inside and beyond the first pages a cached answer keeps (500) come
 * out in the same order. */
static void test_paging_beyond_the_kept_pages(void)
{
	struct account_row s = make("pg_viewer", "staff");
	struct viewer vs = as(&s);
	struct people_edit e;
	struct dir_request r;
	struct dir_result *res;
	char name[32];
	int i, offsets[] = { 0, 480, 490, 500, 600 }, k;

	people_edit_init(&e);
	e.text[PF_DEPARTMENT] = "Bulk paging";
	for (i = 0; i < 620; i++) {
		struct account_row a;

		snprintf(name, sizeof name, "bulk_%03d", i);
		a = make(name, "staff");
		CHECK(people_apply(a.id, &e, err, sizeof err) == M_OK);
	}
	memset(&r, 0, sizeof r);
	r.department = "bulk paging";
	r.limit = 20;
	for (k = 0; k < 5; k++) {
		r.offset = offsets[k];
		CHECK(people_directory(&vs, &r, &res, err, sizeof err) == M_OK);
		CHECK(res->total == 620 && res->nhits == 20);
		for (i = 0; i < 20 && (size_t)i < res->nhits; i++) {
			struct account_row a;

			snprintf(name, sizeof name, "bulk_%03d", offsets[k] + i);
			CHECK(store_account_get(res->hits[i].account_id, &a) == STORE_OK && !strcmp(a.username, name));
		}
		people_directory_free(res);
	}
}

static void test_import_refused_row_leaves_nothing(void)
{
	const char *csv = "email,name,skills\r\n"
			  "keep@corp.example,Keep,Knitting\r\n"
			  "gone@corp.example,Gone,Knitting:wizard\r\n";
	struct import_report rep;
	struct account_row a;

	CHECK(people_import_csv(csv, strlen(csv), 0, 0, &rep, err, sizeof err) == M_OK);
	CHECK(rep.created == 1 && rep.refused == 1);
	CHECK(rep.rows[1].action == IMPORT_REFUSED && strstr(rep.rows[1].reason, "wizard"));
	import_report_release(&rep);
	CHECK(store_account_by_email("keep@corp.example", &a) == STORE_OK);
	/* the refused row's account was created, then rolled back with its savepoint */
	CHECK(store_account_by_email("gone@corp.example", &a) == STORE_NOTFOUND);
	/* a dry run commits nothing */
	csv = "email,name\r\nnew@corp.example,New\r\n";
	CHECK(people_import_csv(csv, strlen(csv), 0, 1, &rep, err, sizeof err) == M_OK);
	CHECK(rep.created == 1 && rep.dry_run);
	import_report_release(&rep);
	CHECK(store_account_by_email("new@corp.example", &a) == STORE_NOTFOUND);
	/* unreadable files */
	CHECK(people_import_csv("name\r\nx\r\n", 9, 0, 0, &rep, err, sizeof err) == M_INVALID);
	import_report_release(&rep);
	CHECK(people_import_csv("email\r\n\"x", 9, 0, 0, &rep, err, sizeof err) == M_INVALID);
	import_report_release(&rep);
}

int main(void)
{
	if (secret_init() < 0)
		return 1;
	log_set_level(LOG_WARN);
	snprintf(dir, sizeof dir, "/tmp/parley-test-people-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	if (store_open(dir, err, sizeof err) < 0) {
		fprintf(stderr, "store_open: %s\n", err);
		return 1;
	}
	RUN(test_names);
	RUN(test_vis_max);
	RUN(test_view_blanks_hidden_facts);
	RUN(test_manager_cycles);
	RUN(test_by_department);
	RUN(test_skill_resolution);
	RUN(test_rank_score);
	RUN(test_match_expr);
	RUN(test_directory_counts_follow_changes);
	RUN(test_paging_beyond_the_kept_pages);
	RUN(test_import_refused_row_leaves_nothing);
	store_close();
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return unit_finish("test_people");
}
