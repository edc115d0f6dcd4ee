// SPDX-License-Identifier: Apache-2.0
// Bug "no-eof": after the client half-closes, the server never closes its side: the client waits for an EOF that never comes.

package main

import (
	"net"
	"os"
	"sync"

	"udsinterop.dev/go-reference/internal/echo"
)

// held keeps a duplicate of each finished connection's descriptor, so that
// closing the connection sends no EOF; they go only when the process exits.
var held struct {
	sync.Mutex
	files []*os.File
}

func init() {
	register(&bug{
		name: "no-eof",
		doc:  "never sends EOF: after the client half-closes it keeps the connection open (until it exits)",
		set:  func(s *echo.Server) { s.Echo = noEOF },
	})
}

// noEOF echoes until the client's EOF, then keeps a duplicate of c's descriptor.
func noEOF(c net.Conn) error {
	if err := echo.Copy(c, c); err != nil {
		return err
	}
	f, err := c.(interface{ File() (*os.File, error) }).File()
	if err != nil {
		return err
	}
	held.Lock()
	held.files = append(held.files, f)
	held.Unlock()
	return nil
}
