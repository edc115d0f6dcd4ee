// SPDX-License-Identifier: Apache-2.0
// The server: accept loops, one echo goroutine per connection, and graceful shutdown.

package main

import (
	"errors"
	"io"
	"log"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// bufferSize is the size of each connection's copy buffer.
const bufferSize = 32 << 10

// A server echoes on its listeners until shutdown.
type server struct {
	log       *log.Logger
	listeners []net.Listener
	accepting sync.WaitGroup // the accept loops
	fatal     chan error     // an accept error the server cannot go on after

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	nextID uint64
	active sync.WaitGroup // the connections; Add only in accept loops
}

func newServer(logger *log.Logger) *server {
	return &server{log: logger, fatal: make(chan error, 1), conns: make(map[net.Conn]struct{})}
}

// serve starts an accept loop on each listener. The returned channel
// receives the first error that stops one of them.
func (s *server) serve() <-chan error {
	for _, l := range s.listeners {
		s.accepting.Add(1)
		go s.accept(l)
	}
	return s.fatal
}

// accept accepts connections on l until l is closed. It waits and retries
// when the process runs out of descriptors or memory, as net/http does.
func (s *server) accept(l net.Listener) {
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
					s.log.Printf("%v; retrying", err)
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
		go s.echo(c, id)
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

// echo writes back everything c sends until c's EOF, then closes c. Every
// write completes before the next read, so at EOF nothing is left to send.
// An error ends only this connection, and is logged once.
func (s *server) echo(c net.Conn, id uint64) {
	defer s.forget(c)
	buf := make([]byte, bufferSize)
	for {
		n, rerr := c.Read(buf)
		if n > 0 {
			if _, err := c.Write(buf[:n]); err != nil {
				s.logConnError(id, err)
				return
			}
		}
		if rerr == io.EOF {
			return
		}
		if rerr != nil {
			s.logConnError(id, rerr)
			return
		}
	}
}

func (s *server) logConnError(id uint64, err error) {
	if errors.Is(err, net.ErrClosed) {
		return // closed by shutdown, which has said so
	}
	s.log.Printf("connection %d: %v", id, err)
}

func (s *server) forget(c net.Conn) {
	c.Close()
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.active.Done()
}

// open returns the number of open connections.
func (s *server) open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// closeListeners stops accepting. Closing a unix listener unlinks its socket file.
func (s *server) closeListeners() {
	for _, l := range s.listeners {
		if err := l.Close(); err != nil {
			s.log.Printf("%v", err)
		}
	}
}

// shutdown stops accepting, waits up to grace for the open connections to
// finish, or less if a value arrives on more, then closes the remaining ones
// and waits for their goroutines. It logs why, and how many connections are open.
func (s *server) shutdown(why string, grace time.Duration, more <-chan os.Signal) {
	s.closeListeners()
	s.accepting.Wait()
	s.log.Printf("%s: shutting down: %d connections open", why, s.open())
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
		s.log.Printf("grace period of %v over: closing %d connections", grace, s.open())
	case sig := <-more:
		s.log.Printf("%s again: closing %d connections now", signalName(sig), s.open())
	}
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	<-done
}
