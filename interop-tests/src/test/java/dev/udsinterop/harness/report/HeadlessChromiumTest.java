// SPDX-License-Identifier: Apache-2.0
// HeadlessChromiumTest: a chromium that does not print its page in time is stopped with all its processes, and its temporary files stay under the test's directory.
package dev.udsinterop.harness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReportLayoutTest's failure path: the page never loads (a server that accepts and never answers), so chromium runs
 * into the limit. Before, the test killed chromium's main process only, and chromium's temporary directory
 * ({@code /tmp/org.chromium.Chromium.*}) was left in /tmp for good; now it is made under the test's directory, and no
 * process of that chromium is left when the call returns.
 */
class HeadlessChromiumTest {
    @TempDir
    Path dir;

    @Test
    void aPageThatNeverLoadsStopsEveryChromiumProcessAndKeepsItsTemporaryFilesInTheTestsDirectory() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepted, never answered: the page's load event never comes
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            URI page = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/");

            assertThatThrownBy(() -> HeadlessChromium.dumpDom(dir, page, 1280, Duration.ofSeconds(6)))
                    .isInstanceOf(IOException.class).hasMessageStartingWith("chromium did not print the page within 6 s");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        assertThat(ProcessHandle.allProcesses().filter(h -> HeadlessChromium.mentions(h, dir)).map(ProcessHandle::pid))
                .as("chromium's processes still running").isEmpty();
        try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
            assertThat(tmp.map(p -> p.getFileName().toString())).as("chromium's temporary files, made under the test's directory")
                    .anyMatch(name -> name.startsWith("org.chromium.Chromium."));
        }
    }
}
