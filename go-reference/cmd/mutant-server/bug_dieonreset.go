// SPDX-License-Identifier: Apache-2.0
// Bug "die-on-reset": the first client that resets (or vanishes with echo unread) takes the whole server down.

package main

import (
	"errors"
	"net"
	"syscall"
)

func init() {
	register(&bug{
		name: "die-on-reset",
		doc:  "exits with status 1 on the first connection reset or broken pipe",
		echo: func(s *server, c net.Conn) error {
			err := echoTo(c, c)
			if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
				s.log.Fatalf("%v", err)
			}
			return err
		},
	})
}
