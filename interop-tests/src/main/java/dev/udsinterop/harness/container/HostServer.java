// SPDX-License-Identifier: Apache-2.0
// HostServer: a server under test as a process on this machine, its socket in a directory the client containers mount.
package dev.udsinterop.harness.container;

import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import java.nio.file.Path;
import java.time.Duration;

/** The cross-client runtime's server: the local process, seen by clients at {@code /sock/NAME}. */
final class HostServer implements Server {
    private final ServerProcess process;
    private final String socketName;

    private HostServer(ServerProcess process, String socketName) {
        this.process = process;
        this.socketName = socketName;
    }

    static HostServer start(ServerSpec spec, Path directory, String socketName) {
        return new HostServer(ServerProcess.start(spec, directory.resolve(socketName)), socketName);
    }

    @Override
    public Endpoint awaitReady(dev.udsinterop.harness.transport.Transport transport, Duration timeout) {
        process.awaitReady(transport, timeout);
        return expected(transport);
    }

    @Override
    public Endpoint expected(dev.udsinterop.harness.transport.Transport transport) {
        return Endpoint.unix(Path.of(Session.SOCKET_DIR, socketName));
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void signal(String signal) {
        process.signal(signal);
    }

    @Override
    public Integer exitStatus(Duration timeout) {
        return process.exitStatus(timeout);
    }

    @Override
    public void stop(Duration grace) {
        process.stop(grace);
    }

    @Override
    public String evidence() {
        return process.evidence();
    }

    @Override
    public void close() {
        process.close();
    }
}
