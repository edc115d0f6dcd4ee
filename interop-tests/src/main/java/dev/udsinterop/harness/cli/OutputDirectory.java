// SPDX-License-Identifier: Apache-2.0
// OutputDirectory: a directory a command writes its files into, checked (and created) before any work starts.
package dev.udsinterop.harness.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a command writes its files (reports, benchmark results, merged reports). Every command that writes
 * files calls {@link #prepare} while it checks its arguments, before it starts any work, so that a path it
 * cannot write to ends the command at once with one line and exit status 2, not after a long run with a
 * stack trace. Preparing creates the directory and proves it writable by creating and removing a file in it:
 * permission bits say little when running as root or on read-only and virtual file systems ({@code /proc}).
 *
 * <pre>{@code
 * OutputDirectory out = OutputDirectory.prepare("--out", outOption, "report.json", "report.html");
 * ... the work ...
 * write(out.resolve("report.json"));
 * }</pre>
 */
public final class OutputDirectory {
    private final Path path;

    private OutputDirectory(Path path) {
        this.path = path;
    }

    /**
     * Creates {@code dir} with its parents if missing and checks that the files {@code fileNames} can be
     * written in it (an existing file of such a name is replaced later; a directory of that name cannot be).
     *
     * @param option the option that named the directory, e.g. {@code --out}, for the message
     * @param dir the directory; relative paths are resolved against the working directory
     * @param fileNames the names of the files the command will write there
     * @return the prepared directory, with an absolute path
     * @throws UsageException naming the option, the path and the cause, when the directory cannot be used
     */
    public static OutputDirectory prepare(String option, Path dir, String... fileNames) {
        Path path = dir.toAbsolutePath().normalize();
        String op = option + " " + path;
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new UsageException(op + ": not a directory");
        }
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UsageException(op + ": cannot create the directory: " + cause(e));
        }
        for (String name : List.of(fileNames)) {
            Path file = path.resolve(name);
            if (Files.isDirectory(file)) {
                throw new UsageException(op + ": cannot write " + file + ": it is a directory");
            }
        }
        try {
            Files.delete(Files.createTempFile(path, ".uds-interop-", ".probe"));
        } catch (IOException e) {
            throw new UsageException(op + ": cannot write there: " + cause(e));
        }
        return new OutputDirectory(path);
    }

    /** Returns the directory's absolute path. */
    public Path path() {
        return path;
    }

    /** Returns the path of the file {@code name} in this directory. */
    public Path resolve(String name) {
        return path.resolve(name);
    }

    @Override
    public String toString() {
        return path.toString();
    }

    /** Returns the operating system's reason, as {@code ls} or {@code mkdir} would word it. */
    public static String cause(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " is in the way and is not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
