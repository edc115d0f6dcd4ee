// SPDX-License-Identifier: Apache-2.0
// Bug "merge-messages": on a seqpacket connection every two messages come back as one.

package main

import (
	"net"

	"udsinterop.dev/go-reference/internal/echo"
)

func init() {
	register(&bug{
		name: "merge-messages",
		doc:  "echoes every two seqpacket messages as one message (a stream's habit); streams are echoed correctly",
		set: func(s *echo.Server) {
			s.Echo = func(c net.Conn) error {
				if c.LocalAddr().Network() != "unixpacket" {
					return echo.Correct(c)
				}
				return mergePairs(c)
			}
		},
	})
}

// mergePairs holds each odd message until the next arrives, then sends both
// as one; a last odd message goes alone at EOF.
func mergePairs(c net.Conn) error {
	buf := make([]byte, echo.MaxMessage)
	var held []byte
	for {
		n, err := c.Read(buf)
		if n == 0 || err != nil {
			if len(held) > 0 {
				if _, werr := c.Write(held); werr != nil {
					return werr
				}
			}
			return nil
		}
		if held == nil {
			held = append([]byte{}, buf[:n]...)
			continue
		}
		if _, err := c.Write(append(held, buf[:n]...)); err != nil {
			return err
		}
		held = nil
	}
}
