// SPDX-License-Identifier: Apache-2.0
// EchoCheckTest: a wrong echo gets its kind from the bytes and is described by its first differing offset and the bytes around it.
package dev.udsinterop.harness.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EchoCheckTest {
    private static final Endpoint AT = Endpoint.unix(Path.of("/tmp/x/echo.sock"));

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static EchoCheck.Received got(byte[] bytes) {
        return new EchoCheck.Received(bytes, false, null);
    }

    private static Failure verify(byte[] sent, EchoCheck.Received received) {
        return EchoCheck.verify("java", AT, List.of(sent), List.of(received));
    }

    @Test
    void anExactEchoPasses() {
        assertThat(verify(bytes(100), got(bytes(100)))).isNull();
    }

    @Test
    void aChangedByteIsAMismatchAtItsOffsetWithHexWindows() {
        byte[] actual = bytes(100);
        actual[40] = (byte) 0xff;
        Failure f = verify(bytes(100), got(actual));
        assertThat(f.kind()).isEqualTo(FailureKind.MISMATCH);
        assertThat(f.firstDifferingOffset()).isEqualTo(40);
        assertThat(f.message()).isEqualTo("read java unix:/tmp/x/echo.sock: mismatch at offset 40 (received 100 of 100 bytes)");
        assertThat(f.expectedHex()).isEqualTo("202122232425262728292a2b2c2d2e2f");
        assertThat(f.actualHex()).isEqualTo("2021222324252627ff292a2b2c2d2e2f");
        assertThat(f.expectedSha256()).isNotEqualTo(f.actualSha256()).hasSize(64);
    }

    @Test
    void aShortEchoIsTruncatedWhereItEndedWithTheConnectionsErrorAsEvidence() {
        Failure f = verify(bytes(4097), new EchoCheck.Received(Arrays.copyOf(bytes(4097), 4096), false,
                Failure.of(FailureKind.ERROR, "read java unix:/tmp/x/echo.sock: Connection reset by peer")));
        assertThat(f.kind()).isEqualTo(FailureKind.TRUNCATED);
        assertThat(f.firstDifferingOffset()).isEqualTo(4096);
        assertThat(f.message()).isEqualTo("read java unix:/tmp/x/echo.sock: echo ended after 4096 of 4097 bytes");
        assertThat(f.detail()).isEqualTo("read java unix:/tmp/x/echo.sock: Connection reset by peer");
    }

    @Test
    void aShortEchoAtTheDeadlineIsATimeout() {
        Failure f = verify(bytes(10), new EchoCheck.Received(bytes(3), false, Failure.of(FailureKind.TIMEOUT, "read java x: timed out")));
        assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(f.message()).isEqualTo("read java unix:/tmp/x/echo.sock: timed out after 3 of 10 bytes");
    }

    @Test
    void extraBytesAreCountedAndAFloodThatWasCutOffSaysAtLeast() {
        Failure f = verify(bytes(3), got(bytes(5)));
        assertThat(f.kind()).isEqualTo(FailureKind.EXTRA_BYTES);
        assertThat(f.message()).isEqualTo("read java unix:/tmp/x/echo.sock: extra bytes: received 5 bytes, 2 more than the 3 sent");
        Failure flood = verify(bytes(3), new EchoCheck.Received(bytes(3 + EchoCheck.EXTRA_MARGIN + 1), true, null));
        assertThat(flood.kind()).isEqualTo(FailureKind.EXTRA_BYTES);
        assertThat(flood.message()).endsWith("extra bytes: received at least 65540 bytes, at least 65537 more than the 3 sent "
                + "(stopped reading there)");
    }

    @Test
    void anErrorAfterACorrectEchoKeepsItsKind() {
        Failure f = verify(bytes(3), new EchoCheck.Received(bytes(3), false,
                Failure.of(FailureKind.NO_EOF, "read", "java", AT, "all 3 bytes came back, but no EOF after the half-close")));
        assertThat(f.kind()).isEqualTo(FailureKind.NO_EOF);
        assertThat(f.message()).isEqualTo("read java unix:/tmp/x/echo.sock: all 3 bytes came back, but no EOF after the half-close");
    }

    @Test
    void aClientsOwnErrorStaysAnErrorWhateverTheBytes() {
        Failure start = Failure.of(FailureKind.ERROR, "start", "nc", AT, "Cannot run program \"nc\"");
        Failure f = verify(bytes(4097), new EchoCheck.Received(new byte[0], false, start, true));
        assertThat(f.kind()).isEqualTo(FailureKind.ERROR);
        assertThat(f.message()).isEqualTo("start nc unix:/tmp/x/echo.sock: Cannot run program \"nc\"");
        // The same bytes ended by what the server did are judged by the bytes.
        Failure reset = Failure.of(FailureKind.ERROR, "read", "java", AT, "Connection reset by peer");
        assertThat(verify(bytes(4097), new EchoCheck.Received(new byte[0], false, reset)).kind()).isEqualTo(FailureKind.TRUNCATED);
    }

    @Test
    void namesTheFirstFailingConnectionOfSeveralInsideTheOneShape() {
        Failure f = EchoCheck.verify("nc", AT, List.of(bytes(10), bytes(10), bytes(10)),
                List.of(got(bytes(10)), got(bytes(9)), got(new byte[0])));
        assertThat(f.message()).isEqualTo("read nc unix:/tmp/x/echo.sock: connection 1: echo ended after 9 of 10 bytes");
    }
}
