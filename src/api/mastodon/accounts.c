/*
 * accounts.c - /api/v1/accounts endpoints. Today: verify_credentials,
 * the signed-in user's own account with its source.
 */
#include "api/mastodon/mastodon.h"
#include "http/response.h"
#include "http/router.h"

static void get_verify_credentials(struct request *rq, struct response *rs)
{
	resp_json(rs, 200, mastodon_account(rq, &rq->viewer.account, 1));
}

void mastodon_accounts_routes(void)
{
	router_add("GET", "/api/v1/accounts/verify_credentials", get_verify_credentials,
		   ROUTE_API | ROUTE_AUTH, "read:accounts|profile");
}
