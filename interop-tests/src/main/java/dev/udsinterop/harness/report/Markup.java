// SPDX-License-Identifier: Apache-2.0
// Markup: a small HTML builder that escapes every text and attribute value, so report data can never become markup.
package dev.udsinterop.harness.report;

/**
 * Builds HTML text. Tag and attribute names are the caller's constants; every text and attribute value goes
 * through {@link #escape}, because report data (messages, stderr tails) may contain anything.
 */
public final class Markup {

    private final StringBuilder out = new StringBuilder(64 * 1024);

    /**
     * Opens {@code tag} with {@code attributes}, given as name, value pairs; a pair whose value is null is left
     * out, so optional attributes need no branches.
     */
    public Markup open(String tag, String... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs: " + attributes.length);
        }
        out.append('<').append(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
            }
        }
        out.append('>');
        return this;
    }

    /** Closes {@code tag}. */
    public Markup close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    /** Appends {@code tag} with {@code attributes} (as for {@link #open}) and {@code text} as its content. */
    public Markup element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    /** Appends {@code text}, escaped; null appends nothing. */
    public Markup text(String text) {
        if (text != null) {
            out.append(escape(text));
        }
        return this;
    }

    /** Appends {@code markup} as is: for the caller's constants only (the style sheet, the doctype), never data. */
    public Markup raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Appends a line break, to keep the source readable. */
    public Markup newline() {
        out.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * Returns {@code text} safe for HTML text and double- or single-quoted attribute values: {@code & < > " '}
     * as character references, and C0 controls other than tab, line feed and carriage return (which HTML
     * forbids, and a peer's stderr may hold) as U+FFFD.
     */
    public static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(isForbiddenControl(c) ? '\uFFFD' : c);
            }
        }
        return escaped.toString();
    }

    private static boolean isForbiddenControl(char c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
    }
}
