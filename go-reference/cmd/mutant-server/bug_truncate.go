// SPDX-License-Identifier: Apache-2.0
// Bug "truncate": one read of at most 4096 bytes is echoed, then the connection is closed (the seed's bug).

package main

import (
	"net"

	"udsinterop.dev/go-reference/internal/echo"
)

func init() {
	register(&bug{
		name: "truncate",
		doc:  "echoes one read of at most 4096 bytes, then closes",
		set:  func(s *echo.Server) { s.Echo = truncate },
	})
}

// truncate echoes one read, then returns.
func truncate(c net.Conn) error {
	buf := make([]byte, 4096)
	n, _ := c.Read(buf)
	_, err := c.Write(buf[:n])
	return err
}
