// SPDX-License-Identifier: Apache-2.0
// TcpTableTest: one reading of the TCP tables serves all who ask at once, and a reading is never older than the asking.
package dev.udsinterop.harness.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TcpTableTest {
    private static final long PID = ProcessHandle.current().pid();

    @Test
    void sixteenCallersAtOnceShareTwoReadingsNotSixteen() throws Exception {
        TcpTable table = new TcpTable();
        CountDownLatch othersQueued = new CountDownLatch(1);
        AtomicInteger readingNumber = new AtomicInteger();
        TcpTable.Reader reader = () -> {
            int n = readingNumber.incrementAndGet();
            if (n == 1) { // hold the first reading until the other 15 have asked and wait behind it
                try {
                    assertThat(othersQueued.await(30, TimeUnit.SECONDS)).as("the other callers queued").isTrue();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
            }
            return Map.of("reading", Integer.toString(n));
        };
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            Future<Map<String, String>> first = pool.submit(() -> table.states(reader));
            await().atMost(Duration.ofSeconds(30)).until(() -> readingNumber.get() == 1);
            List<Future<Map<String, String>>> others = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                others.add(pool.submit(() -> table.states(reader)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> table.waiting() == 15);
            othersQueued.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).containsEntry("reading", "1");
            for (Future<Map<String, String>> f : others) {
                // they asked after the first reading started: only the second is fresh enough for them
                assertThat(f.get(30, TimeUnit.SECONDS)).containsEntry("reading", "2");
            }
        }
        assertThat(table.readings()).isEqualTo(2);
    }

    @Test
    void aCallerAfterAReadingGetsANewOne() throws Exception {
        TcpTable table = new TcpTable();
        AtomicInteger readingNumber = new AtomicInteger();
        TcpTable.Reader reader = () -> Map.of("reading", Integer.toString(readingNumber.incrementAndGet()));
        assertThat(table.states(reader)).containsEntry("reading", "1");
        assertThat(table.states(reader)).containsEntry("reading", "2");
        assertThat(table.readings()).isEqualTo(2);
    }

    @Test
    void keepsTheStateOfSocketsWithAnInodeAndSkipsTimeWait() {
        Map<String, String> states = new HashMap<>();
        TcpTable.parse("   0: 0100007F:8AC7 0100007F:9C47 08 00000000:00000000 00:00000000 00000000     0        0 "
                + "123456 1 0000000000000000 20 4 30 10 -1", states);
        TcpTable.parse("   1: 0100007F:B80B 0100007F:B4CD 06 00000000:00000000 03:00000A1D 00000000     0        0 "
                + "0 3 0000000000000000", states);
        TcpTable.parse("   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 "
                + "98765 1 0000000000000000 100 0 0 10 0", states);
        TcpTable.parse("", states);
        assertThat(states).isEqualTo(Map.of("123456", "08", "98765", "0A"));
    }

    @Test
    void readsTheStatesOfThisProcesssConnections() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
             Socket accepted = listener.accept()) {
            assertThat(ProcFs.socketStates(PID)).contains("0A", "01"); // LISTEN, ESTABLISHED
            accepted.close();
            InputStream in = client.getInputStream();
            assertThat(in.read()).isEqualTo(-1); // the FIN is in
            assertThat(ProcFs.socketStates(PID)).contains("08"); // CLOSE_WAIT
        }
    }
}
