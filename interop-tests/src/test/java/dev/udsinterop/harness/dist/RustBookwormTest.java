// SPDX-License-Identifier: Apache-2.0
// RustBookwormTest: the Rust sources type-check with Debian bookworm's rustc 1.63, where its image was made (dist/rust-bookworm-check).
package dev.udsinterop.harness.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.host.ShortCommand;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: polyglot/rust must build with the rustc that bookworm's apt installs (1.63), while this machine's is
 * newer. {@code dist/rust-bookworm-check} proves it in a container of the base image with apt's rustc and cargo (the
 * full build both ways and the unit tests, about 50 s); here its {@code --check} (type-check of every binary and its
 * tests, and that the 1.70-only code does not, about 4 s) runs where that image was made before, and is skipped,
 * saying how to make it, where not: the suite makes no 260 MB image for it.
 */
class RustBookwormTest {
    private static final Duration LIMIT = Duration.ofSeconds(120); // about 4 s here; a sanity bound under load

    @Test
    void theRustSourcesTypeCheckWithBookwormsRustc() throws Exception {
        String script = ProjectLayout.fromSystemProperty().home().resolve("dist/rust-bookworm-check").toString();
        ShortCommand.Result r = ShortCommand.run(List.of(script, "--cached-only", "--check"), LIMIT, true);
        Assumptions.assumeTrue(r.status() != 3, () -> "the rust-bookworm image is not made here: " + r.output().strip());
        assertThat(r.status()).as(r.output()).isZero();
        assertThat(r.output()).contains("rustc 1.63").contains("src/bin/echo-server.rs and its tests type-check")
                .contains("src/bin/interop-client/main.rs and its tests type-check");
    }
}
