// SPDX-License-Identifier: Apache-2.0
// EchoServerContractTest: the uds-interop contract run against this project's EchoServer, started from the test.
package com.example.echo;

import dev.udsinterop.harness.contract.EchoServerContract;
import dev.udsinterop.harness.server.ServerSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * One dynamic test per case and client ({@code java / unix / echo.empty}, ...). The server runs as its own
 * process, started for each case by the harness: this JVM's java with this project's compiled classes.
 */
class EchoServerContractTest implements EchoServerContract {
    @Override
    public ServerSpec server() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes = Path.of("target", "classes").toAbsolutePath().toString();
        return ServerSpec.of("example-echo", "the example project's EchoServer",
                List.of(java, "-cp", classes, EchoServer.class.getName(), "--unix", ServerSpec.UNIX));
    }
}
