// SPDX-License-Identifier: Apache-2.0
// Images: the images of docker/ (base, java-server, go-reference, clients, bench-servers, polyglot), made here without a registry when missing.
package dev.udsinterop.harness.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.server.ServerSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The images of a run, by the names of docker/: {@code base} is the local debootstrap image of
 * {@code docker/base/make-base} (or {@code UDS_INTEROP_BASE_IMAGE}, for an engine that can pull one); java-server,
 * go-reference, clients, bench-servers and polyglot are built from {@code docker/<name>/Dockerfile} and the checkout's build
 * outputs. Each is made at most once per run, when first asked for, and only when its inputs changed
 * ({@link ImageRecipe}).
 */
public final class Images {
    /** The uid the images run as, the owner of /sock. */
    static final int UID = 10001;
    /** Where the classes of the client agent are in the clients image. */
    static final String AGENT_CLASSPATH = "/opt/uds/lib/classes:/opt/uds/lib/*";
    /** The JDK modules of the client agent's JRE. */
    static final String AGENT_MODULES = "java.base";
    /** How long make-base may take: about 30-100 s here, a few minutes from a slow mirror. */
    static final Duration BASE_LIMIT = Duration.ofMinutes(15);

    private final ProjectLayout layout;
    private final PrintStream progress;
    private final Map<String, String> tags = new HashMap<>();

    private Images(ProjectLayout layout, PrintStream progress) {
        this.layout = layout;
        this.progress = progress;
    }

    /**
     * Returns the images of {@code layout}'s build outputs, with {@code names} made now (missing ones built, with
     * progress), so that a broken build fails here once rather than at every server.
     *
     * @throws ContainerException if one cannot be built
     */
    public static Images of(ProjectLayout layout, PrintStream progress, String... names) {
        Images images = new Images(layout, progress);
        for (String name : names) {
            images.tag(name);
        }
        return images;
    }

    /** Returns the tag of {@code image}: its own name, or for an image of docker/ the tag made here. */
    public String tag(ServerSpec.Image image) {
        return image.built() ? tag(image.name()) : image.name();
    }

    String base() {
        return tag("base");
    }

    String clients() {
        return tag("clients");
    }

    /**
     * Returns the tag of the image {@code name} of docker/, making it if need be.
     *
     * @throws ContainerException if it cannot be built or docker/ has no such image
     */
    public synchronized String tag(String name) {
        String tag = tags.get(name);
        if (tag == null) {
            // A harness in a container on the host's engine (docker/harness) can build no image: it is told the tags.
            String given = System.getenv("UDS_INTEROP_IMAGE_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            tag = given != null && !given.isBlank() ? given
                    : name.equals("base") ? base(layout.home().resolve("docker/base/make-base"), progress)
                    : recipe(name).ensure(tag("base"), workDirectory(), progress);
            tags.put(name, tag);
        }
        return tag;
    }

    private ImageRecipe recipe(String name) {
        return switch (name) {
            case "java-server" -> javaServer(layout, workDirectory());
            case "go-reference" -> goReference(layout);
            case "clients" -> clients(layout);
            case "bench-servers" -> benchServers(layout);
            case "polyglot" -> polyglot(layout);
            default -> throw new ContainerException("image " + name + ": docker/ has no such image");
        };
    }

    private Path workDirectory() {
        return layout.home().resolve("target/docker");
    }

    private static Path dockerfile(ProjectLayout layout, String name) {
        return layout.home().resolve("docker").resolve(name).resolve("Dockerfile");
    }

    private static ImageRecipe clients(ProjectLayout layout) {
        ImageRecipe clients = new ImageRecipe("clients", dockerfile(layout, "clients"), true, List.of())
                .file("uds/fixtures", layout.home().resolve("fixtures"))
                .file("uds/go-reference/target/bin/interop-client", layout.goBinary("interop-client"))
                .file("uds/polyglot/python/interop_client.py", layout.home().resolve("polyglot/python/interop_client.py"))
                .file("uds/polyglot/node/interop-client.js", layout.home().resolve("polyglot/node/interop-client.js"))
                .file("uds/polyglot/target/bin/interop-client",
                        ProjectLayout.require(layout.rustBinary("interop-client")));
        for (Path source : agentClasspath()) {
            clients.file("uds/lib/" + (Files.isDirectory(source) ? "classes" : source.getFileName()), source);
        }
        // The agent's code path (peers, fixtures, Jackson) needs java.base; jdeps of the harness's jars would
        // drag in what the report and Testcontainers use, so the modules are named instead.
        return clients.jre("jre", null, AGENT_MODULES);
    }

    /** The C server where the build made its static binary (an empty bin/, which the Dockerfile copies, where not), and socat. */
    private static ImageRecipe benchServers(ProjectLayout layout) {
        Path cEpoll = layout.cEpollStaticServer();
        boolean built = Files.isRegularFile(cEpoll);
        ImageRecipe recipe = new ImageRecipe("bench-servers", dockerfile(layout, "bench-servers"), true,
                built ? List.of() : List.of("bin"));
        return built ? recipe.file("bin/epoll-echo", cEpoll) : recipe;
    }

    /** The Python, Node.js and Rust servers of polyglot/, on the base with python3 and nodejs from its apt mirror. */
    private static ImageRecipe polyglot(ProjectLayout layout) {
        return new ImageRecipe("polyglot", dockerfile(layout, "polyglot"), true, List.of())
                .file("echo_server.py", ProjectLayout.require(layout.pythonServer()))
                .file("echo-server.js", ProjectLayout.require(layout.nodeServer()))
                .file("echo-server", ProjectLayout.require(layout.rustBinary("echo-server")));
    }

    private static ImageRecipe javaServer(ProjectLayout layout, Path work) {
        return new ImageRecipe("java-server", dockerfile(layout, "java-server"), true, List.of())
                .file("uds-echo-server.jar", ProjectLayout.require(layout.javaServerJar()))
                .file("jvm.options", jvmOptions(layout, work))
                .jre("jre", layout.javaServerJar(), "java.base");
    }

    private static ImageRecipe goReference(ProjectLayout layout) {
        ImageRecipe goReference = new ImageRecipe("go-reference", dockerfile(layout, "go-reference"), false,
                List.of("sock"));
        for (String program : List.of("echo-server", "seed-server", "interop-client", "loadgen")) {
            goReference.file(program, ProjectLayout.require(layout.goBinary(program)));
        }
        return goReference;
    }

    /** Returns the server's JVM flags file (java-server/jvm.options), or an empty one where the checkout has none. */
    private static Path jvmOptions(ProjectLayout layout, Path work) {
        Path options = layout.home().resolve("java-server/jvm.options");
        if (Files.isRegularFile(options)) {
            return options;
        }
        try {
            Files.createDirectories(work);
            Path empty = work.resolve("jvm.options");
            Files.write(empty, new byte[0]);
            return empty;
        } catch (IOException e) {
            throw new UncheckedIOException("write " + work.resolve("jvm.options") + ": " + e.getMessage(), e);
        }
    }

    /** Returns the tag of the base image, making it with {@code makeBase} when it is missing. */
    private static String base(Path makeBase, PrintStream progress) {
        return base(makeBase, progress, BASE_LIMIT);
    }

    /**
     * Like {@link #base(Path, PrintStream)}, with {@code makeBase} killed (and its children: debootstrap, docker import)
     * when it has not finished within {@code limit}. Its output goes to {@code progress} from a thread of its own, so
     * that the wait for its exit keeps the limit even while it prints nothing.
     */
    static String base(Path makeBase, PrintStream progress, Duration limit) {
        String given = System.getenv("UDS_INTEROP_BASE_IMAGE");
        if (given != null && !given.isBlank()) {
            return given; // the engine pulls it for the first build that needs it
        }
        String tag = new ImageRecipe("base", ProjectLayout.require(makeBase), false, List.of()).tag("");
        if (ImageRecipe.exists(tag)) {
            return tag;
        }
        progress.printf("containers: making the base image %s with debootstrap (once; 30-100 s)%n", tag);
        try {
            Process p = new ProcessBuilder(makeBase.toString(), tag).redirectErrorStream(true).start();
            Thread.ofPlatform().daemon().name("uds-interop-make-base").start(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        progress.println("  " + line);
                    }
                } catch (IOException e) {
                    // it ended, or was killed
                }
            });
            try {
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new ContainerException("make the base image " + tag + ": " + makeBase + " did not finish within "
                            + limit.toSeconds() + " s (killed; its output is above); a slow apt mirror? Give a base "
                            + "image with UDS_INTEROP_BASE_IMAGE, or run it by hand: " + makeBase + " " + tag);
                }
                if (p.exitValue() != 0) {
                    throw new ContainerException("make the base image " + tag + ": " + makeBase + " exited with status "
                            + p.exitValue());
                }
            } finally {
                stop(p);
            }
        } catch (IOException e) {
            throw new ContainerException("make the base image " + tag + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("make the base image " + tag + ": interrupted");
        }
        return tag;
    }

    /**
     * Stops make-base and its children with SIGTERM first, so that its EXIT trap removes the half-made root file
     * system from /tmp, then with SIGKILL.
     */
    private static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            children.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /**
     * Returns where the client agent's classes come from: the harness's classes, the Jackson jars
     * and junixsocket's (a directory and jars under Maven, one shaded jar under ./uds-interop).
     */
    private static Set<Path> agentClasspath() {
        Set<Path> sources = new LinkedHashSet<>();
        // junixsocket (its classes, and its JNI libraries beside NarMetadata): the JDK client's sockets beyond streams
        for (Class<?> c : List.of(ClientAgent.class, ObjectMapper.class, JsonFactory.class, JsonInclude.class,
                org.newsclub.net.unix.AFSocket.class, org.newsclub.lib.junixsocket.common.NarMetadata.class)) {
            try {
                sources.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (URISyntaxException | NullPointerException e) {
                throw new UncheckedIOException(new IOException("find the classes of " + c.getName() + ": " + e));
            }
        }
        return sources;
    }
}
