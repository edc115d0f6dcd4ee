// SPDX-License-Identifier: Apache-2.0
// ProgramSocketsTest: socat and nc on the sockets beyond byte streams: what they can do passes on a correct server and catches a merging one; the rest is unsupported.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.JsonReport;
import dev.udsinterop.harness.verdict.Status;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * socat connects seqpacket sockets ({@code type=5}, {@code -b} the message size) and abstract names
 * ({@code ABSTRACT-CONNECT}); Debian's nc abstract stream names ({@code -U @name}). Against go-echo
 * they pass; against the mutant that merges seqpacket messages socat's seqpacket cases fail (a merged
 * message is cut to {@code -b} bytes). Datagrams and descriptors they declare unsupported.
 */
class ProgramSocketsTest {
    private static final String CASES = "seqpacket.size.1,seqpacket.order.1000,abstract.stream,abstract.seqpacket,"
            + "abstract.datagram,datagram.echo,fdpass.seqpacket.one";

    @TempDir
    Path dir;

    private Map<String, Status> check(String server, String name) throws Exception {
        Path out = dir.resolve(name);
        HarnessCommand.execute("check", "--server-cmd", server + " --unix {unix} --seqpacket {seqpacket} --datagram "
                + "{datagram} --unix {abstract} --seqpacket {abstract} --datagram {abstract}", "--clients", "socat,nc",
                "--cases", CASES, "--out", out.toString());
        return JsonReport.read(out.resolve(JsonReport.FILE_NAME)).results().stream()
                .collect(Collectors.toMap(r -> r.client() + " " + r.caseId(), CaseResult::status, (a, b) -> a));
    }

    @Test
    void socatAndNcPassWhatTheyCanDoAndDeclareTheRest() throws Exception {
        ProjectLayout layout = ProjectLayout.fromSystemProperty();
        Map<String, Status> go = check(layout.goBinary("echo-server").toString(), "go-echo");
        assertThat(go).containsEntry("socat seqpacket.size.1", Status.PASSED)
                .containsEntry("socat seqpacket.order.1000", Status.PASSED)
                .containsEntry("socat abstract.stream", Status.PASSED)
                .containsEntry("socat abstract.seqpacket", Status.PASSED)
                .containsEntry("nc abstract.stream", Status.PASSED)
                .containsEntry("socat datagram.echo", Status.UNSUPPORTED)
                .containsEntry("socat abstract.datagram", Status.UNSUPPORTED)
                .containsEntry("socat fdpass.seqpacket.one", Status.UNSUPPORTED)
                .containsEntry("nc seqpacket.size.1", Status.UNSUPPORTED)
                .containsEntry("nc abstract.seqpacket", Status.UNSUPPORTED)
                .containsEntry("nc datagram.echo", Status.UNSUPPORTED);

        Map<String, Status> merging = check(layout.goBinary("mutant-server") + " -bug merge-messages", "merge-messages");
        assertThat(merging).containsEntry("socat seqpacket.size.1", Status.FAILED)
                .containsEntry("socat seqpacket.order.1000", Status.FAILED)
                .containsEntry("socat abstract.seqpacket", Status.FAILED)
                .containsEntry("socat abstract.stream", Status.PASSED);
    }
}
