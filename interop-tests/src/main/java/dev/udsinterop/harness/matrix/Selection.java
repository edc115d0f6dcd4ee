// SPDX-License-Identifier: Apache-2.0
// Selection: which part of the matrix to run, as comma-separated glob lists per axis.
package dev.udsinterop.harness.matrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A filter on the matrix axes. Each axis is a list of globs ({@code *} matches anything),
 * empty meaning all: {@code --case 'echo.size.*'}, {@code --server java,go-echo}.
 */
public record Selection(List<String> servers, List<String> clients, List<String> transports, List<String> cases) {
    public static final Selection ALL = new Selection(List.of(), List.of(), List.of(), List.of());

    public Selection {
        servers = List.copyOf(servers);
        clients = List.copyOf(clients);
        transports = List.copyOf(transports);
        cases = List.copyOf(cases);
    }

    /** Splits comma-separated values, e.g. {@code ["java,go-echo"]} into {@code ["java", "go-echo"]}. */
    public static List<String> split(List<String> values) {
        return values == null ? List.of()
                : values.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    /**
     * Returns case globs for ids, dotted prefixes or globs: an id without {@code *} stands for
     * itself and the ids under it, {@code lifecycle} for {@code lifecycle} and {@code lifecycle.*}.
     */
    public static List<String> idsOrPrefixes(List<String> cases) {
        List<String> globs = new ArrayList<>();
        for (String c : split(cases)) {
            globs.add(c);
            if (!c.contains("*")) {
                globs.add(c.endsWith(".") ? c + "*" : c + ".*");
            }
        }
        return globs;
    }

    public boolean includes(MatrixEntry e) {
        return matches(servers, e.server().id()) && matches(clients, e.client().id())
                && matches(transports, e.transport().id()) && matches(cases, e.testCase().id());
    }

    /** Returns the selection as command-line options, e.g. {@code --server java --case echo.*}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        String[] names = {"--server", "--client", "--transport", "--case"};
        List<List<String>> axes = List.of(servers, clients, transports, cases);
        for (int i = 0; i < names.length; i++) {
            if (!axes.get(i).isEmpty()) {
                s.append(s.isEmpty() ? "" : " ").append(names[i]).append(' ').append(String.join(",", axes.get(i)));
            }
        }
        return s.isEmpty() ? "(everything)" : s.toString();
    }

    static boolean matches(List<String> globs, String value) {
        return globs.isEmpty() || globs.stream().anyMatch(g -> glob(g).matcher(value).matches());
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
