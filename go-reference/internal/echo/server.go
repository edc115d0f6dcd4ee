// SPDX-License-Identifier: Apache-2.0
// The echo server: listeners, accept loops, one echo goroutine per connection, graceful shutdown, and its hooks.

// Package echo is the echo server of the conformance contract: every byte a
// client sends comes back, in order, until the client's EOF; then the server
// closes the connection. On a seqpacket connection each message comes back as
// one message; on a datagram socket each datagram goes back to its sender.
// Descriptors that arrive with bytes on a unix stream or seqpacket connection
// (SCM_RIGHTS) go back with the echo of those bytes, and are then closed.
// Echo-server runs it as it is; mutant-server runs it with one of its hooks
// set to a deliberate bug, so that everything else a mutant does is the
// correct server's.
package echo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"udsinterop.dev/go-reference/internal/endpoint"
)

// bufferSize is the size of each connection's copy buffer.
const bufferSize = 32 << 10

// A Server echoes on its listeners until it shuts down. Its hooks are nil in
// the correct server; set them, and Log, before Listen.
type Server struct {
	// Log receives what the server reports: stale sockets it replaced,
	// connection and accept errors, shutdown. Nil means the log package's
	// standard logger.
	Log *log.Logger

	// Echo serves the connection c and returns nil at the client's EOF, or
	// the error that ended the connection, which the server logs. The server
	// closes c when Echo returns. Nil means CopyMessages(c) on a unix
	// connection, stream or seqpacket, and Copy(c, c) on TCP: the correct echo.
	Echo func(c net.Conn) error

	// Reply sends the datagram b, received on c, back to from, its sender.
	// Nil means c.WriteToUnix(b, from), the correct reply.
	Reply func(c *net.UnixConn, b []byte, from *net.UnixAddr) error

	// Bound is told each endpoint once it is bound, before the ready lines.
	// Nil means nothing more to do.
	Bound func(ep endpoint.Endpoint)

	// CloseListener stops l accepting, at shutdown or when the server
	// cannot start. Nil means l.Close(), which also removes the socket file
	// of a unix listener.
	CloseListener func(l net.Listener) error

	listeners []net.Listener
	datagrams []*datagramSocket
	ready     []string       // the ready lines, in the order of the endpoints
	accepting sync.WaitGroup // the accept loops and the datagram loops
	fatal     chan error     // an accept error the server cannot go on after

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	nextID uint64
	active sync.WaitGroup // the connections; Add only in accept loops
}

// Listen listens on each of eps in turn, socket files with the permission
// bits mode, as endpoint.Listen and endpoint.ListenDatagram do. If one fails
// it closes those it has opened and returns the error.
func (s *Server) Listen(eps endpoint.List, mode os.FileMode) error {
	for _, ep := range eps {
		var a net.Addr
		if ep.Network == "unixgram" {
			c, err := endpoint.ListenDatagram(ep.Address, mode, s.logf)
			if err != nil {
				s.closeListeners()
				return err
			}
			s.datagrams = append(s.datagrams, &datagramSocket{conn: c, address: ep.Address})
			a = c.LocalAddr()
		} else {
			l, err := endpoint.Listen(ep, mode, s.logf)
			if err != nil {
				s.closeListeners()
				return err
			}
			s.listeners = append(s.listeners, l)
			a = l.Addr()
		}
		s.ready = append(s.ready, endpoint.ReadyLine(a))
		if s.Bound != nil {
			s.Bound(ep)
		}
	}
	return nil
}

// Run writes one ready line per socket that Listen opened to stdout (see
// endpoint.ReadyLine), all at once, and serves on them until a value arrives
// on signals, or until an accept error the server cannot go on after.
//
// After a signal it stops accepting (which removes the socket files), lets
// the open connections finish for up to grace, or less if another signal
// arrives, closes the rest and returns nil. After an accept error it closes
// everything at once and returns the error. Either way it has logged why.
func (s *Server) Run(stdout io.Writer, grace time.Duration, signals <-chan os.Signal) error {
	var ready bytes.Buffer
	for _, line := range s.ready {
		fmt.Fprintln(&ready, line)
	}
	if _, err := stdout.Write(ready.Bytes()); err != nil {
		s.logf("writing the ready lines: %v", err)
	}
	s.fatal = make(chan error, 1)
	s.conns = make(map[net.Conn]struct{})
	for _, l := range s.listeners {
		s.accepting.Add(1)
		go s.accept(l)
	}
	for _, d := range s.datagrams {
		s.accepting.Add(1)
		go s.serveDatagrams(d)
	}
	select {
	case sig := <-signals:
		s.shutdown(signalName(sig), grace, signals)
		return nil
	case err := <-s.fatal:
		s.shutdown(err.Error(), 0, nil)
		return err
	}
}

// accept accepts connections on l until l is closed. It waits and retries
// when the process runs out of descriptors or memory, as net/http does.
func (s *Server) accept(l net.Listener) {
	defer s.accepting.Done()
	var delay time.Duration
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if temporary(err) {
				if delay == 0 {
					delay = 5 * time.Millisecond
					s.logf("%v; retrying", err)
				} else if delay *= 2; delay > time.Second {
					delay = time.Second
				}
				time.Sleep(delay)
				continue
			}
			select {
			case s.fatal <- err:
			default:
			}
			return
		}
		delay = 0
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.nextID++
		id := s.nextID
		s.active.Add(1)
		s.mu.Unlock()
		go s.serve(c, id)
	}
}

func temporary(err error) bool {
	for _, errno := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM, syscall.ECONNABORTED} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}

// serve runs the echo on c, then closes c. An error ends only this
// connection, and is logged once.
func (s *Server) serve(c net.Conn, id uint64) {
	defer s.forget(c)
	echo := s.Echo
	if echo == nil {
		echo = Correct
	}
	if err := echo(c); err != nil && !errors.Is(err, net.ErrClosed) { // closed by shutdown, which has said so
		s.logf("connection %d: %v", id, err)
	}
}

// Correct is the correct echo of c: CopyMessages(c) for a unix connection,
// which keeps the boundaries of seqpacket messages and echoes descriptors,
// and Copy(c, c) for any other.
func Correct(c net.Conn) error {
	if uc, ok := c.(*net.UnixConn); ok {
		return CopyMessages(uc)
	}
	return Copy(c, c)
}

// Copy writes to dst what each read from src returns, until src's EOF, and
// returns nil then, or the first error. Every write completes before the
// next read, so at EOF nothing is left to send. Copy(c, c) is the correct echo.
func Copy(dst io.Writer, src io.Reader) error {
	buf := make([]byte, bufferSize)
	for {
		n, rerr := src.Read(buf)
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
}

func (s *Server) forget(c net.Conn) {
	c.Close()
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.active.Done()
}

// open returns the number of open connections.
func (s *Server) open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// closeListeners stops accepting, with CloseListener, and closes the
// datagram sockets, removing their files.
func (s *Server) closeListeners() {
	closeListener := s.CloseListener
	if closeListener == nil {
		closeListener = net.Listener.Close
	}
	for _, l := range s.listeners {
		if err := closeListener(l); err != nil {
			s.logf("%v", err)
		}
	}
	for _, d := range s.datagrams {
		if err := d.close(); err != nil {
			s.logf("%v", err)
		}
	}
}

// shutdown stops accepting, waits up to grace for the open connections to
// finish, or less if a value arrives on more, then closes the remaining ones
// and waits for their goroutines. It logs why, and how many connections are open.
func (s *Server) shutdown(why string, grace time.Duration, more <-chan os.Signal) {
	s.closeListeners()
	s.accepting.Wait()
	s.logf("%s: shutting down: %d connections open", why, s.open())
	done := make(chan struct{})
	go func() {
		s.active.Wait()
		close(done)
	}()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-done:
		return
	case <-timer.C:
		s.logf("grace period of %v over: closing %d connections", grace, s.open())
	case sig := <-more:
		s.logf("%s again: closing %d connections now", signalName(sig), s.open())
	}
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	<-done
}

func (s *Server) logf(format string, args ...interface{}) {
	if s.Log == nil {
		log.Printf(format, args...)
		return
	}
	s.Log.Printf(format, args...)
}

// signalName returns the conventional name of sig, such as SIGTERM.
func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGINT:
		return "SIGINT"
	}
	return sig.String()
}
