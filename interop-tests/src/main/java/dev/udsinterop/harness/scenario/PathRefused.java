// SPDX-License-Identifier: Apache-2.0
// PathRefused: something that is not a socket at the path must make the server refuse, and must survive untouched.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** {@code path-refused}: params {@code occupant}, {@code file} or {@code directory}. */
final class PathRefused implements Scenario {
    private static final String CONTENT = "uds-interop: this file must survive\n";

    @Override
    public String name() {
        return "path-refused";
    }

    @Override
    public Failure run(ScenarioContext context) throws Exception {
        String occupant = context.testCase().param("occupant", "file");
        Path path = context.newDirectory().resolve(ServerSpec.SOCKET_NAME);
        Path inside = path.resolve("inside.txt");
        if (occupant.equals("directory")) {
            Files.createDirectory(path);
            Files.writeString(inside, CONTENT);
        } else {
            Files.writeString(path, CONTENT);
        }
        ServerProcess server = context.launch(path);
        String what = occupant.equals("directory") ? "a directory" : "a regular file";
        if (server.awaitReadyOrExit(Transport.UNIX, context.timeout()) != null) {
            return Failure.of(FailureKind.NOT_REFUSED, "listen", context.server().id(), "unix:" + path,
                    "started listening where " + what + " was (want a refusal)");
        }
        Integer status = server.exitStatus(context.timeout());
        if (status == null || status == 0) {
            return Failure.of(FailureKind.EXIT_STATUS, "listen", context.server().id(), "unix:" + path,
                    "exit status " + status + " at " + what + ", want non-zero").withDetail(server.evidence());
        }
        boolean intact = occupant.equals("directory")
                ? Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && Files.isRegularFile(inside)
                        && Files.readString(inside, StandardCharsets.UTF_8).equals(CONTENT)
                : Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                        && Files.readString(path, StandardCharsets.UTF_8).equals(CONTENT);
        return intact ? null : Failure.of(FailureKind.CLOBBERED, "listen", context.server().id(), "unix:" + path,
                what + " was changed or removed by the refusing server");
    }
}
