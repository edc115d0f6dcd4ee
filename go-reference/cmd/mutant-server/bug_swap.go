// SPDX-License-Identifier: Apache-2.0
// Bug "swap-chunks": the echo of bytes 4096-8191 and of bytes 8192-12287 of a connection change places.

package main

import (
	"net"

	"udsinterop.dev/go-reference/internal/echo"
)

const swapBlock = 4096

func init() {
	register(&bug{
		name: "swap-chunks",
		doc:  "swaps two chunks: bytes 4096-8191 and 8192-12287 of a connection come back in the wrong order",
		set: func(s *echo.Server) {
			s.Echo = func(c net.Conn) error {
				w := &swapWriter{w: c}
				if err := echo.Copy(w, c); err != nil {
					return err
				}
				return w.flush()
			}
		},
	})
}

// A swapWriter holds bytes [swapBlock, 3*swapBlock) of the stream until it
// has both blocks, then writes the second before the first. A stream that
// ends before that gets the held bytes in order.
type swapWriter struct {
	w    net.Conn
	off  int
	held []byte
}

func (s *swapWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		switch {
		case s.off < swapBlock || s.off >= 3*swapBlock:
			k := len(p)
			if s.off < swapBlock && s.off+k > swapBlock {
				k = swapBlock - s.off
			}
			if _, err := s.w.Write(p[:k]); err != nil {
				return 0, err
			}
			s.off += k
			p = p[k:]
		default:
			k := 3*swapBlock - s.off
			if k > len(p) {
				k = len(p)
			}
			s.held = append(s.held, p[:k]...)
			s.off += k
			p = p[k:]
			if s.off == 3*swapBlock {
				if _, err := s.w.Write(append(s.held[swapBlock:], s.held[:swapBlock]...)); err != nil {
					return 0, err
				}
				s.held = nil
			}
		}
	}
	return n, nil
}

func (s *swapWriter) flush() error {
	if len(s.held) == 0 {
		return nil
	}
	_, err := s.w.Write(s.held)
	s.held = nil
	return err
}
