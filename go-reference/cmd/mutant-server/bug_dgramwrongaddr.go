// SPDX-License-Identifier: Apache-2.0
// Bug "datagram-wrong-address": each reply goes to the sender of the datagram before.

package main

import (
	"net"
	"sync"

	"udsinterop.dev/go-reference/internal/echo"
)

func init() {
	register(&bug{
		name: "datagram-wrong-address",
		doc:  "sends each datagram's reply to the previous datagram's sender (one sender alone sees nothing wrong)",
		set: func(s *echo.Server) {
			var mu sync.Mutex
			var previous *net.UnixAddr
			s.Reply = func(c *net.UnixConn, b []byte, from *net.UnixAddr) error {
				mu.Lock()
				to := previous
				if to == nil {
					to = from
				}
				previous = from
				mu.Unlock()
				_, err := c.WriteToUnix(b, to)
				return err
			}
		},
	})
}
