// SPDX-License-Identifier: Apache-2.0
// Bug "drop-byte": the byte at offset 40000 of each connection's stream is not echoed.

package main

import (
	"net"

	"udsinterop.dev/go-reference/internal/echo"
)

// dropAt is the offset of the lost byte: inside every payload of 64 KiB and more.
const dropAt = 40000

func init() {
	register(&bug{
		name: "drop-byte",
		doc:  "drops the byte at offset 40000 of a connection (large payloads lose one byte in the middle)",
		set: func(s *echo.Server) {
			s.Echo = func(c net.Conn) error { return echo.Copy(&dropWriter{w: c}, c) }
		},
	})
}

// A dropWriter passes everything on but the byte at offset dropAt.
type dropWriter struct {
	w   net.Conn
	off int64
}

func (d *dropWriter) Write(p []byte) (int, error) {
	start := d.off
	d.off += int64(len(p))
	if start <= dropAt && dropAt < d.off {
		i := dropAt - start
		if _, err := d.w.Write(p[:i]); err != nil {
			return 0, err
		}
		_, err := d.w.Write(p[i+1:])
		return len(p), err
	}
	return d.w.Write(p)
}
