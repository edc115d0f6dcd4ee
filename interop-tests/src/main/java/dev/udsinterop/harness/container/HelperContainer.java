// SPDX-License-Identifier: Apache-2.0
// HelperContainer: looks into a socket volume from a one-shot container of the base image, as another container would see it.
package dev.udsinterop.harness.container;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;

/** {@code test -e PATH} in a fresh container of the base image that mounts the volume: the host path may not exist (a remote engine). */
final class HelperContainer {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private HelperContainer() {
    }

    /**
     * Returns whether anything is at {@code path} in a container that mounts {@code mount} at /sock.
     *
     * @throws ContainerException if the helper does not give an answer
     */
    static boolean exists(Session session, String mount, String path) {
        GenericContainer<?> c = session.container(session.images().base(), "look", mount, "0:0", null)
                .withCommand("sh", "-c", "if [ -e \"$1\" ]; then echo present; else echo absent; fi", "sh", path);
        try {
            c.start();
            session.started(c);
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> !running(c));
            String out = c.getLogs(OutputFrame.OutputType.STDOUT).strip();
            if (!out.equals("present") && !out.equals("absent")) {
                throw new ContainerException("look at " + path + " in " + mount + ": helper said '" + out + "'");
            }
            return out.equals("present");
        } catch (ConditionTimeoutException e) {
            throw new ContainerException("look at " + path + " in " + mount + ": the helper container did not finish in "
                    + TIMEOUT.toSeconds() + " s");
        } finally {
            session.remove(c);
        }
    }

    private static boolean running(GenericContainer<?> c) {
        try {
            return Boolean.TRUE.equals(Docker.client().inspectContainerCmd(c.getContainerId()).exec().getState().getRunning());
        } catch (NotFoundException e) {
            return false;
        }
    }
}
