/*
 * test_tmpl.c - unit tests for the template engine (src/web/tmpl.c).
 *
 * The test links only tmpl.c and buf.c, so it supplies its own small
 * embedded_files[] table and embed_find() holding the partials used here.
 */
#include <stdlib.h>

#include <jansson.h>

#include "lib/buf.h"
#include "lib/embed.h"
#include "unit.h"
#include "web/tmpl.h"

#define FILE_ENTRY(n, s) { n, (const unsigned char *)(s), sizeof(s) - 1 }

/* Sorted by name, as the real generated table is. */
const struct embedded_file embedded_files[] = {
	FILE_ENTRY("templates/bad_close.html", "{{/x}}"),
	FILE_ENTRY("templates/item.html", "<li>{{name}}</li>"),
	FILE_ENTRY("templates/list.html",
		   "<ul>{{#items}}{{> item}}{{/items}}</ul>"),
	FILE_ENTRY("templates/loop.html", "x{{> loop}}"),
	FILE_ENTRY("templates/open.html", "{{#a}}"),
	FILE_ENTRY("templates/page.html",
		   "<h1>{{title}}</h1>\n{{> list}}\n"),
	FILE_ENTRY("templates/twice.html", "{{> item}}{{> item}}"),
	{ NULL, NULL, 0 }
};

const struct embedded_file *embed_find(const char *name)
{
	size_t i;

	for (i = 0; embedded_files[i].name; i++)
		if (strcmp(embedded_files[i].name, name) == 0)
			return &embedded_files[i];
	return NULL;
}

static char last_err[256];
static struct buf out;

/*
 * Render `src` with the JSON text `ctxjson` (NULL for no context). Returns
 * the output ("" on error, with *rc set), valid until the next call.
 */
static const char *render_rc(const char *src, const char *ctxjson, int *rc)
{
	json_t *ctx = NULL;
	json_error_t jerr;

	buf_release(&out);
	buf_init(&out, 0);
	last_err[0] = '\0';
	if (ctxjson) {
		ctx = json_loads(ctxjson, 0, &jerr);
		if (!ctx) {
			fprintf(stderr, "  bad test JSON: %s\n", jerr.text);
			*rc = -2;
			return "";
		}
	}
	*rc = tmpl_render_string(&out, src, strlen(src), ctx,
				 last_err, sizeof last_err);
	json_decref(ctx);
	return buf_str(&out);
}

static const char *render(const char *src, const char *ctxjson)
{
	int rc;
	const char *s = render_rc(src, ctxjson, &rc);

	if (rc != 0) {
		fprintf(stderr, "  unexpected error for \"%s\": %s\n",
			src, last_err);
		return "(error)";
	}
	return s;
}

/* Expect a render error whose message contains `what`. */
static int render_fails(const char *src, const char *ctxjson, const char *what)
{
	int rc;

	render_rc(src, ctxjson, &rc);
	if (rc != -1) {
		fprintf(stderr, "  expected an error for \"%s\"\n", src);
		return 0;
	}
	if (!strstr(last_err, what)) {
		fprintf(stderr, "  error \"%s\" lacks \"%s\"\n", last_err, what);
		return 0;
	}
	return 1;
}

static void test_escape_all_five(void)
{
	struct buf b = BUF_INIT;

	CHECK(html_escape(&b, "a&b<c>d\"e'f", 11) == 0);
	CHECK_STR(buf_str(&b), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	buf_release(&b);
	CHECK_STR(render("{{s}}", "{\"s\": \"&<>\\\"'\"}"),
		  "&amp;&lt;&gt;&quot;&#39;");
	CHECK_STR(render("{{s}}", "{\"s\": \"plain text\"}"), "plain text");
}

static void test_escape_keeps_nul_and_length(void)
{
	struct buf b = BUF_INIT;

	CHECK(html_escape(&b, "a\0<", 3) == 0);
	CHECK(b.len == 6);
	CHECK(memcmp(b.data, "a\0&lt;", 6) == 0);
	buf_release(&b);
	CHECK(html_escape(&b, "", 0) == 0);
	CHECK_STR(buf_str(&b), "");
	buf_release(&b);
}

static void test_script_injection(void)
{
	const char *ctx =
		"{\"name\": \"<script>alert('x')</script>\","
		" \"attr\": \"\\\" onmouseover=\\\"alert(1)\"}";

	CHECK_STR(render("<p>{{name}}</p>", ctx),
		  "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>");
	CHECK_STR(render("<a title=\"{{attr}}\">", ctx),
		  "<a title=\"&quot; onmouseover=&quot;alert(1)\">");
	/* Tag syntax inside a value is data, not template. */
	CHECK_STR(render("{{name}}", "{\"name\": \"{{secret}}\", \"secret\": 1}"),
		  "{{secret}}");
}

static void test_raw(void)
{
	CHECK_STR(render("{{&html}}", "{\"html\": \"<b>hi</b> & 'x'\"}"),
		  "<b>hi</b> & 'x'");
	CHECK_STR(render("{{& html }}", "{\"html\": \"<i>\"}"), "<i>");
}

static void test_plain_text_and_empty(void)
{
	CHECK_STR(render("", NULL), "");
	CHECK_STR(render("no tags { here } {x}", NULL), "no tags { here } {x}");
	CHECK_STR(render("a}}b", NULL), "a}}b");
	CHECK_STR(render("{{x}}", NULL), "");
	CHECK_STR(render("trailing {", NULL), "trailing {");
}

static void test_dotted_paths(void)
{
	const char *ctx = "{\"a\": {\"b\": {\"c\": \"deep\"}}, \"s\": \"str\"}";

	CHECK_STR(render("{{a.b.c}}", ctx), "deep");
	CHECK_STR(render("[{{a.b.x}}]", ctx), "[]");
	CHECK_STR(render("[{{a.x.c}}]", ctx), "[]");
	CHECK_STR(render("[{{s.length}}]", ctx), "[]");
	CHECK_STR(render("[{{missing.b}}]", ctx), "[]");
}

static void test_dotted_path_does_not_fall_back(void)
{
	/* The inner object has "a", so a.c is not found in the outer one. */
	const char *ctx = "{\"a\": {\"c\": \"outer\"},"
			  " \"inner\": {\"a\": {\"b\": 1}}}";

	CHECK_STR(render("{{#inner}}[{{a.c}}][{{a.b}}]{{/inner}}", ctx),
		  "[][1]");
}

static void test_numbers_and_literals(void)
{
	const char *ctx = "{\"i\": 42, \"neg\": -7, \"big\": 9007199254740993,"
			  " \"r\": 3.5, \"tenth\": 0.1, \"whole\": 2.0,"
			  " \"t\": true, \"f\": false, \"n\": null,"
			  " \"o\": {\"k\": 1}, \"arr\": [1, 2]}";

	CHECK_STR(render("{{i}} {{neg}} {{big}}", ctx),
		  "42 -7 9007199254740993");
	CHECK_STR(render("{{r}} {{tenth}} {{whole}}", ctx), "3.5 0.1 2");
	CHECK_STR(render("[{{t}}][{{f}}][{{n}}][{{missing}}]", ctx),
		  "[true][][][]");
	CHECK_STR(render("[{{o}}][{{arr}}]", ctx), "[][]");
}

static void test_section_array_of_objects(void)
{
	const char *ctx = "{\"people\": [{\"name\": \"Ann\"}, {\"name\": \"<Bo>\"},"
			  " {\"name\": \"Cy\"}]}";

	CHECK_STR(render("<ul>{{#people}}<li>{{name}}</li>{{/people}}</ul>", ctx),
		  "<ul><li>Ann</li><li>&lt;Bo&gt;</li><li>Cy</li></ul>");
}

static void test_section_array_of_strings(void)
{
	const char *ctx = "{\"tags\": [\"a\", \"b&c\", \"d\"], \"nums\": [1, 2.5]}";

	CHECK_STR(render("{{#tags}}({{.}}){{/tags}}", ctx), "(a)(b&amp;c)(d)");
	CHECK_STR(render("{{#nums}}{{.}};{{/nums}}", ctx), "1;2.5;");
}

static void test_section_object(void)
{
	const char *ctx = "{\"user\": {\"name\": \"Ann\", \"id\": 5}, \"site\": \"P\","
			  " \"empty\": {}}";

	CHECK_STR(render("{{#user}}{{name}}#{{id}}@{{site}}{{/user}}", ctx),
		  "Ann#5@P");
	CHECK_STR(render("{{#empty}}yes{{/empty}}", ctx), "yes");
}

static void test_truthy_and_falsy(void)
{
	const char *ctx = "{\"t\": true, \"f\": false, \"n\": null, \"zero\": 0,"
			  " \"zr\": 0.0, \"one\": 1, \"half\": 0.5, \"s\": \"x\","
			  " \"es\": \"\", \"ea\": [], \"name\": \"N\"}";

	CHECK_STR(render("{{#t}}T{{/t}}{{#one}}1{{/one}}{{#half}}H{{/half}}"
			 "{{#s}}S{{/s}}", ctx), "T1HS");
	CHECK_STR(render("[{{#f}}f{{/f}}{{#n}}n{{/n}}{{#zero}}0{{/zero}}"
			 "{{#zr}}z{{/zr}}{{#es}}e{{/es}}{{#ea}}a{{/ea}}"
			 "{{#missing}}m{{/missing}}]", ctx), "[]");
	/* A scalar section pushes nothing: {{.}} is still the outer item. */
	CHECK_STR(render("{{#tags}}{{#s}}{{.}}{{/s}}{{/tags}}",
			 "{\"tags\": [\"a\", \"b\"], \"s\": \"x\"}"), "ab");
	/* A section that renders is not confused by one that does not. */
	CHECK_STR(render("{{#t}}<{{#f}}{{name}}{{/f}}{{name}}>{{/t}}", ctx),
		  "<N>");
}

static void test_inverted(void)
{
	const char *ctx = "{\"t\": true, \"f\": false, \"ea\": [], \"a\": [1],"
			  " \"o\": {\"x\": 1}}";

	CHECK_STR(render("{{^f}}F{{/f}}{{^ea}}E{{/ea}}{{^missing}}M{{/missing}}",
			 ctx), "FEM");
	CHECK_STR(render("[{{^t}}t{{/t}}{{^a}}a{{/a}}{{^o}}o{{/o}}]", ctx), "[]");
	CHECK_STR(render("{{#a}}has{{/a}}{{^a}}none{{/a}}", ctx), "has");
	CHECK_STR(render("{{#ea}}has{{/ea}}{{^ea}}none{{/ea}}", ctx), "none");
}

static void test_nested_sections_outer_lookup(void)
{
	const char *ctx =
		"{\"site\": \"Parley\", \"title\": \"top\","
		" \"posts\": [{\"title\": \"P1\", \"tags\": [\"x\", \"y\"]},"
		"            {\"title\": \"P2\", \"tags\": []}]}";

	CHECK_STR(render("{{#posts}}{{title}}@{{site}}:"
			 "{{#tags}}{{.}}-{{title}},{{/tags}}"
			 "{{^tags}}none{{/tags}};{{/posts}}{{title}}", ctx),
		  "P1@Parley:x-P1,y-P1,;P2@Parley:none;top");
	/* Same name nested inside itself. */
	CHECK_STR(render("{{#a}}{{#a}}{{b}}{{/a}}{{/a}}",
			 "{\"a\": {\"a\": {\"b\": \"in\"}, \"b\": \"out\"}}"), "in");
}

static void test_comments(void)
{
	CHECK_STR(render("a{{! a comment }}b{{!}}c{{ ! spaced }}d", NULL), "abcd");
	CHECK_STR(render("a{{! {{name}} }}", "{\"name\": 1}"), "a }}");
	CHECK_STR(render("x{{!multi\nline}}y", NULL), "xy");
}

static void test_whitespace_in_tags(void)
{
	const char *ctx = "{\"name\": \"N\", \"items\": [1, 2], \"h\": \"<b>\"}";

	CHECK_STR(render("{{ name }}|{{name }}|{{\tname\t}}", ctx), "N|N|N");
	CHECK_STR(render("{{# items }}{{ . }}{{/ items }}", ctx), "12");
	CHECK_STR(render("{{ #items}}{{.}}{{ /items }}", ctx), "12");
	CHECK_STR(render("{{^ missing }}none{{/ missing }}", ctx), "none");
	CHECK_STR(render("{{& h }}", ctx), "<b>");
	CHECK_STR(render("{{\nname\n}}", ctx), "N");
}

static void test_null_context(void)
{
	CHECK_STR(render("a{{x}}{{#x}}y{{/x}}{{^x}}z{{/x}}{{.}}b", NULL), "azb");
}

static void test_partial(void)
{
	const char *ctx = "{\"name\": \"<Ann>\", \"title\": \"T\","
			  " \"items\": [{\"name\": \"one\"}, {\"name\": \"two\"}]}";

	CHECK_STR(render("<ul>{{> item}}</ul>", ctx), "<ul><li>&lt;Ann&gt;</li></ul>");
	CHECK_STR(render("{{>item}}", ctx), "<li>&lt;Ann&gt;</li>");
	CHECK_STR(render("{{#items}}{{> item }}{{/items}}", ctx),
		  "<li>one</li><li>two</li>");
	CHECK_STR(render("{{> twice}}", ctx),
		  "<li>&lt;Ann&gt;</li><li>&lt;Ann&gt;</li>");
	/* Partial that includes a partial inside a section. */
	CHECK_STR(render("{{> page}}", ctx),
		  "<h1>T</h1>\n<ul><li>one</li><li>two</li></ul>\n");
	/* Unknown partial inside a section that does not render is not read. */
	CHECK_STR(render("{{#missing}}{{> nope}}{{/missing}}ok", ctx), "ok");
}

static void test_tmpl_render_by_name(void)
{
	struct buf b = BUF_INIT;
	char err[128];
	json_t *ctx = json_pack("{s:s, s:[{s:s}]}", "title", "Hi",
				"items", "name", "x");

	CHECK(ctx != NULL);
	CHECK(tmpl_render(&b, "page", ctx, err, sizeof err) == 0);
	CHECK_STR(buf_str(&b), "<h1>Hi</h1>\n<ul><li>x</li></ul>\n");
	buf_reset(&b);
	CHECK(tmpl_render(&b, "absent", ctx, err, sizeof err) == -1);
	CHECK(strstr(err, "absent") != NULL);
	CHECK(b.len == 0);
	CHECK(tmpl_render(&b, "open", ctx, err, sizeof err) == -1);
	CHECK(strstr(err, "templates/open.html:1") != NULL);
	json_decref(ctx);
	buf_release(&b);
}

static void test_partial_errors(void)
{
	CHECK(render_fails("{{> nope}}", NULL, "unknown partial \"nope\""));
	CHECK(render_fails("{{> loop}}", NULL, "partials nested deeper"));
	/* A partial's sections must close inside the partial. */
	CHECK(render_fails("{{#t}}{{> bad_close}}{{/t}}", "{\"t\": true}",
			   "closes no section"));
	CHECK(render_fails("{{> open}}{{/a}}", "{\"a\": true}",
			   "templates/open.html:1: unclosed section \"a\""));
	CHECK(render_fails("{{> ../x}}", NULL, "bad name"));
	CHECK(render_fails("{{>}}", NULL, "bad name"));
}

static void test_error_unclosed_tag(void)
{
	CHECK(render_fails("abc {{name", NULL, "template:1: unclosed tag"));
	CHECK(render_fails("a\nb\n{{name}", NULL, "template:3: unclosed tag"));
	CHECK(render_fails("{{", NULL, "unclosed tag"));
	/* Also inside a section that renders nothing. */
	CHECK(render_fails("{{#f}}x{{oops", NULL, "unclosed tag"));
}

static void test_error_unclosed_section(void)
{
	CHECK(render_fails("{{#a}}x", "{\"a\": true}", "unclosed section \"a\""));
	CHECK(render_fails("{{#a}}x", NULL, "unclosed section \"a\""));
	CHECK(render_fails("{{^a}}x", NULL, "unclosed section \"a\""));
	CHECK(render_fails("{{#a}}{{#b}}{{/b}}", "{\"a\": [1, 2], \"b\": 1}",
			   "unclosed section \"a\""));
}

static void test_error_mismatched_close(void)
{
	CHECK(render_fails("{{#a}}x{{/b}}", "{\"a\": true}",
			   "{{/b}} closes {{#a}}"));
	/* Same error whether or not the section renders. */
	CHECK(render_fails("{{#a}}x{{/b}}", NULL, "{{/b}} closes {{#a}}"));
	CHECK(render_fails("{{#a}}{{#b}}{{/a}}{{/b}}", NULL,
			   "{{/a}} closes {{#b}}"));
	CHECK(render_fails("x{{/a}}", NULL, "{{/a}} closes no section"));
}

static void test_error_bad_tags(void)
{
	CHECK(render_fails("{{}}", NULL, "empty tag"));
	CHECK(render_fails("{{  }}", NULL, "empty tag"));
	CHECK(render_fails("{{{name}}}", NULL, "bad name"));
	CHECK(render_fails("{{a b}}", NULL, "bad name"));
	CHECK(render_fails("{{a..b}}", NULL, "bad name"));
	CHECK(render_fails("{{.a}}", NULL, "bad name"));
	CHECK(render_fails("{{a.}}", NULL, "bad name"));
	CHECK(render_fails("{{=<% %>=}}", NULL, "bad name"));
	CHECK(render_fails("{{#}}{{/}}", NULL, "bad name"));
}

/* n nested "{{#k}}" then n "{{/k}}" around "x". */
static char *nest(size_t n, const char *open, const char *close)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		buf_puts(&b, open);
	buf_puts(&b, "x");
	for (i = 0; i < n; i++)
		buf_puts(&b, close);
	return buf_detach(&b, NULL);
}

static void test_depth_limit(void)
{
	char *ok = nest(TMPL_MAX_DEPTH, "{{#t}}", "{{/t}}");
	char *deep = nest(TMPL_MAX_DEPTH + 1, "{{#t}}", "{{/t}}");
	char *okobj = nest(TMPL_MAX_DEPTH, "{{#o}}", "{{/o}}");
	char *deepobj = nest(TMPL_MAX_DEPTH + 1, "{{#o}}", "{{/o}}");
	const char *ctx = "{\"t\": true, \"o\": {\"k\": 1}}";

	CHECK_STR(render(ok, ctx), "x");
	CHECK(render_fails(deep, ctx, "nested deeper than 32"));
	/* Objects push the context each time: the stack fills up exactly. */
	CHECK_STR(render(okobj, ctx), "x");
	CHECK(render_fails(deepobj, ctx, "nested deeper than 32"));
	/* The limit holds in skipped sections too. */
	CHECK_STR(render(ok, NULL), "");
	CHECK(render_fails(deep, NULL, "nested deeper than 32"));
	free(ok);
	free(deep);
	free(okobj);
	free(deepobj);
}

static void test_long_loop_is_linear(void)
{
	json_t *ctx = json_object(), *arr = json_array();
	struct buf b = BUF_INIT;
	char err[128];
	const char *src = "{{#rows}}<tr><td>{{.}}</td>{{#flag}}!{{/flag}}</tr>{{/rows}}";
	size_t i;

	for (i = 0; i < 100000; i++)
		json_array_append_new(arr, json_integer((json_int_t)i));
	json_object_set_new(ctx, "rows", arr);
	CHECK(tmpl_render_string(&b, src, strlen(src), ctx, err, sizeof err) == 0);
	CHECK(b.len > 100000 * 18);
	CHECK(strncmp(buf_str(&b), "<tr><td>0</td></tr><tr><td>1</td>", 33) == 0);
	json_decref(ctx);
	buf_release(&b);
}

static void test_output_cap(void)
{
	struct buf b;
	char err[128];
	const char *src = "{{#rows}}{{.}}{{/rows}}";
	json_t *ctx = json_pack("{s:[s,s,s]}", "rows", "aaaa", "bbbb", "cccc");

	buf_init(&b, 15);
	buf_puts(&b, "keep");
	CHECK(tmpl_render_string(&b, src, strlen(src), ctx, err, sizeof err) == -1);
	CHECK(strstr(err, "size limit") != NULL);
	/* Cut back to what was there before the call. */
	CHECK(b.len == 4);
	CHECK_STR(buf_str(&b), "keep");
	buf_release(&b);

	/* Exactly at the cap is fine. */
	buf_init(&b, 12);
	CHECK(tmpl_render_string(&b, src, strlen(src), ctx, err, sizeof err) == 0);
	CHECK_STR(buf_str(&b), "aaaabbbbcccc");
	buf_release(&b);
	json_decref(ctx);
}

static void test_error_keeps_prior_output(void)
{
	struct buf b = BUF_INIT;
	char err[8];	/* a small err buffer truncates, NUL-terminated */

	buf_puts(&b, "head");
	CHECK(tmpl_render_string(&b, "body{{#a}}", 10, NULL, err, sizeof err) == -1);
	CHECK_STR(buf_str(&b), "head");
	CHECK(strlen(err) < sizeof err);
	CHECK(tmpl_render_string(&b, "{{/a}}", 6, NULL, NULL, 0) == -1);
	CHECK_STR(buf_str(&b), "head");
	buf_release(&b);
}

static void test_not_nul_terminated(void)
{
	struct buf b = BUF_INIT;
	const char src[] = { 'a', '{', '{', 'x', '}', '}', '{' };
	json_t *ctx = json_pack("{s:s}", "x", "X");

	/* Only 6 bytes: the trailing '{' is outside the template. */
	CHECK(tmpl_render_string(&b, src, 6, ctx, NULL, 0) == 0);
	CHECK_STR(buf_str(&b), "aX");
	buf_reset(&b);
	/* Cut inside the closing braces: unclosed. */
	CHECK(tmpl_render_string(&b, src, 5, ctx, NULL, 0) == -1);
	json_decref(ctx);
	buf_release(&b);
}

int main(void)
{
	buf_init(&out, 0);
	RUN(test_escape_all_five);
	RUN(test_escape_keeps_nul_and_length);
	RUN(test_script_injection);
	RUN(test_raw);
	RUN(test_plain_text_and_empty);
	RUN(test_dotted_paths);
	RUN(test_dotted_path_does_not_fall_back);
	RUN(test_numbers_and_literals);
	RUN(test_section_array_of_objects);
	RUN(test_section_array_of_strings);
	RUN(test_section_object);
	RUN(test_truthy_and_falsy);
	RUN(test_inverted);
	RUN(test_nested_sections_outer_lookup);
	RUN(test_comments);
	RUN(test_whitespace_in_tags);
	RUN(test_null_context);
	RUN(test_partial);
	RUN(test_tmpl_render_by_name);
	RUN(test_partial_errors);
	RUN(test_error_unclosed_tag);
	RUN(test_error_unclosed_section);
	RUN(test_error_mismatched_close);
	RUN(test_error_bad_tags);
	RUN(test_depth_limit);
	RUN(test_long_loop_is_linear);
	RUN(test_output_cap);
	RUN(test_error_keeps_prior_output);
	RUN(test_not_nul_terminated);
	buf_release(&out);
	return unit_finish("tmpl");
}
