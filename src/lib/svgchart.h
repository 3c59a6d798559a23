/*
 * svgchart.h - small server-rendered SVG charts for the metrics pages: a
 * line or bar chart of daily series, and a histogram.
 *
 * Pure C, no SQL, no HTTP: a chart is appended to a struct buf as one
 * <svg> element that can be inlined in HTML (or served as image/svg+xml:
 * it carries its own xmlns). Every chart has a fixed viewBox of
 * SVGCHART_W x SVGCHART_H user units (it scales to the width of its
 * container), axes with tick labels, a visible title, and for assistive
 * technology role="img" with <title> and <desc> (aria-labelledby), plus a
 * <title> on every point or bar ("2026-01-02: asked 3"). All text given by
 * the caller is escaped, so it is safe with any bytes.
 *
 * Geometry, so that tests (and readers) can check where a value lands:
 * the plot area spans x in [SVGCHART_LEFT, SVGCHART_W - SVGCHART_RIGHT]
 * and y in [SVGCHART_TOP, SVGCHART_H - SVGCHART_BOTTOM]. The y axis runs
 * from 0 to svgchart_nice_max(largest value) (at least 1), so a value v is
 * drawn at y = bottom - v / ymax * plot height. Coordinates are written
 * with one decimal.
 *   line chart: point i of n at x = left + i * plot width / (n - 1)
 *               (the middle when n is 1);
 *   bar chart / histogram: slot i of n is plot width / n wide, starting at
 *               left + i * slot; a slot's bars share 80 % of it, centred.
 * Negative values and NaN are drawn as 0.
 *
 * Failure: each function returns 0, or -1 when the buffer fails (then the
 * buffer holds a truncated chart and its `failed` flag is set) or the
 * arguments are unusable (NULL arrays with n > 0, more than
 * SVGCHART_SERIES_MAX series). Nothing is allocated besides the buffer.
 */
#ifndef PARLEY_LIB_SVGCHART_H
#define PARLEY_LIB_SVGCHART_H

#include <stddef.h>

#include "lib/buf.h"

#define SVGCHART_W 640
#define SVGCHART_H 300
#define SVGCHART_LEFT 48
#define SVGCHART_RIGHT 16
#define SVGCHART_TOP 44
#define SVGCHART_BOTTOM 40
#define SVGCHART_SERIES_MAX 6

struct svgchart_series {
	const char *name;          /* legend and point titles: "asked" */
	const double *values;      /* one per x label */
};

struct svgchart {
	const char *id;            /* prefix for element ids (unique on the page): "daily" */
	const char *title;         /* shown on top, and the accessible name */
	const char *desc;          /* the accessible description; NULL or "" for none */
	const char *x_label;       /* axis captions; NULL for none */
	const char *y_label;
	const char *const *labels; /* n x labels (dates, bins) */
	size_t n;
	const struct svgchart_series *series;
	size_t nseries;
	int bars;                  /* 1: grouped bars, 0: lines with points */
};

/* The y axis top for a largest value: the smallest of 1, 2, 2.5, 5 x 10^k
 * that is >= max (1 when max <= 1). */
double svgchart_nice_max(double max);

/* Append the chart c. Only as many x labels as fit side by side are
 * written, at most 10 (every k-th one, always the first); every point
 * still has its own <title>. */
int svgchart_render(struct buf *out, const struct svgchart *c);

/* A histogram: one series of counts over n bins (labels = bin names). */
int svgchart_histogram(struct buf *out, const char *id, const char *title, const char *desc,
		       const char *x_label, const char *const *bins, const double *counts, size_t n);

#endif
