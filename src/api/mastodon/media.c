/*
 * media.c - Mastodon's media endpoints and the media files themselves.
 *
 *   POST   /api/v1/media, /api/v2/media   upload (multipart: file, description, focus)
 *   GET    /api/v1/media/:id              the viewer's own medium
 *   PUT    /api/v1/media/:id              change its description or focus
 *   DELETE /api/v1/media/:id              delete it while unattached
 *   GET    /media/:name                   the file: "<key>.<ext>" or "<key>.small.<ext>"
 *
 * Uploads may be larger than other bodies (ROUTE_UPLOAD: up to max_upload)
 * and run on the slow lane (ROUTE_SLOW), since decoding and encoding a big
 * image takes a CPU for a while. Processing is synchronous, so the v2
 * endpoint answers 200 with the url filled in, where Mastodon may answer
 * 202 and fill it in later; clients handle both.
 *
 * The files are served to anyone who has their URL (apps load images
 * without credentials): the URL's random key is the capability, which is
 * why the access log shows only the route's pattern (ROUTE_SECRET_PATH).
 */
#include "api/mastodon/mastodon.h"
#include "http/response.h"
#include "http/router.h"
#include "lib/config.h"
#include "lib/id.h"
#include "model/media.h"

#include <stdio.h>
#include <string.h>

static json_t *size_meta(int w, int h)
{
	char size[32];

	snprintf(size, sizeof size, "%dx%d", w, h);
	return json_pack("{s:i, s:i, s:s, s:f}", "width", w, "height", h, "size", size,
			 "aspect", h ? (double)w / h : 0.0);
}

/* The file's URL, signed (model/media.h): whoever is given the entity
 * may read the post, and apps fetch images without their token. */
static json_t *file_url(const struct request *rq, const struct media_row *m, int small, int sign)
{
	struct buf url = BUF_INIT;
	char name[64];
	json_t *j;

	if (!media_file_name(m, small, name, sizeof name))
		return json_null();
	buf_printf(&url, "%s/media/%s", rq->cfg ? rq->cfg->base_url : "", name);
	if (sign)
		media_sign(name, &url);
	j = json_string(buf_str(&url));
	buf_release(&url);
	return j;
}

json_t *mastodon_media(const struct request *rq, const struct media_row *m, int sign)
{
	char id[24];
	json_t *j, *meta;

	meta = json_object();
	if (meta && m->width && m->height) {
		json_object_set_new(meta, "original", size_meta(m->width, m->height));
		if (m->thumb_width && m->thumb_height)
			json_object_set_new(meta, "small", size_meta(m->thumb_width, m->thumb_height));
		json_object_set_new(meta, "focus", json_pack("{s:f, s:f}", "x", m->focus_x / 1e6,
							     "y", m->focus_y / 1e6));
	}
	j = json_pack("{s:s, s:s, s:o, s:o, s:n, s:n, s:n, s:o, s:o, s:n}",
		      "id", id_format(id, sizeof id, m->id),
		      "type", m->type,
		      "url", file_url(rq, m, 0, sign),
		      "preview_url", file_url(rq, m, 1, sign),
		      "remote_url",
		      "preview_remote_url",
		      "text_url",
		      "meta", meta ? meta : json_object(),
		      "description", m->description[0] ? json_string(m->description) : json_null(),
		      "blurhash");
	return j;
}

static const struct upload *find_upload(const struct request *rq, const char *field)
{
	size_t i;

	for (i = 0; i < rq->nuploads; i++)
		if (!strcmp(rq->uploads[i].field, field))
			return &rq->uploads[i];
	return NULL;
}

static void post_media(struct request *rq, struct response *rs)
{
	const struct upload *u = find_upload(rq, "file");
	struct media_row m;
	char err[256];
	enum mresult r;

	if (!u) {
		resp_json_error(rs, 422, "The file is missing: send it as the multipart/form-data "
				"field \"file\"");
		return;
	}
	r = media_upload(&rq->viewer, u->data.data, u->data.len, req_arg(rq, "description"),
			 req_arg(rq, "focus"), &m, err, sizeof err);
	if (r != M_OK) {
		resp_json_error(rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, mastodon_media(rq, &m, 1));
}

/* The :id of the path, or 0 (answered 404) when it is not an id. */
static int64_t path_id(struct request *rq, struct response *rs)
{
	int64_t id;

	if (id_parse(req_param(rq, "id"), &id) < 0) {
		resp_json_error(rs, 404, "Record not found");
		return 0;
	}
	return id;
}

static void get_media(struct request *rq, struct response *rs)
{
	int64_t id = path_id(rq, rs);
	struct media_row m;
	char err[256];
	enum mresult r;

	if (!id)
		return;
	r = media_get(&rq->viewer, id, &m, err, sizeof err);
	if (r != M_OK) {
		resp_json_error(rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, mastodon_media(rq, &m, 1));
}

static void put_media(struct request *rq, struct response *rs)
{
	int64_t id = path_id(rq, rs);
	struct media_row m;
	char err[256];
	enum mresult r;

	if (!id)
		return;
	r = media_update(&rq->viewer, id, req_arg(rq, "description"), req_arg(rq, "focus"), &m,
			 err, sizeof err);
	if (r != M_OK) {
		resp_json_error(rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, mastodon_media(rq, &m, 1));
}

static void delete_media(struct request *rq, struct response *rs)
{
	int64_t id = path_id(rq, rs);
	char err[256];
	enum mresult r;

	if (!id)
		return;
	r = media_delete(&rq->viewer, id, err, sizeof err);
	if (r != M_OK) {
		resp_json_error(rs, http_status_for(r), err);
		return;
	}
	resp_json(rs, 200, json_object());
}

/* GET /media/:name: the bytes, typed by what they were found to be. */
static void get_media_file(struct request *rq, struct response *rs)
{
	struct media_file f;
	enum mresult r = media_read_file(&rq->viewer, req_param(rq, "name"), params_get(&rq->query, "exp"),
					 params_get(&rq->query, "sig"), &f);
	char disp[96];
	if (r != M_OK) {
		http_error(rq, rs, r == M_NOTFOUND ? 404 : 500,
			   r == M_NOTFOUND ? "Not found" : "The file cannot be read");
		return;
	}
	rs->status = 200;
	rs->content_type = f.content_type;
	buf_release(&rs->body);
	rs->body = f.data; /* the response owns the bytes now */
	/* the name never changes content: public posts' files a year in any
	 * cache; others only in the requester's own, for an hour */
	resp_header(rs, "Cache-Control", f.public_post ? "public, max-age=31536000, immutable"
						      : "private, max-age=3600");
	/* apps on other origins may fetch it; the (signed) URL is the permission */
	resp_header(rs, "Access-Control-Allow-Origin", "*");
	/* nothing in it may run, even if a browser were talked into rendering it */
	resp_header(rs, "Content-Security-Policy", "default-src 'none'; sandbox");
	if (!strcmp(f.row.type, "unknown")) {
		/* a PDF is downloaded, never shown inside the site's origin */
		snprintf(disp, sizeof disp, "attachment; filename=\"%s.%s\"", f.row.file_key, f.row.ext);
		resp_header(rs, "Content-Disposition", disp);
	} else {
		resp_header(rs, "Content-Disposition", "inline");
	}
}

void mastodon_media_routes(void)
{
	unsigned up = ROUTE_API | ROUTE_AUTH | ROUTE_UPLOAD | ROUTE_SLOW;

	router_add("POST", "/api/v1/media", post_media, up, "write:media|write");
	router_add("POST", "/api/v2/media", post_media, up, "write:media|write");
	router_add("GET", "/api/v1/media/:id", get_media, ROUTE_API | ROUTE_AUTH, "read|write:media");
	router_add("PUT", "/api/v1/media/:id", put_media, ROUTE_API | ROUTE_AUTH, "write:media|write");
	router_add("DELETE", "/api/v1/media/:id", delete_media, ROUTE_API | ROUTE_AUTH,
		   "write:media|write");
	router_add("GET", "/media/:name", get_media_file, ROUTE_SECRET_PATH | ROUTE_TOKEN_OK, NULL);
}
