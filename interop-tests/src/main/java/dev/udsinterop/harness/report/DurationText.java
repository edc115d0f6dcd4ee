// SPDX-License-Identifier: Apache-2.0
// DurationText: durations as people read them (12.3 µs, 4.1 ms, 2 min 13 s), for the HTML report.
package dev.udsinterop.harness.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.Locale;

/** Formats durations with three significant digits and the largest unit that keeps the number at least 1. */
final class DurationText {

    private static final MathContext THREE_DIGITS = new MathContext(3);
    private static final String[] UNITS = {"ns", "µs", "ms", "s"};

    private DurationText() {
    }

    /**
     * Returns {@code nanos} as, e.g., {@code 950 ns}, {@code 12.3 µs}, {@code 4.1 ms} or {@code 2.1 s}.
     *
     * @param nanos a duration in nanoseconds; negative values are formatted with a minus sign
     */
    static String nanos(long nanos) {
        if (nanos < 0) {
            return "-" + nanos(-nanos);
        }
        // Round first, then pick the unit, so that 999 960 ns is "1 ms" and not "1000 µs".
        BigDecimal value = new BigDecimal(nanos).round(THREE_DIGITS);
        int unit = 0;
        while (unit < UNITS.length - 1 && value.compareTo(BigDecimal.valueOf(1000)) >= 0) {
            value = value.movePointLeft(3);
            unit++;
        }
        if (unit == UNITS.length - 1) {
            value = value.round(THREE_DIGITS);
        }
        return value.stripTrailingZeros().toPlainString() + " " + UNITS[unit];
    }

    /** Returns {@code nanos} rounded to whole nanoseconds, formatted as by {@link #nanos(long)}. */
    static String nanos(double nanos) {
        return nanos(Math.round(nanos));
    }

    /** Returns {@code millis} formatted as by {@link #of(Duration)}. */
    static String millis(long millis) {
        return of(Duration.ofMillis(millis));
    }

    /**
     * Returns {@code duration} as by {@link #nanos(long)} when under a minute, else as {@code 2 min 13 s} or
     * {@code 1 h 02 min 13 s}.
     *
     * @param duration not null
     */
    static String of(Duration duration) {
        if (duration.isNegative()) {
            return "-" + of(duration.negated());
        }
        if (duration.compareTo(Duration.ofMinutes(1)) < 0) {
            return nanos(duration.toNanos());
        }
        long seconds = Math.round(duration.toMillis() / 1000.0);
        long hours = seconds / 3600;
        long minutes = seconds / 60 % 60;
        long rest = seconds % 60;
        return hours > 0
                ? String.format(Locale.ROOT, "%d h %02d min %02d s", hours, minutes, rest)
                : String.format(Locale.ROOT, "%d min %02d s", minutes, rest);
    }
}
