// SPDX-License-Identifier: Apache-2.0
// PassedPipes: pipes whose write ends a client passes (SCM_RIGHTS), and the check that the same open files came back.
package dev.udsinterop.harness.peer;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.newsclub.net.unix.AFPipe;

/**
 * {@code n} pipes: the client sends their write ends and keeps their read ends. A descriptor that comes back is
 * the same open file if a token written through it arrives on the read end of its pipe, as the Go client checks. The
 * read ends do not block: a write through a pipe's own write end is in the pipe when the write returns, so an empty
 * read end right after it means the descriptor was another file.
 */
final class PassedPipes implements AutoCloseable {
    private final List<AFPipe> pipes = new ArrayList<>();

    PassedPipes(int n) throws IOException {
        try {
            for (int i = 0; i < n; i++) {
                AFPipe pipe = AFPipe.open();
                pipes.add(pipe);
                pipe.source().configureBlocking(false);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Returns the write ends, in order, to send. */
    FileDescriptor[] writeEnds() throws IOException {
        FileDescriptor[] fds = new FileDescriptor[pipes.size()];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = pipes.get(i).sink().getFileDescriptor();
        }
        return fds;
    }

    /**
     * Checks that {@code back}, the descriptors that came back, are the write ends in order; returns why not, or null.
     * Closes them all.
     */
    String check(List<FileDescriptor> back) {
        try {
            if (back.size() != pipes.size()) {
                return back.size() + " descriptors came back; " + pipes.size() + " were sent";
            }
            for (int i = 0; i < back.size(); i++) {
                String wrong = checkOne(i, back.get(i));
                if (wrong != null) {
                    return wrong;
                }
            }
            return null;
        } finally {
            closeAll(back);
        }
    }

    private String checkOne(int i, FileDescriptor fd) {
        int n = pipes.size();
        byte[] token = ("pipe " + i + " of " + n + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            new FileOutputStream(fd).write(token); // not closed here: closeAll closes every one that came back
        } catch (IOException e) {
            return "descriptor " + i + " of " + n + " that came back: write: " + e.getMessage() + " (not the pipe's write end)";
        }
        ByteBuffer got = ByteBuffer.allocate(token.length + 1);
        try {
            pipes.get(i).source().read(got);
        } catch (IOException e) {
            return "pipe " + i + " of " + n + ": read: " + e.getMessage();
        }
        if (got.position() == 0) {
            return "descriptor " + i + " of " + n + " that came back is another file: nothing written through it arrived in pipe " + i;
        }
        String read = new String(got.array(), 0, got.position(), StandardCharsets.US_ASCII);
        String want = new String(token, StandardCharsets.US_ASCII);
        return read.equals(want) ? null
                : "descriptor " + i + " of " + n + " that came back: pipe " + i + " read \"" + read.strip() + "\"; want \"" + want.strip() + "\"";
    }

    /** Closes descriptors that came back (they are the receiver's to close). */
    static void closeAll(List<FileDescriptor> fds) {
        for (FileDescriptor fd : fds) {
            try {
                new FileInputStream(fd).close();
            } catch (IOException e) {
                // closing a descriptor of ours that we only checked: nothing to do about it
            }
        }
    }

    @Override
    public void close() {
        for (AFPipe pipe : pipes) {
            try {
                pipe.close();
            } catch (IOException e) {
                // the case's verdict is made; a pipe that will not close leaks one descriptor of the harness
            }
        }
    }
}
