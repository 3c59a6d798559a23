/*
 * person.h - what the person page (/@username) shows about someone
 * beyond their posts: the profile facts the viewer may read, availability,
 * skills with endorsements and endorse buttons, the reporting line,
 * contributions, what the viewer shares with them, how they are connected,
 * and the links to the vCard and QR code. See web/person.c.
 */
#ifndef PARLEY_WEB_PERSON_H
#define PARLEY_WEB_PERSON_H

#include <jansson.h>

#include "http/request.h"
#include "store/store.h"

/* The "person" object of templates/profile.html for account a (which the
 * viewer may see). New reference. */
json_t *web_person_json(struct request *rq, const struct account_row *a);

void web_person_routes(void);

#endif
