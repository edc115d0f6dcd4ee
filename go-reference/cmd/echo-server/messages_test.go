// SPDX-License-Identifier: Apache-2.0
// Tests of echo-server as a process on seqpacket and datagram sockets and abstract names: ready lines, refusals, clean-up.

package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"udsinterop.dev/go-reference/internal/testkit"
)

// TestAllKindsAtOnce serves seqpacket on a path, datagram and stream on
// abstract names from one process, echoes on each, and checks that SIGTERM
// removes the one socket file and frees the names at once.
func TestAllKindsAtOnce(t *testing.T) {
	dir := testkit.TempDir(t)
	seqpacket := filepath.Join(dir, "p.sock")
	name := fmt.Sprintf("@echo-server-test-%d", os.Getpid())
	p := testkit.Start(t, binary, "--seqpacket", seqpacket, "--datagram", name+"-dgram", "--unix", name+"-stream")
	lines := p.Ready(t, 3)
	want := []string{"listening seqpacket:" + seqpacket, "listening datagram:" + name + "-dgram", "listening unix:" + name + "-stream"}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("ready lines: got %q; want %q", lines, want)
	}
	if err := roundTrip("unixpacket", seqpacket, []byte("a message")); err != nil {
		t.Fatalf("seqpacket: %v", err)
	}
	if err := roundTrip("unix", name+"-stream", []byte("a stream")); err != nil {
		t.Fatalf("abstract stream: %v", err)
	}
	c, err := net.DialUnix("unixgram", &net.UnixAddr{Name: name + "-client", Net: "unixgram"}, &net.UnixAddr{Name: name + "-dgram", Net: "unixgram"})
	if err != nil {
		t.Fatalf("dial datagram: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testkit.Timeout))
	c.Write([]byte("a datagram"))
	buf := make([]byte, 64)
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "a datagram" {
		t.Fatalf("datagram: got %q, %v; want the echo", buf[:n], err)
	}

	stop(t, p, seqpacket)
	for _, network := range []string{"unix", "unixgram"} {
		suffix := map[string]string{"unix": "-stream", "unixgram": "-dgram"}[network]
		l, err := net.ListenUnix(network, &net.UnixAddr{Name: name + suffix, Net: network})
		if network == "unixgram" {
			var pc *net.UnixConn
			pc, err = net.ListenUnixgram(network, &net.UnixAddr{Name: name + suffix, Net: network})
			if pc != nil {
				pc.Close()
			}
		} else if l != nil {
			l.Close()
		}
		if err != nil {
			t.Fatalf("the stopped server's name %s: %v; want it free at once", name+suffix, err)
		}
	}
}

// TestAbstractNameInUse checks that a second server on a live @name exits 2
// with one line naming it.
func TestAbstractNameInUse(t *testing.T) {
	name := fmt.Sprintf("@echo-server-test-%d-in-use", os.Getpid())
	for _, flag := range []string{"-unix", "-seqpacket", "-datagram"} {
		p := testkit.Start(t, binary, flag, name)
		p.Ready(t, 1)
		status, stderr := runToExit(t, flag, name)
		network := map[string]string{"-unix": "unix", "-seqpacket": "unixpacket", "-datagram": "unixgram"}[flag]
		if want := "echo-server: listen " + network + " " + name + ": bind: address already in use\n"; status != 2 || stderr != want {
			t.Fatalf("%s %s in use: got status %d, stderr %q; want 2, %q", flag, name, status, stderr, want)
		}
		p.Signal(t, syscall.SIGTERM)
		if got := p.Wait(t); got != 0 {
			t.Fatalf("first server after SIGTERM: exit %d; want 0", got)
		}
	}
}

// TestStaleMessageSockets checks that a stale seqpacket or datagram socket
// file is replaced, a live one refused, and the file removed at stop.
func TestStaleMessageSockets(t *testing.T) {
	for _, tt := range []struct{ flag, network string }{{"-seqpacket", "unixpacket"}, {"-datagram", "unixgram"}} {
		path := filepath.Join(testkit.TempDir(t), "m.sock")
		stale, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
		if err != nil {
			t.Fatalf("listen: %v", err)
		}
		stale.SetUnlinkOnClose(false)
		stale.Close()
		p := testkit.Start(t, binary, tt.flag, path)
		if lines := p.Ready(t, 1); lines[0] != "listening "+strings.TrimPrefix(tt.flag, "-")+":"+path {
			t.Fatalf("ready line over a stale socket: got %q", lines[0])
		}
		status, stderr := runToExit(t, tt.flag, path)
		if status != 2 || !strings.Contains(stderr, "listen "+tt.network+" "+path+": a server is already listening there") {
			t.Fatalf("%s on a live socket: got status %d, stderr %q; want 2, already listening", tt.flag, status, stderr)
		}
		stop(t, p, path)
	}
}
