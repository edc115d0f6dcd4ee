// SPDX-License-Identifier: Apache-2.0
// DeclaredFeatures: what a manifest-driven client declares it can do beyond stream sockets, and what decided it.
package dev.udsinterop.harness.peer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.host.ShortCommand;
import dev.udsinterop.harness.json.Json;
import dev.udsinterop.harness.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The features of Unix sockets beyond byte streams ({@code seqpacket}, {@code datagram}, {@code abstract},
 * {@code fdpass}) that a client declares it has, why it lacks the others, and what decided it (a language's standard
 * library, the toolchain it was built with, a probe of the runtime). A polyglot client answers
 * {@code -capabilities} with this as JSON, since what it can do may depend on how it was built (Rust's abstract
 * names need rustc 1.70) or on the runtime it runs on (how a Node.js binds an abstract name): the harness asks, never
 * guesses.
 *
 * @param supports the features it has
 * @param lacks why it lacks each other feature
 * @param decidedBy what decided it, e.g. {@code built with rustc 1.95.0 ...}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeclaredFeatures(Set<String> supports, Map<String, String> lacks, String decidedBy) {
    /** How long a client may take to answer -capabilities (a few hundred bytes; a JVM or Node.js start under load). */
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(30);

    public DeclaredFeatures {
        supports = supports == null ? Set.of() : Set.copyOf(supports);
        lacks = lacks == null ? Map.of() : Map.copyOf(lacks);
    }

    /** Every feature: what the Go client, with Go's net (unixpacket, unixgram, WriteMsgUnix), declares. */
    public static DeclaredFeatures all(String decidedBy) {
        return new DeclaredFeatures(Set.copyOf(InteropCase.FEATURES), Map.of(), decidedBy);
    }

    /**
     * Asks {@code program} (its executable, then any words before the flags) with {@code -capabilities}. A client that
     * cannot be asked (it does not start, does not answer in time, answers no JSON) declares nothing beyond stream
     * sockets, with the reason: its cases of other sockets are unsupported, and the reason says why.
     */
    public static DeclaredFeatures ask(List<String> program) {
        List<String> command = new ArrayList<>(program);
        command.add("-capabilities");
        try {
            ShortCommand.Result r = ShortCommand.run(command, ANSWER_LIMIT, false);
            if (r.status() != 0) {
                return unknown(String.join(" ", command) + " ended with status " + r.status());
            }
            DeclaredFeatures d = Json.LENIENT.readValue(r.output(), DeclaredFeatures.class);
            return d.supports().isEmpty() && d.lacks().isEmpty() ? unknown(String.join(" ", command) + " declared nothing") : d;
        } catch (TimeoutException e) {
            return unknown(e.getMessage());
        } catch (IOException e) {
            return unknown(String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unknown(String.join(" ", command) + " interrupted");
        }
    }

    private static DeclaredFeatures unknown(String why) {
        Map<String, String> lacks = new LinkedHashMap<>();
        InteropCase.FEATURES.forEach(f -> lacks.put(f, "its capabilities could not be read"));
        return new DeclaredFeatures(Set.of(), lacks, why);
    }

    /**
     * Returns the features case {@code c} on {@code transport} needs: its socket kind if not a stream, an abstract name,
     * descriptor passing.
     */
    public static List<String> needs(InteropCase c, Transport transport) {
        List<String> needs = new ArrayList<>();
        if (!c.socket().equals("stream")) {
            needs.add(c.socket());
        }
        if (c.address().equals("abstract") || transport == Transport.ABSTRACT) {
            needs.add("abstract");
        }
        if (c.fds() > 0) {
            needs.add("fdpass");
        }
        return needs;
    }

    /**
     * Returns what of {@code needs} is missing, each with its reason, and what decided it, or null when nothing is.
     */
    public String missing(List<String> needs) {
        List<String> missing = needs.stream().filter(f -> !supports.contains(f))
                .map(f -> f + " (" + lacks.getOrDefault(f, "not declared") + ")").toList();
        return missing.isEmpty() ? null : "lacks " + String.join(", ", missing) + "; decided by " + decidedBy;
    }
}
