/*
 * routes.c - every JSON route, and the health check.
 */
#include "api/api.h"
#include "api/mastodon/mastodon.h"
#include "api/mastodon/streaming.h"
#include "api/parley/parley.h"
#include "http/response.h"
#include "http/router.h"
#include "store/store.h"

void mastodon_apps_routes(void);
void mastodon_oauth_routes(void);
void mastodon_accounts_routes(void);
void mastodon_statuses_routes(void);
void mastodon_timelines_routes(void);
void mastodon_notifications_routes(void);
void mastodon_media_routes(void);
void mastodon_lists_routes(void);
/* issue 6: Mastodon client API completeness */
void mastodon_instance_routes(void);
void mastodon_announcements_routes(void);
void mastodon_filters_routes(void);
void mastodon_follow_requests_routes(void);
void mastodon_conversations_routes(void);
void mastodon_discovery_routes(void);
void mastodon_search_routes(void);

/* GET /healthz: 200 when the database answers, 503 when it does not. */
static void get_healthz(struct request *rq, struct response *rs)
{
	(void)rq;
	if (store_ping() != STORE_OK) {
		resp_json(rs, 503, json_pack("{s:s, s:s}", "status", "error", "error", "database unavailable"));
		return;
	}
	resp_json(rs, 200, json_pack("{s:s}", "status", "ok"));
}

void mastodon_routes(void)
{
	mastodon_apps_routes();
	mastodon_oauth_routes();
	mastodon_accounts_routes();
	mastodon_statuses_routes();
	mastodon_timelines_routes();
	mastodon_notifications_routes();
	mastodon_streaming_routes();
	mastodon_media_routes();
	mastodon_lists_routes();
	/* issue 6 */
	mastodon_instance_routes();
	mastodon_announcements_routes();
	mastodon_filters_routes();
	mastodon_follow_requests_routes();
	mastodon_conversations_routes();
	mastodon_discovery_routes();
	mastodon_search_routes();
}

void api_routes(void)
{
	router_add("GET", "/healthz", get_healthz, ROUTE_API, NULL);
	mastodon_routes();
	parley_metrics_routes();   /* issue 7: metrics and listening (watches) */
	parley_watches_routes();
	parley_spaces_routes();
	parley_questions_routes();   /* issue 7 */
	parley_ideas_routes();   /* issue 7 */
	parley_routes();
	parley_routing_routes();   /* issue 7: routing, listeners, the queue */
#ifdef PARLEY_BENCH
	bench_ceiling_routes();   /* issue 8: only in the benchmark build */
#endif
}
