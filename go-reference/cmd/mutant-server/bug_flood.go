// SPDX-License-Identifier: Apache-2.0
// Bug "flood": after the echo, when the client half-closes, the server keeps writing instead of closing.

package main

import (
	"bytes"
	"net"

	"udsinterop.dev/go-reference/internal/echo"
)

func init() {
	register(&bug{
		name: "flood",
		doc:  "keeps writing after the echo: floods the client that half-closed until it goes away",
		set:  func(s *echo.Server) { s.Echo = flood },
	})
}

// flood echoes until the client's EOF, then writes junk until the client has gone.
func flood(c net.Conn) error {
	if err := echo.Copy(c, c); err != nil {
		return err
	}
	junk := bytes.Repeat([]byte("flood! "), 4096)
	for {
		if _, err := c.Write(junk); err != nil {
			return nil // the client has gone: the only way this ends
		}
	}
}
