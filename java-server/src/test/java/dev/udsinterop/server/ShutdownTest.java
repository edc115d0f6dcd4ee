// SPDX-License-Identifier: Apache-2.0
// ShutdownTest: a repeated signal is never lost, also when it comes before the repeat action is set.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShutdownTest {
    @Test
    void aSecondSignalBeforeTheRepeatActionIsSetRunsItWhenItIsSet() {
        Shutdown shutdown = new Shutdown();
        AtomicInteger runs = new AtomicInteger();
        shutdown.signalled("SIGTERM");
        shutdown.signalled("SIGINT");
        shutdown.onRepeat(runs::incrementAndGet);
        assertThat(runs).as("repeat action runs").hasValue(1);
        assertThat(shutdown.reason()).isEqualTo("SIGTERM");
    }

    @Test
    void aSecondSignalAfterTheRepeatActionIsSetRunsIt() {
        Shutdown shutdown = new Shutdown();
        AtomicInteger runs = new AtomicInteger();
        shutdown.signalled("SIGTERM");
        shutdown.onRepeat(runs::incrementAndGet);
        assertThat(runs).as("no repeat yet").hasValue(0);
        shutdown.signalled("SIGTERM");
        assertThat(runs).as("after the second signal").hasValue(1);
    }
}
