/*
 * relationship.h - follows, blocks and mutes between accounts, and
 * followed hashtags.
 *
 * Following is immediate, except for a locked account: following it makes
 * a follow request (the account gets a "follow_request" notification),
 * and the follow exists only once the account authorizes the request
 * (follow_request_authorize); rejecting or unfollowing drops the request.
 * A block cuts both ways: it removes follows in both
 * directions, and neither side can follow, see or reply to the other
 * (model/audience.c). Muting hides the target from the muter's home
 * timeline and, optionally, their notifications, for a while or for good.
 */
#ifndef PARLEY_MODEL_RELATIONSHIP_H
#define PARLEY_MODEL_RELATIONSHIP_H

#include <stdint.h>

#include "model/result.h"
#include "model/viewer.h"

struct relationship {
	int64_t id;                /* the other account */
	int following, followed_by;
	int blocking, blocked_by;
	int muting, muting_notifications;
	int requested;             /* the viewer asked to follow them, unanswered */
	int requested_by;          /* they asked to follow the viewer */
};

enum mresult relationship_get(const struct viewer *v, int64_t target, struct relationship *out);
enum mresult relationship_follow(const struct viewer *v, int64_t target, char *err, size_t errlen);
enum mresult relationship_unfollow(const struct viewer *v, int64_t target, char *err, size_t errlen);
enum mresult relationship_block(const struct viewer *v, int64_t target, char *err, size_t errlen);
enum mresult relationship_unblock(const struct viewer *v, int64_t target, char *err, size_t errlen);
/* duration_s 0: until unmuted. */
enum mresult relationship_mute(const struct viewer *v, int64_t target, int notifications,
			       int64_t duration_s, char *err, size_t errlen);
enum mresult relationship_unmute(const struct viewer *v, int64_t target, char *err, size_t errlen);

/* Answer a follow request that `requester` made to v (v's account is the
 * locked one): authorize makes the follow, reject drops the request.
 * M_NOTFOUND when there is no such request. */
enum mresult follow_request_authorize(const struct viewer *v, int64_t requester, char *err, size_t errlen);
enum mresult follow_request_reject(const struct viewer *v, int64_t requester, char *err, size_t errlen);
/* Authorize every pending request to v (v's account was just unlocked,
 * as Mastodon does). M_OK or M_ERROR. */
enum mresult follow_request_authorize_all(const struct viewer *v);

/* Follow or unfollow a hashtag (created on first follow). The tag name is
 * checked: letters, digits and underscores, not all digits, 1-100 chars. */
enum mresult tag_follow(const struct viewer *v, const char *name, int on, char *err, size_t errlen);
/* 1 when name is a valid hashtag name. */
int tag_name_valid(const char *name);

#endif
