// SPDX-License-Identifier: Apache-2.0
// DocsLinksTest: the README stays a five-minute read that links every docs page, no relative link in the docs is broken,
// and the docs' JUnit example is the test that runs.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README says what the project is and how to start, and links the rest: the pages under docs/ and the checked
 * {@code help/*.txt} copies. A link is relative to the page that holds it; a {@code #fragment} must name a heading
 * of the target page (GitHub's anchors, see {@link MarkdownPage#slug}).
 */
class DocsLinksTest {
    static final int README_MAX_LINES = 200;

    private final Path home = ProjectLayout.fromSystemProperty().home();

    @Test
    void theReadmeHasAtMost200Lines() throws IOException {
        assertThat(Files.readAllLines(home.resolve("README.md")).size()).as("lines of README.md")
                .isLessThanOrEqualTo(README_MAX_LINES);
    }

    @Test
    void theQuickStartIsExactlyRunAndTest() throws IOException {
        List<String> quickStart = MarkdownPage.read(home.resolve("README.md")).section("Quick start");
        assertThat(quickStart).as("a section '## Quick start' in README.md").isNotEmpty();
        assertThat(MarkdownPage.commands(quickStart)).as("the commands of the Quick start").containsExactly("./uds-interop run", "./uds-interop test");
    }

    @Test
    void everyRelativeLinkInTheReadmeAndTheDocsResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            broken.addAll(brokenLinks(page));
        }
        assertThat(broken).as("broken relative links").isEmpty();
    }

    @Test
    void everyDocsPageIsLinkedFromTheReadme() throws IOException {
        Set<Path> fromReadme = linkedFiles(home.resolve("README.md"));
        try (Stream<Path> top = Files.list(home.resolve("docs"))) {
            assertThat(top.filter(p -> p.toString().endsWith(".md")).map(Path::normalize))
                    .as("docs/*.md pages the README links to (README links: %s)", fromReadme).allMatch(fromReadme::contains);
        }
        Set<Path> reachable = reachableFrom(home.resolve("README.md"));
        assertThat(pages()).as("pages reachable by links from the README").allMatch(reachable::contains);
    }

    /** The JUnit 5 example of the check page is the test that runs in ./uds-interop test, so it cannot go stale. */
    @Test
    void theJUnitExampleIsTheTestThatRuns() throws IOException {
        List<String> section = MarkdownPage.read(home.resolve("docs/check-your-own-server.md")).section("6. From JUnit 5");
        List<String> example = new ArrayList<>();
        boolean java = false;
        for (String line : section) {
            if (line.startsWith("```")) {
                java = line.equals("```java");
            } else if (java) {
                example.add(line);
            }
        }
        assertThat(example).as("a ```java block under '## 6. From JUnit 5' in docs/check-your-own-server.md").isNotEmpty();
        Path test = home.resolve("interop-tests/src/test/java/dev/udsinterop/example/SocatEchoServerTest.java");
        assertThat(Files.readString(test)).as("%s holds the example verbatim", test).contains(String.join("\n", example) + "\n");
    }

    @Test
    void aMissingFileOrHeadingIsReported(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.md"), """
                # Page A
                ## The same from JUnit 5
                [ok](b.md#memory-java-serverjvmoptions) [ok](#the-same-from-junit-5) [ok](b.md) [web](https://example.com/x)
                [no file](c.md) [no heading](b.md#memory) [no own heading](#page-b) `[in code](d.md)`
                ```
                [in a fence](e.md)
                ```
                [ref]: f.md
                """);
        Files.writeString(dir.resolve("b.md"), "# Page B\n### Memory: `java-server/jvm.options`\n## Page B\n");
        assertThat(brokenLinks(dir.resolve("a.md"))).hasSize(4)
                .anyMatch(m -> m.contains("(c.md)")).anyMatch(m -> m.contains("(b.md#memory)"))
                .anyMatch(m -> m.contains("(#page-b)")).anyMatch(m -> m.contains("(f.md)"));
        assertThat(MarkdownPage.read(dir.resolve("b.md")).anchors()).containsExactly("page-b", "memory-java-serverjvmoptions",
                "page-b-1");
    }

    @Test
    void theCommandsOfASectionAreItsShellLines() {
        List<String> section = List.of("Run:", "```sh", "./uds-interop run", "", "./uds-interop test  ", "```", "It prints:",
                "```", "server / transport", "./uds-interop bench", "```", "```java", "class X {}", "```");
        assertThat(MarkdownPage.commands(section)).containsExactly("./uds-interop run", "./uds-interop test",
                "./uds-interop bench");
    }

    @Test
    void anchorsAreGitHubSlugs() {
        assertThat(MarkdownPage.slug("Mutants: proof that the suite catches broken servers"))
                .isEqualTo("mutants-proof-that-the-suite-catches-broken-servers");
        assertThat(MarkdownPage.slug("1. Say how to start your server")).isEqualTo("1-say-how-to-start-your-server");
        assertThat(MarkdownPage.slug("What `run` prints, *in short*")).isEqualTo("what-run-prints-in-short");
        assertThat(MarkdownPage.slug("Reports: [report.json](x.md) and junit_xml")).isEqualTo("reports-reportjson-and-junit_xml");
    }

    /** Returns README.md and every Markdown file under docs/. */
    private List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(home.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(home.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).map(Path::normalize).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** Returns one line per relative link of {@code page} whose file or heading does not exist. */
    static List<String> brokenLinks(Path page) throws IOException {
        List<String> broken = new ArrayList<>();
        MarkdownPage markdown = MarkdownPage.read(page);
        for (String link : markdown.relativeLinks()) {
            int hash = link.indexOf('#');
            String file = hash < 0 ? link : link.substring(0, hash);
            String fragment = hash < 0 ? null : link.substring(hash + 1);
            Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
            if (!Files.exists(target)) {
                broken.add(page + ": (" + link + "): no file " + target);
            } else if (fragment != null && !target.toString().endsWith(".md")) {
                broken.add(page + ": (" + link + "): a #fragment on a file that is not Markdown cannot be checked");
            } else if (fragment != null && !MarkdownPage.read(target).anchors().contains(fragment)) {
                broken.add(page + ": (" + link + "): no heading with the anchor #" + fragment + " in " + target
                        + "; its anchors: " + MarkdownPage.read(target).anchors());
            }
        }
        return broken;
    }

    /** Returns the existing files the relative links of {@code page} point to. */
    private static Set<Path> linkedFiles(Path page) throws IOException {
        Set<Path> files = new HashSet<>();
        for (String link : MarkdownPage.read(page).relativeLinks()) {
            String file = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
            if (!file.isEmpty()) {
                files.add(page.getParent().resolve(file).normalize());
            }
        }
        return files;
    }

    /** Returns the Markdown pages reachable from {@code start} by following relative links. */
    private static Set<Path> reachableFrom(Path start) throws IOException {
        Set<Path> seen = new HashSet<>(List.of(start.normalize()));
        Deque<Path> todo = new ArrayDeque<>(seen);
        while (!todo.isEmpty()) {
            for (Path next : linkedFiles(todo.pop())) {
                if (next.toString().endsWith(".md") && Files.isRegularFile(next) && seen.add(next)) {
                    todo.push(next);
                }
            }
        }
        return seen;
    }
}
