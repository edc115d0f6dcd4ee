// SPDX-License-Identifier: Apache-2.0
// UsageIT: bad usage and refused configuration end with exit status 2 and one line on stderr, never a stack trace.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UsageIT {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(new String[] {}, "uds-echo-server: no address to listen on: give --unix PATH and/or --tcp HOST:PORT"),
                Arguments.of(new String[] {"--bogus"}, "uds-echo-server: Unknown option: '--bogus' (see --help)"),
                Arguments.of(new String[] {"--unix", ""}, "uds-echo-server: listen unix '': empty socket path"),
                Arguments.of(new String[] {"--tcp", "127.0.0.1"},
                        "uds-echo-server: listen tcp 127.0.0.1: missing port (want HOST:PORT, e.g. 127.0.0.1:0)"),
                Arguments.of(new String[] {"--tcp", "127.0.0.1:http"},
                        "uds-echo-server: listen tcp 127.0.0.1:http: port 'http' is not a number"),
                Arguments.of(new String[] {"--tcp", "127.0.0.1:70000"},
                        "uds-echo-server: listen tcp 127.0.0.1:70000: port out of range 0..65535"),
                Arguments.of(new String[] {"--tcp", "::1:0"},
                        "uds-echo-server: listen tcp ::1:0: an IPv6 host must be in brackets, e.g. [::1]:0"),
                Arguments.of(new String[] {"--tcp", "127.0.0.1:0", "--mode", "0999"},
                        "uds-echo-server: mode '0999': want an octal mode from 0000 to 0777, e.g. 0600"),
                Arguments.of(new String[] {"--tcp", "127.0.0.1:0", "--grace", "soon"},
                        "uds-echo-server: Invalid value for option '--grace': 'soon' is not a duration (want e.g. 5s, 250ms, 1m) (see --help)"),
                Arguments.of(new String[] {"--tcp", "127.0.0.1:0", "--loops", "0"}, "uds-echo-server: loops 0: want at least 1"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void exitsTwoWithOneLine(String[] args, String error) throws Exception {
        try (ServerProcess server = ServerProcess.start(args)) {
            assertThat(server.awaitExit(EXIT_TIMEOUT)).as("exit status").isEqualTo(2);
            assertThat(server.stderr()).as("stderr").isEqualTo(error);
        }
    }

    @Test
    void refusesATcpPortInUse() throws Exception {
        try (ServerProcess first = ServerProcess.ready(1, "--tcp", "127.0.0.1:0")) {
            int port = ((java.net.InetSocketAddress) first.address("tcp")).getPort();
            try (ServerProcess second = ServerProcess.start("--tcp", "127.0.0.1:" + port)) {
                assertThat(second.awaitExit(EXIT_TIMEOUT)).isEqualTo(2);
                assertThat(second.stderr()).isEqualTo("uds-echo-server: listen tcp 127.0.0.1:" + port + ": Address already in use");
            }
        }
    }

    @Test
    void printsHelpAndVersionWithExitZero() throws Exception {
        try (ServerProcess help = ServerProcess.start("--help"); ServerProcess version = ServerProcess.start("--version")) {
            assertThat(help.awaitExit(EXIT_TIMEOUT)).isZero();
            assertThat(String.join("\n", help.stdout())).contains("--unix=PATH", "--tcp=HOST:PORT", "--mode", "--grace", "Exit status");
            assertThat(version.awaitExit(EXIT_TIMEOUT)).isZero();
            assertThat(version.stdout()).singleElement().asString().startsWith("uds-echo-server 0.1.0");
        }
    }
}
