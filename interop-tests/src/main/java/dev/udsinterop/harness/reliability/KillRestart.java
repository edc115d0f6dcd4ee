// SPDX-License-Identifier: Apache-2.0
// KillRestart: kill -9 the server and start it again on the same path, many times: it always comes back.
package dev.udsinterop.harness.reliability;

import dev.udsinterop.harness.report.ReliabilityResult;
import dev.udsinterop.harness.server.RunningServer;
import java.nio.file.Path;
import java.util.Arrays;

/** SIGKILL leaves a stale socket file; each new server must replace it and serve. */
final class KillRestart implements Trial {
    @Override
    public String name() {
        return "kill-restart";
    }

    @Override
    public ReliabilityResult run(ReliabilityContext context) throws Exception {
        int rounds = context.quick() ? 5 : 20;
        Path socket = context.dir().resolve("restart.sock");
        long start = System.nanoTime();
        int back = 0;
        String problem = "";
        for (int i = 0; i < rounds; i++) {
            try (RunningServer server = context.startJava(socket)) {
                byte[] payload = ("round " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                if (Arrays.equals(ReliabilityContext.echo(socket, payload), payload)) {
                    back++;
                }
                server.signal("KILL");
                server.exitStatus(ReliabilityContext.EXIT_TIMEOUT);
            } catch (RuntimeException | java.io.IOException e) {
                problem = "; round " + i + ": " + e.getMessage();
                break;
            }
        }
        return new ReliabilityResult(name(), "kill -9 and restart on the same path " + rounds + " times",
                "java", rounds, back, 0, null, (System.nanoTime() - start) / 1_000_000,
                back == rounds ? ReliabilityResult.PASS : ReliabilityResult.FAIL,
                back + " of " + rounds + " restarts served an echo" + problem);
    }
}
