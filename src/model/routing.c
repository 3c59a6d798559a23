/*
 * routing.c - policies, ranking candidates, the route and escalate jobs
 * (see routing.h).
 *
 * Ranking: the pool is everyone with evidence for the question's tags
 * (declared skills, endorsements, accepted answers on questions with the
 * tag; skills named by words of the title count half) plus, for a question
 * in a space, the space's members. Each is then checked in C: not the
 * asker, not suspended, not remote, not away, may read the question, not
 * overloaded; scored by routing_calc.c with the reasons in words; the best
 * ROUTING_CANDIDATES_MAX are stored.
 *
 * Exactly-once escalation: the escalate job reads the question inside its
 * write transaction (BEGIN IMMEDIATE), so two runs cannot interleave; it
 * acts only when the question is open, unanswered and due; it writes the
 * new level, due_at and the next job (store_job_put moves the row; the
 * worker then leaves a moved row in place: store_job_done()).
 */
#include "model/routing.h"
#include "model/audience.h"
#include "model/listener.h"
#include "model/notify.h"
#include "model/people_search.h"
#include "model/queue.h"
#include "model/routing_calc.h"
#include "model/space.h"
#include "jobs/jobs.h"
#include "lib/buf.h"
#include "lib/id.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store_people.h"
#include "store/store_posts.h"
#include "store/store_questions.h"
#include "store/store_spaces.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- settings ------------------------------------------------------------ */

static struct {
	char hours[32], days[64], tz[64];
	long min_target;
} cfg = { "09:00-17:00", "mon-fri", "UTC", 60 };

int routing_configure(const struct routing_settings *s, char *err, size_t errlen)
{
	struct worktime w;

	if (worktime_init(&w, s->working_hours, s->working_days, s->timezone, time_now_ms()) < 0) {
		snprintf(err, errlen, "working_hours, working_days or timezone is malformed"
			 " (e.g. 09:00-17:00, mon-fri, UTC or +02:00 or Europe/Paris)");
		return -1;
	}
	if (s->min_target_seconds < 1) {
		snprintf(err, errlen, "routing_min_target must be at least 1 second");
		return -1;
	}
	snprintf(cfg.hours, sizeof cfg.hours, "%s", s->working_hours);
	snprintf(cfg.days, sizeof cfg.days, "%s", s->working_days);
	snprintf(cfg.tz, sizeof cfg.tz, "%s", s->timezone);
	cfg.min_target = s->min_target_seconds;
	return 0;
}

/* When a target started at `from` passes under the policy. */
static int64_t due_after(const struct routing_policy_row *p, int64_t from)
{
	struct worktime w;

	if (!p->working_hours || worktime_init(&w, cfg.hours, cfg.days, cfg.tz, from) < 0)
		return from + p->target_ms;
	return worktime_add(&w, from, p->target_ms);
}

/* ---- policies ------------------------------------------------------------ */

void routing_policy_defaults(struct routing_policy *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->mode, sizeof p->mode, "suggest");
	p->top_n = 3;
	p->target_seconds = 14400;
	p->working_hours = 1;
	p->max_open = 5;
}

/* The stored policy of a scope, or the defaults. STORE_OK or STORE_ERROR. */
static int policy_row(int64_t space_id, struct routing_policy_row *out)
{
	int rc = store_routing_policy_get(space_id, out);

	if (rc == STORE_NOTFOUND) {
		memset(out, 0, sizeof *out);
		out->space_id = space_id;
		snprintf(out->mode, sizeof out->mode, "suggest");
		out->top_n = 3;
		out->target_ms = 14400000;
		out->working_hours = 1;
		out->max_open = 5;
		return STORE_OK;
	}
	return rc;
}

static void policy_from_row(const struct routing_policy_row *r, struct routing_policy *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->mode, sizeof p->mode, "%s", r->mode);
	p->top_n = r->top_n;
	p->target_seconds = r->target_ms / 1000;
	p->working_hours = r->working_hours;
	p->max_open = r->max_open;
}

int routing_may_set_policy(const struct viewer *v, const struct space_view *sv)
{
	if (!v->signed_in)
		return 0;
	return viewer_is_admin(v) || (sv && space_is_moderator(sv));
}

int routing_may_read_policy(const struct viewer *v, const struct space_view *sv)
{
	if (routing_may_set_policy(v, sv) || listener_is_org(v))
		return 1;
	return sv && listener_is(v, sv->s.id);
}

enum mresult routing_policy_get(const struct viewer *v, const struct space_view *sv,
				struct routing_policy *out, char *err, size_t errlen)
{
	struct routing_policy_row r;

	if (!routing_may_read_policy(v, sv))
		return mresult_fail(err, errlen, M_FORBIDDEN, "Only moderators and listeners may see the routing policy");
	if (policy_row(sv ? sv->s.id : 0, &r) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	policy_from_row(&r, out);
	return M_OK;
}

enum mresult routing_policy_set(const struct viewer *v, const struct space_view *sv,
				const struct routing_policy_input *in, struct routing_policy *out,
				char *err, size_t errlen)
{
	struct routing_policy_row r;
	char msg[160];

	if (!routing_may_set_policy(v, sv))
		return mresult_fail(err, errlen, M_FORBIDDEN,
				    sv ? "Only the space's owners and moderators may change its routing policy"
				       : "Only admins may change the organisation's routing policy");
	if (policy_row(sv ? sv->s.id : 0, &r) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	if (in->mode) {
		if (strcmp(in->mode, "suggest") && strcmp(in->mode, "assign") && strcmp(in->mode, "manual"))
			return mresult_fail(err, errlen, M_INVALID, "mode must be suggest, assign or manual");
		snprintf(r.mode, sizeof r.mode, "%s", in->mode);
	}
	if (in->top_n != -1) {
		if (in->top_n < 1 || in->top_n > 10)
			return mresult_fail(err, errlen, M_INVALID, "top_n must be between 1 and 10");
		r.top_n = (int)in->top_n;
	}
	if (in->target_seconds != -1) {
		if (in->target_seconds < cfg.min_target || in->target_seconds > 604800) {
			snprintf(msg, sizeof msg, "target_seconds must be between %ld and 604800", cfg.min_target);
			return mresult_fail(err, errlen, M_INVALID, msg);
		}
		r.target_ms = (int64_t)in->target_seconds * 1000;
	}
	if (in->working_hours != -1)
		r.working_hours = in->working_hours ? 1 : 0;
	if (in->max_open != -1) {
		if (in->max_open < 1 || in->max_open > 100)
			return mresult_fail(err, errlen, M_INVALID, "max_open must be between 1 and 100");
		r.max_open = (int)in->max_open;
	}
	r.space_id = sv ? sv->s.id : 0;
	r.updated_by = v->account.id;
	r.updated_at = time_now_ms();
	if (store_routing_policy_put(&r) != STORE_OK)
		return mresult_fail(err, errlen, M_ERROR, "Storage error");
	policy_from_row(&r, out);
	return M_OK;
}

int routing_may_see(const struct viewer *v, int64_t space_id)
{
	if (!v->signed_in)
		return 0;
	if (viewer_is_admin(v) || listener_is_org(v))
		return 1;
	return space_id > 0 && listener_is(v, space_id);
}

struct cand_list_ctx {
	void (*fn)(const struct candidate_row *, const struct account_row *, void *);
	void *ctx;
	int failed;
};

static void each_candidate(const struct candidate_row *c, void *ctx)
{
	struct cand_list_ctx *l = ctx;
	struct account_row a;
	int rc = store_account_get(c->account_id, &a);

	if (rc == STORE_OK)
		l->fn(c, &a, l->ctx);
	else if (rc == STORE_ERROR)
		l->failed = 1;
}

enum mresult routing_candidates(int64_t question_id,
				void (*fn)(const struct candidate_row *, const struct account_row *, void *),
				void *ctx)
{
	struct cand_list_ctx l = { fn, ctx, 0 };

	if (store_candidates(question_id, each_candidate, &l) != STORE_OK || l.failed)
		return M_ERROR;
	return M_OK;
}

/* ---- the pool of candidates ---------------------------------------------- */

struct cand {
	int64_t id;
	struct routing_evidence ev;
	double score;
	struct routing_reasons reasons;
};

/* Candidates by account id: open addressing, capacity a power of two. */
struct pool {
	struct cand *slots;
	size_t cap, n;
	int failed;
	char tags[ROUTING_TAGS_MAX][64];
	int title_tag[ROUTING_TAGS_MAX];
	int ntags;
	int cur;                     /* the tag being gathered */
	int members_seen;            /* paging through the space's members */
	int64_t last_member;
};

static size_t slot_of(int64_t id, size_t cap)
{
	return (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull >> 17) & (cap - 1);
}

static struct cand *pool_get(struct pool *p, int64_t id)
{
	size_t i;

	if (p->failed || id <= 0)
		return NULL;
	if ((p->n + 1) * 2 > p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 256, k;
		struct cand *ns = calloc(ncap, sizeof *ns);

		if (!ns) {
			p->failed = 1;
			return NULL;
		}
		for (k = 0; k < p->cap; k++) {
			if (!p->slots[k].id)
				continue;
			i = slot_of(p->slots[k].id, ncap);
			while (ns[i].id)
				i = (i + 1) & (ncap - 1);
			ns[i] = p->slots[k];
		}
		free(p->slots);
		p->slots = ns;
		p->cap = ncap;
	}
	i = slot_of(id, p->cap);
	while (p->slots[i].id && p->slots[i].id != id)
		i = (i + 1) & (p->cap - 1);
	if (!p->slots[i].id) {
		int t;

		memset(&p->slots[i], 0, sizeof p->slots[i]);
		p->slots[i].id = id;
		p->slots[i].ev.ntags = p->ntags;
		for (t = 0; t < p->ntags; t++) {
			snprintf(p->slots[i].ev.tags[t].tag, sizeof p->slots[i].ev.tags[t].tag, "%s", p->tags[t]);
			p->slots[i].ev.tags[t].from_title = p->title_tag[t];
		}
		p->n++;
	}
	return &p->slots[i];
}

static void on_holder(int64_t account_id, int level, void *ctx)
{
	struct pool *p = ctx;
	struct cand *c = pool_get(p, account_id);

	if (c && level > c->ev.tags[p->cur].level)
		c->ev.tags[p->cur].level = level;
}

static void on_endorsement(int64_t account_id, int64_t endorser_id, void *ctx)
{
	struct pool *p = ctx;
	struct cand *c = pool_get(p, account_id);

	(void)endorser_id;
	if (c)
		c->ev.tags[p->cur].endorsements++;
}

static void on_accepted(int64_t account_id, int64_t n, void *ctx)
{
	struct pool *p = ctx;
	struct cand *c = pool_get(p, account_id);

	if (c)
		c->ev.tags[p->cur].accepted += (int)n;
}

static void on_member(const struct space_member_row *m, void *ctx)
{
	struct pool *p = ctx;
	struct cand *c = pool_get(p, m->account_id);

	if (c)
		c->ev.member = 1;
	p->members_seen++;
	if (m->account_id > p->last_member)
		p->last_member = m->account_id;
}

/* Add a tag (or a title word naming a skill) to gather; its skill id. */
static int add_tag(struct pool *p, const char *text, int from_title, int64_t *skill_id)
{
	struct skill_row s;
	int dist, i;

	*skill_id = 0;
	if (p->ntags >= ROUTING_TAGS_MAX || !*text)
		return -1;
	if (from_title) {
		if (store_skill_find(text, &s) != STORE_OK)
			return -1;
	} else if (people_skill_resolve(text, &s, &dist) == M_OK) {
		(void)dist;
	} else {
		s.id = 0;
		snprintf(s.name, sizeof s.name, "%s", text);
	}
	for (i = 0; i < p->ntags; i++)
		if (!strcasecmp(p->tags[i], s.id ? s.name : text))
			return -1;
	if (strlen(s.id ? s.name : text) >= sizeof p->tags[p->ntags])
		return -1;
	snprintf(p->tags[p->ntags], sizeof p->tags[p->ntags], "%s", s.id ? s.name : text);
	p->title_tag[p->ntags] = from_title;
	*skill_id = s.id;
	return p->ntags++;
}

static void gather_tag(struct pool *p, int t, int64_t skill_id, const char *tag_text)
{
	p->cur = t;
	if (skill_id) {
		if (store_skill_holders(skill_id, on_holder, p) != STORE_OK ||
		    store_skill_endorsements(skill_id, on_endorsement, p) != STORE_OK)
			p->failed = 1;
	}
	if (!p->title_tag[t] && store_routing_accepted_on_tag(tag_text, on_accepted, p) != STORE_OK)
		p->failed = 1;
}

static int by_score(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int has_evidence(const struct routing_evidence *e)
{
	int i;

	if (e->member)
		return 1;
	for (i = 0; i < e->ntags; i++)
		if (e->tags[i].level || e->tags[i].endorsements || e->tags[i].accepted)
			return 1;
	return 0;
}

/* Is the person a candidate at all? Fills the evidence that depends on
 * them alone (hours, open assignments). */
static int eligible(struct cand *c, const struct question_row *q, const struct post_row *post,
		    const struct routing_policy_row *pol, int64_t now)
{
	struct account_row a;
	struct routing_person rp;
	struct worktime w;

	if (c->id == q->account_id || store_account_get(c->id, &a) != STORE_OK)
		return 0;
	if (a.suspended || (strcmp(a.kind, "staff") && strcmp(a.kind, "guest")))
		return 0;
	if (!audience_account_may_read(&a, post))
		return 0;
	if (store_routing_person(c->id, &rp) != STORE_OK)
		return 0;
	if (rp.away_until > now)
		return 0;
	c->ev.open_assignments = (int)rp.open_assignments;
	if (routing_overloaded(&c->ev, pol->max_open))
		return 0;
	c->ev.hours = -1;
	if (rp.working_hours[0] &&
	    worktime_init(&w, rp.working_hours, cfg.days, rp.timezone[0] ? rp.timezone : cfg.tz, now) == 0)
		c->ev.hours = worktime_within(&w, now);
	return 1;
}

/* Words of the title (letters, digits, + # . -), lower-cased, for skills. */
static void title_words(struct pool *p, const char *title, int64_t *skill_ids)
{
	char word[64];
	size_t n = 0;
	const char *s = title;

	for (;; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch && (isalnum(ch) || ch == '+' || ch == '#' || ch >= 0x80 ||
			   ((ch == '.' || ch == '-') && n))) {
			if (n + 1 < sizeof word)
				word[n++] = (char)tolower(ch);
			continue;
		}
		while (n && (word[n - 1] == '.' || word[n - 1] == '-'))
			n--;
		if (n >= 2) {
			int t;
			int64_t sid;

			word[n] = '\0';
			t = add_tag(p, word, 1, &sid);
			if (t >= 0)
				skill_ids[t] = sid;
		}
		n = 0;
		if (!ch)
			break;
	}
}

static void json_string_put(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)ch);
		} else if (ch < 0x20) {
			buf_printf(b, "\\u%04x", ch);
		} else {
			buf_putc(b, (char)ch);
		}
	}
	buf_putc(b, '"');
}

/* Rank the candidates of q into *out (malloc'd, caller frees); the count
 * or -1 on failure. */
static int rank(const struct question_row *q, const struct post_row *post,
		const struct routing_policy_row *pol, int64_t now, struct cand **out)
{
	struct pool p;
	int64_t skill_ids[ROUTING_TAGS_MAX];
	const char *s = q->tags;
	struct cand *list;
	size_t i, n = 0;
	int t;

	memset(&p, 0, sizeof p);
	memset(skill_ids, 0, sizeof skill_ids);
	while (*s) {
		char tag[64];
		size_t len = strcspn(s, " ");
		int64_t sid;

		if (len && len < sizeof tag) {
			memcpy(tag, s, len);
			tag[len] = '\0';
			t = add_tag(&p, tag, 0, &sid);
			if (t >= 0)
				skill_ids[t] = sid;
		}
		s += len;
		while (*s == ' ')
			s++;
	}
	title_words(&p, q->title, skill_ids);
	for (t = 0; t < p.ntags; t++)
		gather_tag(&p, t, skill_ids[t], p.tags[t]);
	if (q->space_id) {
		int pages;

		for (pages = 0; pages < 200 && !p.failed; pages++) {
			p.members_seen = 0;
			if (store_space_members(q->space_id, NULL, p.last_member, 500, on_member, &p) != STORE_OK)
				p.failed = 1;
			if (p.members_seen < 500)
				break;
		}
	}
	if (p.failed) {
		free(p.slots);
		return -1;
	}
	list = malloc((p.n ? p.n : 1) * sizeof *list);
	if (!list) {
		free(p.slots);
		return -1;
	}
	for (i = 0; i < p.cap; i++) {
		struct cand *c = &p.slots[i];

		if (!c->id || !has_evidence(&c->ev) || !eligible(c, q, post, pol, now))
			continue;
		c->score = routing_score(&c->ev, &c->reasons);
		list[n++] = *c;
	}
	free(p.slots);
	qsort(list, n, sizeof *list, by_score);
	*out = list;
	return (int)(n > ROUTING_CANDIDATES_MAX ? ROUTING_CANDIDATES_MAX : n);
}

/* ---- the route job ------------------------------------------------------- */

/* "@a, @b" of the accounts (detail of a queue action). */
static void name_put(struct buf *b, int64_t account_id)
{
	struct account_row a;

	if (store_account_get(account_id, &a) != STORE_OK)
		return;
	buf_printf(b, "%s@%s", b->len ? ", " : "", a.username);
}

static int store_ranking(int64_t qid, const struct cand *list, int n)
{
	int i, j;

	if (store_candidates_clear(qid) != STORE_OK)
		return -1;
	for (i = 0; i < n; i++) {
		struct candidate_row c;
		struct buf b = BUF_INIT;

		memset(&c, 0, sizeof c);
		c.question_id = qid;
		c.account_id = list[i].id;
		c.rank = i + 1;
		c.score = list[i].score;
		c.notified_level = -1;
		buf_putc(&b, '[');
		for (j = 0; j < list[i].reasons.n; j++) {
			if (j)
				buf_putc(&b, ',');
			json_string_put(&b, list[i].reasons.text[j]);
		}
		buf_putc(&b, ']');
		snprintf(c.reasons, sizeof c.reasons, "%s", buf_str(&b));
		buf_release(&b);
		if (store_candidate_insert(&c) != STORE_OK)
			return -1;
	}
	return 0;
}

/* Assign the item to account_id (in the caller's transaction) and tell
 * them. 0, or -1 on a storage error. */
static int assign_item(struct queue_item_row *it, int64_t account_id, int64_t from, int64_t now,
		       struct notify_batch *nb)
{
	it->assignee_id = account_id;
	it->assigned_at = now;
	it->updated_at = now;
	if (store_queue_item_update(it) != STORE_OK)
		return -1;
	return notify_add(nb, account_id, from, "parley.question_assigned", it->post_id, NULL) < 0 ? -1 : 0;
}

int routing_route_job(int64_t qid)
{
	struct question_row q;
	struct queue_item_row it;
	struct post_row post;
	struct routing_policy_row pol;
	struct notify_batch nb;
	struct cand *list = NULL;
	struct buf names = BUF_INIT;
	int64_t now = time_now_ms(), first_due, due;
	int rc, n, i, open;

	rc = store_question_get(qid, &q);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? 0 : -1;
	rc = store_queue_item_of_question(qid, &it);
	if (rc != STORE_NOTFOUND)
		return rc == STORE_OK ? 0 : -1;   /* routed already */
	rc = store_post_get(qid, &post);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? 0 : -1;
	if (policy_row(q.space_id, &pol) != STORE_OK) {
		post_row_release(&post);
		return -1;
	}
	n = rank(&q, &post, &pol, now, &list);
	post_row_release(&post);
	if (n < 0)
		return -1;
	memset(&nb, 0, sizeof nb);
	if (store_begin() != STORE_OK) {
		free(list);
		return -1;
	}
	/* again inside the transaction: another run may have won */
	rc = store_queue_item_of_question(qid, &it);
	if (rc != STORE_NOTFOUND) {
		store_rollback();
		free(list);
		return rc == STORE_OK ? 0 : -1;
	}
	if (store_question_get(qid, &q) != STORE_OK || store_ranking(qid, list, n) < 0)
		goto fail;
	memset(&it, 0, sizeof it);
	it.id = id_next();
	snprintf(it.kind, sizeof it.kind, "question");
	it.post_id = qid;
	it.space_id = q.space_id;
	snprintf(it.state, sizeof it.state, "open");
	it.created_at = it.updated_at = now;
	if (store_queue_item_insert(&it) != STORE_OK || queue_record(it.id, 0, "created", "") < 0)
		goto fail;
	open = !strcmp(q.state, "open") && !q.first_answer_at;
	first_due = due_after(&pol, q.asked_at);
	due = open ? first_due : 0;
	if (store_routing_question_start(qid, pol.mode, pol.target_ms, first_due, due) != STORE_OK)
		goto fail;
	if (open && !strcmp(pol.mode, "suggest")) {
		for (i = 0; i < n && i < pol.top_n; i++) {
			if (notify_add(&nb, list[i].id, q.account_id, "parley.question_suggested", qid, NULL) < 0 ||
			    store_candidate_notified(qid, list[i].id, 0) != STORE_OK)
				goto fail;
			name_put(&names, list[i].id);
		}
		if (i && queue_record(it.id, 0, "suggested", buf_str(&names)) < 0)
			goto fail;
	} else if (open && !strcmp(pol.mode, "assign") && n > 0) {
		if (assign_item(&it, list[0].id, q.account_id, now, &nb) < 0 ||
		    store_candidate_notified(qid, list[0].id, 0) != STORE_OK)
			goto fail;
		name_put(&names, list[0].id);
		if (queue_record(it.id, 0, "assigned", buf_str(&names)) < 0)
			goto fail;
	}
	if (due && store_job_put(id_next(), "question.escalate", qid, due) != STORE_OK)
		goto fail;
	if (store_commit() != STORE_OK)
		goto fail_nolock;
	free(list);
	buf_release(&names);
	notify_publish(&nb);
	jobs_wake();
	return 0;
fail:
	store_rollback();
fail_nolock:
	free(list);
	buf_release(&names);
	log_warn("routing: question %lld could not be routed", (long long)qid);
	return -1;
}

/* ---- the escalate job ---------------------------------------------------- */

#define ESC_MAX 64

struct esc_ctx {
	struct candidate_row rows[ROUTING_CANDIDATES_MAX];
	int n;
};

static void collect_candidate(const struct candidate_row *c, void *ctx)
{
	struct esc_ctx *e = ctx;

	if (e->n < ROUTING_CANDIDATES_MAX)
		e->rows[e->n++] = *c;
}

/* May the candidate still be asked now (not suspended, not away, may read)? */
static int still_candidate(int64_t account_id, const struct post_row *post, int64_t now)
{
	struct account_row a;
	struct routing_person rp;

	if (store_account_get(account_id, &a) != STORE_OK || a.suspended)
		return 0;
	if (store_routing_person(account_id, &rp) != STORE_OK || rp.away_until > now)
		return 0;
	return audience_account_may_read(&a, post);
}

int routing_escalate_job(int64_t qid)
{
	struct question_row q;
	struct queue_item_row it;
	struct post_row post;
	struct routing_policy_row pol;
	struct notify_batch nb;
	struct esc_ctx ec;
	struct buf detail = BUF_INIT, names = BUF_INIT;
	int64_t now = time_now_ms(), next_due = 0;
	int64_t ids[ESC_MAX];
	int rc, i, level, have_post = 0, asked = 0;

	memset(&nb, 0, sizeof nb);
	if (store_begin() != STORE_OK)
		return -1;
	rc = store_question_get(qid, &q);
	if (rc != STORE_OK) {
		store_rollback();
		return rc == STORE_NOTFOUND ? 0 : -1;
	}
	/* answered, closed, already at the listeners, or no timer: nothing to do */
	if (strcmp(q.state, "open") || q.first_answer_at || !q.due_at || q.escalation_level >= 2) {
		store_rollback();
		return 0;
	}
	if (q.due_at > now) {
		/* a stale run (the timer moved later): keep the timer, do nothing */
		if (store_job_put(id_next(), "question.escalate", qid, q.due_at) != STORE_OK) {
			store_rollback();
			return -1;
		}
		return store_commit() == STORE_OK ? 0 : -1;
	}
	if (policy_row(q.space_id, &pol) != STORE_OK || store_queue_item_of_question(qid, &it) != STORE_OK)
		goto fail;
	if (store_post_get(qid, &post) != STORE_OK)
		goto fail;
	have_post = 1;
	pol.target_ms = q.target_ms > 0 ? q.target_ms : pol.target_ms;
	level = q.escalation_level;
	if (level == 0 && strcmp(q.policy_mode, "manual")) {
		ec.n = 0;
		if (store_candidates(qid, collect_candidate, &ec) != STORE_OK)
			goto fail;
		for (i = 0; i < ec.n && asked < (strcmp(q.policy_mode, "assign") ? pol.top_n : 1); i++) {
			const struct candidate_row *c = &ec.rows[i];

			if (c->notified_level >= 0 || c->account_id == it.assignee_id ||
			    !still_candidate(c->account_id, &post, now))
				continue;
			if (!strcmp(q.policy_mode, "assign")) {
				if (assign_item(&it, c->account_id, q.account_id, now, &nb) < 0)
					goto fail;
			} else if (notify_add(&nb, c->account_id, q.account_id, "parley.question_suggested", qid,
					      NULL) < 0) {
				goto fail;
			}
			if (store_candidate_notified(qid, c->account_id, 1) != STORE_OK)
				goto fail;
			name_put(&names, c->account_id);
			asked++;
		}
	}
	if (asked) {
		level = 1;
		next_due = due_after(&pol, now);
		buf_printf(&detail, "%s%s", !strcmp(q.policy_mode, "assign") ? "re-assigned to " : "next candidates: ",
			   buf_str(&names));
	} else {
		/* level 1 passed, manual, or nobody left to ask: the listeners */
		int n = listener_ids(q.space_id, ids, ESC_MAX);

		if (n == 0 && q.space_id)
			n = listener_ids(0, ids, ESC_MAX);
		if (n < 0)
			goto fail;
		buf_puts(&detail, "to the listeners");
		for (i = 0; i < n; i++)
			if (notify_add(&nb, ids[i], q.account_id, "parley.question_escalated", qid, NULL) < 0)
				goto fail;
		level = 2;
	}
	if (store_routing_question_escalate(qid, level, level < 2 ? next_due : q.due_at) != STORE_OK ||
	    queue_record(it.id, 0, "escalated", buf_str(&detail)) < 0)
		goto fail;
	if (level < 2 && store_job_put(id_next(), "question.escalate", qid, next_due) != STORE_OK)
		goto fail;
	if (store_commit() != STORE_OK)
		goto fail_nolock;
	post_row_release(&post);
	buf_release(&detail);
	buf_release(&names);
	notify_publish(&nb);
	jobs_wake();
	log_info("routing: question %lld escalated to level %d", (long long)qid, level);
	return 0;
fail:
	store_rollback();
fail_nolock:
	if (have_post)
		post_row_release(&post);
	buf_release(&detail);
	buf_release(&names);
	return -1;
}
