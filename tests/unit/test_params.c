/*
 * test_params.c - unit tests for the request parameter multimap
 * (src/http/params.c): urlencoded parsing, arrays, booleans, JSON
 * flattening and URL encoding.
 */
#include <stdlib.h>

#include <jansson.h>

#include "http/params.h"
#include "lib/buf.h"
#include "unit.h"

static int parse(struct params *p, const char *s)
{
	params_init(p);
	return params_parse_urlencoded(p, s, strlen(s));
}

static int from_json(struct params *p, const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	int rc;

	params_init(p);
	if (!j) {
		fprintf(stderr, "  bad test JSON: %s\n", jerr.text);
		return -2;
	}
	rc = params_from_json(p, j);
	json_decref(j);
	return rc;
}

static void test_urlencoded_basic(void)
{
	struct params p;

	CHECK(parse(&p, "a=1&b=x%20y+z") == 0);
	CHECK(p.n == 2);
	CHECK_STR(params_get(&p, "a"), "1");
	CHECK_STR(params_get(&p, "b"), "x y z");
	CHECK(params_get(&p, "c") == NULL);
	CHECK(params_get(&p, "A") == NULL); /* keys are case-sensitive */
	params_release(&p);
	CHECK(p.n == 0 && p.items == NULL);

	/* keys are decoded too; %2B is a literal plus, %26 and %3D literal */
	CHECK(parse(&p, "my+key=1&k%5Bx%5D=%2B%26%3D") == 0);
	CHECK_STR(params_get(&p, "my key"), "1");
	CHECK_STR(params_get(&p, "k[x]"), "+&=");
	params_release(&p);

	/* the value is everything after the first '=' */
	CHECK(parse(&p, "eq=a=b=c") == 0);
	CHECK_STR(params_get(&p, "eq"), "a=b=c");
	params_release(&p);

	/* UTF-8 and upper/lower hex */
	CHECK(parse(&p, "n=%C3%a9t%C3%A9") == 0);
	CHECK_STR(params_get(&p, "n"), "\xc3\xa9t\xc3\xa9");
	params_release(&p);
}

static void test_urlencoded_length_respected(void)
{
	struct params p;
	const char *s = "a=1&b=2";

	/* only the first len bytes are parsed */
	params_init(&p);
	CHECK(params_parse_urlencoded(&p, s, 3) == 0);
	CHECK_STR(params_get(&p, "a"), "1");
	CHECK(params_get(&p, "b") == NULL);
	params_release(&p);

	/* a %-escape cut off by len is malformed even if more bytes follow */
	params_init(&p);
	CHECK(params_parse_urlencoded(&p, "a=%41", 4) == -1);
	params_release(&p);

	params_init(&p);
	CHECK(params_parse_urlencoded(&p, "", 0) == 0);
	CHECK(p.n == 0);
	params_release(&p);
}

static void test_urlencoded_empty_and_bare(void)
{
	struct params p;
	const char *v;

	CHECK(parse(&p, "a=&b&&c=3&") == 0);
	CHECK(p.n == 3);
	v = params_get(&p, "a");
	CHECK_STR(v, "");
	CHECK(params_get_nonempty(&p, "a") == NULL);
	CHECK_STR(params_get(&p, "b"), ""); /* a key without '=' */
	CHECK(p.items[1].len == 0);
	CHECK_STR(params_get_nonempty(&p, "c"), "3");
	CHECK(params_get_nonempty(&p, "zz") == NULL);
	params_release(&p);

	CHECK(parse(&p, "&&&") == 0);
	CHECK(p.n == 0);
	params_release(&p);
}

static void test_urlencoded_repeated_keys(void)
{
	struct params p;
	const char *out[4];

	CHECK(parse(&p, "k=first&k=second") == 0);
	CHECK(p.n == 2);
	CHECK_STR(params_get(&p, "k"), "first"); /* the first wins */
	CHECK_STR(p.items[1].value, "second");
	/* get_array falls back to the plain key: one value */
	CHECK(params_get_array(&p, "k", out, 4) == 1);
	CHECK_STR(out[0], "first");
	params_release(&p);
}

static void test_urlencoded_arrays(void)
{
	struct params p;
	const char *out[8];

	CHECK(parse(&p, "ids[]=1&ids[]=2&ids%5B%5D=3") == 0);
	CHECK(params_get_array(&p, "ids", out, 8) == 3);
	CHECK_STR(out[0], "1");
	CHECK_STR(out[1], "2");
	CHECK_STR(out[2], "3");
	CHECK(params_get(&p, "ids") == NULL);
	CHECK_STR(params_get(&p, "ids[]"), "1");
	/* max bounds the output */
	CHECK(params_get_array(&p, "ids", out, 2) == 2);
	CHECK(params_get_array(&p, "ids", out, 0) == 0);
	params_release(&p);

	/* indexed arrays normalise to key[] */
	CHECK(parse(&p, "x[0]=a&x[1]=b&x[10]=c") == 0);
	CHECK_STR(p.items[0].key, "x[]");
	CHECK_STR(p.items[2].key, "x[]");
	CHECK(params_get_array(&p, "x", out, 8) == 3);
	CHECK_STR(out[0], "a");
	CHECK_STR(out[1], "b");
	CHECK_STR(out[2], "c");
	params_release(&p);

	/* key[] wins over a plain key; the plain key is the fallback */
	CHECK(parse(&p, "t=plain&t[]=arr") == 0);
	CHECK(params_get_array(&p, "t", out, 8) == 1);
	CHECK_STR(out[0], "arr");
	params_release(&p);

	CHECK(parse(&p, "single=only") == 0);
	CHECK(params_get_array(&p, "single", out, 8) == 1);
	CHECK_STR(out[0], "only");
	CHECK(params_get_array(&p, "missing", out, 8) == 0);
	CHECK(params_get_array(&p, "single", out, 0) == 0);
	params_release(&p);
}

static void test_normalise_key(void)
{
	struct params p;

	params_init(&p);
	CHECK(params_add(&p, "a[12]", 5, "v", 1) == 0);
	CHECK(params_add(&p, "a[]", 3, "v", 1) == 0);
	CHECK(params_add(&p, "a[x]", 4, "v", 1) == 0);
	CHECK(params_add(&p, "a[1x]", 5, "v", 1) == 0);
	CHECK(params_add(&p, "f[0][name]", 10, "v", 1) == 0);
	CHECK(params_add(&p, "f[0][1]", 7, "v", 1) == 0);
	CHECK(params_add(&p, "12]", 3, "v", 1) == 0);
	CHECK(params_add(&p, "plain", 5, "v", 1) == 0);
	/* klen is honoured: only "k[3]" of "k[3]zzz" */
	CHECK(params_add(&p, "k[3]zzz", 4, "v", 1) == 0);
	CHECK_STR(p.items[0].key, "a[]");
	CHECK_STR(p.items[1].key, "a[]");
	CHECK_STR(p.items[2].key, "a[x]");
	CHECK_STR(p.items[3].key, "a[1x]");
	CHECK_STR(p.items[4].key, "f[0][name]"); /* digits not at the end: kept */
	CHECK_STR(p.items[5].key, "f[0][]");
	CHECK_STR(p.items[6].key, "12]");
	CHECK_STR(p.items[7].key, "plain");
	CHECK_STR(p.items[8].key, "k[]");
	params_release(&p);
}

static void test_add_and_append_last(void)
{
	struct params p;

	params_init(&p);
	CHECK(params_append_last(&p, "x", 1) == -1); /* nothing to append to */
	CHECK(params_add(&p, "k", 1, "ab", 2) == 0);
	CHECK(params_append_last(&p, "cd", 2) == 0);
	CHECK(params_append_last(&p, "", 0) == 0);
	CHECK_STR(params_get(&p, "k"), "abcd");
	CHECK(p.items[0].len == 4);
	/* parameters are text: NUL bytes and invalid UTF-8 are refused */
	CHECK(params_add(&p, "bin", 3, "a\0b", 3) == -1);
	CHECK(params_add(&p, "bad", 3, "\xff", 1) == -1);
	CHECK(params_add(&p, "\xc3", 1, "x", 1) == -1);
	CHECK(params_add(&p, "ok", 2, "caf\xc3\xa9", 5) == 0);
	CHECK(p.n == 2);
	/* raw adds skip the check (values in pieces); params_valid checks later */
	CHECK(params_valid(&p));
	CHECK(params_add_raw(&p, "piece", 5, "\xc3", 1) == 0);
	CHECK(!params_valid(&p));
	CHECK(params_append_last(&p, "\xa9", 1) == 0);
	CHECK(params_valid(&p));
	params_release(&p);
}

static void test_malformed_escapes(void)
{
	struct params p;

	CHECK(parse(&p, "a=%") == -1);
	params_release(&p);
	CHECK(parse(&p, "a=%4") == -1);
	params_release(&p);
	CHECK(parse(&p, "a=%zz") == -1);
	params_release(&p);
	CHECK(parse(&p, "a=%4g") == -1);
	params_release(&p);
	CHECK(parse(&p, "%=1") == -1); /* in the key */
	params_release(&p);
	CHECK(parse(&p, "k%2") == -1); /* in a bare key */
	params_release(&p);
	CHECK(parse(&p, "a=%&b=1") == -1);
	params_release(&p);
	/* a valid escape at the very end is fine */
	CHECK(parse(&p, "a=%41") == 0);
	CHECK_STR(params_get(&p, "a"), "A");
	params_release(&p);
}

static void test_params_max(void)
{
	struct buf b = BUF_INIT;
	struct params p;
	int i, ok = 1;

	for (i = 0; i < PARAMS_MAX; i++)
		buf_printf(&b, "%sk%d=%d", i ? "&" : "", i, i);
	CHECK(!b.failed);
	CHECK(parse(&p, buf_str(&b)) == 0);
	CHECK(p.n == PARAMS_MAX);
	CHECK_STR(params_get(&p, "k999"), "999");
	params_release(&p);

	buf_puts(&b, "&one=more");
	CHECK(parse(&p, buf_str(&b)) == -1);
	CHECK(p.n <= PARAMS_MAX);
	params_release(&p);
	buf_release(&b);

	params_init(&p);
	for (i = 0; i < PARAMS_MAX; i++)
		if (params_add(&p, "k", 1, "v", 1) != 0)
			ok = 0;
	CHECK(ok);
	CHECK(params_add(&p, "k", 1, "v", 1) == -1);
	CHECK(p.n == PARAMS_MAX);
	params_release(&p);
}

static void test_get_bool(void)
{
	struct params p;
	static const char *const yes[] = { "true", "True", "TRUE", "1", "on", "ON", "yes", "Yes" };
	static const char *const no[] = { "false", "False", "0", "off", "Off", "no", "NO" };
	static const char *const junk[] = { "2", "maybe", "tru", "yess", " 1", "-1", "00" };
	size_t i;

	params_init(&p);
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		params_add(&p, "b", 1, yes[i], strlen(yes[i]));
		CHECK(params_get_bool(&p, "b", -7) == 1);
		params_release(&p);
	}
	for (i = 0; i < sizeof no / sizeof no[0]; i++) {
		params_add(&p, "b", 1, no[i], strlen(no[i]));
		CHECK(params_get_bool(&p, "b", -7) == 0);
		params_release(&p);
	}
	for (i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		params_add(&p, "b", 1, junk[i], strlen(junk[i]));
		CHECK(params_get_bool(&p, "b", 1) == -1);
		params_release(&p);
	}
	params_add(&p, "b", 1, "", 0);
	CHECK(params_get_bool(&p, "b", 1) == 0);
	CHECK(params_get_bool(&p, "missing", 1) == 1);
	CHECK(params_get_bool(&p, "missing", 0) == 0);
	CHECK(params_get_bool(&p, "missing", 5) == 5);
	params_release(&p);

	/* from a query string, as clients send it */
	CHECK(parse(&p, "locked=true&bot=0&x") == 0);
	CHECK(params_get_bool(&p, "locked", 0) == 1);
	CHECK(params_get_bool(&p, "bot", 1) == 0);
	CHECK(params_get_bool(&p, "x", 1) == 0);
	params_release(&p);
}

static void test_json_scalars(void)
{
	struct params p;

	CHECK(from_json(&p, "{\"s\": \"str\", \"i\": 42, \"neg\": -7, \"big\": 9007199254740993,"
			   " \"r\": 1.5, \"t\": true, \"f\": false, \"n\": null, \"e\": \"\"}") == 0);
	CHECK_STR(params_get(&p, "s"), "str");
	CHECK_STR(params_get(&p, "i"), "42");
	CHECK_STR(params_get(&p, "neg"), "-7");
	CHECK_STR(params_get(&p, "big"), "9007199254740993");
	CHECK_STR(params_get(&p, "r"), "1.5");
	CHECK_STR(params_get(&p, "t"), "true");
	CHECK_STR(params_get(&p, "f"), "false");
	CHECK(params_get(&p, "n") == NULL); /* null is skipped */
	CHECK_STR(params_get(&p, "e"), "");
	CHECK(p.n == 8);
	CHECK(params_get_bool(&p, "t", 0) == 1);
	CHECK(params_get_bool(&p, "f", 1) == 0);
	params_release(&p);

	/* strings with NUL bytes are refused: parameters are C strings */
	CHECK(from_json(&p, "{\"z\": \"a\\u0000b\"}") == -1);
	params_release(&p);

	CHECK(from_json(&p, "{}") == 0);
	CHECK(p.n == 0);
	params_release(&p);
}

static void test_json_arrays_and_objects(void)
{
	struct params p;
	const char *out[8];

	CHECK(from_json(&p, "{\"ids\": [\"a\", \"b\", 3, null, true], \"empty\": []}") == 0);
	CHECK(params_get_array(&p, "ids", out, 8) == 4);
	CHECK_STR(out[0], "a");
	CHECK_STR(out[1], "b");
	CHECK_STR(out[2], "3");
	CHECK_STR(out[3], "true");
	CHECK(params_get_array(&p, "empty", out, 8) == 0);
	params_release(&p);

	CHECK(from_json(&p, "{\"source\": {\"privacy\": \"private\", \"sensitive\": false,"
			   " \"deep\": {\"x\": 1}}}") == 0);
	CHECK_STR(params_get(&p, "source[privacy]"), "private");
	CHECK_STR(params_get(&p, "source[sensitive]"), "false");
	CHECK_STR(params_get(&p, "source[deep][x]"), "1");
	CHECK(params_get(&p, "source") == NULL);
	params_release(&p);

	/* arrays of objects keep their index */
	CHECK(from_json(&p, "{\"fields\": [{\"name\": \"n0\", \"value\": \"v0\"},"
			   " {\"name\": \"n1\", \"value\": \"v1\"}]}") == 0);
	CHECK_STR(params_get(&p, "fields[0][name]"), "n0");
	CHECK_STR(params_get(&p, "fields[0][value]"), "v0");
	CHECK_STR(params_get(&p, "fields[1][name]"), "n1");
	CHECK_STR(params_get(&p, "fields[1][value]"), "v1");
	CHECK(p.n == 4);
	params_release(&p);

	/* an object's array under a nested key */
	CHECK(from_json(&p, "{\"a\": {\"b\": [\"x\", \"y\"]}}") == 0);
	CHECK(params_get_array(&p, "a[b]", out, 8) == 2);
	CHECK_STR(out[0], "x");
	CHECK_STR(out[1], "y");
	params_release(&p);

	/* a JSON key that looks indexed is normalised like a form key */
	CHECK(from_json(&p, "{\"k[3]\": \"v\"}") == 0);
	CHECK_STR(params_get(&p, "k[]"), "v");
	params_release(&p);
}

static void test_json_not_object(void)
{
	struct params p;

	CHECK(from_json(&p, "[1, 2]") == -1);
	params_release(&p);
	CHECK(from_json(&p, "\"str\"") == -1);
	params_release(&p);
	CHECK(from_json(&p, "42") == -1);
	params_release(&p);
	CHECK(from_json(&p, "null") == -1);
	params_release(&p);
	params_init(&p);
	CHECK(params_from_json(&p, NULL) == -1);
	params_release(&p);
}

/* {"a":{"a":...{"a":1}...}} with `levels` objects */
static json_t *nested(int levels)
{
	json_t *v = json_integer(1);
	int i;

	for (i = 0; i < levels; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "a", v);
		v = o;
	}
	return v;
}

static void test_json_depth(void)
{
	struct params p;
	json_t *j;
	int levels, deepest_ok = 0;

	j = nested(3);
	params_init(&p);
	CHECK(params_from_json(&p, j) == 0);
	CHECK_STR(params_get(&p, "a[a][a]"), "1");
	params_release(&p);
	json_decref(j);

	j = nested(20);
	params_init(&p);
	CHECK(params_from_json(&p, j) == -1);
	params_release(&p);
	json_decref(j);

	for (levels = 1; levels <= 12; levels++) {
		j = nested(levels);
		params_init(&p);
		if (params_from_json(&p, j) == 0)
			deepest_ok = levels;
		params_release(&p);
		json_decref(j);
	}
	/* values may sit at most 8 levels below the top: 8 nested objects
	 * parse, 9 are too deep */
	CHECK(deepest_ok == 8);

	/* arrays count as levels too */
	{
		struct buf b = BUF_INIT;
		int i;

		buf_puts(&b, "{\"k\": ");
		for (i = 0; i < 12; i++)
			buf_putc(&b, '[');
		buf_putc(&b, '1');
		for (i = 0; i < 12; i++)
			buf_putc(&b, ']');
		buf_putc(&b, '}');
		CHECK(from_json(&p, buf_str(&b)) == -1);
		params_release(&p);
		buf_release(&b);
	}
}

static void test_json_params_max(void)
{
	json_t *o = json_object(), *arr = json_array();
	struct params p;
	int i;

	for (i = 0; i < PARAMS_MAX + 5; i++)
		json_array_append_new(arr, json_integer(i));
	json_object_set_new(o, "many", arr);
	params_init(&p);
	CHECK(params_from_json(&p, o) == -1);
	CHECK(p.n == PARAMS_MAX);
	params_release(&p);
	json_decref(o);
}

static void test_url_encode(void)
{
	struct buf b = BUF_INIT;

	CHECK(url_encode(&b, "AZaz09-_.~") == 0);
	CHECK_STR(buf_str(&b), "AZaz09-_.~");
	buf_reset(&b);
	CHECK(url_encode(&b, "a b&c=d/e?f#g+h%i") == 0);
	CHECK_STR(buf_str(&b), "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25i");
	buf_reset(&b);
	CHECK(url_encode(&b, ":@!$'()*,;[]") == 0);
	CHECK_STR(buf_str(&b), "%3A%40%21%24%27%28%29%2A%2C%3B%5B%5D");
	buf_reset(&b);
	CHECK(url_encode(&b, "\xc3\xa9t\xc3\xa9 \xe2\x82\xac") == 0);
	CHECK_STR(buf_str(&b), "%C3%A9t%C3%A9%20%E2%82%AC");
	buf_reset(&b);
	CHECK(url_encode(&b, "") == 0);
	CHECK_STR(buf_str(&b), "");
	CHECK(url_encode(&b, "\x01\x7f\xff") == 0);
	CHECK_STR(buf_str(&b), "%01%7F%FF");
	buf_release(&b);

	/* encode then decode gives the original back */
	{
		struct params p;
		const char *orig = "x y+z&=%/\xc3\xa9";

		buf_puts(&b, "k=");
		url_encode(&b, orig);
		CHECK(parse(&p, buf_str(&b)) == 0);
		CHECK_STR(params_get(&p, "k"), orig);
		params_release(&p);
		buf_release(&b);
	}

	/* a full buffer reports failure */
	buf_init(&b, 4);
	CHECK(url_encode(&b, "   ") == -1);
	CHECK(b.failed);
	buf_release(&b);
}

/* issue 6: every way clients send arrays and booleans reads the same */
static void test_arrays_every_encoding(void)
{
	const char *v[8];
	struct params p;
	json_t *j;
	size_t n;

	/* key[]= and key[N]= in a form, mixed with the plain key */
	params_init(&p);
	CHECK(parse(&p, "context%5B%5D=home&context%5B%5D=public") == 0);
	n = params_get_array(&p, "context", v, 8);
	CHECK(n == 2 && !strcmp(v[0], "home") && !strcmp(v[1], "public"));
	params_release(&p);
	CHECK(parse(&p, "context[0]=home&context[1]=thread") == 0);
	n = params_get_array(&p, "context", v, 8);
	CHECK(n == 2 && !strcmp(v[0], "home") && !strcmp(v[1], "thread"));
	params_release(&p);
	/* nested arrays keep their outer key: poll[options][0] */
	CHECK(parse(&p, "poll[options][0]=a&poll[options][1]=b") == 0);
	n = params_get_array(&p, "poll[options]", v, 8);
	CHECK(n == 2 && !strcmp(v[0], "a") && !strcmp(v[1], "b"));
	params_release(&p);
	/* multipart fields arrive through params_add_raw */
	CHECK(params_add_raw(&p, "media_ids[3]", 12, "7", 1) == 0);
	CHECK(params_add_raw(&p, "media_ids[]", 11, "8", 1) == 0);
	n = params_get_array(&p, "media_ids", v, 8);
	CHECK(n == 2 && !strcmp(v[0], "7") && !strcmp(v[1], "8"));
	params_release(&p);
	/* JSON arrays, also under a key that already says [] */
	j = json_loads("{\"media_ids\": [\"1\", 2], \"context[]\": [\"home\"]}", 0, NULL);
	CHECK(j && params_from_json(&p, j) == 0);
	n = params_get_array(&p, "media_ids", v, 8);
	CHECK(n == 2 && !strcmp(v[0], "1") && !strcmp(v[1], "2"));
	n = params_get_array(&p, "context", v, 8);
	CHECK(n == 1 && !strcmp(v[0], "home"));
	CHECK(params_get(&p, "context[][]") == NULL);
	json_decref(j);
	params_release(&p);
}

static void test_bool_rails_spellings(void)
{
	struct params p;

	params_init(&p);
	CHECK(parse(&p, "a=t&b=F&c=TRUE&d=False&e=1&f=0") == 0);
	CHECK(params_get_bool(&p, "a", -7) == 1);
	CHECK(params_get_bool(&p, "b", -7) == 0);
	CHECK(params_get_bool(&p, "c", -7) == 1);
	CHECK(params_get_bool(&p, "d", -7) == 0);
	CHECK(params_get_bool(&p, "e", -7) == 1);
	CHECK(params_get_bool(&p, "f", -7) == 0);
	params_release(&p);
}

int main(void)
{
	RUN(test_arrays_every_encoding);
	RUN(test_bool_rails_spellings);
	RUN(test_urlencoded_basic);
	RUN(test_urlencoded_length_respected);
	RUN(test_urlencoded_empty_and_bare);
	RUN(test_urlencoded_repeated_keys);
	RUN(test_urlencoded_arrays);
	RUN(test_normalise_key);
	RUN(test_add_and_append_last);
	RUN(test_malformed_escapes);
	RUN(test_params_max);
	RUN(test_get_bool);
	RUN(test_json_scalars);
	RUN(test_json_arrays_and_objects);
	RUN(test_json_not_object);
	RUN(test_json_depth);
	RUN(test_json_params_max);
	RUN(test_url_encode);
	return unit_finish("params");
}
