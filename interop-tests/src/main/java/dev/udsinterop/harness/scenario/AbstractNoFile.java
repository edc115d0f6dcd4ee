// SPDX-License-Identifier: Apache-2.0
// AbstractNoFile: a server on abstract names creates no file for them, in its working directory or beside its sockets.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code abstract-no-file}: a name in the abstract namespace is no file. The server is started on its abstract
 * names; for each one its ready lines announce, no file of that name (with or without the {@code @}) may exist in
 * its working directory ({@code /proc/PID/cwd}) or in the directory of its socket paths. The classic slip it
 * catches: the name bound, or also bound, as a relative path, the leading NUL lost.
 */
final class AbstractNoFile implements Scenario {
    @Override
    public String name() {
        return "abstract-no-file";
    }

    @Override
    public Failure run(ScenarioContext context) throws Exception {
        RunningServer server = context.startFresh();
        List<Endpoint> names = server.endpoints().stream().filter(Endpoint::isAbstract).toList();
        if (names.isEmpty()) {
            return Failure.of(FailureKind.ERROR, "start", context.server().id(), server.endpoint(),
                    "its ready lines announce no abstract name");
        }
        List<Path> places = new ArrayList<>(List.of(server.socket().getParent()));
        try {
            places.add(Path.of("/proc", Long.toString(server.pid()), "cwd").toRealPath());
        } catch (IOException e) {
            // no /proc: the socket directory alone is looked at
        }
        for (Endpoint e : names) {
            for (Path dir : places) {
                for (String file : List.of(e.name(), "@" + e.name())) {
                    Path path = dir.resolve(file);
                    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                        return Failure.of(FailureKind.FILE_LEFT, "look", context.server().id(), e,
                                "a file " + path + " exists for the abstract name @" + e.name() + ", which is no file")
                                .withDetail(server.evidence());
                    }
                }
            }
        }
        return Health.check(server, "after looking for files");
    }
}
