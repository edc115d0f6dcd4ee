// SPDX-License-Identifier: Apache-2.0
// HarnessImages: makes the images of docker/ the harness image refers to, on this machine's engine, and prints their tags.
package dev.udsinterop.harness.dist;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.container.ContainerException;
import dev.udsinterop.harness.container.Images;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code ./uds-interop dist --image} builds the harness image FROM the local base image, and a harness in a
 * container that talks to the host's engine (Docker-outside-of-Docker) cannot build images itself (no debootstrap,
 * no jlink): so the images it needs are made here, by the same recipes as every run, and named to it.
 * Prints {@code NAME=TAG} a line; exit 2 with one line when an image cannot be made.
 */
public final class HarnessImages {
    private HarnessImages() {
    }

    /** {@code args}: the checkout, then the names of docker/'s images. */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: HarnessImages CHECKOUT NAME...");
            System.exit(2);
        }
        ProjectLayout layout = new ProjectLayout(Path.of(args[0]).toAbsolutePath().normalize());
        String[] names = Arrays.copyOfRange(args, 1, args.length);
        try {
            Images images = Images.of(layout, System.err, names);
            for (String name : names) {
                System.out.println(name + "=" + images.tag(name));
            }
        } catch (ContainerException | ProjectLayout.MissingArtifactException e) {
            System.err.println("dist --image: " + e.getMessage());
            System.exit(2);
        }
    }
}
