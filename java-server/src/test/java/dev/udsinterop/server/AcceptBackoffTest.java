// SPDX-License-Identifier: Apache-2.0
// AcceptBackoffTest: the accept back-off doubles once per failed round, up to 1 s, and starts over after an accept that worked.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AcceptBackoffTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AcceptBackoff backoff = new AcceptBackoff();

    @Test
    void twoListenersFailingInOneRoundPauseOnceForTheFirstDelay() {
        boolean first = backoff.failed(0);
        boolean second = backoff.failed(0);
        assertThat(backoff.nanosToResume(0)).as("pause after one round in which two listeners failed").isEqualTo(5 * MS);
        assertThat(first).as("the first listener's failure pauses accepting").isTrue();
        assertThat(second).as("the second listener's failure in the same round pauses it again").isFalse();
        assertThat(backoff.resumeDue(5 * MS)).isTrue();
        backoff.failed(5 * MS);
        backoff.failed(5 * MS);
        assertThat(backoff.nanosToResume(5 * MS)).as("pause after two failed rounds").isEqualTo(10 * MS);
    }

    @Test
    void eachFailedRoundDoublesThePauseUpToOneSecond() {
        long now = 0;
        long[] pauses = new long[10];
        for (int i = 0; i < pauses.length; i++) {
            backoff.failed(now);
            pauses[i] = backoff.nanosToResume(now) / MS;
            now += pauses[i] * MS;
            assertThat(backoff.resumeDue(now)).as("due after its pause").isTrue();
        }
        assertThat(pauses).containsExactly(5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000);
    }

    @Test
    void anAcceptThatWorkedStartsOverAtTheFirstDelay() {
        backoff.failed(0);
        backoff.resumeDue(5 * MS);
        backoff.failed(5 * MS);
        backoff.resumeDue(15 * MS);
        backoff.succeeded();
        backoff.failed(20 * MS);
        assertThat(backoff.nanosToResume(20 * MS)).isEqualTo(5 * MS);
    }

    @Test
    void theResumeIsDueOnceAndNotBeforeThePauseIsOver() {
        assertThat(backoff.nanosToResume(0)).as("not paused").isEqualTo(-1);
        backoff.failed(0);
        assertThat(backoff.resumeDue(4 * MS)).as("before the pause is over").isFalse();
        assertThat(backoff.resumeDue(5 * MS)).isTrue();
        assertThat(backoff.resumeDue(6 * MS)).as("a second time").isFalse();
        assertThat(backoff.nanosToResume(6 * MS)).as("accepting again").isEqualTo(-1);
    }

    @Test
    void aFreedDescriptorEndsThePauseNow() {
        backoff.failed(0);
        backoff.descriptorFreed();
        assertThat(backoff.nanosToResume(MS)).isZero();
        assertThat(backoff.resumeDue(MS)).isTrue();
    }
}
