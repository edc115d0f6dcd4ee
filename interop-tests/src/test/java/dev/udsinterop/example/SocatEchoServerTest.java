// SPDX-License-Identifier: Apache-2.0
// SocatEchoServerTest: the README's JUnit example, verbatim: socat as an echo server, checked through the public contract only.
package dev.udsinterop.example;

import dev.udsinterop.harness.contract.EchoServerContract;
import dev.udsinterop.harness.server.ServerSpec;

class SocatEchoServerTest implements EchoServerContract {
    @Override
    public ServerSpec server() {
        return ServerSpec.command("socat UNIX-LISTEN:{unix},fork,unlink-early,unlink-close EXEC:cat");
    }
}
