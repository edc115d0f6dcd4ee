// SPDX-License-Identifier: Apache-2.0
// SocatEchoServerTest: the JUnit example of docs/check-your-own-server.md, verbatim (DocsLinksTest checks it): socat as an
// echo server, checked through the public contract only.
// -t 30: socat ends a connection 0.5 s (its default -t) after the client's EOF, and a cat that is slow to start
// (64 at once on a loaded machine) then has echoed nothing yet; the other tests use socat's defaults on few connections.
package dev.udsinterop.example;

import dev.udsinterop.harness.contract.EchoServerContract;
import dev.udsinterop.harness.server.ServerSpec;

class SocatEchoServerTest implements EchoServerContract {
    @Override
    public ServerSpec server() {
        return ServerSpec.command("socat -t 30 UNIX-LISTEN:{unix},fork,unlink-early,unlink-close EXEC:cat");
    }
}
