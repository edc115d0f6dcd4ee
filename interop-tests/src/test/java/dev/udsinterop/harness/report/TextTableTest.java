// SPDX-License-Identifier: Apache-2.0
// TextTableTest: the console tables line their columns up, two spaces apart, with no trailing blanks.
package dev.udsinterop.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void everyColumnIsAsWideAsItsWidestCellAndNoLineEndsInBlanks() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TextTable.print(out, List.of(
                List.of("server / transport", "nc", "java"),
                List.of("java / unix", "22/22", "33/33"),
                List.of("go-seed / tcp", "11/22 11xf", "-")));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "server / transport  nc          java",
                "java / unix         22/22       33/33",
                "go-seed / tcp       11/22 11xf  -");
    }
}
