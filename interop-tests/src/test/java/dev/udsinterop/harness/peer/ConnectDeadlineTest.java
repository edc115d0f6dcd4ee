// SPDX-License-Identifier: Apache-2.0
// ConnectDeadlineTest: a TCP connect whose SYN nobody answers ends at the case's deadline as a timeout naming the address.
package dev.udsinterop.harness.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The probe after go-seed's echo.empty in the container runtime dialled the server's address after its container had
 * gone: the SYN went unanswered and the JDK's blocking connect, which has no timeout, waited for the kernel's retries
 * (about two minutes; seen as SYN_SENT in the agent's network namespace while the host gave up after 40 s). Here the
 * unanswered SYN comes from a loopback listener whose accept queue is full: Linux drops the SYNs it has no room for.
 */
class ConnectDeadlineTest {
    @Test
    void aProbeWhoseSynIsNeverAnsweredTimesOutAtItsDeadlineNamingTheAddress() throws Exception {
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) { // never accepts
            fill(full, queued);
            Endpoint endpoint = Endpoint.tcp("127.0.0.1", full.getLocalPort());

            long start = System.nanoTime();
            Failure f = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Probe.echo(endpoint));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(f).isNotNull();
            assertThat(f.kind()).as(f.message()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(f.message()).contains(endpoint.toString()).contains("timed out after 0 of");
            assertThat(f.detail()).contains("connect java " + endpoint).contains("connect timed out after");
            assertThat(took).as("the probe's 5 s deadline, not the kernel's retries").isLessThan(Duration.ofSeconds(20));
        } finally {
            for (Socket s : queued) {
                s.close();
            }
        }
    }

    /** Connects until a connect is not answered: the accept queue is full. */
    private static void fill(ServerSocket server, List<Socket> queued) throws Exception {
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            queued.add(s);
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 500);
            } catch (SocketTimeoutException e) {
                return;
            }
        }
        throw new IllegalStateException("the accept queue of a listener with backlog 1 took 16 connections");
    }
}
