// SPDX-License-Identifier: Apache-2.0
// The mutant's server: a correct echo server whose connection handling a bug may replace.

package main

import (
	"errors"
	"io"
	"log"
	"net"
	"os"
	"sync"
	"time"
)

// A bug is one deliberate defect, defined in its own file and registered in bugs.
type bug struct {
	name string
	doc  string // what it does wrong, one line
	// echo serves one connection, which the server closes afterwards; nil for the correct echo.
	echo func(s *server, c net.Conn) error
	// serial serves one connection at a time.
	serial bool
	// keepSocket leaves the socket files behind when the server stops.
	keepSocket bool
}

// bugs holds every bug by name; each bug file adds itself in an init function.
var bugs = map[string]*bug{}

func register(b *bug) { bugs[b.name] = b }

// A server echoes on its listeners, with its bug, until shutdown.
type server struct {
	bug       *bug
	log       *log.Logger
	listeners []net.Listener
	accepting sync.WaitGroup
	turn      chan struct{} // held by the connection being served, for a serial bug
	cut       chan struct{} // closed when shutdown cuts the remaining connections

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	active sync.WaitGroup
}

func newServer(b *bug, logger *log.Logger) *server {
	return &server{bug: b, log: logger, turn: make(chan struct{}, 1), cut: make(chan struct{}), conns: make(map[net.Conn]struct{})}
}

func (s *server) serve() {
	for _, l := range s.listeners {
		s.accepting.Add(1)
		go s.accept(l)
	}
}

func (s *server) accept(l net.Listener) {
	defer s.accepting.Done()
	for {
		c, err := l.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			s.log.Printf("%v; retrying", err)
			time.Sleep(10 * time.Millisecond) // out of descriptors: give connections time to end
			continue
		}
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.active.Add(1)
		s.mu.Unlock()
		go s.handle(c)
	}
}

func (s *server) handle(c net.Conn) {
	defer func() {
		c.Close()
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		s.active.Done()
	}()
	if s.bug.serial {
		s.turn <- struct{}{}
		defer func() { <-s.turn }()
	}
	serve := s.bug.echo
	if serve == nil {
		serve = func(_ *server, c net.Conn) error { return echoTo(c, c) }
	}
	if err := serve(s, c); err != nil && !errors.Is(err, net.ErrClosed) {
		s.log.Printf("%v", err)
	}
}

// echoTo copies what c sends to w, one write per read, until c's EOF.
func echoTo(c net.Conn, w io.Writer) error {
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func (s *server) closeListeners() {
	for _, l := range s.listeners {
		l.Close()
	}
}

// shutdown stops accepting, lets open connections finish for up to grace
// (less if another signal comes), then cuts the rest.
func (s *server) shutdown(grace time.Duration, more <-chan os.Signal) {
	s.closeListeners()
	s.accepting.Wait()
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
	case <-more:
	}
	close(s.cut)
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	<-done
}
