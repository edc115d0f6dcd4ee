// SPDX-License-Identifier: Apache-2.0
// Bug "datagram-drop": every 100th datagram gets no reply.

package main

import (
	"net"
	"sync/atomic"

	"udsinterop.dev/go-reference/internal/echo"
)

func init() {
	register(&bug{
		name: "datagram-drop",
		doc:  "answers 99 datagrams in 100: every 100th is dropped without a reply",
		set: func(s *echo.Server) {
			var n atomic.Int64
			s.Reply = func(c *net.UnixConn, b []byte, from *net.UnixAddr) error {
				if n.Add(1)%100 == 0 {
					return nil
				}
				_, err := c.WriteToUnix(b, from)
				return err
			}
		},
	})
}
