// SPDX-License-Identifier: Apache-2.0
// Bug "datagram-wrong-address": each reply goes to the sender of the datagram before, while that sender is bound.

package main

import (
	"net"
	"sync"

	"udsinterop.dev/go-reference/internal/echo"
)

func init() {
	register(&bug{
		name: "datagram-wrong-address",
		doc: "sends each datagram's reply to the previous datagram's sender while that one is still bound " +
			"(one sender alone sees nothing wrong, nor a sender after the previous one has gone)",
		set: func(s *echo.Server) {
			var mu sync.Mutex
			var previous *net.UnixAddr
			s.Reply = func(c *net.UnixConn, b []byte, from *net.UnixAddr) error {
				mu.Lock()
				to := previous
				previous = from
				mu.Unlock()
				// A sender that has gone (its case ended, its socket closed) refuses the
				// reply: then the datagram's own sender gets it. So what catches the bug is
				// senders at the same time, never which case ran before.
				if to != nil && to.String() != from.String() {
					if _, err := c.WriteToUnix(b, to); err == nil {
						return nil
					}
				}
				_, err := c.WriteToUnix(b, from)
				return err
			}
		},
	})
}
