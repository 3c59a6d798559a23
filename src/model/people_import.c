/*
 * people_import.c - CSV import of staff and export of profiles (see
 * people_import.h).
 *
 * The import reads the whole file into rows first (so syntax errors stop
 * it before anything is written), then runs rounds: begin; for each row
 * not yet refused, inside a savepoint, create or update the account and
 * its profile and skills; then set the managers; a row refused in the
 * manager step is marked and the round rolled back and run again without
 * it. Each round refuses at least one more row or finishes, so there are
 * at most as many rounds as rows with a manager (in practice one or two).
 */
#include "model/people_import.h"
#include "model/audience.h"
#include "model/people_search.h"
#include "lib/csv.h"
#include "lib/id.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum column {
	COL_IGNORED = -1,
	COL_EMAIL, COL_USERNAME, COL_NAME, COL_FIRST, COL_LAST, COL_HEADLINE, COL_DEPARTMENT, COL_TEAM,
	COL_LOCATION, COL_TIMEZONE, COL_HOURS, COL_LANGUAGES, COL_PRONOUNS, COL_PHONE, COL_MANAGER,
	COL_SKILLS, COL_INTERESTS, COL_BIO,
	COL_CUSTOM,          /* an admin-defined field (see col_field) */
	COL_COUNT
};

static const struct { const char *name; enum column col; } aliases[] = {
	{ "email", COL_EMAIL }, { "emailaddress", COL_EMAIL }, { "workemail", COL_EMAIL }, { "mail", COL_EMAIL },
	{ "username", COL_USERNAME }, { "login", COL_USERNAME }, { "handle", COL_USERNAME },
	{ "name", COL_NAME }, { "displayname", COL_NAME }, { "fullname", COL_NAME }, { "preferredname", COL_NAME },
	{ "firstname", COL_FIRST }, { "givenname", COL_FIRST },
	{ "lastname", COL_LAST }, { "surname", COL_LAST }, { "familyname", COL_LAST },
	{ "headline", COL_HEADLINE }, { "title", COL_HEADLINE }, { "jobtitle", COL_HEADLINE },
	{ "position", COL_HEADLINE },
	{ "department", COL_DEPARTMENT }, { "dept", COL_DEPARTMENT }, { "division", COL_DEPARTMENT },
	{ "team", COL_TEAM },
	{ "location", COL_LOCATION }, { "office", COL_LOCATION }, { "site", COL_LOCATION }, { "city", COL_LOCATION },
	{ "timezone", COL_TIMEZONE }, { "tz", COL_TIMEZONE },
	{ "workinghours", COL_HOURS }, { "hours", COL_HOURS },
	{ "languages", COL_LANGUAGES }, { "language", COL_LANGUAGES },
	{ "pronouns", COL_PRONOUNS },
	{ "phone", COL_PHONE }, { "phonenumber", COL_PHONE }, { "telephone", COL_PHONE }, { "mobile", COL_PHONE },
	{ "workphone", COL_PHONE },
	{ "manager", COL_MANAGER }, { "manageremail", COL_MANAGER }, { "reportsto", COL_MANAGER },
	{ "supervisor", COL_MANAGER }, { "manageremailaddress", COL_MANAGER },
	{ "skills", COL_SKILLS }, { "interests", COL_INTERESTS },
	{ "bio", COL_BIO }, { "about", COL_BIO }, { "note", COL_BIO },
};

static void norm_header(const char *in, char *out, size_t n)
{
	size_t k = 0;

	for (; *in && k + 1 < n; in++)
		if (isalnum((unsigned char)*in) || (unsigned char)*in >= 0x80)
			out[k++] = (char)tolower((unsigned char)*in);
	out[k] = '\0';
}

struct header_map {
	int col[COL_COUNT];               /* record index of each column, or -1 */
	int ncustom;
	int custom_index[PEOPLE_FIELDS_MAX];
	int64_t custom_field[PEOPLE_FIELDS_MAX];
};

struct def_match {
	const char *norm;
	int64_t id;
};

static void match_def(const struct field_def_row *d, void *ctx)
{
	struct def_match *m = ctx;
	char n[FIELD_DEF_NAME_BYTES];

	norm_header(d->name, n, sizeof n);
	if (!m->id && !strcmp(n, m->norm))
		m->id = d->id;
}

static void map_header(const struct csv_record *h, struct header_map *map, char *ignored, size_t ilen)
{
	size_t i, k;

	for (i = 0; i < COL_COUNT; i++)
		map->col[i] = -1;
	map->ncustom = 0;
	ignored[0] = '\0';
	for (i = 0; i < h->n; i++) {
		char norm[256];
		int found = 0;

		norm_header(h->fields[i], norm, sizeof norm);
		for (k = 0; k < sizeof aliases / sizeof aliases[0]; k++)
			if (!strcmp(norm, aliases[k].name)) {
				if (map->col[aliases[k].col] < 0)
					map->col[aliases[k].col] = (int)i;
				found = 1;
				break;
			}
		if (!found && norm[0] && map->ncustom < PEOPLE_FIELDS_MAX) {
			struct def_match dm = { norm, 0 };

			store_field_defs(match_def, &dm);
			if (dm.id) {
				map->custom_index[map->ncustom] = (int)i;
				map->custom_field[map->ncustom] = dm.id;
				map->ncustom++;
				found = 1;
			}
		}
		if (!found && h->fields[i][0]) {
			size_t used = strlen(ignored);

			snprintf(ignored + used, ilen - used, "%s%s", used ? ", " : "", h->fields[i]);
		}
	}
}

static const char *cell(const struct csv_record *r, const struct header_map *m, enum column c)
{
	int i = m->col[c];

	return i >= 0 && (size_t)i < r->n ? r->fields[i] : NULL;
}

/* ---- one row ---------------------------------------------------------------------- */

struct row_plan {
	struct csv_record rec;
	struct import_row *out;
	int refused;                  /* decided: not applied */
	int64_t account_id;           /* after the round's apply */
};

/* A username from an email's local part: [A-Za-z0-9_] kept, '.', '-',
 * '+' as '_', at most 24 characters, unique (suffix _2, _3 ...) among the
 * accounts, those this file's earlier rows made included (they are in the
 * database already, inside the import's transaction). */
static int derive_username(const char *email, char *out, size_t n)
{
	char base[25];
	size_t k = 0;
	const char *p;
	int suffix;

	for (p = email; *p && *p != '@' && k < 24; p++) {
		if (isalnum((unsigned char)*p) || *p == '_')
			base[k++] = *p;
		else if ((*p == '.' || *p == '-' || *p == '+') && k && base[k - 1] != '_')
			base[k++] = '_';
	}
	while (k && base[k - 1] == '_')
		k--;
	base[k] = '\0';
	if (!k)
		snprintf(base, sizeof base, "user");
	for (suffix = 1; suffix < 10000; suffix++) {
		struct account_row a;

		if (suffix == 1)
			snprintf(out, n, "%s", base);
		else
			snprintf(out, n, "%s_%d", base, suffix);
		if (store_account_by_username(out, &a) == STORE_NOTFOUND)
			return 0;
	}
	return -1;
}

static int split_list(const char *s, char (*items)[PROFILE_ITEM_BYTES * 2], size_t max)
{
	size_t n = 0;

	while (s && *s && n < max) {
		size_t l = strcspn(s, ";,|");

		if (l) {
			size_t c = l < PROFILE_ITEM_BYTES * 2 - 1 ? l : PROFILE_ITEM_BYTES * 2 - 1;

			memcpy(items[n], s, c);
			items[n][c] = '\0';
			n++;
		}
		s += l;
		if (*s)
			s++;
	}
	return (int)n;
}

static int email_valid(const char *e)
{
	const char *at = strchr(e, '@');
	size_t len = strlen(e);

	return at && at != e && !strchr(at + 1, '@') && strchr(at + 1, '.') && at[1] != '.' &&
	       e[len - 1] != '.' && len <= ACCOUNT_EMAIL_MAX && !strpbrk(e, " <>\",;") && utf8_valid(e, len);
}

static void trim_copy(const char *in, char *out, size_t n)
{
	size_t len;

	while (*in == ' ' || *in == '\t')
		in++;
	snprintf(out, n, "%s", in);
	len = strlen(out);
	while (len && (out[len - 1] == ' ' || out[len - 1] == '\t'))
		out[--len] = '\0';
}

/* Create or update the row's account and profile (not its manager).
 * M_INVALID with the reason when the row is refused. */
static enum mresult apply_row(struct row_plan *rp, const struct header_map *m, int64_t actor_id,
			      char *err, size_t errlen)
{
	const struct csv_record *r = &rp->rec;
	char email[ACCOUNT_EMAIL_MAX + 2], name[512], user[ACCOUNT_USERNAME_MAX + 2];
	char (*items)[PROFILE_ITEM_BYTES * 2] = NULL;
	struct people_edit e;
	struct account_row a;
	const char *v;
	enum mresult res = M_OK;
	int rc, n, i;

	trim_copy(rp->out->email, email, sizeof email);
	rc = store_account_by_email(email, &a);
	if (rc == STORE_ERROR) {
		snprintf(err, errlen, "database error");
		return M_ERROR;
	}
	if (rc == STORE_OK && strcmp(a.kind, "staff")) {
		snprintf(err, errlen, "the email belongs to a %s account; the import manages staff only", a.kind);
		return M_INVALID;
	}
	name[0] = '\0';
	if ((v = cell(r, m, COL_NAME)) && *v) {
		trim_copy(v, name, sizeof name);
	} else if (cell(r, m, COL_FIRST) || cell(r, m, COL_LAST)) {
		char first[256] = "", last[256] = "";

		trim_copy(cell(r, m, COL_FIRST) ? cell(r, m, COL_FIRST) : "", first, sizeof first);
		trim_copy(cell(r, m, COL_LAST) ? cell(r, m, COL_LAST) : "", last, sizeof last);
		snprintf(name, sizeof name, "%s%s%s", first, first[0] && last[0] ? " " : "", last);
	}
	if (name[0] && (utf8_chars(name) > 100 || !utf8_valid(name, strlen(name)))) {
		snprintf(err, errlen, "the name is longer than 100 characters");
		return M_INVALID;
	}
	if (rc == STORE_NOTFOUND) {
		struct account_row na;

		user[0] = '\0';
		if ((v = cell(r, m, COL_USERNAME)) && *v) {
			trim_copy(v, user, sizeof user);
			for (i = 0; user[i]; i++)
				if (!isalnum((unsigned char)user[i]) && user[i] != '_')
					break;
			if (!user[0] || user[i] || strlen(user) > ACCOUNT_USERNAME_MAX) {
				snprintf(err, errlen, "the username must be 1 to 30 letters, digits or underscores");
				return M_INVALID;
			}
			if (store_account_by_username(user, &a) == STORE_OK) {
				snprintf(err, errlen, "the username %s is taken", user);
				return M_INVALID;
			}
		} else if (derive_username(email, user, sizeof user) < 0) {
			snprintf(err, errlen, "no free username could be made from the email");
			return M_INVALID;
		}
		memset(&na, 0, sizeof na);
		na.id = id_next();
		snprintf(na.username, sizeof na.username, "%.*s", ACCOUNT_USERNAME_MAX, user);
		snprintf(na.email, sizeof na.email, "%.*s", ACCOUNT_EMAIL_MAX, email);
		snprintf(na.display_name, sizeof na.display_name, "%s", name[0] ? name : user);
		snprintf(na.kind, sizeof na.kind, "staff");
		na.discoverable = 1;
		na.created_at = time_now_ms();
		/* no password: the person gets one through a reset */
		if ((res = account_insert(&na, err, errlen)) != M_OK)
			return res == M_CONFLICT ? M_INVALID : res;
		a = na;
		rp->out->action = IMPORT_CREATED;
	} else {
		rp->out->action = IMPORT_UPDATED;
	}
	rp->account_id = a.id;
	snprintf(rp->out->username, sizeof rp->out->username, "%s", a.username);
	if (name[0] || ((v = cell(r, m, COL_BIO)) && *v)) {
		struct account_profile_edit ae;
		struct account_row out;

		memset(&ae, 0, sizeof ae);
		ae.locked = ae.bot = ae.discoverable = ae.profile_public = -1;
		ae.display_name = name[0] ? name : NULL;
		ae.note = (v = cell(r, m, COL_BIO)) && *v ? v : NULL;
		if ((res = account_update_profile(a.id, &ae, &out, err, errlen)) != M_OK)
			return res;
	}
	people_edit_init(&e);
	{
		static const struct { enum column col; int fact; } facts[] = {
			{ COL_HEADLINE, PF_HEADLINE }, { COL_DEPARTMENT, PF_DEPARTMENT }, { COL_TEAM, PF_TEAM },
			{ COL_LOCATION, PF_LOCATION }, { COL_TIMEZONE, PF_TIMEZONE }, { COL_HOURS, PF_WORKING_HOURS },
			{ COL_PRONOUNS, PF_PRONOUNS }, { COL_PHONE, PF_PHONE },
		};
		size_t k;

		for (k = 0; k < sizeof facts / sizeof facts[0]; k++)
			if ((v = cell(r, m, facts[k].col)))
				e.text[facts[k].fact] = v;
		/* the HR address is the contact address of a new profile */
		if (rp->out->action == IMPORT_CREATED)
			e.text[PF_EMAIL] = email;
	}
	items = calloc(PEOPLE_SKILLS_MAX + PEOPLE_INTERESTS_MAX + 2, sizeof *items);
	if (!items) {
		snprintf(err, errlen, "out of memory");
		return M_ERROR;
	}
	if ((v = cell(r, m, COL_LANGUAGES))) {
		n = split_list(v, items, PEOPLE_LANGUAGES_MAX + 1);
		e.set_languages = 1;
		for (i = 0; i < n; i++)
			e.languages[e.nlanguages++] = items[i];
	}
	if ((v = cell(r, m, COL_INTERESTS))) {
		char (*it)[PROFILE_ITEM_BYTES * 2] = items + PEOPLE_LANGUAGES_MAX + 1;

		n = split_list(v, it, PEOPLE_INTERESTS_MAX + 1);
		e.set_interests = 1;
		for (i = 0; i < n; i++)
			e.interests[e.ninterests++] = it[i];
	}
	for (i = 0; i < m->ncustom; i++)
		if ((size_t)m->custom_index[i] < r->n) {
			e.custom[e.ncustom].field_id = m->custom_field[i];
			e.custom[e.ncustom].value = r->fields[m->custom_index[i]];
			e.ncustom++;
		}
	if ((v = cell(r, m, COL_SKILLS))) {
		char (*sk)[PROFILE_ITEM_BYTES * 2] = malloc((PEOPLE_SKILLS_MAX + 1) * sizeof *sk);

		if (!sk) {
			free(items);
			snprintf(err, errlen, "out of memory");
			return M_ERROR;
		}
		n = split_list(v, sk, PEOPLE_SKILLS_MAX + 1);
		if (n > PEOPLE_SKILLS_MAX) {
			snprintf(err, errlen, "more than %d skills", PEOPLE_SKILLS_MAX);
			res = M_INVALID;
		}
		for (i = 0; res == M_OK && i < n; i++) {
			char *colon = strrchr(sk[i], ':');
			int level = 2;

			if (colon) {
				char lv[32];

				*colon = '\0';
				trim_copy(colon + 1, lv, sizeof lv);
				level = people_level_parse(lv);
				if (level < 0) {
					snprintf(err, errlen, "skill level \"%s\" is not learning, practised or expert", lv);
					res = M_INVALID;
					break;
				}
			}
			res = people_skill_apply(a.id, sk[i], level, 1, actor_id, err, errlen);
		}
		free(sk);
	}
	if (res == M_OK)
		res = people_apply(a.id, &e, err, errlen);  /* also rebuilds the index row */
	free(items);
	return res;
}

/* One round: apply every row not refused; managers last. Returns M_OK
 * when nothing new was refused (the caller commits), M_CONFLICT when a
 * manager refused a row (roll back and go again), M_ERROR. */
static enum mresult round_apply(struct row_plan *rows, size_t n, const struct header_map *m,
				int64_t actor_id)
{
	size_t i;
	char err[256];
	enum mresult r;

	for (i = 0; i < n; i++) {
		struct row_plan *rp = &rows[i];

		if (rp->refused)
			continue;
		err[0] = '\0';
		if (store_savepoint() != STORE_OK)
			return M_ERROR;
		r = apply_row(rp, m, actor_id, err, sizeof err);
		if (r == M_ERROR)
			return M_ERROR;
		if (r != M_OK) {
			store_savepoint_rollback();
			rp->refused = 1;
			rp->out->action = IMPORT_REFUSED;
			snprintf(rp->out->reason, sizeof rp->out->reason, "%s", err[0] ? err : "refused");
			continue;
		}
		if (store_savepoint_release() != STORE_OK)
			return M_ERROR;
	}
	for (i = 0; i < n; i++) {
		struct row_plan *rp = &rows[i];
		const char *mgr = cell(&rp->rec, m, COL_MANAGER);
		struct people_edit e;
		char who[ACCOUNT_EMAIL_MAX + 2];

		if (rp->refused || !mgr)
			continue;
		trim_copy(mgr, who, sizeof who);
		/* a manager whose own row was refused cannot be named */
		{
			size_t k;

			for (k = 0; who[0] && k < n; k++)
				if (rows[k].refused && !strcasecmp(rows[k].out->email, who))
					break;
			if (who[0] && k < n) {
				rp->refused = 1;
				rp->out->action = IMPORT_REFUSED;
				snprintf(rp->out->reason, sizeof rp->out->reason,
					 "the manager's own row (line %d) was refused", rows[k].out->line);
				return M_CONFLICT;
			}
		}
		people_edit_init(&e);
		e.manager = who;
		err[0] = '\0';
		r = people_apply(rp->account_id, &e, err, sizeof err);
		if (r == M_ERROR)
			return M_ERROR;
		if (r != M_OK) {
			rp->refused = 1;
			rp->out->action = IMPORT_REFUSED;
			snprintf(rp->out->reason, sizeof rp->out->reason, "%s", err);
			return M_CONFLICT;
		}
	}
	return M_OK;
}

/* Rows by email (case-insensitive), then by position in the file. */
struct email_ref {
	const char *email;
	size_t index;
};

static int cmp_email(const void *a, const void *b)
{
	const struct email_ref *x = a, *y = b;
	int c = strcasecmp(x->email, y->email);

	return c ? c : x->index < y->index ? -1 : x->index > y->index;
}

const char *import_action_name(enum import_action a)
{
	return a == IMPORT_CREATED ? "created" : a == IMPORT_UPDATED ? "updated" : "refused";
}

void import_report_release(struct import_report *r)
{
	free(r->rows);
	r->rows = NULL;
	r->nrows = 0;
}

enum mresult people_import_csv(const char *data, size_t len, int64_t actor_id, int dry_run,
			       struct import_report *out, char *err, size_t errlen)
{
	struct csv_reader rd;
	struct csv_record head;
	struct header_map map;
	struct row_plan *rows = NULL;
	size_t n = 0, cap = 0, i;
	enum mresult r = M_OK;
	int rc, rounds;

	memset(out, 0, sizeof *out);
	out->dry_run = dry_run;
	if (!utf8_valid(data, len)) {
		snprintf(err, errlen, "The file is not UTF-8 text (save the spreadsheet as \"CSV UTF-8\")");
		return M_INVALID;
	}
	csv_reader_init(&rd, data, len, 200, 64 * 1024);
	memset(&head, 0, sizeof head);
	rc = csv_next(&rd, &head, err, errlen);
	if (rc <= 0) {
		csv_record_release(&head);
		if (rc == 0)
			snprintf(err, errlen, "The file is empty");
		return M_INVALID;
	}
	map_header(&head, &map, out->ignored_columns, sizeof out->ignored_columns);
	csv_record_release(&head);
	if (map.col[COL_EMAIL] < 0) {
		snprintf(err, errlen, "The file has no email column (the key of each row)");
		return M_INVALID;
	}
	for (;;) {
		struct csv_record rec;
		int empty = 1;

		rc = csv_next(&rd, &rec, err, errlen);
		if (rc <= 0) {
			csv_record_release(&rec);
			break;
		}
		for (i = 0; i < rec.n; i++)
			if (rec.fields[i][0])
				empty = 0;
		if (empty) {
			csv_record_release(&rec);
			continue;
		}
		if (n >= IMPORT_ROWS_MAX) {
			csv_record_release(&rec);
			snprintf(err, errlen, "The file has more than %d rows", IMPORT_ROWS_MAX);
			rc = -1;
			break;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct row_plan *nr = realloc(rows, ncap * sizeof *nr);

			if (!nr) {
				csv_record_release(&rec);
				snprintf(err, errlen, "Out of memory");
				rc = -1;
				break;
			}
			rows = nr;
			cap = ncap;
		}
		memset(&rows[n], 0, sizeof rows[n]);
		rows[n].rec = rec;
		n++;
	}
	if (rc < 0) {
		r = M_INVALID;
		goto out;
	}
	out->rows = calloc(n ? n : 1, sizeof *out->rows);
	if (!out->rows) {
		snprintf(err, errlen, "Out of memory");
		r = M_ERROR;
		goto out;
	}
	out->nrows = n;
	/* refusals that need no database: email missing, invalid, twice */
	for (i = 0; i < n; i++) {
		struct import_row *o = &out->rows[i];
		const char *e = cell(&rows[i].rec, &map, COL_EMAIL);
		char email[ACCOUNT_EMAIL_MAX + 2];

		rows[i].out = o;
		o->line = rows[i].rec.line;
		trim_copy(e ? e : "", email, sizeof email);
		snprintf(o->email, sizeof o->email, "%.*s", ACCOUNT_EMAIL_MAX, email);
		if (!email[0] || !email_valid(email)) {
			rows[i].refused = 1;
			o->action = IMPORT_REFUSED;
			snprintf(o->reason, sizeof o->reason, email[0] ? "the email is not a valid address"
								       : "the email is missing");
			continue;
		}
	}
	/* the same email twice: the first row keeps it (sorted, not n x n) */
	{
		struct email_ref *order = malloc((n ? n : 1) * sizeof *order);
		size_t k = 0, g;

		if (!order) {
			snprintf(err, errlen, "Out of memory");
			r = M_ERROR;
			goto out;
		}
		for (i = 0; i < n; i++)
			if (!rows[i].refused) {
				order[k].email = out->rows[i].email;
				order[k++].index = i;
			}
		qsort(order, k, sizeof *order, cmp_email);
		for (i = 0; i < k; i = g)
			for (g = i + 1; g < k && !strcasecmp(order[g].email, order[i].email); g++) {
				struct import_row *o = &out->rows[order[g].index];

				rows[order[g].index].refused = 1;
				o->action = IMPORT_REFUSED;
				snprintf(o->reason, sizeof o->reason, "the email is on line %d already",
					 out->rows[order[i].index].line);
			}
		free(order);
	}
	for (rounds = 0; ; rounds++) {
		if (store_begin() != STORE_OK) {
			snprintf(err, errlen, "The database is busy; try again");
			r = M_ERROR;
			goto out;
		}
		r = round_apply(rows, n, &map, actor_id);
		if (r == M_CONFLICT) {
			store_rollback();
			/* rows applied this round are applied again next round */
			for (i = 0; i < n; i++)
				if (!rows[i].refused)
					out->rows[i].reason[0] = '\0';
			continue;
		}
		if (r != M_OK || dry_run) {
			store_rollback();
			if (r != M_OK) {
				snprintf(err, errlen, "The import failed (database error): nothing was changed");
				goto out;
			}
			break;
		}
		if (store_commit() != STORE_OK) {
			store_rollback();
			snprintf(err, errlen, "The import could not be committed: nothing was changed");
			r = M_ERROR;
			goto out;
		}
		break;
	}
	for (i = 0; i < n; i++) {
		if (out->rows[i].action == IMPORT_CREATED)
			out->created++;
		else if (out->rows[i].action == IMPORT_UPDATED)
			out->updated++;
		else
			out->refused++;
	}
	r = M_OK;
out:
	for (i = 0; i < n; i++)
		csv_record_release(&rows[i].rec);
	free(rows);
	return r;
}

/* ---- export ------------------------------------------------------------------------ */

enum mresult people_export(const struct viewer *v, const char *q, const char *department,
			   const char *location, const char *language, const char *skill,
			   void (*fn)(const struct profile_view *pv, const struct profile_skill_row *skills,
				      size_t nskills, const char *manager_username, void *ctx),
			   void *ctx)
{
	struct dir_request req;
	struct profile_skill_row *skills;
	int64_t *ids;
	size_t n, i;
	enum mresult r;

	if (!viewer_is_staff(v))
		return M_FORBIDDEN;
	memset(&req, 0, sizeof req);
	req.q = q;
	req.department = department;
	req.location = location;
	req.language = language;
	req.skill = skill;
	req.sort_name = 1;
	if ((r = people_directory_ids(v, &req, &ids, &n)) != M_OK)
		return r;
	skills = malloc(PEOPLE_SKILLS_MAX * sizeof *skills);
	if (!skills) {
		free(ids);
		return M_ERROR;
	}
	for (i = 0; i < n; i++) {
		struct account_row a, mgr;
		struct profile_view *pv;
		const char *manager = "";
		int ns;

		if (store_account_get(ids[i], &a) != STORE_OK || people_view_load(v, &a, &pv) != M_OK)
			continue;
		if (pv->p.manager_id && store_account_get(pv->p.manager_id, &mgr) == STORE_OK &&
		    audience_may_see_account(v, &mgr))
			manager = mgr.username;
		ns = people_skills(a.id, 0, skills, PEOPLE_SKILLS_MAX);
		fn(pv, skills, ns > 0 ? (size_t)ns : 0, manager, ctx);
		people_view_free(pv);
	}
	free(skills);
	free(ids);
	return M_OK;
}

struct csv_ctx {
	struct buf *out;
	struct field_def_row defs[PEOPLE_FIELDS_MAX];
	size_t ndefs;
	int vis_max;
};

static void csv_row(const struct profile_view *pv, const struct profile_skill_row *skills,
		    size_t nskills, const char *manager, void *ctx)
{
	struct csv_ctx *c = ctx;
	struct buf list = BUF_INIT;
	char url[700];
	size_t i, k;
	int f;

	csv_put_field(c->out, pv->account.username, 1);
	buf_putc(c->out, ',');
	csv_put_field(c->out, pv->account.display_name, 1);
	for (f = 0; f < PF_NTEXT; f++) {
		buf_putc(c->out, ',');
		csv_put_field(c->out, pv->p.text[f], 1);
	}
	for (i = 0; i < pv->nlanguages; i++) {
		if (i)
			buf_puts(&list, "; ");
		buf_puts(&list, pv->languages[i]);
	}
	buf_putc(c->out, ',');
	csv_put_field(c->out, buf_str(&list), 1);
	buf_reset(&list);
	buf_putc(c->out, ',');
	csv_put_field(c->out, manager, 1);
	for (i = 0; i < nskills; i++) {
		if (i)
			buf_puts(&list, "; ");
		buf_printf(&list, "%s:%s", skills[i].name, people_level_name(skills[i].level));
	}
	buf_putc(c->out, ',');
	csv_put_field(c->out, buf_str(&list), 1);
	buf_reset(&list);
	for (i = 0; i < pv->ninterests; i++) {
		if (i)
			buf_puts(&list, "; ");
		buf_puts(&list, pv->interests[i]);
	}
	buf_putc(c->out, ',');
	csv_put_field(c->out, buf_str(&list), 1);
	buf_release(&list);
	buf_putc(c->out, ',');
	csv_put_field(c->out, pv->account.note, 1);
	for (k = 0; k < c->ndefs; k++) {
		const char *val = "";

		for (i = 0; i < pv->ncustom; i++)
			if (pv->custom[i].field_id == c->defs[k].id)
				val = pv->custom[i].value;
		buf_putc(c->out, ',');
		csv_put_field(c->out, val, 1);
	}
	snprintf(url, sizeof url, "%s/@%s", people_base_url(), pv->account.username);
	buf_putc(c->out, ',');
	csv_put_field(c->out, url, 1);
	csv_end_record(c->out);
}

static void note_export_def(const struct field_def_row *d, void *ctx)
{
	struct csv_ctx *c = ctx;

	if (c->ndefs < PEOPLE_FIELDS_MAX && d->visibility <= c->vis_max)
		c->defs[c->ndefs++] = *d;
}

enum mresult people_export_csv(const struct viewer *v, const char *q, const char *department,
			       const char *location, const char *language, const char *skill,
			       struct buf *out)
{
	struct csv_ctx *c;
	enum mresult r;
	size_t k;
	int f;

	if (!viewer_is_staff(v))
		return M_FORBIDDEN;
	c = calloc(1, sizeof *c);
	if (!c)
		return M_ERROR;
	c->out = out;
	c->vis_max = VIS_ORGANISATION;
	store_field_defs(note_export_def, c);
	buf_puts(out, "username,name");
	for (f = 0; f < PF_NTEXT; f++) {
		buf_putc(out, ',');
		buf_puts(out, people_fact_name(f));
	}
	buf_puts(out, ",languages,manager,skills,interests,bio");
	for (k = 0; k < c->ndefs; k++) {
		buf_putc(out, ',');
		csv_put_field(out, c->defs[k].name, 1);
	}
	buf_puts(out, ",profile_url");
	csv_end_record(out);
	r = people_export(v, q, department, location, language, skill, csv_row, c);
	free(c);
	if (r == M_OK && out->failed)
		r = M_ERROR;
	return r;
}
