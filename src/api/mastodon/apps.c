/*
 * apps.c - OAuth application registration: POST /api/v1/apps and
 * GET /api/v1/apps/verify_credentials (Mastodon's Application entity).
 */
#include "api/mastodon/mastodon.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/id.h"
#include "lib/json_list.h"
#include "model/oauth.h"

#include <stdio.h>
#include <string.h>

static json_t *application_json(const struct app_row *a, const char *secret)
{
	char id[24];
	json_t *j;

	/* redirect_uri (deprecated) is the URIs joined by newlines, as stored */
	j = json_pack("{s:s, s:s, s:o, s:s, s:o, s:s, s:o}",
		      "id", id_format(id, sizeof id, a->id),
		      "name", a->name,
		      "website", a->website[0] ? json_string(a->website) : json_null(),
		      "redirect_uri", a->redirect_uris,
		      "redirect_uris", json_list_split(a->redirect_uris, '\n'),
		      "vapid_key", "",
		      "scopes", json_list_split(a->scopes, ' '));
	if (!j)
		return NULL;
	if (secret) {
		json_object_set_new(j, "client_id", json_string(a->client_id));
		json_object_set_new(j, "client_secret", json_string(secret));
		json_object_set_new(j, "client_secret_expires_at", json_integer(0));
	}
	return j;
}

static void post_apps(struct request *rq, struct response *rs)
{
	const char *uris[16];
	char joined[2048], err[256], secret[SECRET_TOKEN_LEN + 1];
	struct app_row app;
	size_t n, i, len = 0;
	enum mresult r;

	/* redirect_uris: a string (newline/space separated) or an array */
	n = params_get_array(&rq->form, "redirect_uris", uris, 16);
	if (!n)
		n = params_get_array(&rq->query, "redirect_uris", uris, 16);
	joined[0] = '\0';
	for (i = 0; i < n; i++) {
		int w = snprintf(joined + len, sizeof joined - len, "%s%s", len ? "\n" : "", uris[i]);

		if (w < 0 || (size_t)w >= sizeof joined - len) {
			resp_json_error(rs, 422, "redirect_uris is too long");
			return;
		}
		len += (size_t)w;
	}
	r = oauth_app_create(req_arg(rq, "client_name"), joined, req_arg(rq, "scopes"),
			     req_arg(rq, "website"), &app, secret, sizeof secret, err, sizeof err);
	if (r != M_OK) {
		resp_json_error(rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, application_json(&app, secret));
}

static void get_verify_app(struct request *rq, struct response *rs)
{
	struct app_row app;

	if (store_app_get(rq->viewer.app_id, &app) != STORE_OK) {
		resp_json_error(rs, 401, "The access token is invalid");
		return;
	}
	resp_json(rs, 200, application_json(&app, NULL));
}

void mastodon_apps_routes(void)
{
	router_add("POST", "/api/v1/apps", post_apps, ROUTE_API, NULL);
	router_add("GET", "/api/v1/apps/verify_credentials", get_verify_app,
		   ROUTE_API | ROUTE_AUTH | ROUTE_APP_OK, NULL);
}
