/*
 * test_filter.c - the filter rules that need no database: contexts, the
 * keyword match (whole words as Mastodon draws them, case folding, UTF-8),
 * the text a status is searched in, and matching a set of filters (hide
 * contexts, status matches through reblogs, expired and unmatched filters).
 */
#include "lib/buf.h"
#include "lib/markdown.h"
#include "model/filter.h"
#include "unit.h"

#include <stdlib.h>

static int matches(const char *text, const char *kw, int whole)
{
	struct buf t = BUF_INIT, k = BUF_INIT;
	int r;

	markdown_tag_key(text, strlen(text), &t);
	markdown_tag_key(kw, strlen(kw), &k);
	r = filter_text_matches(t.data ? t.data : "", t.len, k.data ? k.data : "", k.len, whole);
	buf_release(&t);
	buf_release(&k);
	return r;
}

static void test_contexts(void)
{
	char out[64];

	CHECK(filter_context_bit("home") == FILTER_CTX_HOME);
	CHECK(filter_context_bit("account") == FILTER_CTX_ACCOUNT);
	CHECK(filter_context_bit("Home") == 0);
	CHECK(filter_context_bit("everywhere") == 0);
	CHECK(filter_context_parse("thread home  bogus public") ==
	      (FILTER_CTX_THREAD | FILTER_CTX_HOME | FILTER_CTX_PUBLIC));
	filter_context_format(FILTER_CTX_PUBLIC | FILTER_CTX_HOME | FILTER_CTX_ACCOUNT, out, sizeof out);
	CHECK_STR(out, "home public account");
	filter_context_format(0, out, sizeof out);
	CHECK_STR(out, "");
}

static void test_whole_word(void)
{
	CHECK(matches("I love my cat", "cat", 1));
	CHECK(!matches("concatenate", "cat", 1));
	CHECK(matches("concatenate", "cat", 0));
	CHECK(!matches("cats", "cat", 1));
	CHECK(matches("cat, dog", "cat", 1));
	CHECK(matches("(cat)", "cat", 1));
	CHECK(matches("cat", "cat", 1));
	CHECK(!matches("my_cat", "cat", 1));           /* '_' is a word character */
	CHECK(!matches("cat9", "cat", 1));
	/* a keyword that starts or ends with punctuation has no boundary there */
	CHECK(matches("price:$5", "$5", 1));
	CHECK(matches("see #rust!", "#rust", 1));
	CHECK(!matches("see #rustacean", "#rust", 1));
	/* multi-word keywords */
	CHECK(matches("the New York times", "new york", 1));
	CHECK(!matches("renew yorkshire", "new york", 1));
	/* empty keyword never matches */
	CHECK(!matches("anything", "", 0));
}

static void test_case_and_utf8(void)
{
	CHECK(matches("I LOVE MY CAT", "cat", 1));
	CHECK(matches("Straße", "STRASSE", 0));        /* Unicode case folding */
	CHECK(matches("CAFÉ au lait", "café", 1));
	/* non-ASCII letters count as word characters */
	CHECK(!matches("écat", "cat", 1));
	CHECK(matches("écat", "cat", 0));
	/* never a match starting inside a character */
	CHECK(!filter_text_matches("\xc3\xa9", 2, "\xa9", 1, 0));
}

static void test_searchable_text(void)
{
	struct post_row p;
	struct buf out = BUF_INIT;

	memset(&p, 0, sizeof p);
	p.title = (char *)"";
	p.source = (char *)"Hello **World** [link](https://example.com) `code`";
	p.content = (char *)"";
	p.spoiler_text = (char *)"Spoiler HERE";
	CHECK(filter_searchable_text(&p, &out) == 0);
	CHECK(strstr(buf_str(&out), "spoiler here") != NULL);
	CHECK(strstr(buf_str(&out), "hello world") != NULL);
	CHECK(strstr(buf_str(&out), "**") == NULL);     /* markup is not text */
	CHECK(strstr(buf_str(&out), "example.com") == NULL);
	buf_release(&out);
}

struct hits {
	int n;
	const char *kw[4];
	int64_t status;
};

static void on_hit(const struct filter_hit *h, void *ctx)
{
	struct hits *x = ctx;

	if (h->nkeywords)
		x->kw[x->n] = h->keywords[0];
	if (h->nstatuses)
		x->status = h->statuses[0];
	x->n++;
}

static void test_set_match(void)
{
	struct filter_set s;
	struct filter_entry e[3];
	struct post_row p;
	struct hits x;
	unsigned hide;
	char cat[] = "cat", dog[] = "dog";
	int64_t sts[1] = { 42 };

	memset(&s, 0, sizeof s);
	memset(e, 0, sizeof e);
	memset(&p, 0, sizeof p);
	/* a "warn" filter on "cat" for home, a "hide" one on "dog" for public
	 * and thread, and one that only lists status 42 */
	e[0].context = FILTER_CTX_HOME;
	e[0].kws = calloc(1, sizeof *e[0].kws);
	e[0].kws[0].folded = cat;
	e[0].kws[0].len = 3;
	e[0].kws[0].original = "Cat";
	e[0].kws[0].whole_word = 1;
	e[0].nkws = 1;
	e[1].context = FILTER_CTX_PUBLIC | FILTER_CTX_THREAD;
	e[1].hide = 1;
	e[1].kws = calloc(1, sizeof *e[1].kws);
	e[1].kws[0].folded = dog;
	e[1].kws[0].len = 3;
	e[1].kws[0].original = "dog";
	e[1].nkws = 1;
	e[2].context = FILTER_CTX_NOTIFICATIONS;
	e[2].hide = 1;
	e[2].statuses = sts;
	e[2].nstatuses = 1;
	s.items = e;
	s.n = 3;
	s.has_keywords = 1;

	p.id = 7;
	p.title = (char *)"";
	p.content = (char *)"";
	p.spoiler_text = (char *)"";
	p.source = (char *)"My CAT and my hotdog";
	memset(&x, 0, sizeof x);
	hide = filter_set_match(&s, &p, 7, on_hit, &x);
	CHECK(x.n == 2);
	CHECK(x.kw[0] && !strcmp(x.kw[0], "Cat"));       /* the keyword as written */
	CHECK(hide == (FILTER_CTX_PUBLIC | FILTER_CTX_THREAD));

	/* status 42 reblogged as 99: matched through the original */
	p.id = 42;
	p.source = (char *)"nothing here";
	memset(&x, 0, sizeof x);
	hide = filter_set_match(&s, &p, 99, on_hit, &x);
	CHECK(x.n == 1 && x.status == 42);
	CHECK(hide == FILTER_CTX_NOTIFICATIONS);
	/* and a reblog listed in the filter matches by the reblog's id */
	e[2].statuses[0] = 99;
	p.id = 5;
	memset(&x, 0, sizeof x);
	CHECK(filter_set_match(&s, &p, 99, on_hit, &x) == FILTER_CTX_NOTIFICATIONS && x.status == 99);
	/* nothing matches: nothing called, nothing hidden */
	p.id = 8;
	memset(&x, 0, sizeof x);
	CHECK(filter_set_match(&s, &p, 8, on_hit, &x) == 0 && x.n == 0);
	free(e[0].kws);
	free(e[1].kws);
}

int main(void)
{
	RUN(test_contexts);
	RUN(test_whole_word);
	RUN(test_case_and_utf8);
	RUN(test_searchable_text);
	RUN(test_set_match);
	return unit_finish("filter");
}
