// SPDX-License-Identifier: Apache-2.0
// Bug "die-on-reset": the first client that resets (or vanishes with echo unread) takes the whole server down.

package main

import (
	"errors"
	"net"
	"syscall"

	"udsinterop.dev/go-reference/internal/echo"
)

func init() {
	register(&bug{
		name: "die-on-reset",
		doc:  "exits with status 1 on the first connection reset or broken pipe",
		set: func(s *echo.Server) {
			s.Echo = func(c net.Conn) error {
				err := echo.Copy(c, c)
				if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
					s.Log.Fatalf("%v", err)
				}
				return err
			}
		},
	})
}
