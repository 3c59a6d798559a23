/*
 * registration.c - registration policy and invites (see registration.h).
 */
#include "model/registration.h"
#include "model/space.h"
#include "lib/id.h"
#include "lib/secret.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const mode_names[] = { "closed", "invite", "open" };

const char *registration_mode_name(enum reg_mode m)
{
	return mode_names[m];
}

int registration_mode_parse(const char *s, enum reg_mode *out)
{
	int i;

	for (i = 0; s && i < 3; i++) {
		if (!strcmp(s, mode_names[i])) {
			*out = (enum reg_mode)i;
			return 0;
		}
	}
	return -1;
}

enum mresult registration_get(struct reg_policy *p)
{
	char mode[32];

	memset(p, 0, sizeof *p);
	if (store_setting_get("registration_mode", mode, sizeof mode) != STORE_OK ||
	    store_setting_get("registration_domains", p->domains, sizeof p->domains) != STORE_OK)
		return M_ERROR;
	if (registration_mode_parse(mode, &p->mode) < 0)
		p->mode = REG_CLOSED;
	return M_OK;
}

static int valid_domain(const char *d)
{
	size_t i, len = strlen(d);

	if (!len || len > 253 || d[0] == '.' || d[0] == '-' || d[len - 1] == '.' || !strchr(d, '.'))
		return 0;
	for (i = 0; i < len; i++)
		if (!(isalnum((unsigned char)d[i]) || d[i] == '.' || d[i] == '-'))
			return 0;
	return 1;
}

enum mresult registration_set(enum reg_mode mode, const char *domains, char *err, size_t errlen)
{
	char out[1024], w[256];
	const char *p = domains ? domains : "";
	size_t len = 0;

	out[0] = '\0';
	while (*p) {
		size_t wl, i;

		p += strspn(p, " ,\n\r\t");
		if (!*p)
			break;
		wl = strcspn(p, " ,\n\r\t");
		if (wl >= sizeof w || len + wl + 2 > sizeof out) {
			snprintf(err, errlen, "The list of domains is too long");
			return M_INVALID;
		}
		for (i = 0; i < wl; i++)
			w[i] = (char)tolower((unsigned char)p[i]);
		w[wl] = '\0';
		p += wl;
		if (!valid_domain(w)) {
			char shown[64];

			utf8_copy(shown, sizeof shown, w);
			snprintf(err, errlen, "Not a domain name: %s", shown);
			return M_INVALID;
		}
		if (len)
			out[len++] = ' ';
		memcpy(out + len, w, wl + 1);
		len += wl;
	}
	if (mode == REG_OPEN && !len) {
		snprintf(err, errlen, "Open registration needs at least one email domain");
		return M_INVALID;
	}
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	if (store_setting_set("registration_mode", mode_names[mode]) != STORE_OK ||
	    store_setting_set("registration_domains", out) != STORE_OK ||
	    store_commit() != STORE_OK) {
		store_rollback();
		snprintf(err, errlen, "Database error");
		return M_ERROR;
	}
	return M_OK;
}

enum mresult invite_create(int64_t created_by, const char *kind, int max_uses,
			   int64_t expires_at, struct invite_row *out, char *err, size_t errlen)
{
	struct invite_row v;

	if (!kind || (strcmp(kind, "staff") && strcmp(kind, "guest"))) {
		snprintf(err, errlen, "An invite makes a staff member or a guest");
		return M_INVALID;
	}
	if (max_uses < 0 || max_uses > 100000) {
		snprintf(err, errlen, "Uses must be between 0 (unlimited) and 100000");
		return M_INVALID;
	}
	if (expires_at && expires_at <= time_now_ms()) {
		snprintf(err, errlen, "The expiry must be in the future");
		return M_INVALID;
	}
	memset(&v, 0, sizeof v);
	v.id = id_next();
	secret_code(v.code, sizeof v.code, 22);
	v.created_by = created_by;
	snprintf(v.kind, sizeof v.kind, "%s", kind);
	v.max_uses = max_uses;
	v.expires_at = expires_at;
	v.created_at = time_now_ms();
	if (store_invite_insert(&v) != STORE_OK) {
		snprintf(err, errlen, "Database error");
		return M_ERROR;
	}
	*out = v;
	return M_OK;
}

enum mresult invite_check(const char *code, struct invite_row *out, char *err, size_t errlen)
{
	struct reg_policy pol;
	int rc;

	if (registration_get(&pol) != M_OK) {
		snprintf(err, errlen, "Database error; try again");
		return M_ERROR;
	}
	if (pol.mode == REG_CLOSED) {
		snprintf(err, errlen, "Registration is closed: invite links do not work at the moment");
		return M_FORBIDDEN;
	}
	if (!code || strlen(code) >= sizeof out->code) {
		snprintf(err, errlen, "This invite link is not valid");
		return M_NOTFOUND;
	}
	rc = store_invite_by_code(code, out);
	if (rc == STORE_ERROR) {
		snprintf(err, errlen, "Database error; try again");
		return M_ERROR;
	}
	if (rc != STORE_OK || out->revoked) {
		snprintf(err, errlen, "This invite link is not valid");
		return M_NOTFOUND;
	}
	if (out->expires_at && out->expires_at <= time_now_ms()) {
		snprintf(err, errlen, "This invite link has expired");
		return M_NOTFOUND;
	}
	if (out->max_uses && out->uses >= out->max_uses) {
		snprintf(err, errlen, "This invite link has already been used");
		return M_NOTFOUND;
	}
	return M_OK;
}

enum mresult invite_redeem(const char *code, struct account_new *n, struct account_row *out,
			   char *err, size_t errlen)
{
	struct invite_row v;
	enum mresult r;

	r = invite_check(code, &v, err, errlen);
	if (r != M_OK)
		return r;
	n->role = strcmp(v.kind, "guest") ? ROLE_STAFF : ROLE_GUEST;
	/* hash before the transaction: it is slow and needs no lock */
	r = account_prepare(n, out, err, errlen);
	if (r != M_OK)
		return r;
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	if (store_invite_use(v.id, time_now_ms()) != STORE_OK) {
		store_rollback();
		snprintf(err, errlen, "This invite link has already been used");
		return M_NOTFOUND;
	}
	r = account_insert(out, err, errlen);
	if (r != M_OK) {
		store_rollback();
		return r;
	}
	/* an email invitation to a space makes the newcomer a member */
	if (space_invite_redeemed(v.id, out->id, time_now_ms()) != STORE_OK) {
		store_rollback();
		snprintf(err, errlen, "Database error");
		return M_ERROR;
	}
	if (store_commit() != STORE_OK) {
		store_rollback();
		snprintf(err, errlen, "Database error");
		return M_ERROR;
	}
	return M_OK;
}

enum mresult invite_revoke(int64_t id)
{
	int rc = store_invite_revoke(id);

	return rc == STORE_OK ? M_OK : rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
}

static int domain_listed(const char *domains, const char *email)
{
	const char *at = strrchr(email, '@'), *p = domains;
	size_t dl;

	if (!at)
		return 0;
	at++;
	dl = strlen(at);
	while (*p) {
		size_t len = strcspn(p, " ");

		if (len == dl && !strncasecmp(p, at, len))
			return 1;
		p += len;
		if (*p)
			p++;
	}
	return 0;
}

enum mresult registration_signup(struct account_new *n, struct account_row *out,
				 char *err, size_t errlen)
{
	struct reg_policy pol;

	if (registration_get(&pol) != M_OK) {
		snprintf(err, errlen, "Database error; try again");
		return M_ERROR;
	}
	if (pol.mode != REG_OPEN) {
		snprintf(err, errlen, "Registration is not open; ask an administrator for an invite");
		return M_FORBIDDEN;
	}
	if (!n->email || !domain_listed(pol.domains, n->email)) {
		snprintf(err, errlen, "Sign-up is open only to email addresses at: %s", pol.domains);
		return M_FORBIDDEN;
	}
	n->role = ROLE_STAFF;
	return account_create(n, out, err, errlen);
}
