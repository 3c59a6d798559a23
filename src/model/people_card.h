/*
 * people_card.h - people sensemaking: what the person page and the card
 * show beside the profile itself. The reporting line (manager chain,
 * direct reports, peers), what the viewer shares with the person (skills,
 * interests, spaces, people both follow), how they are connected (the
 * shortest chain of follows or reporting lines, up to 3 steps),
 * contributions, and the living business card (vCard 4.0, QR code).
 *
 * Audience: every person named in any of these is one the viewer may see
 * (ACCOUNT_VISIBLE_SQL / audience_may_see_account); a chain never passes
 * through someone hidden from the viewer, and the manager chain stops at
 * the first manager the viewer may not see. Spaces shared are those both
 * are members of, so the viewer is a member of each (secret ones
 * included: the viewer knows them). The caller checks that the viewer may
 * see the person at all before calling any of these.
 */
#ifndef PARLEY_MODEL_PEOPLE_CARD_H
#define PARLEY_MODEL_PEOPLE_CARD_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "model/people.h"
#include "model/result.h"
#include "model/viewer.h"

#define PEOPLE_ORG_MAX 50
#define PEOPLE_PATH_MAX 3
#define PEOPLE_SHARED_MAX 20

struct people_org {
	int64_t chain[PEOPLE_CHAIN_MAX];   /* manager, their manager, ... */
	size_t nchain;
	int chain_more;                    /* the chain goes on beyond what is shown */
	int64_t reports[PEOPLE_ORG_MAX];
	size_t nreports;
	int64_t reports_total;             /* all direct reports, seen or not */
	int64_t peers[PEOPLE_ORG_MAX];     /* others with the same manager */
	size_t npeers;
};
enum mresult people_org(const struct viewer *v, int64_t account_id, struct people_org *out);

/* ids[0] is the viewer, ids[steps] the person; links[i] says how ids[i]
 * relates to ids[i + 1]: "follows", "is followed by", "reports to",
 * "manages". */
struct people_path {
	int64_t ids[PEOPLE_PATH_MAX + 1];
	const char *links[PEOPLE_PATH_MAX];
	size_t steps;
};
/* M_NOTFOUND when there is no chain of at most 3 steps (or no signed-in
 * viewer, or the viewer is the person). */
enum mresult people_connection(const struct viewer *v, int64_t target, struct people_path *out);

struct people_shared {
	char skills[PEOPLE_SHARED_MAX][SKILL_NAME_BYTES];
	size_t nskills;
	char interests[PEOPLE_SHARED_MAX][PROFILE_ITEM_BYTES];
	size_t ninterests;
	struct {
		int64_t id;
		char handle[40];
		char name[404];
	} spaces[PEOPLE_SHARED_MAX];
	size_t nspaces;
	int64_t follows[PEOPLE_SHARED_MAX];
	size_t nfollows;
};
/* What a signed-in viewer has in common with target (empty otherwise). */
enum mresult people_shared(const struct viewer *v, int64_t target, struct people_shared *out);

/* Posts and articles by account_id, counting those of the audiences the
 * viewer's class reads (public; organisation too for staff). Answers and
 * ideas arrive with their issues. */
enum mresult people_contributions(const struct viewer *v, int64_t account_id, int64_t *posts,
				  int64_t *articles);

/* The vCard 4.0 of a as v may read it, appended to out. org_name: the
 * organisation (the instance name) for ORG. */
enum mresult people_vcard(const struct viewer *v, const struct account_row *a, const char *org_name,
			  struct buf *out);
/* The profile URL of an account: BASE/@username. */
void people_profile_url(const struct account_row *a, char *out, size_t n);

#endif
