// SPDX-License-Identifier: Apache-2.0
// Bug "abstract-file": an abstract name is bound, and a socket file of that name is created too.

package main

import (
	"net"
	"path/filepath"
	"strings"

	"udsinterop.dev/go-reference/internal/echo"
	"udsinterop.dev/go-reference/internal/endpoint"
)

func init() {
	register(&bug{
		name: "abstract-file",
		doc:  "for each @name it serves, also leaves a socket file NAME beside its first socket path (as if the leading NUL were lost once)",
		set: func(s *echo.Server) {
			var dir string // of the first socket path: the harness's private directory, which it removes
			s.Bound = func(ep endpoint.Endpoint) {
				if !ep.IsAbstract() {
					if ep.IsUnix() && dir == "" {
						dir = filepath.Dir(ep.Address)
					}
					return
				}
				if dir == "" {
					return
				}
				path := filepath.Join(dir, strings.TrimPrefix(ep.Address, "@"))
				l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
				if err == nil {
					l.SetUnlinkOnClose(false) // held until the process ends, and left behind
					leaked = append(leaked, l)
				}
			}
		},
	})
}

// leaked keeps the stray listeners open.
var leaked []*net.UnixListener
