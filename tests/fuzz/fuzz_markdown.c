/*
 * fuzz_markdown.c - libFuzzer target for the Markdown renderer
 * (lib/markdown.c), which turns what any user types into HTML shown to
 * everyone else. Each valid UTF-8 input is rendered as a post and as an
 * article; the HTML must pass the allow-list checker the unit tests use
 * (tests/unit/html_allowlist.h), the references must be within their caps,
 * and the plain text must come out too. Run with `make fuzz`.
 */
#include "lib/markdown.h"
#include "lib/utf8.h"
#include "../unit/html_allowlist.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define BASE "https://fuzz.example"

static int fuzz_href(void *ctx, const char *acct, struct buf *href)
{
	(void)ctx;
	if (acct[0] == 'x')          /* some accounts do not exist */
		return 0;
	buf_printf(href, BASE "/@%s", acct);
	return 1;
}

static void check(const char *src, size_t len, int article)
{
	struct markdown_opts o = { BASE, article, fuzz_href, NULL, 3, 3, 3 };
	struct markdown_refs r;
	struct buf html = BUF_INIT;
	char why[256];
	size_t i;

	if (markdown_render(src, len, &o, &html, &r) == 0) {
		if (!html_allowlist_check(buf_str(&html), BASE, why, sizeof(why))) {
			fprintf(stderr, "unsafe HTML (%s):\n%s\n", why, buf_str(&html));
			abort();
		}
		if (r.nmentions > 3 || r.ntags > 3 || r.nlinks > 3)
			abort();
		for (i = 0; i < r.nmentions; i++)
			if (!r.mentions[i][0] || strchr(r.mentions[i], '<'))
				abort();
	}
	markdown_refs_release(&r);
	buf_release(&html);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	struct buf plain = BUF_INIT;

	if (!utf8_valid(src, size))  /* callers check this first */
		return 0;
	check(src, size, 0);
	check(src, size, 1);
	(void)markdown_plain(src, size, &plain);
	buf_release(&plain);
	return 0;
}
