// SPDX-License-Identifier: Apache-2.0
// FailureKind: why a case failed, as one word a known-failure rule can name: truncated, extra-bytes, mismatch, no-eof, ...
package dev.udsinterop.harness.verdict;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kind of a failure. Every client and scenario classifies what it saw into one of these,
 * the same way, so that a known failure can say which kind it expects and a failure of
 * another kind (a harness or client regression) is not mistaken for it.
 */
public enum FailureKind {
    /** The echo ended early: a correct prefix, then EOF or a reset. */
    TRUNCATED("truncated"),
    /** More bytes came back than were sent (a correct echo, then more). */
    EXTRA_BYTES("extra-bytes"),
    /** A byte of the echo differs from what was sent. */
    MISMATCH("mismatch"),
    /** The whole echo came back, but no EOF after the client half-closed. */
    NO_EOF("no-eof"),
    /**
     * The whole echo came back, but the server closed the connection before the client half-closed, in a case
     * whose client half-closes only once it has its whole echo (the barrier cases): the server did not wait for
     * the client's EOF.
     */
    EARLY_EOF("early-eof"),
    /** Nothing (more) came within the deadline. */
    TIMEOUT("timeout"),
    /** The server exited during or right after the case. */
    SERVER_DIED("server-died"),
    /** A process (the server after a signal, or a client program) exited with the wrong status. */
    EXIT_STATUS("exit-status"),
    /** A socket file was left behind by a server that stopped. */
    FILE_LEFT("file-left"),
    /** A connection was refused. */
    REFUSED("refused"),
    /** The server accepted what it must refuse (a path in the way, a live server's socket). */
    NOT_REFUSED("not-refused"),
    /** The server holds more descriptors after its connections ended than before them. */
    FD_LEAK("fd-leak"),
    /** Something in the way of the socket path (a file, a directory) was changed or removed by the server. */
    CLOBBERED("clobbered"),
    /** The server did not start, or never said it was ready. */
    NO_START("no-start"),
    /** The server's ready line announced another socket path than the one it was given ({unix}). */
    WRONG_PATH("wrong-path"),
    /** On a seqpacket or datagram socket, a message came back split, or merged with another. */
    BOUNDARY("boundary"),
    /** A datagram never came back (the wait after the last one sent is bounded, as the wait for EOF). */
    LOST("lost"),
    /** Descriptors passed with the bytes (SCM_RIGHTS) did not come back as the same open files. */
    DESCRIPTORS("descriptors"),
    /** The reason a case was not run: the server or the client declares it cannot do what the case needs. */
    UNSUPPORTED("unsupported"),
    /** The case was skipped where every case must run (CI=true or --require-all). */
    SKIPPED("skipped"),
    /** The reason a case was not run: the run stopped early (--max-failures). */
    NOT_RUN("not-run"),
    /** Anything else: the message says what. */
    ERROR("error");

    private final String id;

    FailureKind(String id) {
        this.id = id;
    }

    /** Returns the kind's name in reports and known-failure rules, e.g. {@code extra-bytes}. */
    @JsonValue
    public String id() {
        return id;
    }

    /** Returns the kind named {@code id}, if there is one. */
    public static Optional<FailureKind> find(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    @JsonCreator
    static FailureKind of(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown failure kind '" + id + "'"));
    }
}
