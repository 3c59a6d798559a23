/*
 * test_metrics.c - the question metrics (model/metrics.c over
 * store/sqlite_metrics.c) on a real database in a temporary directory:
 * counts, medians and p90s, the within-target share, responders and the
 * daily series for a small hand-made world whose answers are worked out
 * in the comments, and the audience rule: a viewer who may not read a
 * question (a closed space, a guest on organisation questions) never has
 * it counted. Question and answer rows are written with plain SQL on a
 * second connection (the questions module is another branch's).
 */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include <ftw.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "lib/id.h"
#include "lib/log.h"
#include "lib/secret.h"
#include "lib/timeutil.h"
#include "model/audience.h"
#include "model/metrics.h"
#include "store/store.h"
#include "store/store_metrics.h"
#include "store/store_posts.h"
#include "store/store_spaces.h"
#include "unit.h"

#define H 3600000LL
#define DAY 86400000LL

static char dir[256];
static char err[512];
static sqlite3 *raw;
static int64_t D0;   /* 2026-03-01T00:00Z */
static int64_t asker, ans_a, ans_b, outsider, guest, space_s;

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

static int64_t make_post(int64_t author, const char *audience, int64_t space, int64_t reply_to)
{
	struct post_row p;

	memset(&p, 0, sizeof p);
	p.id = id_next();
	p.account_id = author;
	snprintf(p.audience, sizeof p.audience, "%s", audience);
	p.space_id = space;
	snprintf(p.kind, sizeof p.kind, "note");
	p.in_reply_to_id = reply_to;
	p.title = p.source = p.content = p.spoiler_text = "";
	p.created_at = time_now_ms();
	return store_post_insert(&p) == STORE_OK ? p.id : 0;
}

static void sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sql(const char *fmt, ...)
{
	char q[1024];
	char *e = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof q, fmt, ap);
	va_end(ap);
	if (sqlite3_exec(raw, q, NULL, NULL, &e) != SQLITE_OK) {
		fprintf(stderr, "sql: %s: %s\n", q, e ? e : "?");
		unit_cur_failed = 1;
	}
	sqlite3_free(e);
}

static int64_t question(int64_t space, const char *state, int64_t asked, int64_t first_at, int64_t first_by,
			int64_t resolved, int64_t target, int64_t escalations)
{
	int64_t id = make_post(asker, space ? "space" : "organisation", space, 0);

	CHECK(id != 0);
	sql("INSERT INTO questions (post_id, space_id, account_id, title, state, target_ms, first_due_at,"
	    " escalations, asked_at, first_answer_at, first_answer_by, resolved_at)"
	    " VALUES (%lld, %lld, %lld, 't', '%s', %lld, %lld, %lld, %lld, %lld, %lld, %lld)",
	    (long long)id, (long long)space, (long long)asker, state, (long long)target,
	    (long long)(target ? asked + target : 0), (long long)escalations, (long long)asked,
	    (long long)first_at, (long long)first_by, (long long)resolved);
	return id;
}

static void answer(int64_t q, int64_t space, int64_t by, int64_t at, int64_t accepted)
{
	int64_t id = make_post(by, space ? "space" : "organisation", space, q);

	CHECK(id != 0);
	sql("INSERT INTO answers (post_id, question_id, account_id, accepted_at, created_at)"
	    " VALUES (%lld, %lld, %lld, %lld, %lld)", (long long)id, (long long)q, (long long)by,
	    (long long)accepted, (long long)at);
}

static void build_world(void)
{
	struct space_row s;
	struct space_member_row m;
	int64_t q1, q2, q4, q5;

	asker = make_account("asker", "staff");
	ans_a = make_account("alice", "staff");
	ans_b = make_account("bob", "staff");
	outsider = make_account("olga", "staff");
	guest = make_account("gus", "guest");
	CHECK(asker && ans_a && ans_b && outsider && guest);

	memset(&s, 0, sizeof s);
	s.id = id_next();
	snprintf(s.handle, sizeof s.handle, "closed");
	snprintf(s.name, sizeof s.name, "Closed");
	snprintf(s.purpose, sizeof s.purpose, "support");
	snprintf(s.kind, sizeof s.kind, "internal");
	snprintf(s.access, sizeof s.access, "closed");
	snprintf(s.posting, sizeof s.posting, "everyone");
	s.created_by = asker;
	s.created_at = s.updated_at = time_now_ms();
	CHECK(store_space_insert(&s, asker) == STORE_OK);
	space_s = s.id;
	memset(&m, 0, sizeof m);
	m.space_id = space_s;
	m.account_id = ans_a;
	snprintf(m.role, sizeof m.role, "member");
	snprintf(m.home, sizeof m.home, "all");
	m.joined_at = time_now_ms();
	CHECK(store_space_member_put(&m) == STORE_OK);

	/* q1: asked D0+1h, first answer by alice at +2h (1 h), resolved at
	 * +3h (2 h), target 2 h: a hit */
	q1 = question(0, "resolved", D0 + H, D0 + 2 * H, ans_a, D0 + 3 * H, 2 * H, 0);
	answer(q1, 0, ans_a, D0 + 2 * H, D0 + 3 * H);
	answer(q1, 0, ans_b, D0 + 2 * H + H / 2, 0);
	/* q2: asked day 1, first answer by bob 4 h later: a miss; escalated once */
	q2 = question(0, "answered", D0 + DAY, D0 + DAY + 4 * H, ans_b, 0, 2 * H, 1);
	answer(q2, 0, ans_b, D0 + DAY + 4 * H, 0);
	/* q3: asked day 2, unanswered, due one hour later */
	question(0, "open", D0 + 2 * DAY, 0, 0, 0, H, 0);
	/* q4: asked the day before the window, first answered in it (24.5 h) */
	q4 = question(0, "closed", D0 - DAY + H / 2 - H / 2, D0 + H / 2, ans_a, 0, 0, 2);
	answer(q4, 0, ans_a, D0 + H / 2, 0);
	/* q5: in the closed space, answered by alice after 10 minutes */
	q5 = question(space_s, "answered", D0 + H, D0 + H + H / 6, ans_a, 0, 0, 1);
	answer(q5, space_s, ans_a, D0 + H + H / 6, 0);
	/* q6: after the window */
	question(0, "open", D0 + 5 * DAY, 0, 0, 0, 0, 0);
}

static void aud_of(int64_t account, struct store_audience *a)
{
	struct viewer v;

	memset(&v, 0, sizeof v);
	if (account) {
		v.signed_in = 1;
		CHECK(store_account_get(account, &v.account) == STORE_OK);
	}
	audience_filter(&v, a);
}

static int near(double a, double b)
{
	return fabs(a - b) < 1e-6;
}

static const struct metrics_responder *resp(const struct metrics_report *r, int64_t id)
{
	size_t i;

	for (i = 0; i < r->nresponders; i++)
		if (r->responders[i].account_id == id)
			return &r->responders[i];
	return NULL;
}

static void test_window(void)
{
	int64_t f, t;

	CHECK(metrics_window("2026-03-01", "2026-03-03", 0, &f, &t, err, sizeof err) == M_OK);
	CHECK(f == D0 && t == D0 + 3 * DAY);
	/* default: the 30 days ending today */
	CHECK(metrics_window(NULL, "", D0 + 5 * H, &f, &t, err, sizeof err) == M_OK);
	CHECK(t == D0 + DAY && f == D0 + DAY - 30 * DAY);
	CHECK(metrics_window("2026-02-30", NULL, D0, &f, &t, err, sizeof err) == M_INVALID);
	CHECK(metrics_window("2026-02-01", "2026-02-30", D0, &f, &t, err, sizeof err) == M_INVALID);
	CHECK(metrics_window("2026-02-01", "2026-04-31", D0, &f, &t, err, sizeof err) == M_INVALID);
	CHECK(metrics_window("2026-3-01", NULL, D0, &f, &t, err, sizeof err) == M_INVALID);
	CHECK(metrics_window("2026-03-04", "2026-03-03", D0, &f, &t, err, sizeof err) == M_INVALID);
	CHECK(metrics_window("2024-01-01", "2026-03-03", D0, &f, &t, err, sizeof err) == M_INVALID);
	CHECK(metrics_window("2026-03-03", "2026-03-03", D0, &f, &t, err, sizeof err) == M_OK);
	CHECK(t - f == DAY);
}

static void test_outsider_counts(void)
{
	struct store_audience a;
	struct metrics_report r;
	const struct metrics_responder *ra, *rb;

	aud_of(outsider, &a);
	CHECK(metrics_build(&a, STORE_METRICS_ALL, D0, D0 + 3 * DAY, D0 + 2 * DAY + H / 2, &r) == M_OK);
	CHECK_STR(r.from, "2026-03-01");
	CHECK_STR(r.to, "2026-03-03");
	/* asked in the window: q1, q2, q3 (q5 unreadable, q4 and q6 outside) */
	CHECK(r.asked == 3);
	CHECK(r.answered == 2);
	CHECK(r.resolved == 1);
	CHECK(r.closed == 0);
	CHECK(r.escalations == 1);
	/* first answers in the window: 1 h, 4 h, 24.5 h */
	CHECK(r.has_ttfa);
	CHECK(near(r.ttfa_median_s, 4 * 3600));
	CHECK(near(r.ttfa_p90_s, 24.5 * 3600));
	CHECK(r.has_ttr && near(r.ttr_median_s, 7200) && near(r.ttr_p90_s, 7200));
	/* q1 hit, q2 miss, q3 not due yet */
	CHECK(r.has_within && near(r.within, 0.5));
	CHECK(r.ttfa_bins[2] == 1 && r.ttfa_bins[3] == 1 && r.ttfa_bins[4] == 1);
	CHECK(r.ndays == 3);
	CHECK_STR(r.days[0].date, "2026-03-01");
	CHECK(r.days[0].asked == 1 && r.days[0].answered == 2 && r.days[0].resolved == 1);
	CHECK(r.days[1].asked == 1 && r.days[1].answered == 1 && r.days[1].resolved == 0);
	CHECK(r.days[2].asked == 1 && r.days[2].answered == 0);
	/* responders: alice 2 answers (q1, q4), 2 first, 1 accepted, median
	 * of 1 h and 24.5 h; bob 2 answers, 1 first (4 h) */
	CHECK(r.nresponders == 2);
	ra = resp(&r, ans_a);
	rb = resp(&r, ans_b);
	CHECK(ra && ra->answers == 2 && ra->first_answers == 2 && ra->accepted == 1);
	CHECK(ra && ra->has_median && near(ra->median_first_answer_s, 12.75 * 3600));
	CHECK(rb && rb->answers == 2 && rb->first_answers == 1 && rb->accepted == 0);
	CHECK(rb && near(rb->median_first_answer_s, 4 * 3600));
	CHECK(r.nresponders == 2 && r.responders[0].account_id == ans_a);
	metrics_report_release(&r);

	/* later, q3 passes its due time unanswered: a miss */
	CHECK(metrics_build(&a, STORE_METRICS_ALL, D0, D0 + 3 * DAY, D0 + 4 * DAY, &r) == M_OK);
	CHECK(r.has_within && near(r.within, 1.0 / 3));
	metrics_report_release(&r);
}

static void test_member_sees_the_space(void)
{
	struct store_audience a;
	struct metrics_report r;

	aud_of(ans_a, &a);
	CHECK(metrics_build(&a, STORE_METRICS_ALL, D0, D0 + 3 * DAY, D0 + 2 * DAY + H / 2, &r) == M_OK);
	CHECK(r.asked == 4 && r.answered == 3 && r.escalations == 2);
	CHECK(near(r.ttfa_median_s, 2.5 * 3600));   /* 10 min, 1 h, 4 h, 24.5 h */
	metrics_report_release(&r);
	/* the space alone */
	CHECK(metrics_build(&a, space_s, D0, D0 + 3 * DAY, D0 + 3 * DAY, &r) == M_OK);
	CHECK(r.asked == 1 && r.answered == 1 && r.resolved == 0);
	CHECK(near(r.ttfa_median_s, 600) && near(r.ttfa_p90_s, 600));
	CHECK(!r.has_ttr && !r.has_within);
	CHECK(r.nresponders == 1 && r.responders[0].account_id == ans_a && r.responders[0].answers == 1);
	metrics_report_release(&r);
	/* outside spaces only */
	CHECK(metrics_build(&a, 0, D0, D0 + 3 * DAY, D0 + 3 * DAY, &r) == M_OK);
	CHECK(r.asked == 3);
	metrics_report_release(&r);
}

static void test_unreadable_never_counted(void)
{
	struct store_audience a;
	struct metrics_report r;
	int64_t who[2] = { guest, 0 };
	int i;

	for (i = 0; i < 2; i++) {
		aud_of(who[i], &a);
		CHECK(metrics_build(&a, STORE_METRICS_ALL, D0, D0 + 3 * DAY, D0 + 3 * DAY, &r) == M_OK);
		CHECK(r.asked == 0 && r.answered == 0 && r.escalations == 0);
		CHECK(!r.has_ttfa && !r.has_ttr && !r.has_within);
		CHECK(r.nresponders == 0);
		CHECK(r.ndays == 3 && r.days[0].answered == 0);
		metrics_report_release(&r);
	}
	/* the outsider asking for the closed space's numbers gets nothing */
	aud_of(outsider, &a);
	CHECK(metrics_build(&a, space_s, D0, D0 + 3 * DAY, D0 + 3 * DAY, &r) == M_OK);
	CHECK(r.asked == 0 && r.nresponders == 0 && !r.has_ttfa);
	metrics_report_release(&r);
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
	struct tm tm;

	if (secret_init() < 0)
		return 1;
	log_set_level(LOG_WARN);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = 126;
	tm.tm_mon = 2;
	tm.tm_mday = 1;
	D0 = (int64_t)timegm(&tm) * 1000;
	snprintf(dir, sizeof dir, "/tmp/parley-test-metrics-XXXXXX");
	if (!mkdtemp(dir) || store_open(dir, err, sizeof err) < 0) {
		fprintf(stderr, "cannot open a store: %s\n", err);
		return 1;
	}
	snprintf(path, sizeof path, "%s/parley.db", dir);
	if (sqlite3_open(path, &raw) != SQLITE_OK)
		return 1;
	sqlite3_busy_timeout(raw, 5000);
	RUN(build_world);
	RUN(test_window);
	RUN(test_outsider_counts);
	RUN(test_member_sees_the_space);
	RUN(test_unreadable_never_counted);
	sqlite3_close(raw);
	store_close();
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return unit_finish("metrics");
}
