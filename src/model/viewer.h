/*
 * viewer.h - who is asking: the account behind a request, and how it
 * proved itself (browser session or OAuth token with scopes).
 *
 * The HTTP layer fills one per request (http/auth.c); the model uses it
 * for every permission and audience decision. A viewer with signed_in == 0
 * is an anonymous visitor.
 */
#ifndef PARLEY_MODEL_VIEWER_H
#define PARLEY_MODEL_VIEWER_H

#include "store/store.h"

struct viewer {
	int signed_in;
	struct account_row account;
	/* browser session */
	int64_t session_id;
	char csrf[64];
	int session_refreshed;   /* renew the cookie's Max-Age in the response */
	/* OAuth token */
	int via_token;
	int64_t token_id;
	int64_t app_id;
	char scopes[512];
};

static inline int viewer_is_admin(const struct viewer *v)
{
	return v->signed_in && v->account.is_admin;
}

static inline int viewer_is_staff(const struct viewer *v)
{
	return v->signed_in && v->account.kind[0] == 's';
}

#endif
