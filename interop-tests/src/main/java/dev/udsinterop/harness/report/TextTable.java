// SPDX-License-Identifier: Apache-2.0
// TextTable: rows of text printed as left-aligned columns, two spaces apart, for the console summaries.
package dev.udsinterop.harness.report;

import java.io.PrintStream;
import java.util.List;

/** The console's one table layout: every column as wide as its widest cell, no trailing blanks. */
public final class TextTable {
    private TextTable() {
    }

    /** Prints {@code rows} (the first is usually the header) with aligned columns; rows may differ in length. */
    public static void print(PrintStream out, List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
