// SPDX-License-Identifier: Apache-2.0
// CommandWordsTest: --server-cmd is split like a shell would quote it, and nothing else of a shell happens.
package dev.udsinterop.harness.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandWordsTest {
    @Test
    void splitsOnBlanksAndKeepsQuotedTextTogether() {
        assertThat(CommandWords.split("  socat UNIX-LISTEN:{unix},fork\tEXEC:cat "))
                .containsExactly("socat", "UNIX-LISTEN:{unix},fork", "EXEC:cat");
        assertThat(CommandWords.split("sh -c 'echo \"$0\"; exit 3' {unix}"))
                .containsExactly("sh", "-c", "echo \"$0\"; exit 3", "{unix}");
        assertThat(CommandWords.split("a \"b \\\"c\\\" \\\\ $HOME\" d\\ e ''"))
                .containsExactly("a", "b \"c\" \\ $HOME", "d e", "");
        assertThat(CommandWords.split("x'y'\"z\"")).containsExactly("xyz");
    }

    @Test
    void refusesWhatItCannotSplit() {
        assertThatThrownBy(() -> CommandWords.split("sh -c 'oops")).hasMessage("command 'sh -c 'oops': unterminated '");
        assertThatThrownBy(() -> CommandWords.split("a \"b")).hasMessage("command 'a \"b': unterminated \"");
        assertThatThrownBy(() -> CommandWords.split("a\\")).hasMessage("command 'a\\': ends with a backslash");
        assertThatThrownBy(() -> CommandWords.split("   ")).hasMessage("command '   ': no program");
    }
}
