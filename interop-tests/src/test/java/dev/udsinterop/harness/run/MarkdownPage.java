// SPDX-License-Identifier: Apache-2.0
// MarkdownPage: the links, heading anchors and sections of one Markdown file, read the way GitHub renders them.
package dev.udsinterop.harness.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Enough of Markdown to check a page's links: fenced code blocks and code spans hold no links, a heading's anchor is
 * GitHub's slug of its text (lower case, punctuation other than {@code -} and {@code _} dropped, spaces to
 * hyphens, {@code -1}, {@code -2} appended to repeats).
 */
record MarkdownPage(Path file, List<String> lines) {
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_LINK = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Set<String> SHELL = Set.of("sh", "shell", "bash", "console");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    static MarkdownPage read(Path file) throws IOException {
        return new MarkdownPage(file, Files.readAllLines(file));
    }

    /** Returns every link target outside code, as written ({@code docs/x.md#part}, {@code #part}, {@code https://...}). */
    List<String> links() {
        List<String> links = new ArrayList<>();
        for (String line : prose()) {
            String text = CODE_SPAN.matcher(line).replaceAll("");
            Matcher reference = REFERENCE_LINK.matcher(text);
            if (reference.matches()) {
                links.add(reference.group(1));
                continue;
            }
            Matcher inline = INLINE_LINK.matcher(text);
            while (inline.find()) {
                links.add(inline.group(1));
            }
        }
        return links;
    }

    /** Returns the targets of {@link #links()} that point into this repository (no scheme such as https:). */
    List<String> relativeLinks() {
        return links().stream().filter(l -> !SCHEME.matcher(l).find()).toList();
    }

    /** Returns the anchor of every heading, as GitHub makes them. */
    Set<String> anchors() {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose()) {
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String slug = slug(h.group(2));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return anchors;
    }

    /** Returns the lines of the section under the heading {@code title} (any level), up to the next heading. */
    List<String> section(String title) {
        List<String> section = new ArrayList<>();
        boolean in = false;
        boolean fenced = false;
        for (String line : lines) {
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
            }
            Matcher h = fenced ? null : HEADING.matcher(line);
            if (h != null && h.matches()) {
                if (in) {
                    break;
                }
                in = h.group(2).equals(title);
                continue;
            }
            if (in) {
                section.add(line);
            }
        }
        return section;
    }

    /**
     * Returns the shell commands of {@code section}: the lines of its {@code sh}, {@code shell}, {@code bash} or
     * {@code console} code blocks, and any line of another code block that reads as one ({@code ./...}, {@code $ ...}).
     */
    static List<String> commands(List<String> section) {
        List<String> commands = new ArrayList<>();
        String fence = null;
        for (String line : section) {
            Matcher f = FENCE.matcher(line);
            if (f.find()) {
                fence = fence == null ? line.strip().substring(3).strip() : null;
            } else if (fence != null && !line.isBlank()
                    && (SHELL.contains(fence) || line.startsWith("./") || line.startsWith("$ "))) {
                commands.add(line.strip());
            }
        }
        return commands;
    }

    /** GitHub's anchor for a heading: the rendered text, lower case, without punctuation, spaces as hyphens. */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "").replace("*", "");
        StringBuilder slug = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (c == ' ') {
                slug.append('-');
            } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            }
        });
        return slug.toString();
    }

    /** Returns the lines outside fenced code blocks. */
    private List<String> prose() {
        List<String> prose = new ArrayList<>();
        boolean fenced = false;
        for (String line : lines) {
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
            } else if (!fenced) {
                prose.add(line);
            }
        }
        return prose;
    }
}
