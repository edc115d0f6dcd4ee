// SPDX-License-Identifier: Apache-2.0
// TinyFileSystem: an 8 MB ext4 image with 32 inodes, loop-mounted (root): a freed inode number is handed out again at once.
package dev.udsinterop.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A file system small enough that ext4 gives a new file the lowest free inode number, which is
 * the one just freed: the case in which telling files apart by (device, inode) fails. Needs
 * root and loop devices; {@link #close()} unmounts it (the loop device goes with it).
 */
final class TinyFileSystem implements AutoCloseable {
    private final Path mountPoint;

    private TinyFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /**
     * Makes and mounts the image under {@code dir}; skips the test where that is not possible, also
     * under CI: a loop mount is a privilege of the machine (a container without CAP_SYS_ADMIN has
     * none), not a tool that setup could install, and the same contract is still proven on the
     * temporary directory's file system by the test beside this one.
     */
    static TinyFileSystem mount(Path dir) throws IOException, InterruptedException {
        Path image = dir.resolve("ext4.img");
        Path mountPoint = Files.createDirectory(dir.resolve("mnt"));
        try (var file = java.nio.channels.FileChannel.open(image,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(0).position(8 << 20).write(java.nio.ByteBuffer.wrap(new byte[1]));
        }
        String made = run("mkfs.ext4", "-q", "-F", "-N", "32", image.toString());
        String mounted = made == null ? run("mount", "-o", "loop", image.toString(), mountPoint.toString()) : made;
        Assumptions.assumeTrue(mounted == null, "cannot loop-mount a small ext4 image here (root and loop devices needed): " + mounted);
        return new TinyFileSystem(mountPoint);
    }

    Path root() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String failed = run("umount", mountPoint.toString());
        if (failed != null) {
            throw new IOException("umount " + mountPoint + ": " + failed);
        }
    }

    /** Runs {@code command}; returns null on success, else its output and status. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + ": no exit after 30 s";
        }
        return p.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + p.exitValue() + ": " + out;
    }
}
