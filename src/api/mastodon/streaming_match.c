/*
 * streaming_match.c - which event goes to which stream, rendered how
 * (see streaming_match() in streaming.h).
 *
 * PLACEHOLDER: this version sends nothing, so streams carry heartbeats
 * only. It is replaced, with the posts, timelines and notifications of the
 * model, by the real decision: for each event, load the post or the
 * notification once into cache->data, check the audience (model/audience)
 * for sub->viewer, match sub->kind (home timeline follows, local or not,
 * the hashtag, the list), and render the entity once per key through
 * streaming_cache_rendering().
 */
#include "api/mastodon/streaming.h"

int streaming_match(const struct event *e, const struct stream_sub *sub,
		    struct streaming_cache *cache, const char **event_name, struct buf *payload)
{
	(void)e;
	(void)sub;
	(void)cache;
	(void)event_name;
	(void)payload;
	return 0;
}
