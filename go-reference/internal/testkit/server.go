// SPDX-License-Identifier: Apache-2.0
// Test support: in-test servers, a correct echo and deliberately broken ones.

package testkit

import (
	"io"
	"net"
	"path/filepath"
	"testing"
)

// A Handler serves one connection; the server closes it afterwards.
type Handler func(c net.Conn)

// Echo is a correct echo: it copies until the client's EOF, then half-closes.
func Echo(c net.Conn) {
	io.Copy(c, c)
	c.(interface{ CloseWrite() error }).CloseWrite()
}

// ReadOnce is the seed's bug without its crash: one read of up to 4096 bytes,
// echoed, then close.
func ReadOnce(c net.Conn) {
	buf := make([]byte, 4096)
	n, _ := c.Read(buf)
	c.Write(buf[:n])
}

// Serve runs h for every connection on a new listener on network, "unix"
// (in a short temp dir) or "tcp" (on 127.0.0.1), and returns its address.
// The listener is closed when the test ends.
func Serve(t testing.TB, network string, h Handler) string {
	t.Helper()
	addr := "127.0.0.1:0"
	if network == "unix" {
		addr = filepath.Join(TempDir(t), "echo.sock")
	}
	l, err := net.Listen(network, addr)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				h(c)
			}()
		}
	}()
	return l.Addr().String()
}
