// SPDX-License-Identifier: Apache-2.0
// ImageRecipe: one image of docker/: its Dockerfile, the files of its build context, and a tag that is a hash of all of them.
package dev.udsinterop.harness.container;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.udsinterop.harness.host.DirectoryTree;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * An image and its inputs. The tag is {@code uds-interop/NAME:HASH}, the hash covering the
 * Dockerfile, every context file's path and bytes, the base image and the recipe of each JRE,
 * so an image is built once per change of its inputs and a warm run builds nothing. JREs are
 * made with jlink only when the image is built.
 */
final class ImageRecipe {
    /** How long a build may take: seconds here, a minute or two where the apt mirror is slow (polyglot's apt layer). */
    static final Duration BUILD_LIMIT = Duration.ofMinutes(15);
    private final String name;
    private final Path dockerfile;
    private final boolean usesBase;
    private final Map<String, Path> files = new TreeMap<>();
    private final Map<String, Jar> jres = new TreeMap<>();

    /** A JRE to link: the modules a jar needs (none if null), and more. */
    private record Jar(Path jar, String modules) {
    }
    private final List<String> emptyDirectories;

    /**
     * A recipe of the image {@code name} from {@code dockerfile}, on the base image when {@code usesBase} (its
     * {@code ARG BASE}), with {@code emptyDirectories} made in the context (a COPY of a directory the build may
     * leave empty).
     */
    ImageRecipe(String name, Path dockerfile, boolean usesBase, List<String> emptyDirectories) {
        this.name = name;
        this.dockerfile = dockerfile;
        this.usesBase = usesBase;
        this.emptyDirectories = List.copyOf(emptyDirectories);
    }

    /** Puts {@code source} (a file, or a directory with everything in it) at {@code contextPath}. */
    ImageRecipe file(String contextPath, Path source) {
        files.put(contextPath, source);
        return this;
    }

    /**
     * Puts a JRE of the modules {@code jar} needs (if not null) plus {@code modules} (jlink of this
     * JVM's JDK) at {@code contextPath}.
     */
    ImageRecipe jre(String contextPath, Path jar, String modules) {
        jres.put(contextPath, new Jar(jar, modules));
        return this;
    }

    /** Returns the tag of this recipe's image on {@code base}. */
    String tag(String base) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, "dockerfile", Files.readAllBytes(dockerfile));
            update(sha, "base", usesBase ? base.getBytes(StandardCharsets.UTF_8) : new byte[0]);
            for (Map.Entry<String, Path> f : files.entrySet()) {
                try (Stream<Path> walk = Files.walk(f.getValue())) {
                    for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                        update(sha, f.getKey() + "/" + f.getValue().relativize(p), Files.readAllBytes(p));
                    }
                }
            }
            for (Map.Entry<String, Jar> j : jres.entrySet()) {
                update(sha, j.getKey(), Jre.recipe(j.getValue().modules()).getBytes(StandardCharsets.UTF_8));
                if (j.getValue().jar() != null) {
                    update(sha, j.getKey() + "/jdeps", Files.readAllBytes(j.getValue().jar()));
                }
            }
            emptyDirectories.forEach(d -> update(sha, "dir", d.getBytes(StandardCharsets.UTF_8)));
            return "uds-interop/" + name + ":" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("read the inputs of image " + name + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest sha, String label, byte[] bytes) {
        sha.update(label.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Long.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(bytes);
    }

    /** Builds the image unless its tag exists; returns the tag. Progress goes to {@code progress}. */
    String ensure(String base, Path workDirectory, PrintStream progress) {
        return ensure(base, workDirectory, progress, BUILD_LIMIT);
    }

    /**
     * Like {@link #ensure(String, Path, PrintStream)}, with the build stopped (its stream closed, which makes the
     * engine cancel it) when it has not finished within {@code limit}.
     *
     * @throws ContainerException if the build fails or overruns
     */
    String ensure(String base, Path workDirectory, PrintStream progress, Duration limit) {
        String tag = tag(base);
        if (exists(tag)) {
            return tag;
        }
        long start = System.nanoTime();
        progress.printf("containers: building image %s%n", tag);
        Path context = workDirectory.resolve(name + "-" + ProcessHandle.current().pid());
        String overrun = null;
        try {
            prepare(context);
            var build = Docker.client().buildImageCmd(context.toFile())
                    .withTags(java.util.Set.of(tag))
                    .withLabels(Map.of(Docker.LABEL, "1"))
                    .withRemove(true)
                    .withForcerm(true)
                    .withPull(false);
            if (usesBase) {
                build.withBuildArg("BASE", base);
            }
            AtomicReference<String> step = new AtomicReference<>("before its first step");
            BuildImageResultCallback callback = build.exec(new BuildImageResultCallback() {
                @Override
                public void onNext(BuildResponseItem item) {
                    String line = item.getStream() == null ? "" : item.getStream().strip();
                    if (line.startsWith("Step ")) {
                        progress.println("  " + line);
                        step.set("at " + line);
                    }
                    super.onNext(item);
                }
            });
            if (!callback.awaitCompletion(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    callback.close(); // ends the engine's build stream: it cancels the build
                } catch (IOException e) {
                    // closing: nothing more to do
                }
                overrun = "not done within " + limit.toSeconds() + " s (stopped " + step.get() + ")";
            } else {
                callback.awaitImageId();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("docker build " + tag + ": interrupted");
        } catch (IOException e) {
            throw new UncheckedIOException("prepare the build context of " + tag + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ContainerException("docker build " + tag + ": " + e.getMessage());
        } finally {
            DirectoryTree.delete(context);
        }
        if (overrun != null) {
            throw new ContainerException("docker build " + tag + ": " + overrun);
        }
        progress.printf("containers: built %s in %.1f s%n", tag, (System.nanoTime() - start) / 1e9);
        return tag;
    }

    static boolean exists(String tag) {
        try {
            Docker.client().inspectImageCmd(tag).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private void prepare(Path context) throws IOException {
        DirectoryTree.delete(context);
        Files.createDirectories(context);
        Files.copy(dockerfile, context.resolve("Dockerfile"));
        for (Map.Entry<String, Path> f : files.entrySet()) {
            copyTree(f.getValue(), context.resolve(f.getKey()));
        }
        for (Map.Entry<String, Jar> j : jres.entrySet()) {
            Jre.link(j.getValue().jar(), j.getValue().modules(), context.resolve(j.getKey()));
        }
        for (String d : emptyDirectories) {
            Files.createDirectories(context.resolve(d));
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : walk.sorted().toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
