/*
 * account.h - accounts: who may exist, sign in, and with which role.
 *
 * Kinds: staff (the organisation's people) and guest (invited customers
 * and partners); remote accounts arrive with federation. Roles admin and
 * moderator sit on top of staff; a guest never holds a role.
 * Usernames: 1-30 of [A-Za-z0-9_], unique without regard to case.
 */
#ifndef PARLEY_MODEL_ACCOUNT_H
#define PARLEY_MODEL_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "model/result.h"
#include "store/store.h"

enum account_role { ROLE_GUEST, ROLE_STAFF, ROLE_MODERATOR, ROLE_ADMIN };

/* "admin" | "moderator" | "staff" | "guest"; -1 when unknown. */
int account_role_parse(const char *s, enum account_role *out);
const char *account_role_name(const struct account_row *a);

struct account_new {
	const char *username;
	const char *email;
	const char *display_name;  /* NULL or "": the username */
	const char *password;
	enum account_role role;
};

/* Check the fields of a new account (no storage access). */
enum mresult account_validate(const struct account_new *n, char *err, size_t errlen);

/* Validate and hash the password into a row ready for account_insert().
 * Slow (Argon2, ~70 ms): call it outside any transaction. */
enum mresult account_prepare(const struct account_new *n, struct account_row *out,
			     char *err, size_t errlen);
/* Insert a prepared row. M_CONFLICT when the username or email is taken. */
enum mresult account_insert(const struct account_row *a, char *err, size_t errlen);

/* Validate, hash the password and insert. M_CONFLICT when the username or
 * email is taken. Does not open a transaction (callers may wrap it). */
enum mresult account_create(const struct account_new *n, struct account_row *out,
			    char *err, size_t errlen);

/* Create the first admin, only while no account exists (checked inside a
 * transaction, so two racing setup forms make one admin). M_FORBIDDEN
 * when an account already exists. */
enum mresult account_create_first(const struct account_new *n, struct account_row *out,
				  char *err, size_t errlen);

/* Sign-in by username or email. M_UNAUTHORIZED for a wrong name or
 * password (the same answer for both), M_LIMITED with *retry_after set when
 * rate-limited, M_FORBIDDEN for a suspended account. */
enum mresult account_authenticate(const char *login, const char *password, const char *ip,
				  struct account_row *out, int *retry_after,
				  char *err, size_t errlen);

enum mresult account_set_role(int64_t id, enum account_role role, char *err, size_t errlen);
/* Suspending also ends the account's sessions and revokes its tokens. */
enum mresult account_set_suspended(int64_t id, int suspended, char *err, size_t errlen);
/* Set a new password (rules checked). Ends other sessions (all when
 * keep_session is 0) and revokes OAuth tokens. */
enum mresult account_set_password(int64_t id, const char *password, int64_t keep_session,
				  char *err, size_t errlen);
/* The user changes their own password: `current` must be right, and
 * wrong guesses count against the same sign-in limit (M_LIMITED with
 * *retry_after). Other sessions end (keep_session stays) and OAuth tokens
 * and pending codes are revoked. */
enum mresult account_change_password(int64_t id, const char *current, const char *password,
				     int64_t keep_session, const char *ip, int *retry_after,
				     char *err, size_t errlen);
/* Look up by username, or by id when `who` is all digits. */
/* What update_credentials may change: each field NULL (or the flag -1)
 * to leave it alone. */
struct account_profile_edit {
	const char *display_name;   /* up to 100 characters */
	const char *note;           /* up to 500 characters */
	int locked, bot, discoverable, profile_public;
};
/* Validate and apply; *out gets the updated row. M_INVALID with err. */
enum mresult account_update_profile(int64_t id, const struct account_profile_edit *e,
				    struct account_row *out, char *err, size_t errlen);
enum mresult account_find(const char *who, struct account_row *out);

#endif
