// SPDX-License-Identifier: Apache-2.0
// BundleFiles: the files of a checkout that the bundled and benchmarked servers' commands name, for the release bundle.
package dev.udsinterop.harness.dist;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.server.ServerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The release bundle (dist/make-bundle) must carry every file a server of {@link BundledServers} runs, also the
 * servers added after it was written: this reads them from the servers' commands instead of a list of its own.
 * A word of a command that is a file under the checkout (or {@code @FILE}, a JVM options file) is one.
 */
public final class BundleFiles {
    private BundleFiles() {
    }

    /** Prints the files, relative to the checkout {@code args[0]}, one a line; exit 2 if a server is not built. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: BundleFiles CHECKOUT");
            System.exit(2);
        }
        ProjectLayout layout = new ProjectLayout(Path.of(args[0]).toAbsolutePath().normalize());
        try {
            of(layout).forEach(System.out::println);
        } catch (ProjectLayout.MissingArtifactException e) {
            System.err.println("make-bundle: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Returns the files under {@code layout}'s home that its servers' commands name, relative to it, sorted.
     *
     * @throws ProjectLayout.MissingArtifactException if a server has not been built
     */
    public static SortedSet<String> of(ProjectLayout layout) {
        SortedSet<String> files = new TreeSet<>();
        Stream.concat(BundledServers.all(layout).stream(), BundledServers.benchmarked(layout).stream())
                .map(ServerSpec::command).flatMap(List::stream)
                .map(word -> word.startsWith("@") ? word.substring(1) : word)
                .filter(word -> word.startsWith("/"))
                .map(Path::of)
                .filter(path -> path.normalize().startsWith(layout.home()) && Files.isRegularFile(path))
                .forEach(path -> files.add(layout.home().relativize(path.normalize()).toString()));
        return files;
    }
}
