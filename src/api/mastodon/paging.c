/*
 * paging.c - Mastodon's pagination (see paging.h).
 */
#include "api/mastodon/paging.h"
#include "http/params.h"
#include "http/response.h"
#include "lib/buf.h"
#include "lib/config.h"
#include "lib/id.h"

#include <stdlib.h>
#include <string.h>

static int get_id(const struct request *rq, const char *name, int64_t *out)
{
	const char *s = params_get_nonempty(&rq->query, name);

	*out = 0;
	if (!s)
		return 0;
	return id_parse(s, out) < 0 ? -1 : 0;
}

int page_parse(const struct request *rq, struct page *p)
{
	const char *l = params_get_nonempty(&rq->query, "limit");

	memset(p, 0, sizeof *p);
	if (get_id(rq, "max_id", &p->max_id) < 0 || get_id(rq, "since_id", &p->since_id) < 0 ||
	    get_id(rq, "min_id", &p->min_id) < 0)
		return -1;
	if (l) {
		char *end;

		p->limit = strtol(l, &end, 10);
		if (*end || end == l)
			return -1;
	}
	return 0;
}

static void one_link(struct buf *b, const struct request *rq, const char *key, int64_t id,
		     const char *rel)
{
	char ids[24];
	size_t i;

	buf_printf(b, "<%s%s?", rq->cfg ? rq->cfg->base_url : "", rq->path);
	for (i = 0; i < rq->query.n; i++) {
		const struct param *q = &rq->query.items[i];

		if (!strcmp(q->key, "max_id") || !strcmp(q->key, "min_id") || !strcmp(q->key, "since_id"))
			continue;
		url_encode(b, q->key);
		buf_putc(b, '=');
		url_encode(b, q->value);
		buf_putc(b, '&');
	}
	buf_printf(b, "%s=%s>; rel=\"%s\"", key, id_format(ids, sizeof ids, id), rel);
}

void page_link(const struct request *rq, struct response *rs, int64_t first, int64_t last)
{
	struct buf b = BUF_INIT;

	if (!first && !last)
		return;
	one_link(&b, rq, "max_id", last, "next");
	buf_puts(&b, ", ");
	one_link(&b, rq, "min_id", first, "prev");
	if (!b.failed)
		resp_header(rs, "Link", buf_str(&b));
	buf_release(&b);
}
