/*
 * registration.h - who may create an account, and invites.
 *
 * The registration policy is an instance setting an admin chooses:
 *   closed  (the default) nobody signs up; admins create accounts
 *           (parley admin create-user) and invite links do not work;
 *   invite  invite links work: each makes a staff member or a guest, is
 *           single- or multi-use, and may expire;
 *   open    anyone whose email is in one of the listed domains may sign up
 *           as staff; invite links work too.
 */
#ifndef PARLEY_MODEL_REGISTRATION_H
#define PARLEY_MODEL_REGISTRATION_H

#include <stddef.h>
#include <stdint.h>

#include "model/account.h"
#include "model/result.h"
#include "store/store.h"

enum reg_mode { REG_CLOSED, REG_INVITE, REG_OPEN };

struct reg_policy {
	enum reg_mode mode;
	char domains[1024]; /* space-separated, lowercase */
};

const char *registration_mode_name(enum reg_mode m);
int registration_mode_parse(const char *s, enum reg_mode *out);
enum mresult registration_get(struct reg_policy *p);
/* domains: separated by spaces, commas or newlines; each a DNS name. */
enum mresult registration_set(enum reg_mode mode, const char *domains, char *err, size_t errlen);

/* Create an invite. kind "staff" or "guest"; max_uses 0 = unlimited;
 * expires_at 0 = never. */
enum mresult invite_create(int64_t created_by, const char *kind, int max_uses,
			   int64_t expires_at, struct invite_row *out, char *err, size_t errlen);
/* Is this invite usable now (policy allows invites, not revoked, not
 * expired, not used up)? M_NOTFOUND with a reason otherwise. */
enum mresult invite_check(const char *code, struct invite_row *out, char *err, size_t errlen);
/* Create an account through an invite, counting one use, atomically. The
 * role of `n` is ignored: the invite's kind decides. */
enum mresult invite_redeem(const char *code, struct account_new *n, struct account_row *out,
			   char *err, size_t errlen);
enum mresult invite_revoke(int64_t id);

/* Open sign-up: M_FORBIDDEN when the policy is not open or the email's
 * domain is not listed. Creates a staff account. */
enum mresult registration_signup(struct account_new *n, struct account_row *out,
				 char *err, size_t errlen);

#endif
