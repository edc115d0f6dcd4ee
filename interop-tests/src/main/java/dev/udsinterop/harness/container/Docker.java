// SPDX-License-Identifier: Apache-2.0
// Docker: the engine the container runtimes share with everyone else: whether it answers, the labels that mark what a run made, and the sweep of what dead runs left.
package dev.udsinterop.harness.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.udsinterop.harness.host.Remedy;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;

/**
 * One engine, used by several runs at once (other checkouts, CI jobs, people). Everything a
 * run creates carries {@value #LABEL}{@code =1}, {@value #OWNER}{@code =<pid of its JVM>} and the pid namespace
 * of that pid; the sweep removes only objects whose owner process is gone, never another live run's, and judges
 * only owners of its own pid namespace.
 */
public final class Docker {
    /** Marks every object the harness creates. */
    public static final String LABEL = "dev.udsinterop";
    /** The pid of the JVM that created the object. */
    public static final String OWNER = "dev.udsinterop.owner";
    /**
     * The pid namespace that pid belongs to ({@code /proc/self/ns/pid}): a harness in a container on the host's engine
     * (docker/harness, the Docker socket mounted) sees other pids than the host, and must not take a live host run's
     * objects for those of a dead run.
     */
    public static final String OWNER_NAMESPACE = "dev.udsinterop.owner-ns";
    private static final String NAMESPACE = pidNamespace();

    private Docker() {
    }

    /** Returns the labels of everything this JVM creates. */
    static Map<String, String> labels() {
        return Map.of(LABEL, "1", OWNER, Long.toString(ProcessHandle.current().pid()), OWNER_NAMESPACE, NAMESPACE);
    }

    private static String pidNamespace() {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid")).toString();
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return "unknown";
        }
    }

    /**
     * Returns null if this JVM can run containers, else why not, in one line. Testcontainers
     * must not start Ryuk (its image cannot be pulled without a registry): the harness removes
     * what it creates itself, and Ryuk is switched off only by an environment variable.
     */
    public static String unavailable() {
        if (!"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            return "TESTCONTAINERS_RYUK_DISABLED=true is not in the environment (./uds-interop and mvn set it; "
                    + "without it Testcontainers tries to pull its Ryuk image)";
        }
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return null;
            }
        } catch (RuntimeException | LinkageError e) {
            return "no Docker engine answers: " + e.getMessage();
        }
        String host = System.getenv("DOCKER_HOST");
        return noEngine(host != null ? host : "/var/run/docker.sock", Remedy.dockerEngine());
    }

    /** Returns the one line of no engine answering at {@code host}, ending in {@code remedy}. */
    static String noEngine(String host, String remedy) {
        return "no Docker engine answers at " + host + "; " + remedy;
    }

    public static DockerClient client() {
        return DockerClientFactory.instance().client();
    }

    /**
     * Removes the containers, networks and volumes of runs whose JVM is gone (a run killed
     * part way), and says so on {@code log}. Objects of live runs are left alone.
     */
    static void sweep(PrintStream log) {
        DockerClient docker = client();
        List<String> owner = List.of(OWNER);
        int removed = 0;
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(owner).exec()) {
            if (isDead(c.getLabels())) {
                quietly(() -> docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec());
                removed++;
            }
        }
        for (Network n : docker.listNetworksCmd().exec()) {
            if (n.getLabels() != null && isDead(n.getLabels())) {
                quietly(() -> docker.removeNetworkCmd(n.getId()).exec());
                removed++;
            }
        }
        var volumes = docker.listVolumesCmd().withFilter("label", owner).exec().getVolumes();
        for (var v : volumes == null ? List.<com.github.dockerjava.api.command.InspectVolumeResponse>of() : volumes) {
            if (isDead(v.getLabels())) {
                quietly(() -> docker.removeVolumeCmd(v.getName()).exec());
                removed++;
            }
        }
        if (removed > 0) {
            log.printf("containers: removed %d containers, networks and volumes left by runs that ended%n", removed);
        }
    }

    /** Returns true if the owner of an object with {@code labels} is a process of this pid namespace that is gone. */
    static boolean isDead(Map<String, String> labels) {
        String pid = labels == null ? null : labels.get(OWNER);
        // Only pids of this namespace can be judged; an object without the namespace is left alone too.
        if (pid == null || !NAMESPACE.equals(labels.get(OWNER_NAMESPACE)) || NAMESPACE.equals("unknown")) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Runs a removal that may race with the object's owner removing it itself. */
    static void quietly(Runnable removal) {
        try {
            removal.run();
        } catch (RuntimeException e) {
            // already gone, or still in use by a container being removed: the next sweep takes it
        }
    }
}
