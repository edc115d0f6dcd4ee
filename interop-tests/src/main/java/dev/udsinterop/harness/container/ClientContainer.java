// SPDX-License-Identifier: Apache-2.0
// ClientContainer: one client of the matrix in its own long-lived container, driven through its client agent.
package dev.udsinterop.harness.container;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;

/**
 * A container of the clients image for one client id, mounting the runtime's socket
 * directory at /sock and, for tcp, on the run's network. It idles ({@code sleep infinity});
 * the cases run through a {@link ClientAgent} started in it with {@code docker exec}.
 */
final class ClientContainer implements AutoCloseable {
    private final Session session;
    private final GenericContainer<?> container;
    private final AgentProcess agent;

    private ClientContainer(Session session, GenericContainer<?> container, String client) {
        this.session = session;
        this.container = container;
        this.agent = new AgentProcess(container.getContainerId(), client);
    }

    /**
     * Starts the container for {@code client} as {@code user} (null: the image's), with
     * {@code mount} at /sock and on the run's network if {@code networked}.
     *
     * @throws ContainerException if it does not start
     */
    static ClientContainer start(Session session, String client, String mount, boolean networked, String user) {
        return start(session, client, mount, networked, null, user);
    }

    /**
     * Like {@link #start(Session, String, String, boolean, String)}, in the network namespace {@code networkMode}
     * names when not null: {@code container:ID}, a server container's (its abstract names, and the abstract name a
     * datagram client binds for the replies, are per network namespace), or {@code host}, this machine's.
     */
    static ClientContainer start(Session session, String client, String mount, boolean networked, String networkMode,
                                 String user) {
        GenericContainer<?> c = session.container(session.images().clients(), "client-" + client, mount, user, null)
                .withCommand("sleep", "infinity");
        if (networkMode != null) {
            c.withNetworkMode(networkMode);
        } else if (networked) {
            c.withNetwork(session.network());
        }
        try {
            c.start();
        } catch (RuntimeException e) {
            session.remove(c);
            throw new ContainerException("start the " + client + " client container: " + e.getMessage());
        }
        session.started(c);
        return new ClientContainer(session, c, client);
    }

    ClientAgent.Response call(ClientAgent.Request request, Duration wait) throws InterruptedException {
        return agent.call(request, wait);
    }

    @Override
    public void close() {
        agent.close();
        session.remove(container);
    }
}
