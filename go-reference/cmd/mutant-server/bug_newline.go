// SPDX-License-Identifier: Apache-2.0
// Bug "newline": every echo gets a newline appended (a line-oriented writer where a byte stream belongs).

package main

import (
	"fmt"
	"net"

	"udsinterop.dev/go-reference/internal/echo"
)

func init() {
	register(&bug{
		name: "newline",
		doc:  "appends a newline to the echo of every read",
		set: func(s *echo.Server) {
			s.Echo = func(c net.Conn) error { return echo.Copy(lineWriter{c}, c) }
		},
	})
}

type lineWriter struct{ c net.Conn }

func (l lineWriter) Write(p []byte) (int, error) {
	if _, err := fmt.Fprintf(l.c, "%s\n", p); err != nil {
		return 0, err
	}
	return len(p), nil
}
