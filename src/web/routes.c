/*
 * routes.c - every HTML route, and the HTML error page.
 */
#include "http/response.h"
#include "web/page.h"
#include "web/web.h"

void web_static_routes(void);
void web_metrics_routes(void);   /* issue 7: metrics and watches */
void web_watches_routes(void);
void web_auth_routes(void);
void web_settings_routes(void);
void web_admin_routes(void);
void web_oauth_routes(void);
void web_conversation_routes(void);
void web_people_routes(void);
void web_live_routes(void);
void web_space_routes(void);
void web_admin_instance_routes(void); /* issue 6 */
void web_person_routes(void);
void web_directory_routes(void);
void web_profile_settings_routes(void);
void web_admin_people_routes(void);
void web_question_routes(void);   /* issue 7 */
void web_idea_routes(void);           /* issue 7 */
void web_queue_routes(void);          /* issue 7: queue and routing pages */
void web_routing_routes(void);

void web_routes(void)
{
	http_set_error_page(page_error);
	web_static_routes();
	web_metrics_routes();   /* issue 7 */
	web_watches_routes();
	web_auth_routes();
	web_settings_routes();
	web_admin_routes();
	web_oauth_routes();
	web_person_routes();       /* before the post pages' /@:user/:id */
	web_conversation_routes();
	web_people_routes();
	web_live_routes();
	web_space_routes();
	web_admin_instance_routes();
	web_directory_routes();
	web_profile_settings_routes();
	web_admin_people_routes();
	web_question_routes();
	web_idea_routes();
	web_queue_routes();
	web_routing_routes();
}
