// SPDX-License-Identifier: Apache-2.0
// Bug "close-early": when the client half-closes, the server closes at once, dropping the echo it has not sent yet.

package main

import (
	"net"
	"time"

	"udsinterop.dev/go-reference/internal/echo"
)

// flushAfter is how long the echo of a read may wait for the next read before it is sent anyway.
const flushAfter = time.Second

func init() {
	register(&bug{
		name: "close-early",
		doc:  "closes as soon as the client half-closes, dropping the echo it still holds (it holds each read until the next one or 1 s)",
		set:  func(s *echo.Server) { s.Echo = closeEarly },
	})
}

// closeEarly sends each read's echo only when the next read arrives, or
// after flushAfter without one; at the client's EOF it closes, and the echo
// it still holds is lost.
func closeEarly(c net.Conn) error {
	reads := make(chan []byte)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(reads)
		buf := make([]byte, 32<<10)
		for {
			n, err := c.Read(buf)
			if n > 0 {
				select {
				case reads <- append([]byte(nil), buf[:n]...):
				case <-done:
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	var held []byte
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		select {
		case p, ok := <-reads:
			if !ok {
				return nil // the bug: held is never written
			}
			if held != nil {
				if _, err := c.Write(held); err != nil {
					return err
				}
			}
			held = p
			timer.Reset(flushAfter)
		case <-timer.C:
			if held != nil {
				if _, err := c.Write(held); err != nil {
					return err
				}
				held = nil
			}
		}
	}
}
