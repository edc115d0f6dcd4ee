// SPDX-License-Identifier: Apache-2.0
// Figures: how a benchmark figure is written for people: units scaled, ratios with two decimals.
package dev.udsinterop.harness.bench;

import java.util.Locale;

/** Formats values of a {@link Metric} for the console table and the HTML page. */
final class Figures {
    private Figures() {
    }

    static String value(double v, String unit) {
        return switch (unit) {
            case "ns" -> v >= 1e6 ? fmt("%.2f ms", v / 1e6) : v >= 1e3 ? fmt("%.1f µs", v / 1e3) : fmt("%.0f ns", v);
            case "ops/s" -> v >= 1e3 ? fmt("%.1fk/s", v / 1e3) : fmt("%.0f/s", v);
            case "MB/s" -> fmt("%.0f MB/s", v);
            case "B" -> Math.abs(v) >= 1024 ? fmt("%.1f KiB", v / 1024) : fmt("%.0f B", v);
            default -> fmt("%.3g", v);
        };
    }

    static String ratio(double v) {
        return fmt("%.2fx", v);
    }

    /** Returns the spread (max - min) relative to the median, as a percentage, e.g. {@code ±12%}. */
    static String spread(double median, double min, double max) {
        return median == 0 ? "" : fmt("±%.0f%%", 50 * (max - min) / Math.abs(median));
    }

    private static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
