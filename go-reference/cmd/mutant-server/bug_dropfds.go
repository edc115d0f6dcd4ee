// SPDX-License-Identifier: Apache-2.0
// Bug "drop-fds": the bytes come back, the descriptors passed with them do not.

package main

import (
	"net"

	"udsinterop.dev/go-reference/internal/echo"
)

func init() {
	register(&bug{
		name: "drop-fds",
		doc:  "echoes the bytes with plain reads and writes, so descriptors passed with them (SCM_RIGHTS) never come back",
		set: func(s *echo.Server) {
			s.Echo = func(c net.Conn) error {
				buf := make([]byte, echo.MaxMessage) // whole seqpacket messages: only the descriptors are lost
				for {
					n, err := c.Read(buf)
					if n == 0 || err != nil {
						return nil
					}
					if _, err := c.Write(buf[:n]); err != nil {
						return err
					}
				}
			}
		},
	})
}
