// SPDX-License-Identifier: Apache-2.0
// DurationOption: durations on the command line as people write them: 500ms, 90s, 30m, 2h.
package dev.udsinterop.harness.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/** Converts {@code 500ms}, {@code 90s}, {@code 30m} or {@code 2h} to a positive {@link Duration}. */
public final class DurationOption implements ITypeConverter<Duration> {
    private static final Pattern TEXT = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        Matcher m = TEXT.matcher(value.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException("'" + value + "': want a positive duration such as 500ms, 90s, 30m or 2h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** Returns {@code d} in the same notation, e.g. {@code 30m}. */
    public static String format(Duration d) {
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
