// SPDX-License-Identifier: Apache-2.0
// CapabilitiesTest: the capability table says yes, unsupported (only when declared by that side) or the failure kinds.
package dev.udsinterop.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    private static CaseResult result(String server, String client, String transport, String caseId, Status status,
                                     Failure failure) {
        return new CaseResult(server, client, transport, "local", caseId, status, 1, null, null, failure, null);
    }

    private static Failure unsupported(String whose) {
        return Failure.of(FailureKind.UNSUPPORTED, "run", "c", "seqpacket", whose + " seqpacket unsupported");
    }

    @Test
    void aCellIsYesUnsupportedOrTheFailureKinds() {
        List<CaseResult> results = List.of(
                result("s", "go", "seqpacket", "seqpacket.size.1", Status.PASSED, null),
                result("s", "nc", "seqpacket", "seqpacket.size.1", Status.UNSUPPORTED, unsupported(Capabilities.DECLARED_BY_CLIENT)),
                result("s", "go", "datagram", "datagram.echo", Status.FAILED,
                        Failure.of(FailureKind.LOST, "read", "go", "datagram", "1 datagrams never came back")),
                result("s", "go", "abstract", "abstract.stream", Status.UNSUPPORTED, unsupported(Capabilities.DECLARED_BY_SERVER)),
                result("s", "go", "unix", "echo.hello", Status.PASSED, null));
        Map<String, Map<String, String>> table = new java.util.LinkedHashMap<>();
        Capabilities.of(results).forEach(r -> table.put(r.implementation(), r.cells()));

        assertThat(table).containsOnlyKeys("server s", "client go", "client nc");
        assertThat(table.get("server s")).containsExactly(Map.entry("seqpacket", "yes"), Map.entry("datagram", "failed: lost"),
                Map.entry("abstract", "unsupported"), Map.entry("fdpass", "-"));
        assertThat(table.get("client go")).as("the server's declaration is not the client's")
                .containsEntry("seqpacket", "yes").containsEntry("abstract", "-").containsEntry("datagram", "failed: lost");
        assertThat(table.get("client nc")).containsEntry("seqpacket", "unsupported");
    }

    @Test
    void noTableWithoutACaseOfAFeature() {
        assertThat(Capabilities.of(List.of(result("s", "go", "unix", "echo.hello", Status.PASSED, null)))).isEmpty();
    }
}
