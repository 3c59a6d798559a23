/*
 * test_svgchart.c - the SVG charts (lib/svgchart.h): the output is
 * well-formed XML (checked by a small parser below: balanced tags, quoted
 * attributes, only the five XML entities and numeric references, no raw
 * '<' or '&' in text), it carries the accessible title/desc, caller text
 * is escaped, and values land on the coordinates the header promises.
 */
#include "lib/svgchart.h"
#include "unit.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>

/* ---- a tiny XML well-formedness check ------------------------------- */

static int entity_ok(const char *s, size_t *len)
{
	static const char *const names[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
	size_t i;

	for (i = 0; i < 5; i++)
		if (!strncmp(s, names[i], strlen(names[i]))) {
			*len = strlen(names[i]);
			return 1;
		}
	if (s[1] == '#') {
		i = 2;
		while (isdigit((unsigned char)s[i]))
			i++;
		if (i > 2 && s[i] == ';') {
			*len = i + 1;
			return 1;
		}
	}
	return 0;
}

/* 1 when s is one well-formed element (with nested ones) and text; the
 * name of the root in root. Counts elements named `count_name`. */
static int xml_well_formed(const char *s, char *root, size_t rootlen, const char *count_name, int *count)
{
	char stack[64][32];
	int depth = 0, roots = 0;
	size_t i = 0, k;

	*count = 0;
	while (s[i]) {
		if (s[i] == '&') {
			if (!entity_ok(s + i, &k))
				return 0;
			i += k;
		} else if (s[i] == '<') {
			int closing = s[i + 1] == '/';
			char name[32];
			size_t n = 0;

			i += closing ? 2 : 1;
			while (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == ':') {
				if (n + 1 >= sizeof name)
					return 0;
				name[n++] = s[i++];
			}
			name[n] = '\0';
			if (!n)
				return 0;
			if (closing) {
				if (s[i] != '>' || depth == 0 || strcmp(stack[depth - 1], name))
					return 0;
				depth--;
				i++;
				continue;
			}
			if (depth == 0) {
				if (roots++)
					return 0;
				snprintf(root, rootlen, "%s", name);
			}
			if (!strcmp(name, count_name))
				(*count)++;
			/* attributes: name="value" with escaped values */
			for (;;) {
				while (s[i] == ' ' || s[i] == '\n')
					i++;
				if (s[i] == '>' || (s[i] == '/' && s[i + 1] == '>'))
					break;
				if (!isalpha((unsigned char)s[i]))
					return 0;
				while (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == ':')
					i++;
				if (s[i] != '=' || s[i + 1] != '"')
					return 0;
				i += 2;
				while (s[i] && s[i] != '"') {
					if (s[i] == '<')
						return 0;
					if (s[i] == '&') {
						if (!entity_ok(s + i, &k))
							return 0;
						i += k;
					} else {
						i++;
					}
				}
				if (s[i] != '"')
					return 0;
				i++;
			}
			if (s[i] == '/') {
				i += 2;
			} else {
				if (depth >= 64)
					return 0;
				snprintf(stack[depth++], sizeof stack[0], "%s", name);
				i++;
			}
		} else if (s[i] == '>') {
			return 0;
		} else {
			if (depth == 0 && !isspace((unsigned char)s[i]))
				return 0;
			i++;
		}
	}
	return depth == 0 && roots == 1;
}

/* The value of attribute `attr` of the n-th (0-based) element `<tag `. */
static double attr_of(const char *s, const char *tag, int nth, const char *attr)
{
	char open[40], key[40];
	const char *p = s, *e;

	snprintf(open, sizeof open, "<%s ", tag);
	snprintf(key, sizeof key, " %s=\"", attr);
	for (;;) {
		p = strstr(p, open);
		if (!p)
			return NAN;
		if (nth-- == 0)
			break;
		p++;
	}
	e = strchr(p, '>');
	p = strstr(p, key);
	if (!p || p > e)
		return NAN;
	return strtod(p + strlen(key), NULL);
}

static int near(double a, double b)
{
	return fabs(a - b) < 0.051;
}

/* ---- tests ---------------------------------------------------------- */

static void test_nice_max(void)
{
	CHECK(svgchart_nice_max(0) == 1);
	CHECK(svgchart_nice_max(-3) == 1);
	CHECK(svgchart_nice_max(NAN) == 1);
	CHECK(svgchart_nice_max(1) == 1);
	CHECK(svgchart_nice_max(1.5) == 2);
	CHECK(svgchart_nice_max(2.2) == 2.5);
	CHECK(svgchart_nice_max(3) == 5);
	CHECK(svgchart_nice_max(7) == 10);
	CHECK(svgchart_nice_max(10) == 10);
	CHECK(svgchart_nice_max(11) == 20);
	CHECK(svgchart_nice_max(480) == 500);
}

static void test_line_chart(void)
{
	static const char *const labels[] = { "2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05" };
	static const double asked[] = { 0, 2, 4, 1, 3 }, answered[] = { 0, 1, 1, 2, 0 };
	struct svgchart_series s[2] = { { "asked", asked }, { "answered", answered } };
	struct svgchart c;
	struct buf b = BUF_INIT;
	char root[32];
	int circles, i;
	double plot_h = SVGCHART_H - SVGCHART_TOP - SVGCHART_BOTTOM;
	double plot_w = SVGCHART_W - SVGCHART_LEFT - SVGCHART_RIGHT;

	memset(&c, 0, sizeof c);
	c.id = "daily";
	c.title = "Questions per day";
	c.desc = "asked, answered";
	c.x_label = "day";
	c.labels = labels;
	c.n = 5;
	c.series = s;
	c.nseries = 2;
	CHECK(svgchart_render(&b, &c) == 0);
	CHECK(xml_well_formed(buf_str(&b), root, sizeof root, "circle", &circles));
	CHECK_STR(root, "svg");
	CHECK(circles == 10);
	CHECK(strstr(buf_str(&b), "viewBox=\"0 0 640 300\"") != NULL);
	CHECK(strstr(buf_str(&b), "aria-labelledby=\"daily-title daily-desc\"") != NULL);
	CHECK(strstr(buf_str(&b), "<title id=\"daily-title\">Questions per day</title>") != NULL);
	CHECK(strstr(buf_str(&b), "<desc id=\"daily-desc\">asked, answered</desc>") != NULL);
	CHECK(strstr(buf_str(&b), "<title>2026-01-03: asked 4</title>") != NULL);
	CHECK(strstr(buf_str(&b), "<title>2026-01-04: answered 2</title>") != NULL);
	/* ymax = nice(4) = 5; asked point i at x = left + i * w / 4 */
	for (i = 0; i < 5; i++) {
		CHECK(near(attr_of(buf_str(&b), "circle", i, "cx"), SVGCHART_LEFT + i * plot_w / 4));
		CHECK(near(attr_of(buf_str(&b), "circle", i, "cy"),
			   SVGCHART_H - SVGCHART_BOTTOM - asked[i] / 5.0 * plot_h));
	}
	/* the second series follows */
	CHECK(near(attr_of(buf_str(&b), "circle", 8, "cy"), SVGCHART_H - SVGCHART_BOTTOM - 2 / 5.0 * plot_h));
	/* the top of the axis is labelled 5 */
	CHECK(strstr(buf_str(&b), ">5</text>") != NULL);
	buf_release(&b);
}

static void test_bars_and_histogram(void)
{
	static const char *const bins[] = { "<1h", "1-4h", "4-24h", ">1d" };
	static const double counts[] = { 8, 3, 0, 1 };
	struct buf b = BUF_INIT;
	char root[32];
	int rects;
	double plot_h = SVGCHART_H - SVGCHART_TOP - SVGCHART_BOTTOM;
	double plot_w = SVGCHART_W - SVGCHART_LEFT - SVGCHART_RIGHT;
	double slot = plot_w / 4, first_bar;
	const char *p;

	CHECK(svgchart_histogram(&b, "ttfa", "Time to first answer", NULL, "time", bins, counts, 4) == 0);
	CHECK(xml_well_formed(buf_str(&b), root, sizeof root, "rect", &rects));
	CHECK(rects == 1 + 4);  /* the background and one bar per bin */
	CHECK(strstr(buf_str(&b), "aria-labelledby=\"ttfa-title\"") != NULL);
	CHECK(strstr(buf_str(&b), "<desc") == NULL);
	CHECK(strstr(buf_str(&b), "&lt;1h") != NULL);
	CHECK(strstr(buf_str(&b), "<title>&gt;1d: questions 1</title>") != NULL);
	/* ymax = 10: the first bar is 8/10 of the plot high, starting 10 % into its slot */
	p = strstr(buf_str(&b), "<g class=\"series s0\"");
	CHECK(p != NULL);
	if (p) {
		first_bar = attr_of(p, "rect", 0, "y");
		CHECK(near(first_bar, SVGCHART_H - SVGCHART_BOTTOM - 0.8 * plot_h));
		CHECK(near(attr_of(p, "rect", 0, "height"), 0.8 * plot_h));
		CHECK(near(attr_of(p, "rect", 0, "x"), SVGCHART_LEFT + slot * 0.1));
		CHECK(near(attr_of(p, "rect", 0, "width"), slot * 0.8));
		CHECK(near(attr_of(p, "rect", 2, "height"), 0));
		CHECK(near(attr_of(p, "rect", 3, "x"), SVGCHART_LEFT + 3 * slot + slot * 0.1));
	}
	buf_release(&b);
}

static void test_escaping_and_edges(void)
{
	static const char *const labels[] = { "<script>&\"'" };
	static const double v[] = { -5 };
	static const double nan_v[] = { NAN };
	struct svgchart_series s = { "a<b", v };
	struct svgchart c;
	struct buf b = BUF_INIT;
	char root[32];
	int n;

	memset(&c, 0, sizeof c);
	c.id = "x\"y";
	c.title = "T & <U>";
	c.labels = labels;
	c.n = 1;
	c.series = &s;
	c.nseries = 1;
	CHECK(svgchart_render(&b, &c) == 0);
	CHECK(xml_well_formed(buf_str(&b), root, sizeof root, "circle", &n));
	CHECK(n == 1);
	CHECK(strstr(buf_str(&b), "<script>") == NULL);
	CHECK(strstr(buf_str(&b), "T &amp; &lt;U&gt;") != NULL);
	/* a single point sits in the middle, a negative value on the axis */
	CHECK(near(attr_of(buf_str(&b), "circle", 0, "cx"),
		   SVGCHART_LEFT + (SVGCHART_W - SVGCHART_LEFT - SVGCHART_RIGHT) / 2.0));
	CHECK(near(attr_of(buf_str(&b), "circle", 0, "cy"), SVGCHART_H - SVGCHART_BOTTOM));
	buf_reset(&b);

	s.values = nan_v;
	c.bars = 1;
	CHECK(svgchart_render(&b, &c) == 0);
	CHECK(xml_well_formed(buf_str(&b), root, sizeof root, "rect", &n));
	buf_reset(&b);

	/* no data: still a chart, saying so */
	c.n = 0;
	CHECK(svgchart_render(&b, &c) == 0);
	CHECK(xml_well_formed(buf_str(&b), root, sizeof root, "rect", &n));
	CHECK(strstr(buf_str(&b), "No data") != NULL);
	buf_reset(&b);

	/* unusable arguments */
	c.n = 1;
	c.labels = NULL;
	CHECK(svgchart_render(&b, &c) == -1);
	c.labels = labels;
	c.nseries = SVGCHART_SERIES_MAX + 1;
	CHECK(svgchart_render(&b, &c) == -1);
	buf_release(&b);

	/* a buffer that is too small fails cleanly */
	buf_init(&b, 64);
	c.nseries = 1;
	CHECK(svgchart_render(&b, &c) == -1);
	CHECK(b.failed);
	buf_release(&b);
}

static void test_many_labels_are_thinned(void)
{
	char names[31][12];
	const char *labels[31];
	double v[31];
	struct svgchart_series s = { "asked", v };
	struct svgchart c;
	struct buf b = BUF_INIT;
	char root[32];
	int n, i, shown = 0;
	const char *p;

	for (i = 0; i < 31; i++) {
		snprintf(names[i], sizeof names[i], "d%02d", i);
		labels[i] = names[i];
		v[i] = i % 7;
	}
	memset(&c, 0, sizeof c);
	c.title = "Month";
	c.labels = labels;
	c.n = 31;
	c.series = &s;
	c.nseries = 1;
	CHECK(svgchart_render(&b, &c) == 0);
	CHECK(xml_well_formed(buf_str(&b), root, sizeof root, "circle", &n));
	CHECK(n == 31);
	p = strstr(buf_str(&b), "<g class=\"axis x\"");
	for (i = 0; i < 31; i++) {
		char t[24];

		snprintf(t, sizeof t, ">d%02d</text>", i);
		if (p && strstr(p, t))
			shown++;
	}
	CHECK(shown >= 5 && shown <= 10);
	CHECK(p && strstr(p, ">d00</text>"));
	buf_release(&b);

	/* long labels (dates): fewer, so they do not overlap */
	for (i = 0; i < 31; i++)
		snprintf(names[i], sizeof names[i], "2026-01-%02d", i + 1);
	CHECK(svgchart_render(&b, &c) == 0);
	p = strstr(buf_str(&b), "<g class=\"axis x\"");
	shown = 0;
	for (i = 0; p && (p = strstr(p + 1, "<text ")); i++)
		shown++;
	CHECK(shown >= 4 && shown <= 8);
	buf_release(&b);
}

static void test_checker_rejects_bad_xml(void)
{
	char root[32];
	int n;

	CHECK(!xml_well_formed("<svg><g></svg>", root, sizeof root, "g", &n));
	CHECK(!xml_well_formed("<svg a=b></svg>", root, sizeof root, "g", &n));
	CHECK(!xml_well_formed("<svg>a & b</svg>", root, sizeof root, "g", &n));
	CHECK(!xml_well_formed("<svg></svg><svg></svg>", root, sizeof root, "g", &n));
	CHECK(xml_well_formed("<svg a=\"1\"><g/>&amp;&#39;</svg>\n", root, sizeof root, "g", &n));
	CHECK(n == 1);
}

int main(void)
{
	RUN(test_nice_max);
	RUN(test_line_chart);
	RUN(test_bars_and_histogram);
	RUN(test_escaping_and_edges);
	RUN(test_many_labels_are_thinned);
	RUN(test_checker_rejects_bad_xml);
	return unit_finish("svgchart");
}
