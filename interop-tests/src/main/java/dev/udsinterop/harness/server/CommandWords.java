// SPDX-License-Identifier: Apache-2.0
// CommandWords: splits a command line into words the way a POSIX shell quotes, without running a shell.
package dev.udsinterop.harness.server;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code check --server-cmd} into the program and its arguments: words are separated
 * by blanks; {@code '...'} is taken literally, {@code "..."} with backslash escapes for
 * {@code \"} and {@code \\}, and a backslash outside quotes escapes the next character.
 * Nothing else of the shell happens: no variables, globs, pipes or redirections, so that
 * the harness starts exactly the server and can signal it.
 */
public final class CommandWords {
    private CommandWords() {
    }

    /**
     * Returns the words of {@code line}.
     *
     * @throws IllegalArgumentException for an unterminated quote, a trailing backslash, or no words at all
     */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw unterminated(line, "'");
                }
                word.append(line, i + 1, end);
                i = end;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, word);
            } else if (c == '\\') {
                if (++i == line.length()) {
                    throw new IllegalArgumentException("command '" + line + "': ends with a backslash");
                }
                word.append(line.charAt(i));
            } else {
                word.append(c);
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("command '" + line + "': no program");
        }
        return words;
    }

    /** Appends the double-quoted text starting at {@code from} to {@code word}; returns the closing quote's index. */
    private static int doubleQuoted(String line, int from, StringBuilder word) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                c = line.charAt(++i);
            }
            word.append(c);
        }
        throw unterminated(line, "\"");
    }

    private static IllegalArgumentException unterminated(String line, String quote) {
        return new IllegalArgumentException("command '" + line + "': unterminated " + quote);
    }
}
