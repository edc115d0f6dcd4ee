// SPDX-License-Identifier: Apache-2.0
// Bug "keep-socket": on SIGTERM or SIGINT the server exits 0 but never removes its socket file.

package main

import (
	"net"

	"udsinterop.dev/go-reference/internal/echo"
)

func init() {
	register(&bug{
		name: "keep-socket",
		doc:  "never removes its socket file when it stops",
		set: func(s *echo.Server) {
			s.CloseListener = func(l net.Listener) error {
				if ul, ok := l.(*net.UnixListener); ok {
					ul.SetUnlinkOnClose(false)
				}
				return l.Close()
			}
		},
	})
}
