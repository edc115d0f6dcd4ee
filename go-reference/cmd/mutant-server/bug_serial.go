// SPDX-License-Identifier: Apache-2.0
// Bug "serial": one client at a time; the others wait, connected, until it has gone.

package main

import (
	"net"

	"udsinterop.dev/go-reference/internal/echo"
)

func init() {
	register(&bug{
		name: "serial",
		doc:  "serves one client at a time: the next waits until the current one has closed",
		set: func(s *echo.Server) {
			turn := make(chan struct{}, 1) // held by the connection being served
			s.Echo = func(c net.Conn) error {
				turn <- struct{}{}
				defer func() { <-turn }()
				return echo.Copy(c, c)
			}
		},
	})
}
