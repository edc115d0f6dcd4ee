// SPDX-License-Identifier: Apache-2.0
// Bug "no-eof": after the client half-closes, the server never closes its side: the client waits for an EOF that never comes.

package main

import "net"

func init() {
	register(&bug{
		name: "no-eof",
		doc:  "never sends EOF: after the client half-closes it keeps the connection open until shutdown",
		echo: func(s *server, c net.Conn) error {
			if err := echoTo(c, c); err != nil {
				return err
			}
			<-s.cut
			return nil
		},
	})
}
