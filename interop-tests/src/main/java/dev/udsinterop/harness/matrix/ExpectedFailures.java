// SPDX-License-Identifier: Apache-2.0
// ExpectedFailures: the failures recorded as known (a server's known bugs), as data, each with its reason.
package dev.udsinterop.harness.matrix;

import dev.udsinterop.harness.fixture.FixtureException;
import dev.udsinterop.harness.json.Json;
import dev.udsinterop.harness.verdict.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Known failures, from {@code fixtures/expected-failures.json} or a {@code check
 * --known-failures} file. A rule has globs for cases, and optionally for server, client and
 * transport (a missing glob matches everything), and a reason. A matching
 * entry that fails is an expected failure; one that passes fails the run, so that the
 * list never outlives the bug.
 */
public final class ExpectedFailures {

    /**
     * One rule. {@code kind}, when given, is the failure kind the rule expects (e.g. {@code truncated}): a
     * failure of another kind is not the known bug, and fails the run.
     */
    public record Rule(String server, String client, String transport, String cases, String kind, String reason) {
        boolean matches(MatrixEntry e) {
            return Selection.matches(globs(server), e.server().id())
                    && Selection.matches(globs(cases), e.testCase().id())
                    && Selection.matches(globs(client), e.client().id())
                    && Selection.matches(globs(transport), e.transport().id());
        }

        private static List<String> globs(String value) {
            return value == null ? List.of() : Selection.split(List.of(value));
        }
    }

    private record Document(int schemaVersion, String description, List<Rule> expectedFailures) {
    }

    private final Path source;
    private final List<Rule> rules;

    private ExpectedFailures(Path source, List<Rule> rules) {
        this.source = source;
        this.rules = List.copyOf(rules);
    }

    public static final ExpectedFailures NONE = new ExpectedFailures(null, List.of());

    /**
     * Loads the rules at {@code path}.
     *
     * @throws FixtureException if the file is unreadable or a rule lacks cases or reason
     */
    public static ExpectedFailures load(Path path) {
        Document d;
        try {
            d = Json.STRICT.readValue(Files.readAllBytes(path), Document.class);
        } catch (NoSuchFileException e) {
            throw new FixtureException("expected failures " + path + ": no such file");
        } catch (IOException e) {
            throw new FixtureException("expected failures " + path + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        for (Rule r : d.expectedFailures()) {
            if (r.cases() == null || r.reason() == null) {
                throw new FixtureException("expected failures " + path + ": every rule needs cases and reason: " + r);
            }
            if (r.kind() != null && FailureKind.find(r.kind()).isEmpty()) {
                throw new FixtureException("expected failures " + path + ": rule for " + r.server() + " " + r.cases()
                        + ": unknown kind '" + r.kind() + "' (want one of " + java.util.Arrays.stream(FailureKind.values())
                                .map(FailureKind::id).collect(java.util.stream.Collectors.joining(", ")) + ")");
            }
        }
        return new ExpectedFailures(path, d.expectedFailures());
    }

    /** Returns the file the rules came from, or null for {@link #NONE}. */
    public Path source() {
        return source;
    }

    /** Returns the reason {@code e} is expected to fail, if it is. */
    public Optional<String> reason(MatrixEntry e) {
        return rule(e).map(Rule::reason);
    }

    /** Returns the first rule that expects {@code e} to fail, if one does. */
    public Optional<Rule> rule(MatrixEntry e) {
        return rules.stream().filter(r -> r.matches(e)).findFirst();
    }
}
