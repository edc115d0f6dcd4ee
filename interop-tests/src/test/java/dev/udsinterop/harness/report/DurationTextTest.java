// SPDX-License-Identifier: Apache-2.0
// DurationTextTest: durations read as people write them, rounding into the next unit where it should.
package dev.udsinterop.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0          | 0 ns",
        "950        | 950 ns",
        "999        | 999 ns",
        "1000       | 1 µs",
        "12345      | 12.3 µs",
        "999960     | 1 ms",
        "4100000    | 4.1 ms",
        "7990000    | 7.99 ms",
        "2100000000 | 2.1 s",
        "59990000000 | 60 s",
        "-1500      | -1.5 µs"})
    void formatsNanosecondsWithThreeSignificantDigits(long nanos, String text) {
        assertThat(DurationText.nanos(nanos)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PT0.031S     | 31 ms",
        "PT5.012S     | 5.01 s",
        "PT2M13.4S    | 2 min 13 s",
        "PT1H2M3S     | 1 h 02 min 03 s"})
    void formatsLongerDurationsInMinutesAndHours(String iso, String text) {
        assertThat(DurationText.of(Duration.parse(iso))).isEqualTo(text);
    }
}
