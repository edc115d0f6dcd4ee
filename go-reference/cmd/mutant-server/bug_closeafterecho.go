// SPDX-License-Identifier: Apache-2.0
// Bug "close-after-echo": a small message that nothing follows is echoed and the connection closed, without waiting for the client's EOF.

package main

import (
	"errors"
	"io"
	"net"
	"os"
	"time"

	"udsinterop.dev/go-reference/internal/echo"
)

const (
	// smallMessage is the size below which a first read may be taken for the whole message.
	smallMessage = 2048
	// settle is how long a small first read waits for more (bytes or the client's EOF) before it is taken
	// for the whole message. Clients that write in pieces go on well within it; a client that half-closes
	// right after writing has sent its EOF by then.
	settle = time.Second
)

func init() {
	register(&bug{
		name: "close-after-echo",
		doc:  "echoes a small message that nothing follows within 1 s and closes, without waiting for the client's EOF",
		set:  func(s *echo.Server) { s.Echo = closeAfterEcho },
	})
}

// closeAfterEcho echoes correctly, except for a first read of fewer than
// smallMessage bytes after which nothing comes within settle: that is
// echoed, and the connection closed at once. A client that waits for its
// echo before it half-closes gets the server's EOF first.
func closeAfterEcho(c net.Conn) error {
	buf := make([]byte, 32<<10)
	n, err := c.Read(buf)
	if n == 0 || n >= smallMessage || err != nil {
		if _, werr := c.Write(buf[:n]); werr != nil {
			return werr
		}
		if err != nil {
			return ignoreEOF(err)
		}
		return echo.Copy(c, c)
	}
	held := append([]byte(nil), buf[:n]...)
	c.SetReadDeadline(time.Now().Add(settle))
	n, err = c.Read(buf)
	c.SetReadDeadline(time.Time{})
	if _, werr := c.Write(held); werr != nil {
		return werr
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil // the bug: taken for the whole message, closed without waiting for the client's EOF
	}
	if _, werr := c.Write(buf[:n]); werr != nil {
		return werr
	}
	if err != nil {
		return ignoreEOF(err)
	}
	return echo.Copy(c, c)
}

func ignoreEOF(err error) error {
	if err == io.EOF {
		return nil
	}
	return err
}
