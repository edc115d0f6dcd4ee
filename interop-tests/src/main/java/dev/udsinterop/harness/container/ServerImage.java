// SPDX-License-Identifier: Apache-2.0
// ServerImage: how a server under test runs in a container: its image, its entrypoint, its arguments.
package dev.udsinterop.harness.container;

import dev.udsinterop.harness.server.ServerSpec;
import java.util.List;

/**
 * The container form of a {@link ServerSpec}. A spec with an image (check --server-image) runs
 * that image with the spec's command as arguments (empty: {@code --unix {unix} --tcp
 * 0.0.0.0:{port}}); the bundled servers run from the images of docker/.
 *
 * @param image the image tag
 * @param entrypoint the program, or null for the image's ENTRYPOINT
 * @param arguments the argument template, with {@code {unix}} and {@code {port}}; empty for the default
 */
record ServerImage(String image, List<String> entrypoint, List<String> arguments) {

    /**
     * Returns how {@code spec} runs in a container.
     *
     * @throws ContainerException for a server that is only a command on this machine
     */
    static ServerImage of(ServerSpec spec, Images images) {
        if (spec.image() != null) {
            return new ServerImage(spec.image(), null, spec.command());
        }
        return switch (spec.id()) {
            case "java" -> new ServerImage(images.javaServer(), null, List.of());
            case "go-echo" -> new ServerImage(images.goReference(), List.of("/echo-server"), List.of());
            case "go-seed" -> new ServerImage(images.goReference(), List.of("/seed-server"), List.of());
            default -> throw new ContainerException("run " + spec.id() + " in a container: it is a command on this "
                    + "machine, not an image (give one with --server-image)");
        };
    }
}
