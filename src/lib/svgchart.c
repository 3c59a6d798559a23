/*
 * svgchart.c - line/bar charts and histograms as inline SVG (svgchart.h).
 *
 * The output is written in one pass: frame, accessible title and
 * description, visible title, legend, grid lines with y tick labels, x tick
 * labels, axis captions, then the data. Numbers are printed with a fixed
 * number of decimals so the same input always gives the same bytes (the
 * unit test compares coordinates).
 */
#include "lib/svgchart.h"
#include "lib/html.h"

#include <math.h>
#include <string.h>

static const char *const palette[SVGCHART_SERIES_MAX] = {
	"#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2",
};

#define PLOT_W ((double)(SVGCHART_W - SVGCHART_LEFT - SVGCHART_RIGHT))
#define PLOT_H ((double)(SVGCHART_H - SVGCHART_TOP - SVGCHART_BOTTOM))
#define PLOT_BOTTOM ((double)(SVGCHART_H - SVGCHART_BOTTOM))

static void esc(struct buf *out, const char *s)
{
	if (s)
		html_escape(out, s, strlen(s));
}

/* A value as a person reads it: integers without decimals. */
static void put_num(struct buf *out, double v)
{
	if (isnan(v))
		buf_puts(out, "0");
	else if (v == floor(v) && fabs(v) < 1e15)
		buf_printf(out, "%.0f", v);
	else
		buf_printf(out, "%.2f", v);
}

static double clean(double v)
{
	return (isnan(v) || v < 0) ? 0 : v;
}

double svgchart_nice_max(double max)
{
	static const double steps[] = { 1, 2, 2.5, 5, 10 };
	double p;
	size_t i;

	if (isnan(max) || max <= 1)
		return 1;
	if (isinf(max))
		return 1e300;
	p = pow(10, floor(log10(max)));
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (steps[i] * p >= max)
			return steps[i] * p;
	return 10 * p;
}

static double y_of(double v, double ymax)
{
	return PLOT_BOTTOM - clean(v) / ymax * PLOT_H;
}

static double largest(const struct svgchart *c)
{
	double m = 0;
	size_t s, i;

	for (s = 0; s < c->nseries; s++)
		for (i = 0; i < c->n; i++)
			if (clean(c->series[s].values[i]) > m)
				m = clean(c->series[s].values[i]);
	return m;
}

/* The x centre of label i: a point (lines) or a slot (bars). */
static double x_of(const struct svgchart *c, size_t i)
{
	if (c->bars)
		return SVGCHART_LEFT + (i + 0.5) * PLOT_W / (double)c->n;
	if (c->n <= 1)
		return SVGCHART_LEFT + PLOT_W / 2;
	return SVGCHART_LEFT + (double)i * PLOT_W / (double)(c->n - 1);
}

static void frame_open(struct buf *out, const struct svgchart *c, const char *id)
{
	int has_desc = c->desc && c->desc[0];

	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\""
		   " role=\"img\" aria-labelledby=\"", SVGCHART_W, SVGCHART_H);
	esc(out, id);
	buf_puts(out, "-title");
	if (has_desc) {
		buf_puts(out, " ");
		esc(out, id);
		buf_puts(out, "-desc");
	}
	buf_puts(out, "\">\n<title id=\"");
	esc(out, id);
	buf_puts(out, "-title\">");
	esc(out, c->title);
	buf_puts(out, "</title>\n");
	if (has_desc) {
		buf_puts(out, "<desc id=\"");
		esc(out, id);
		buf_puts(out, "-desc\">");
		esc(out, c->desc);
		buf_puts(out, "</desc>\n");
	}
	buf_printf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
		   SVGCHART_W, SVGCHART_H);
	buf_printf(out, "<text class=\"chart-title\" x=\"%d\" y=\"18\" font-size=\"15\" font-weight=\"bold\""
		   " fill=\"#111827\">", SVGCHART_LEFT);
	esc(out, c->title);
	buf_puts(out, "</text>\n");
}

static void legend(struct buf *out, const struct svgchart *c)
{
	size_t s;

	if (c->nseries < 2)
		return;
	buf_puts(out, "<g class=\"legend\" font-size=\"12\" fill=\"#374151\">\n");
	for (s = 0; s < c->nseries; s++) {
		int x = SVGCHART_LEFT + (int)s * 110;

		buf_printf(out, "<rect x=\"%d\" y=\"26\" width=\"10\" height=\"10\" fill=\"%s\"/>"
			   "<text x=\"%d\" y=\"35\">", x, palette[s], x + 14);
		esc(out, c->series[s].name);
		buf_puts(out, "</text>\n");
	}
	buf_puts(out, "</g>\n");
}

static void axes(struct buf *out, const struct svgchart *c, double ymax)
{
	size_t i, step;
	int k;

	buf_puts(out, "<g class=\"axis y\" font-size=\"11\" fill=\"#4b5563\" text-anchor=\"end\">\n");
	for (k = 0; k <= 5; k++) {
		double v = ymax * k / 5.0, y = y_of(v, ymax);

		buf_printf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>"
			   "<text x=\"%d\" y=\"%.1f\">", SVGCHART_LEFT, y, SVGCHART_W - SVGCHART_RIGHT, y,
			   k ? "#e5e7eb" : "#6b7280", SVGCHART_LEFT - 6, y + 4);
		buf_printf(out, "%g", v);
		buf_puts(out, "</text>\n");
	}
	buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" stroke=\"#6b7280\"/>\n",
		   SVGCHART_LEFT, SVGCHART_TOP, SVGCHART_LEFT, PLOT_BOTTOM);
	buf_puts(out, "</g>\n<g class=\"axis x\" font-size=\"11\" fill=\"#4b5563\" text-anchor=\"middle\">\n");
	/* as many labels as fit side by side (about 6.2 units a character at
	 * font size 11), at most 10 */
	{
		size_t longest = 1, fit;

		for (i = 0; i < c->n; i++)
			if (c->labels[i] && strlen(c->labels[i]) > longest)
				longest = strlen(c->labels[i]);
		fit = (size_t)(PLOT_W / (6.2 * (double)longest + 12));
		if (fit > 10)
			fit = 10;
		if (fit < 1)
			fit = 1;
		step = c->n > fit ? (c->n + fit - 1) / fit : 1;
	}
	for (i = 0; i < c->n; i += step) {
		buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\">", x_of(c, i), PLOT_BOTTOM + 16);
		esc(out, c->labels[i]);
		buf_puts(out, "</text>\n");
	}
	buf_puts(out, "</g>\n");
	if (c->x_label && c->x_label[0]) {
		buf_printf(out, "<text class=\"axis-label\" x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#374151\""
			   " text-anchor=\"middle\">", SVGCHART_LEFT + PLOT_W / 2, SVGCHART_H - 4);
		esc(out, c->x_label);
		buf_puts(out, "</text>\n");
	}
	if (c->y_label && c->y_label[0]) {
		buf_printf(out, "<text class=\"axis-label\" x=\"12\" y=\"%.1f\" font-size=\"11\" fill=\"#374151\""
			   " text-anchor=\"middle\" transform=\"rotate(-90 12 %.1f)\">",
			   SVGCHART_TOP + PLOT_H / 2, SVGCHART_TOP + PLOT_H / 2);
		esc(out, c->y_label);
		buf_puts(out, "</text>\n");
	}
}

/* "<label>: <series> <value>" */
static void point_title(struct buf *out, const struct svgchart *c, size_t s, size_t i)
{
	buf_puts(out, "<title>");
	esc(out, c->labels[i]);
	buf_puts(out, ": ");
	if (c->series[s].name && c->series[s].name[0]) {
		esc(out, c->series[s].name);
		buf_puts(out, " ");
	}
	put_num(out, clean(c->series[s].values[i]));
	buf_puts(out, "</title>");
}

static void data(struct buf *out, const struct svgchart *c, double ymax)
{
	size_t s, i;

	for (s = 0; s < c->nseries; s++) {
		buf_printf(out, "<g class=\"series s%zu\" fill=\"%s\" stroke=\"%s\">\n", s, palette[s], palette[s]);
		if (c->bars) {
			double slot = PLOT_W / (double)c->n, bw = slot * 0.8 / (double)c->nseries;

			for (i = 0; i < c->n; i++) {
				double v = clean(c->series[s].values[i]), y = y_of(v, ymax);
				double x = SVGCHART_LEFT + (double)i * slot + slot * 0.1 + (double)s * bw;

				buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
					   " stroke=\"none\">", x, y, bw, PLOT_BOTTOM - y);
				point_title(out, c, s, i);
				buf_puts(out, "</rect>\n");
			}
		} else {
			buf_puts(out, "<polyline fill=\"none\" stroke-width=\"2\" points=\"");
			for (i = 0; i < c->n; i++)
				buf_printf(out, "%s%.1f,%.1f", i ? " " : "", x_of(c, i),
					   y_of(c->series[s].values[i], ymax));
			buf_puts(out, "\"/>\n");
			for (i = 0; i < c->n; i++) {
				buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" stroke=\"none\">",
					   x_of(c, i), y_of(c->series[s].values[i], ymax));
				point_title(out, c, s, i);
				buf_puts(out, "</circle>\n");
			}
		}
		buf_puts(out, "</g>\n");
	}
}

int svgchart_render(struct buf *out, const struct svgchart *c)
{
	const char *id = c->id && c->id[0] ? c->id : "chart";
	double ymax;
	size_t s;

	if (c->nseries > SVGCHART_SERIES_MAX || (c->n && !c->labels) || (c->nseries && !c->series))
		return -1;
	for (s = 0; s < c->nseries; s++)
		if (c->n && !c->series[s].values)
			return -1;
	ymax = svgchart_nice_max(largest(c));
	frame_open(out, c, id);
	legend(out, c);
	axes(out, c, ymax);
	if (c->n)
		data(out, c, ymax);
	else
		buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" fill=\"#6b7280\" text-anchor=\"middle\">"
			   "No data</text>\n", SVGCHART_LEFT + PLOT_W / 2, SVGCHART_TOP + PLOT_H / 2);
	buf_puts(out, "</svg>\n");
	return out->failed ? -1 : 0;
}

int svgchart_histogram(struct buf *out, const char *id, const char *title, const char *desc,
		       const char *x_label, const char *const *bins, const double *counts, size_t n)
{
	struct svgchart_series s = { "questions", counts };
	struct svgchart c;

	memset(&c, 0, sizeof c);
	c.id = id;
	c.title = title;
	c.desc = desc;
	c.x_label = x_label;
	c.y_label = "questions";
	c.labels = bins;
	c.n = n;
	c.series = &s;
	c.nseries = 1;
	c.bars = 1;
	return svgchart_render(out, &c);
}
