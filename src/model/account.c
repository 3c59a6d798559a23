/*
 * account.c - account rules (see account.h).
 */
#include "model/account.h"
#include "store/store_spaces.h"
#include "model/authlimit.h"
#include "model/password.h"
#include "lib/id.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"

#include <stdio.h>
#include <string.h>

int account_role_parse(const char *s, enum account_role *out)
{
	if (!s)
		return -1;
	if (!strcmp(s, "admin"))
		*out = ROLE_ADMIN;
	else if (!strcmp(s, "moderator"))
		*out = ROLE_MODERATOR;
	else if (!strcmp(s, "staff"))
		*out = ROLE_STAFF;
	else if (!strcmp(s, "guest"))
		*out = ROLE_GUEST;
	else
		return -1;
	return 0;
}

const char *account_role_name(const struct account_row *a)
{
	if (a->is_admin)
		return "admin";
	if (a->is_moderator)
		return "moderator";
	return strcmp(a->kind, "guest") ? "staff" : "guest";
}

static void role_fields(enum account_role r, const char **kind, int *admin, int *mod)
{
	*kind = r == ROLE_GUEST ? "guest" : "staff";
	*admin = r == ROLE_ADMIN;
	*mod = r == ROLE_MODERATOR;
}

static int valid_username(const char *u)
{
	size_t i;

	for (i = 0; u[i]; i++) {
		char c = u[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return i >= 1 && i <= ACCOUNT_USERNAME_MAX;
}

static int valid_email(const char *e)
{
	const char *at = strchr(e, '@');
	size_t len = strlen(e), i;

	if (!at || at == e || strchr(at + 1, '@') || len > ACCOUNT_EMAIL_MAX)
		return 0;
	if (!strchr(at + 1, '.') || at[1] == '.' || e[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)e[i] <= ' ' || e[i] == '<' || e[i] == '>' || e[i] == '"' || e[i] == ',')
			return 0;
	return 1;
}

enum mresult account_validate(const struct account_new *n, char *err, size_t errlen)
{
	if (!n->username || !valid_username(n->username)) {
		snprintf(err, errlen, "Username must be 1 to %d letters, digits or underscores",
			 ACCOUNT_USERNAME_MAX);
		return M_INVALID;
	}
	if (!n->email || !valid_email(n->email)) {
		snprintf(err, errlen, "Email address is not valid");
		return M_INVALID;
	}
	if (!utf8_valid(n->email, strlen(n->email)) ||
	    (n->display_name && !utf8_valid(n->display_name, strlen(n->display_name)))) {
		snprintf(err, errlen, "Email and display name must be UTF-8 text");
		return M_INVALID;
	}
	if (n->display_name && strlen(n->display_name) > 200) {
		snprintf(err, errlen, "Display name is too long (200 bytes at most)");
		return M_INVALID;
	}
	if (!n->password) {
		snprintf(err, errlen, "Password is missing");
		return M_INVALID;
	}
	if (password_check(n->password, n->username, n->email, err, errlen) < 0)
		return M_INVALID;
	return M_OK;
}

enum mresult account_prepare(const struct account_new *n, struct account_row *a,
			     char *err, size_t errlen)
{
	const char *kind;
	enum mresult r;

	r = account_validate(n, err, errlen);
	if (r != M_OK)
		return r;
	memset(a, 0, sizeof *a);
	a->id = id_next();
	snprintf(a->username, sizeof a->username, "%s", n->username);
	snprintf(a->email, sizeof a->email, "%s", n->email);
	snprintf(a->display_name, sizeof a->display_name, "%s",
		 n->display_name && *n->display_name ? n->display_name : n->username);
	role_fields(n->role, &kind, &a->is_admin, &a->is_moderator);
	snprintf(a->kind, sizeof a->kind, "%s", kind);
	a->discoverable = 1;
	a->created_at = time_now_ms();
	if (password_hash(n->password, a->password_hash, sizeof a->password_hash) < 0) {
		snprintf(err, errlen, "Could not hash the password");
		return M_ERROR;
	}
	return M_OK;
}

enum mresult account_insert(const struct account_row *a, char *err, size_t errlen)
{
	struct account_row other;
	int rc = store_account_insert(a);

	if (rc == STORE_CONFLICT) {
		if (store_account_by_username(a->username, &other) == STORE_OK)
			snprintf(err, errlen, "Username is already taken");
		else
			snprintf(err, errlen, "Email address is already in use");
		return M_CONFLICT;
	}
	if (rc != STORE_OK) {
		snprintf(err, errlen, "Could not save the account");
		return M_ERROR;
	}
	return M_OK;
}

enum mresult account_create(const struct account_new *n, struct account_row *out,
			    char *err, size_t errlen)
{
	struct account_row a;
	enum mresult r = account_prepare(n, &a, err, errlen);

	if (r == M_OK)
		r = account_insert(&a, err, errlen);
	if (r == M_OK && out)
		*out = a;
	return r;
}

enum mresult account_create_first(const struct account_new *n, struct account_row *out,
				  char *err, size_t errlen)
{
	struct account_row a;
	enum mresult r;

	/* hash before the transaction: it is slow and needs no lock */
	r = account_prepare(n, &a, err, errlen);
	if (r != M_OK)
		return r;
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	if (store_account_count() != 0) {
		store_rollback();
		snprintf(err, errlen, "Parley is already set up");
		return M_FORBIDDEN;
	}
	r = account_insert(&a, err, errlen);
	if (r != M_OK) {
		store_rollback();
		return r;
	}
	if (store_commit() != STORE_OK) {
		store_rollback();
		snprintf(err, errlen, "Could not save the account");
		return M_ERROR;
	}
	if (out)
		*out = a;
	return M_OK;
}

enum mresult account_authenticate(const char *login, const char *password, const char *ip,
				  struct account_row *out, int *retry_after,
				  char *err, size_t errlen)
{
	struct account_row a;
	int64_t now = time_now_ms();
	const char *key;
	int rc, wait;

	*retry_after = 0;
	if (!login || !*login || !password || strlen(login) > ACCOUNT_EMAIL_MAX ||
	    strlen(password) > PASSWORD_MAX) {
		snprintf(err, errlen, "Invalid username or password");
		return M_UNAUTHORIZED;
	}
	rc = strchr(login, '@') ? store_account_by_email(login, &a)
				: store_account_by_username(login, &a);
	if (rc == STORE_ERROR) {
		snprintf(err, errlen, "Database error");
		return M_ERROR;
	}
	/* count failures per account, whichever name it was reached by
	 * (username or email); an unknown name is counted as typed */
	key = rc == STORE_OK ? a.username : login;
	wait = authlimit_attempt(key, ip, now);
	if (wait > 0) {
		*retry_after = wait;
		snprintf(err, errlen, "Too many failed sign-in attempts; try again in %d seconds", wait);
		return M_LIMITED;
	}
	if (rc != STORE_OK || !a.password_hash[0]) {
		password_dummy_verify(password);
		snprintf(err, errlen, "Invalid username or password");
		return M_UNAUTHORIZED;
	}
	if (!password_verify(a.password_hash, password)) {
		snprintf(err, errlen, "Invalid username or password");
		return M_UNAUTHORIZED;
	}
	authlimit_success(key, ip);
	if (a.suspended) {
		snprintf(err, errlen, "Your account is suspended");
		return M_FORBIDDEN;
	}
	if (password_needs_rehash(a.password_hash)) {
		char h[160];

		if (password_hash(password, h, sizeof h) == 0)
			store_account_set_password(a.id, h);
	}
	store_account_touch(a.id, now);
	*out = a;
	return M_OK;
}

enum mresult account_set_role(int64_t id, enum account_role role, char *err, size_t errlen)
{
	const char *kind;
	int admin, mod, rc;

	role_fields(role, &kind, &admin, &mod);
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	rc = store_account_set_roles(id, kind, admin, mod);
	/* internal spaces are for staff: someone made a guest leaves them */
	if (rc == STORE_OK && !strcmp(kind, "guest"))
		rc = store_space_leave_internal(id);
	if (rc == STORE_OK && store_commit() != STORE_OK)
		rc = STORE_ERROR;
	if (rc != STORE_OK)
		store_rollback();
	if (rc == STORE_NOTFOUND) {
		snprintf(err, errlen, "No such account");
		return M_NOTFOUND;
	}
	if (rc != STORE_OK) {
		snprintf(err, errlen, "Database error");
		return M_ERROR;
	}
	return M_OK;
}

enum mresult account_set_suspended(int64_t id, int suspended, char *err, size_t errlen)
{
	int rc;

	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	rc = store_account_set_suspended(id, suspended);
	if (rc == STORE_OK && suspended) {
		if (store_session_delete_all(id, 0) != STORE_OK ||
		    store_token_revoke_account(id, time_now_ms()) != STORE_OK ||
		    store_code_delete(id, 0) != STORE_OK)
			rc = STORE_ERROR;
	}
	if (rc != STORE_OK || store_commit() != STORE_OK) {
		store_rollback();
		snprintf(err, errlen, rc == STORE_NOTFOUND ? "No such account" : "Database error");
		return rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
	}
	return M_OK;
}

enum mresult account_set_password(int64_t id, const char *password, int64_t keep_session,
				  char *err, size_t errlen)
{
	struct account_row a;
	char h[160];
	int rc;

	if (store_account_get(id, &a) != STORE_OK) {
		snprintf(err, errlen, "No such account");
		return M_NOTFOUND;
	}
	if (password_check(password, a.username, a.email, err, errlen) < 0)
		return M_INVALID;
	if (password_hash(password, h, sizeof h) < 0) {
		snprintf(err, errlen, "Could not hash the password");
		return M_ERROR;
	}
	if (store_begin() != STORE_OK) {
		snprintf(err, errlen, "Database is busy; try again");
		return M_ERROR;
	}
	rc = store_account_set_password(id, h);
	if (rc == STORE_OK)
		rc = store_session_delete_all(id, keep_session);
	if (rc == STORE_OK)
		rc = store_token_revoke_account(id, time_now_ms());
	if (rc == STORE_OK)
		rc = store_code_delete(id, 0);
	if (rc != STORE_OK || store_commit() != STORE_OK) {
		store_rollback();
		snprintf(err, errlen, "Database error");
		return M_ERROR;
	}
	return M_OK;
}

enum mresult account_change_password(int64_t id, const char *current, const char *password,
				     int64_t keep_session, const char *ip, int *retry_after,
				     char *err, size_t errlen)
{
	struct account_row a;
	int wait;

	*retry_after = 0;
	if (store_account_get(id, &a) != STORE_OK) {
		snprintf(err, errlen, "No such account");
		return M_NOTFOUND;
	}
	/* a stolen session must not become a way to guess the password */
	wait = authlimit_attempt(a.username, ip, time_now_ms());
	if (wait > 0) {
		*retry_after = wait;
		snprintf(err, errlen, "Too many wrong passwords; try again in %d seconds", wait);
		return M_LIMITED;
	}
	if (!current || !password_verify(a.password_hash, current)) {
		snprintf(err, errlen, "The current password is not right");
		return M_INVALID;
	}
	authlimit_success(a.username, ip);
	return account_set_password(id, password, keep_session, err, errlen);
}

enum mresult account_update_profile(int64_t id, const struct account_profile_edit *e,
				    struct account_row *out, char *err, size_t errlen)
{
	struct account_row a;
	int rc = store_account_get(id, &a);

	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? M_NOTFOUND : M_ERROR;
	if (e->display_name) {
		if (utf8_chars(e->display_name) > 100 || strlen(e->display_name) >= sizeof a.display_name) {
			snprintf(err, errlen, "Display name is too long (at most 100 characters)");
			return M_INVALID;
		}
		snprintf(a.display_name, sizeof a.display_name, "%s", e->display_name);
	}
	if (e->note) {
		if (utf8_chars(e->note) > 500 || strlen(e->note) >= sizeof a.note) {
			snprintf(err, errlen, "Bio is too long (at most 500 characters)");
			return M_INVALID;
		}
		snprintf(a.note, sizeof a.note, "%s", e->note);
	}
	if (e->locked >= 0)
		a.locked = !!e->locked;
	if (e->bot >= 0)
		a.bot = !!e->bot;
	if (e->discoverable >= 0)
		a.discoverable = !!e->discoverable;
	if (e->profile_public >= 0)
		a.profile_public = !!e->profile_public;
	if (store_account_update_profile(&a) != STORE_OK)
		return M_ERROR;
	*out = a;
	return M_OK;
}

enum mresult account_find(const char *who, struct account_row *out)
{
	int64_t id;
	int rc;

	if (!who || !*who)
		return M_NOTFOUND;
	if (id_parse(who, &id) == 0 && store_account_get(id, out) == STORE_OK)
		return M_OK;
	rc = strchr(who, '@') ? store_account_by_email(who, out) : store_account_by_username(who, out);
	return rc == STORE_OK ? M_OK : rc == STORE_ERROR ? M_ERROR : M_NOTFOUND;
}
