/*
 * filter.h - keyword and status filters: what a person does not want to
 * see, where (contexts), and how (warn or hide), as Mastodon's filters.
 *
 * A filter has a title, contexts (home, notifications, public, thread,
 * account), an action ("warn": the status is shown behind a warning that
 * names the filter; "hide": it is left out), an optional expiry, keywords
 * and statuses. A status matches a filter when one of its keywords occurs
 * in the status's text (case-insensitively, Unicode case folding) or when
 * the status (or the original of a reblog) is one of its statuses.
 *
 * Keywords and whole_word: a whole-word keyword must not have a word
 * character just before it when it starts with one, nor just after it
 * when it ends with one (Mastodon's rule). Word characters are ASCII
 * letters, digits and '_', and every non-ASCII character (an
 * approximation of Unicode letters: a keyword next to an accented letter
 * or a CJK character does not match as a whole word).
 *
 * The text searched is, as Mastodon's: the content warning, the plain
 * text of the post (no markup), the poll's options and the media
 * descriptions, of the original when the status is a reblog.
 *
 * Mastodon's v1 filters are a view of the keywords: a v1 filter is one
 * keyword, its id the keyword's, "irreversible" the action "hide". A v1
 * filter made through the v1 API is a filter with that one keyword.
 *
 * Applying (struct filter_set): load the viewer's active filters once per
 * response, then ask filter_set_match() for each status; the faces put the
 * results in Status.filtered and leave out statuses a "hide" filter of the
 * current context matched.
 *
 * Results: M_OK; M_INVALID with a message; M_NOTFOUND (also for another
 * account's filter); M_ERROR (storage).
 */
#ifndef PARLEY_MODEL_FILTER_H
#define PARLEY_MODEL_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "model/result.h"
#include "model/viewer.h"
#include "store/store_filters.h"
#include "lib/buf.h"
#include "store/store_posts.h"

#define FILTERS_MAX 200            /* per account */
#define FILTER_KEYWORDS_MAX 100    /* per filter */
#define FILTER_STATUSES_MAX 500    /* per filter */

enum {
	FILTER_CTX_HOME = 1 << 0,
	FILTER_CTX_NOTIFICATIONS = 1 << 1,
	FILTER_CTX_PUBLIC = 1 << 2,
	FILTER_CTX_THREAD = 1 << 3,
	FILTER_CTX_ACCOUNT = 1 << 4,
};

/* The bit of one context name, 0 when unknown. */
unsigned filter_context_bit(const char *name);
/* The bits of a space-separated list (unknown names are ignored). */
unsigned filter_context_parse(const char *list);
/* "home public" for bits, into out. */
void filter_context_format(unsigned bits, char *out, size_t n);
/* Call fn with each context name of bits, in Mastodon's order. */
void filter_context_each(unsigned bits, void (*fn)(const char *name, void *), void *ctx);

/* ---- writing ------------------------------------------------------------ */

struct filter_keyword_input {
	const char *keyword;   /* NULL: unchanged (update of an existing keyword) */
	int whole_word;        /* 0/1; -1: unchanged, or the default (1) for a new one */
	int64_t id;            /* 0: a new keyword; else one of the filter's */
	int destroy;           /* with id: remove it */
};

struct filter_input {
	const char *title;             /* required on create; NULL: unchanged */
	unsigned context;              /* bits; required on create; 0: unchanged */
	int context_given;             /* 1: context was sent (then 0 bits is an error) */
	const char *action;            /* "warn", "hide"; NULL: unchanged / warn */
	int64_t expires_in;            /* seconds; 0: never; -1: unchanged (never on create) */
	struct filter_keyword_input keywords[FILTER_KEYWORDS_MAX];
	size_t nkeywords;
	int too_many_keywords;         /* the request had more than FILTER_KEYWORDS_MAX */
};

enum mresult filter_create(const struct viewer *v, const struct filter_input *in, int64_t *id_out,
			   char *err, size_t errlen);
enum mresult filter_update(const struct viewer *v, int64_t id, const struct filter_input *in,
			   char *err, size_t errlen);
enum mresult filter_delete(const struct viewer *v, int64_t id);

enum mresult filter_keyword_add(const struct viewer *v, int64_t filter_id, const char *keyword,
				int whole_word, int64_t *id_out, char *err, size_t errlen);
/* keyword NULL / whole_word -1: unchanged. */
enum mresult filter_keyword_update(const struct viewer *v, int64_t id, const char *keyword,
				   int whole_word, char *err, size_t errlen);
enum mresult filter_keyword_delete(const struct viewer *v, int64_t id);

/* The post must be one v may read (M_NOTFOUND otherwise); adding a post
 * twice is M_INVALID ("already"). */
enum mresult filter_status_add(const struct viewer *v, int64_t filter_id, int64_t post_id,
			       int64_t *id_out, char *err, size_t errlen);
enum mresult filter_status_delete(const struct viewer *v, int64_t id);

/* v1: a filter of one keyword. *kw_id_out: the keyword's id (the v1 id). */
enum mresult filter_v1_create(const struct viewer *v, const char *phrase, unsigned context,
			      int irreversible, int whole_word, int64_t expires_in,
			      int64_t *kw_id_out, char *err, size_t errlen);
/* phrase NULL, context 0, irreversible/whole_word -1, expires_in -1:
 * unchanged. Changes the keyword and the filter it belongs to. */
enum mresult filter_v1_update(const struct viewer *v, int64_t kw_id, const char *phrase,
			      unsigned context, int irreversible, int whole_word, int64_t expires_in,
			      char *err, size_t errlen);
/* Remove the keyword, and its filter when nothing is left in it. */
enum mresult filter_v1_delete(const struct viewer *v, int64_t kw_id);

/* ---- applying ------------------------------------------------------------ */

struct filter_entry {
	struct filter_row row;
	unsigned context;          /* bits */
	int hide;                  /* action "hide" */
	struct filter_kw {
		char *folded;          /* case-folded keyword (malloc'ed) */
		size_t len;
		const char *original;  /* into keywords_text */
		int whole_word;
	} *kws;
	size_t nkws;
	char *keywords_text;       /* the original keywords, NUL-separated */
	int64_t *statuses;         /* post ids */
	size_t nstatuses;
};

struct filter_set {
	struct filter_entry *items;
	size_t n;
	int has_keywords;
};

/* Load the account's filters that have not expired at now_ms. 0, or -1
 * on a storage error or out of memory (the set is then empty). Release
 * with filter_set_release() in either case. */
int filter_set_load(struct filter_set *s, int64_t account_id, int64_t now_ms);
void filter_set_release(struct filter_set *s);

/* One filter that matched a status: the keywords that matched (their
 * original spelling) and the matching status ids. */
struct filter_hit {
	const struct filter_entry *filter;
	const char *keywords[FILTER_KEYWORDS_MAX];
	size_t nkeywords;
	int64_t statuses[2];
	size_t nstatuses;
};

/* Match a status against the set. `proper` is the post whose text counts
 * (the original of a reblog), `outer_id` the status as listed (the reblog,
 * or the same post). fn is called for each filter that matched. Returns
 * the context bits in which a "hide" filter matched (0: none). */
unsigned filter_set_match(const struct filter_set *s, const struct post_row *proper, int64_t outer_id,
			  void (*fn)(const struct filter_hit *hit, void *ctx), void *ctx);

/* The matching rule on its own (exposed for tests): does the case-folded
 * keyword occur in the case-folded text, as a whole word if asked? */
int filter_text_matches(const char *text, size_t len, const char *kw, size_t kwlen, int whole_word);

/* Append the text filters search for post p (content warning, plain text,
 * poll options, media descriptions), case-folded. 0, or -1 on failure. */
int filter_searchable_text(const struct post_row *p, struct buf *out);

#endif
