// SPDX-License-Identifier: Apache-2.0
// BenchMessageSocketsTest: bench --transports seqpacket,datagram measures java, go-echo and c-epoll round trips there and says why python is not.
package dev.udsinterop.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.bench.BenchReport.Measurement;
import dev.udsinterop.harness.bench.BenchReport.Skip;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The seqpacket and datagram rows: seed and pingpong over seqpacket, pingpong over datagram (stream needs a byte
 * stream, seed a connection: not measured there), for the servers that serve them; a server whose command has no
 * such placeholder is skipped with the reason. The report follows its schema (read back). No figure is judged.
 */
class BenchMessageSocketsTest {
    @TempDir
    Path out;

    @Test
    void seqpacketAndDatagramRoundTripsAreMeasuredForJavaGoAndC() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = new CommandLine(new BenchCommand()).execute("--quick", "--warmup", "1", "--rounds", "1",
                    "--servers", "java,go-echo,c-epoll,python", "--workloads", "seed,pingpong,stream",
                    "--transports", "seqpacket,datagram", "--runtime", "local", "--out", out.toString());
        } finally {
            System.setOut(saved);
        }
        String console = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(console).isZero();
        BenchReport report = BenchJson.read(out.resolve(BenchJson.FILE_NAME));
        assertThat(report.measurements()).filteredOn(m -> !m.warmup())
                .allSatisfy(m -> assertThat(m.error()).isNull())
                .extracting(m -> m.server() + " " + m.transport() + " " + m.workload())
                .containsExactlyInAnyOrder("java seqpacket seed", "java seqpacket pingpong", "java datagram pingpong",
                        "go-echo seqpacket seed", "go-echo seqpacket pingpong", "go-echo datagram pingpong",
                        "c-epoll seqpacket seed", "c-epoll seqpacket pingpong", "c-epoll datagram pingpong");
        assertThat(report.measurements()).filteredOn(m -> m.workload().equals("pingpong"))
                .allSatisfy(m -> assertThat(m.ops()).isPositive());
        assertThat(report.skipped()).extracting(Skip::server, Skip::transport, Skip::workload, Skip::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("python", "seqpacket", "seed", "its command has no {seqpacket} placeholder"),
                        org.assertj.core.groups.Tuple.tuple("python", "seqpacket", "pingpong", "its command has no {seqpacket} placeholder"),
                        org.assertj.core.groups.Tuple.tuple("python", "datagram", "pingpong", "its command has no {datagram} placeholder"));
    }
}
