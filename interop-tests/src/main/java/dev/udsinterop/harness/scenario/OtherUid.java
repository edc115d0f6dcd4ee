// SPDX-License-Identifier: Apache-2.0
// OtherUid: a client of another uid is refused by a socket of the default mode and let in by --mode 0666.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.util.List;
import java.util.Set;

/**
 * {@code other-uid} (unix): param {@code mode}, passed as {@code --mode}. It needs clients of two uids, so it runs
 * where the clients are containers ({@link ScenarioContext#probeAsOtherUser}).
 */
final class OtherUid implements Scenario {
    @Override
    public String name() {
        return "other-uid";
    }

    @Override
    public Set<RuntimeKind> runtimes() {
        return Set.of(RuntimeKind.CONTAINER, RuntimeKind.CROSS_CLIENT);
    }

    @Override
    public Failure run(ScenarioContext context) throws Exception {
        String mode = context.testCase().param("mode", null);
        RunningServer server = context.startFresh(mode == null ? List.of() : List.of("--mode", mode));
        Failure own = context.check(server, "the socket's own user");
        if (own != null) {
            return own;
        }
        String other = context.probeAsOtherUser(server);
        String who = "a client of uid " + ScenarioContext.OTHER_USER.split(":")[0];
        if (mode != null) {
            return other == null ? null : Failure.of(FailureKind.REFUSED, "connect", who, server.endpoint(),
                    "--mode " + mode + ": " + other);
        }
        if (other == null) {
            return Failure.of(FailureKind.NOT_REFUSED, "connect", who, server.endpoint(),
                    "connected to a socket of the default mode: want Permission denied");
        }
        return other.contains("Permission denied") ? null : Failure.of(FailureKind.ERROR, "connect", who,
                server.endpoint(), "want Permission denied, got: " + other);
    }
}
