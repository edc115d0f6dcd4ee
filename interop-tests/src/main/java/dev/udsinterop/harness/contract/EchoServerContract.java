// SPDX-License-Identifier: Apache-2.0
// EchoServerContract: the conformance cases as a JUnit 5 contract: implement it, say how to start your server, run your build.
package dev.udsinterop.harness.contract;

import dev.udsinterop.harness.server.ServerSpec;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks an echo server from a JUnit 5 test class, the way {@code ./uds-interop check} does
 * from the command line. The test class implements this interface and says how to start
 * the server; the inherited {@code @TestFactory} yields one dynamic test per applicable
 * case and client, named {@code client / transport / case}:
 *
 * <pre>{@code
 * class MyEchoServerTest implements EchoServerContract {
 *     @Override
 *     public ServerSpec server() {
 *         return ServerSpec.command("./my-echo-server --listen {unix}");
 *     }
 * }
 * }</pre>
 *
 * <p>A failed MUST case fails its test with the requirement and the evidence; a failed
 * SHOULD case is aborted (reported as skipped) with the warning, unless {@link
 * ContractOptions#strict()}; a case the options mark as a known failure passes while it
 * fails and fails once it passes. The cases are the jar's own, and so are the clients nc, socat
 * (when installed) and the JDK client; a built uds-interop checkout named by the system property
 * {@code uds.home} gives its manifest and adds its built clients (the Go client).
 */
public interface EchoServerContract {

    /** Returns the server under test: a command template with {@code {unix}} and/or {@code {port}}. */
    ServerSpec server();

    /** Returns which cases and clients to run, and how; override to narrow the selection or to be strict. */
    default ContractOptions options() {
        return ContractOptions.DEFAULTS;
    }

    /** The cases, one dynamic test per client / transport / case. */
    @TestFactory
    default Stream<DynamicTest> echoServerContract() {
        return ContractRun.tests(server(), options());
    }
}
