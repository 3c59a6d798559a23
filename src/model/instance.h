/*
 * instance.h - what administrators say about the instance: a short
 * description, a longer "about" text (Markdown), the rules people agree
 * to, and a contact address. Kept in the settings table (store.h) and
 * shown by the Mastodon instance endpoints and NodeInfo.
 *
 * Rules are written one per line; "text | hint" gives a rule a hint.
 * Rule ids are their line numbers among the non-empty lines ("1", "2"...).
 */
#ifndef PARLEY_MODEL_INSTANCE_H
#define PARLEY_MODEL_INSTANCE_H

#include <stddef.h>

#include "model/result.h"

#define INSTANCE_DESCRIPTION_MAX 500     /* characters */
#define INSTANCE_EXTENDED_MAX 10000      /* characters */
#define INSTANCE_RULES_MAX 50            /* rules */
#define INSTANCE_RULE_MAX 300            /* characters of a rule line */

struct instance_info {
	char description[INSTANCE_DESCRIPTION_MAX * 4 + 1];
	char extended[INSTANCE_EXTENDED_MAX * 4 + 1];    /* Markdown */
	char rules[INSTANCE_RULES_MAX * (INSTANCE_RULE_MAX * 4 + 1) + 1];
	char contact_email[256];
};

/* Read the settings (absent ones are ""). M_OK or M_ERROR. The struct is
 * large (about 140 KiB): allocate it, do not put it on a stack. */
enum mresult instance_info_get(struct instance_info *out);
/* Check and save every field (NULL leaves a field as it is). M_INVALID
 * with a message when one is too long or the email does not look like
 * one; M_ERROR when storage fails. */
enum mresult instance_info_set(const char *description, const char *extended, const char *rules,
			       const char *contact_email, char *err, size_t errlen);

/* Call fn for each rule: its id ("1"...), text and hint ("" when none),
 * each trimmed. */
void instance_rules_each(const char *rules,
			 void (*fn)(const char *id, const char *text, const char *hint, void *), void *ctx);

#endif
