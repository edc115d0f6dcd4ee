// SPDX-License-Identifier: Apache-2.0
// PackageCyclesTest: no package of the harness imports a package that imports it back (read from the sources).
package dev.udsinterop.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data and control should move one way through the harness: each package imports only packages below it. A
 * package is a directory directly under {@code dev/udsinterop/harness} (its sub-directories count as part of
 * it); an edge is an import, or a fully qualified name in code, of a type in another package. The test prints
 * every group of packages that reach each other, with the files that make each edge, so that a new cycle says
 * where to cut it.
 */
class PackageCyclesTest {
    private static final String BASE = "dev.udsinterop.harness";
    private static final Pattern REFERENCE = Pattern.compile("\\b" + Pattern.quote(BASE) + "\\.([a-z][a-z0-9_]*)\\.[A-Za-z]");
    private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern LINE_COMMENT = Pattern.compile("//[^\\n]*");

    /**
     * The cycles that are still there, each as its sorted packages joined by {@code " <-> "}; issue 18 takes them
     * out one by one, and this list may only shrink.
     */
    private static final Set<String> KNOWN = Set.of();

    @Test
    void noPackageImportsAPackageThatImportsItBack() throws IOException {
        Map<String, Map<String, Set<String>>> edges = edges(sources());
        List<Set<String>> cycles = cycles(edges);
        List<String> found = cycles.stream().map(c -> String.join(" <-> ", c)).toList();
        List<String> described = cycles.stream().map(c -> describe(c, edges)).toList();
        assertThat(found).as("package cycles (known: %s):%n%s", KNOWN, String.join("\n", described))
                .allMatch(KNOWN::contains);
        assertThat(KNOWN).as("a known cycle is gone: take it out of KNOWN so that it cannot come back; found:%n%s",
                String.join("\n", described)).allMatch(found::contains);
    }

    @Test
    void theCheckFindsACycleWhereThereIsOne() {
        Map<String, Map<String, Set<String>>> edges = new TreeMap<>();
        edge(edges, "a", "b", "a/A.java");
        edge(edges, "b", "c", "b/B.java");
        edge(edges, "c", "a", "c/C.java");
        edge(edges, "c", "d", "c/C.java");
        assertThat(cycles(edges)).containsExactly(new TreeSet<>(List.of("a", "b", "c")));
    }

    private static Path sources() {
        return ProjectLayout.fromSystemProperty().home().resolve("interop-tests/src/main/java")
                .resolve(BASE.replace('.', '/'));
    }

    /** Returns package -> imported package -> the files (relative to the base) that import it. */
    private static Map<String, Map<String, Set<String>>> edges(Path root) throws IOException {
        Map<String, Map<String, Set<String>>> edges = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Path relative = root.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // the base package itself (ProjectLayout) is below every package
                }
                String pkg = relative.getName(0).toString();
                String code = Files.readString(file, StandardCharsets.UTF_8);
                code = LINE_COMMENT.matcher(BLOCK_COMMENT.matcher(code).replaceAll("")).replaceAll("");
                Matcher m = REFERENCE.matcher(code);
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        edge(edges, pkg, m.group(1), relative.toString());
                    }
                }
            }
        }
        return edges;
    }

    private static void edge(Map<String, Map<String, Set<String>>> edges, String from, String to, String file) {
        edges.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>()).add(file);
    }

    /** Returns every strongly connected group of more than one package (Tarjan), each sorted. */
    static List<Set<String>> cycles(Map<String, Map<String, Set<String>>> edges) {
        Set<String> nodes = new TreeSet<>(edges.keySet());
        edges.values().forEach(to -> nodes.addAll(to.keySet()));
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> groups = new ArrayList<>();
        for (String node : nodes) {
            if (!index.containsKey(node)) {
                connect(node, edges, index, low, stack, groups);
            }
        }
        return groups;
    }

    private static void connect(String v, Map<String, Map<String, Set<String>>> edges, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, List<Set<String>> groups) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, edges, index, low, stack, groups);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> group = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                group.add(w);
            } while (!w.equals(v));
            if (group.size() > 1) {
                groups.add(group);
            }
        }
    }

    /** Returns {@code a <-> b: a -> b (a/X.java, ...); b -> a (...)}. */
    private static String describe(Set<String> cycle, Map<String, Map<String, Set<String>>> edges) {
        List<String> parts = new ArrayList<>();
        for (String from : cycle) {
            edges.getOrDefault(from, Map.of()).forEach((to, files) -> {
                if (cycle.contains(to)) {
                    parts.add(from + " -> " + to + " (" + String.join(", ", files) + ")");
                }
            });
        }
        return "  " + String.join(" <-> ", cycle) + ": " + String.join("; ", parts);
    }
}
