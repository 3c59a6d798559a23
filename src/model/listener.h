/*
 * listener.h - listeners: the people who make sure nothing said to the
 * organisation goes unheard (issue 7; some organisations call the role
 * Chief Listener).
 *
 * Two scopes:
 *   space listeners   listen to one space (its questions, its mentions and
 *                     keywords); each must be a member of the space. Added
 *                     and removed by the space's owners and moderators, and
 *                     by admins.
 *   org listeners     listen to the whole organisation (questions outside
 *                     spaces, and every queue item they may read); staff
 *                     only. Added and removed by admins.
 *
 * Being a listener never widens what a person may read: queue items and
 * candidates are still filtered by the audience rule (model/audience.h).
 *
 * Every function answers an mresult with a message in err; nothing here
 * allocates what the caller must free.
 */
#ifndef PARLEY_MODEL_LISTENER_H
#define PARLEY_MODEL_LISTENER_H

#include <stddef.h>
#include <stdint.h>

#include "model/result.h"
#include "model/viewer.h"

struct space_view;

/* 1 when v is a listener of space_id (> 0), or an organisation-wide listener when space_id is 0. */
int listener_is(const struct viewer *v, int64_t space_id);
/* 1 when v is an organisation-wide listener. */
int listener_is_org(const struct viewer *v);

/* Ids of the spaces v listens to (up to max); the count, 0 for anonymous
 * viewers or on a storage error (fail closed). */
int listener_spaces(const struct viewer *v, int64_t *ids, int max);

/* May v see the listeners of the scope (sv NULL: the organisation)?
 * Space: its owners and moderators, its listeners, org listeners,
 * admins. Organisation: admins and org listeners. */
int listener_may_list(const struct viewer *v, const struct space_view *sv);
/* May v add and remove listeners? Space: its owners and moderators,
 * admins. Organisation: admins. */
int listener_may_manage(const struct viewer *v, const struct space_view *sv);

/* Calls fn for each listener account of the scope (sv NULL: the
 * organisation), oldest first. M_FORBIDDEN when v may not list them,
 * M_ERROR on storage failure. The row is borrowed for the call. */
enum mresult listener_list(const struct viewer *v, const struct space_view *sv,
			   void (*fn)(const struct account_row *, void *), void *ctx,
			   char *err, size_t errlen);
/* Add account_id as a listener of the scope. M_FORBIDDEN when v may not
 * manage them; M_INVALID when the account does not exist, is suspended,
 * is not a member of the space (space scope) or is not staff
 * (organisation). Adding an existing listener is not an error. */
enum mresult listener_add(const struct viewer *v, const struct space_view *sv, int64_t account_id,
			  char *err, size_t errlen);
/* Remove; removing someone who is not a listener is not an error. */
enum mresult listener_remove(const struct viewer *v, const struct space_view *sv, int64_t account_id,
			     char *err, size_t errlen);

/* The account ids of a scope's listeners who may still act as such
 * (members of the space, or staff for the organisation; not suspended),
 * for notifications (escalation). Up to max; the count, -1 on error. */
int listener_ids(int64_t space_id, int64_t *ids, int max);

#endif
