// SPDX-License-Identifier: Apache-2.0
// Charts: the inline SVG charts of bench.html: ratio bars with their min-max whiskers, and latency percentile lines.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.report.Markup;
import java.util.List;
import java.util.Locale;

/** Draws charts as inline SVG, so that bench.html needs no script and no network to be viewed. */
final class Charts {
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    private static final int LABEL_WIDTH = 250;
    private static final int PLOT_WIDTH = 460;
    private static final int ROW = 20;

    private Charts() {
    }

    /** One bar: a ratio's median and its spread; {@code target} draws a tick (0 for none). */
    record Bar(String label, double median, double min, double max, double target, boolean moved) {
    }

    /**
     * A horizontal bar per ratio on a logarithmic scale centred on 1 (parity): better to the right, worse to the
     * left, so that 2x and 0.5x are the same length and a 30x never squeezes the rest.
     */
    static void ratioBars(Markup html, String title, List<Bar> bars) {
        ratioBars(html, title, bars, "target");
    }

    /** As {@link #ratioBars(Markup, String, List)}, with the bars' ticks meaning {@code tick} (e.g. a reference ratio). */
    static void ratioBars(Markup html, String title, List<Bar> bars, String tick) {
        if (bars.isEmpty()) {
            return;
        }
        // The medians set the scale; a wild whisker is clamped at the edge rather than squeezing every bar.
        double span = bars.stream().mapToDouble(b -> Math.abs(Math.log(b.median()))).max().orElse(1);
        double top = Math.log(Math.min(1024, Math.max(2, Math.exp(span) * 1.1)));
        double centre = LABEL_WIDTH + PLOT_WIDTH / 2.0;
        int height = bars.size() * ROW + 30;
        html.open("svg", "xmlns", "http://www.w3.org/2000/svg", "width", Integer.toString(LABEL_WIDTH + PLOT_WIDTH + 60),
                "height", Integer.toString(height), "role", "img", "aria-label", title);
        html.element("title", title);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = 10 + i * ROW;
            double x = position(b.median(), centre, top);
            html.element("text", b.label(), "x", Integer.toString(LABEL_WIDTH - 6), "y", Integer.toString(y + 13),
                    "text-anchor", "end", "class", "label");
            html.open("rect", "x", num(Math.min(x, centre)), "y", Integer.toString(y + 3), "width", num(Math.abs(x - centre)),
                    "height", Integer.toString(ROW - 6), "fill", b.median() >= 1 ? "#4c9a2a" : "#c0392b", "opacity", "0.75")
                    .element("title", b.label() + ": " + Figures.ratio(b.median()) + " [" + Figures.ratio(b.min()) + "-"
                            + Figures.ratio(b.max()) + "]").close("rect");
            line(html, position(b.min(), centre, top), y + ROW / 2.0, position(b.max(), centre, top), y + ROW / 2.0, "#333");
            if (b.target() > 0) {
                double t = position(b.target(), centre, top);
                line(html, t, y + 2, t, y + ROW - 2, "#000");
            }
            html.element("text", Figures.ratio(b.median()) + (b.moved() ? " moved" : ""), "x",
                    num(Math.max(centre, position(b.max(), centre, top)) + 4), "y", Integer.toString(y + 13), "class", "value");
        }
        line(html, centre, 5, centre, height - 20, "#000");
        html.element("text", "log scale; centre line = 1 (parity), right = better; tick = " + tick + "; whisker = min-max "
                + "over the rounds", "x", Integer.toString(LABEL_WIDTH - 200), "y", Integer.toString(height - 5), "class", "axis");
        html.close("svg").newline();
    }

    private static double position(double ratio, double centre, double top) {
        double clamped = Math.max(-top, Math.min(top, Math.log(ratio)));
        return centre + clamped / top * (PLOT_WIDTH / 2.0);
    }

    /** One series of the latency chart: a server's percentiles (ns) at {@code points}. */
    record Series(String label, List<Double> values) {
    }

    /** Latency percentiles, one line per server, log scale in µs. */
    static void percentileLines(Markup html, String title, List<String> points, List<Series> series) {
        if (series.isEmpty()) {
            return;
        }
        double lo = series.stream().flatMap(s -> s.values().stream()).mapToDouble(Double::doubleValue).min().orElse(1);
        double hi = series.stream().flatMap(s -> s.values().stream()).mapToDouble(Double::doubleValue).max().orElse(10);
        double logLo = Math.floor(Math.log10(Math.max(1, lo))), logHi = Math.ceil(Math.log10(Math.max(hi, lo * 10)));
        int w = 520, h = 220, left = 60, top = 20, plotW = 300, plotH = 160;
        html.open("svg", "xmlns", "http://www.w3.org/2000/svg", "width", Integer.toString(w), "height", Integer.toString(h),
                "role", "img", "aria-label", title);
        html.element("title", title);
        for (double e = logLo; e <= logHi; e++) {
            double y = top + plotH - (e - logLo) / (logHi - logLo) * plotH;
            line(html, left, y, left + plotW, y, "#ddd");
            html.element("text", Figures.value(Math.pow(10, e), "ns"), "x", Integer.toString(left - 4), "y", num(y + 4),
                    "text-anchor", "end", "class", "axis");
        }
        for (int i = 0; i < points.size(); i++) {
            html.element("text", points.get(i), "x", num(left + xAt(i, points.size(), plotW)), "y", Integer.toString(top + plotH + 16),
                    "text-anchor", "middle", "class", "axis");
        }
        for (int s = 0; s < series.size(); s++) {
            StringBuilder path = new StringBuilder();
            List<Double> v = series.get(s).values();
            for (int i = 0; i < v.size(); i++) {
                double y = top + plotH - (Math.log10(Math.max(1, v.get(i))) - logLo) / (logHi - logLo) * plotH;
                path.append(i == 0 ? "" : " ").append(num(left + xAt(i, v.size(), plotW))).append(',').append(num(y));
            }
            String colour = COLOURS[s % COLOURS.length];
            html.open("polyline", "points", path.toString(), "fill", "none", "stroke", colour, "stroke-width", "2")
                    .element("title", series.get(s).label()).close("polyline");
            html.element("text", series.get(s).label(), "x", Integer.toString(left + plotW + 14), "y",
                    Integer.toString(top + 12 + s * 16), "fill", colour, "class", "label");
        }
        html.close("svg").newline();
    }

    private static double xAt(int i, int n, int width) {
        return n == 1 ? width / 2.0 : i * (double) width / (n - 1);
    }

    private static void line(Markup html, double x1, double y1, double x2, double y2, String colour) {
        html.open("line", "x1", num(x1), "y1", num(y1), "x2", num(x2), "y2", num(y2), "stroke", colour).close("line");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
