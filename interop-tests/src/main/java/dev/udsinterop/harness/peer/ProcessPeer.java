// SPDX-License-Identifier: Apache-2.0
// ProcessPeer: a client that is a program piping stdin to the socket and the socket to stdout (nc, socat).
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Payloads;
import dev.udsinterop.harness.host.Programs;
import dev.udsinterop.harness.host.Remedy;
import dev.udsinterop.harness.transport.Endpoint;
import java.time.Duration;
import java.util.List;

/**
 * A client program run once per connection ({@link ProcessConnection}). The payload goes to
 * its stdin in the case's writes; its stdout is the echo. With half-close, stdin is closed
 * after the payload and the program must half-close the socket; otherwise stdin stays open
 * until the whole echo arrived, so the client closes only after reading everything. The
 * program must then exit 0 by the deadline. Its stdout must end when the connection does,
 * also while its stdin is open (nc over a unix socket does; socat with {@code shut-close}), or
 * the peer must tell otherwise ({@link #connectionEnded}).
 */
abstract class ProcessPeer implements Peer {
    private final Payloads payloads;
    private final String program;
    private final String missing;
    private final boolean installed;

    /** A peer that runs {@code program}, a name looked up on PATH or a path. */
    ProcessPeer(Payloads payloads, String program) {
        this.payloads = payloads;
        this.program = program;
        this.installed = Programs.isInstalled(program);
        this.missing = installed ? null
                : program + " is not installed: " + Remedy.install(packageName());
    }

    /**
     * Returns the command that connects to {@code endpoint} and half-closes the socket when its
     * stdin ends. With {@code halfClose} false, stdin ends only once the whole echo is in.
     */
    abstract List<String> command(Endpoint endpoint, boolean halfClose);

    /** As {@link #command(Endpoint, boolean)}, for case {@code c}: a peer whose command depends on the case says so here. */
    List<String> command(Endpoint endpoint, InteropCase c, boolean halfClose) {
        return command(endpoint, halfClose);
    }

    /** Returns the executable, e.g. {@code nc}: the first word of {@link #command}. */
    final String program() {
        return program;
    }

    /** Returns the Debian package that provides it. */
    abstract String packageName();

    /**
     * Returns true if the server has closed {@code process}'s connection to {@code endpoint}, for a program whose
     * output does not end with the connection while its stdin is open; asked just before stdin closes.
     */
    boolean connectionEnded(Process process, Endpoint endpoint) {
        return false;
    }

    @Override
    public String missing() {
        return installed ? null : program + " (apt-get install " + packageName() + ")";
    }

    @Override
    public String unsupported(InteropCase c) {
        return missing;
    }

    @Override
    public Exchange exchange(Endpoint endpoint, InteropCase c, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Traffic traffic = Traffic.of(c);
        Duration eofWait = EofWait.of(c, timeout);
        List<String> command = command(endpoint, c, traffic.halfClose());
        return Fanout.run(id(), endpoint, c, payloads, (payload, party) -> ProcessConnection.run(this, command, endpoint,
                payload, traffic, deadline, party, new EofWait(eofWait)));
    }
}
