// SPDX-License-Identifier: Apache-2.0
// Tests of interop-client on seqpacket and datagram sockets, abstract names and passed descriptors, against the echo server and broken ones.

package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"udsinterop.dev/go-reference/internal/echo"
	"udsinterop.dev/go-reference/internal/endpoint"
	"udsinterop.dev/go-reference/internal/fixture"
	"udsinterop.dev/go-reference/internal/testkit"
)


// serveAll runs s on a path and an abstract name for each kind of unix
// socket, until the test ends, and returns where each case must connect.
func serveAll(t *testing.T, s *echo.Server) func(c *fixture.Case) endpoint.Endpoint {
	t.Helper()
	dir := testkit.TempDir(t)
	name := fmt.Sprintf("@interop-client-test-%d-%s", os.Getpid(), t.Name())
	var eps endpoint.List
	for _, network := range []string{"unix", "unixpacket", "unixgram"} {
		eps = append(eps, endpoint.Endpoint{Network: network, Address: filepath.Join(dir, network+".sock")},
			endpoint.Endpoint{Network: network, Address: name + "-" + network})
	}
	if err := s.Listen(eps, 0o600); err != nil {
		t.Fatalf("Listen: %v", err)
	}
	signals := make(chan os.Signal, 2)
	done := make(chan error, 1)
	go func() { done <- s.Run(io.Discard, time.Hour, signals) }()
	t.Cleanup(func() {
		signals <- syscall.SIGTERM
		signals <- syscall.SIGTERM
		<-done
	})
	return func(c *fixture.Case) endpoint.Endpoint {
		for _, ep := range eps {
			if ep.Network == network(c) && ep.IsAbstract() == (c.Address == "abstract") {
				return ep
			}
		}
		t.Fatalf("no endpoint for case %s", c.ID)
		return endpoint.Endpoint{}
	}
}

// runCases runs each echo case of the manifest beyond plain streams (seqpacket,
// datagram, abstract, fdpass) on its endpoint and returns the failed ones, id and kind.
func runCases(t *testing.T, at func(c *fixture.Case) endpoint.Endpoint) map[string]string {
	t.Helper()
	m := loadManifest(t)
	failed := make(map[string]string)
	for _, c := range m.Cases { // one at a time: a misdirected reply goes to the same case's senders
		if c.Kind != fixture.KindEcho || c.IsPlainStream() {
			continue
		}
		ep := at(c)
		flag := map[string]string{"unix": "-unix", "unixpacket": "-seqpacket", "unixgram": "-datagram"}[ep.Network]
		status, r := runReport(t, flag, ep.Address, "-manifest", manifestPath, "-case", c.ID, "-eof-timeout", "300ms")
		switch res := r.Results[0]; {
		case status == 0 && res.Status == statusPassed:
		case status == 1 && res.Status == statusFailed:
			failed[c.ID] = res.Failure.Kind
		default:
			t.Errorf("%s: got status %d, result %s %+v", c.ID, status, res.Status, res.Failure)
		}
	}
	return failed
}

func TestSocketCasesPass(t *testing.T) {
	at := serveAll(t, &echo.Server{Log: log.New(io.Discard, "", 0)})
	if failed := runCases(t, at); len(failed) != 0 {
		t.Fatalf("failed against the echo server: %v", failed)
	}
}

// TestSocketCasesCatchBugs runs the cases against servers with one bug each,
// the mutants' bugs, and wants exactly the cases named caught, each with its kind.
func TestSocketCasesCatchBugs(t *testing.T) {
	var mu sync.Mutex
	var previous *net.UnixAddr
	tests := []struct {
		bug  string
		set  func(s *echo.Server)
		want map[string]string
	}{
		{"merge seqpacket messages", func(s *echo.Server) {
			s.Echo = func(c net.Conn) error {
				if c.LocalAddr().Network() != "unixpacket" {
					return echo.Correct(c)
				}
				return mergePairs(c)
			}
		}, map[string]string{"seqpacket.size.1": "boundary", "seqpacket.size.4097": "boundary", "seqpacket.size.64k": "boundary",
			"seqpacket.order.1000": "boundary", "seqpacket.concurrency.16x100": "boundary", "abstract.seqpacket": "boundary",
			"fdpass.seqpacket.last": "boundary", "fdpass.seqpacket.one": "descriptors", "fdpass.seqpacket.eight": "descriptors"}},
		{"drop descriptors", func(s *echo.Server) { s.Echo = dropDescriptors },
			map[string]string{"fdpass.stream.one": "descriptors", "fdpass.stream.eight": "descriptors", "fdpass.stream.last": "descriptors",
				"fdpass.seqpacket.one": "descriptors", "fdpass.seqpacket.eight": "descriptors", "fdpass.seqpacket.last": "descriptors"}},
		{"drop every 100th datagram", func(s *echo.Server) {
			n := 0
			s.Reply = func(c *net.UnixConn, b []byte, from *net.UnixAddr) error {
				mu.Lock()
				n++
				drop := n%100 == 0
				mu.Unlock()
				if drop {
					return nil
				}
				_, err := c.WriteToUnix(b, from)
				return err
			}
		}, map[string]string{"datagram.echo": "lost", "datagram.senders.16": "lost", "abstract.datagram": "lost"}},
		{"answer the previous sender", func(s *echo.Server) {
			s.Reply = func(c *net.UnixConn, b []byte, from *net.UnixAddr) error {
				mu.Lock()
				to := previous
				if to == nil {
					to = from
				}
				previous = from
				mu.Unlock()
				_, err := c.WriteToUnix(b, to)
				return err
			}
		}, map[string]string{"datagram.senders.16": "mismatch|lost", "datagram.size.64k": "lost", "abstract.datagram": "lost"}}, // the first reply of each later case goes to the case before; the senders' first failing one can have either
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.bug, " ", "-"), func(t *testing.T) {
			s := &echo.Server{Log: log.New(io.Discard, "", 0)}
			tt.set(s)
			got := runCases(t, serveAll(t, s))
			for id, kind := range got {
				if want, ok := tt.want[id]; !ok || !contains(strings.Split(want, "|"), kind) {
					t.Fatalf("caught by %v; want %v", sorted(got), sorted(tt.want))
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("caught by %v; want %v", sorted(got), sorted(tt.want))
			}
		})
	}
}

// dropDescriptors echoes with plain reads and writes, which leave the
// descriptors behind (the kernel closes them), keeping message boundaries.
func dropDescriptors(c net.Conn) error {
	buf := make([]byte, 1<<20)
	for {
		n, err := c.Read(buf)
		if n == 0 || err != nil {
			return nil
		}
		if _, err := c.Write(buf[:n]); err != nil {
			return err
		}
	}
}

// mergePairs echoes a seqpacket connection with every two messages merged into one.
func mergePairs(c net.Conn) error {
	buf := make([]byte, 1<<20)
	var held []byte
	for {
		n, err := c.Read(buf)
		if n == 0 || err != nil {
			if len(held) > 0 {
				c.Write(held)
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sorted(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
