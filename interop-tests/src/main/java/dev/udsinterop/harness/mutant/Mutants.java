// SPDX-License-Identifier: Apache-2.0
// Mutants: the deliberately broken echo servers (go-reference/cmd/mutant-server -bug NAME), one bug each, as ServerSpecs.
package dev.udsinterop.harness.mutant;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.host.ShortCommand;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.server.ServerSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The mutants prove that the suite catches broken servers: each is the echo contract with
 * exactly one bug, named and described by the binary itself ({@code mutant-server -list}), so
 * that the list here cannot drift from the code.
 */
public final class Mutants {
    private static final String PROGRAM = "mutant-server";
    /** How long the mutant binary may take to list its bugs (it prints a table and exits). */
    private static final Duration LIST_LIMIT = Duration.ofSeconds(10);
    /**
     * The bugs of the sockets beyond byte streams: only these mutants also listen on seqpacket, datagram and abstract
     * names, so that the stream bugs are not run through those families too (their echo is the stream bug's).
     */
    static final Set<String> SOCKET_BUGS = Set.of("merge-messages", "drop-fds", "datagram-drop", "datagram-wrong-address",
            "abstract-file");

    private Mutants() {
    }

    /**
     * One mutant.
     *
     * @param bug the bug's name, e.g. {@code truncate}
     * @param description what it does wrong, one line
     * @param server the mutant as a server under test, id {@code mutant-BUG}
     */
    public record Mutant(String bug, String description, ServerSpec server) {
    }

    /**
     * Returns every mutant of {@code layout}'s build, in the binary's order.
     *
     * @throws ProjectLayout.MissingArtifactException if mutant-server has not been built
     * @throws IllegalStateException if it cannot list its bugs
     */
    public static List<Mutant> all(ProjectLayout layout) {
        String binary = ProjectLayout.require(layout.goBinary(PROGRAM)).toString();
        List<Mutant> mutants = new ArrayList<>();
        for (String line : list(binary)) {
            String[] fields = line.split("\t", 2);
            List<String> command = new ArrayList<>(List.of(binary, "-bug", fields[0], "--unix", ServerSpec.UNIX, "--tcp",
                    "127.0.0.1:" + ServerSpec.PORT));
            if (SOCKET_BUGS.contains(fields[0])) {
                command.addAll(BundledServers.SOCKETS);
            }
            mutants.add(new Mutant(fields[0], fields[1], ServerSpec.of("mutant-" + fields[0], fields[1], command)
                    .announcingReadiness()));
        }
        return mutants;
    }

    /** Returns the mutant with bug {@code bug}. */
    public static Mutant named(ProjectLayout layout, String bug) {
        return all(layout).stream().filter(m -> m.bug().equals(bug)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no mutant with bug '" + bug + "'"));
    }

    private static List<String> list(String binary) {
        try {
            ShortCommand.Result r = ShortCommand.run(List.of(binary, "-list"), LIST_LIMIT, true);
            if (r.status() != 0) {
                throw new IllegalStateException("list " + PROGRAM + " " + binary + ": exit status " + r.status() + ": "
                        + r.output().strip());
            }
            return r.output().lines().filter(l -> l.contains("\t")).toList();
        } catch (TimeoutException e) {
            throw new IllegalStateException("list " + PROGRAM + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("list " + PROGRAM + " " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("list " + PROGRAM + ": interrupted", e);
        }
    }
}
