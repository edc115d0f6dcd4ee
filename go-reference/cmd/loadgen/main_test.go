// SPDX-License-Identifier: Apache-2.0
// Tests of loadgen against in-test servers: each workload's result, its bounds, and the failures it reports.

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"udsinterop.dev/go-reference/internal/testkit"
)

func runLoadgen(t *testing.T, args ...string) (int, result, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	status := run(args, strings.NewReader(""), &stdout, &stderr)
	var r result
	if status == 0 {
		lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &r); err != nil {
			t.Fatalf("%q: last line of stdout %q: %v", args, stdout.String(), err)
		}
	}
	return status, r, stderr.String()
}

func TestWorkloadsByCount(t *testing.T) {
	tests := []struct {
		args              []string
		ops, bytes, conns int64
		samples           bool
	}{
		{[]string{"-workload", "seed", "-n", "40"}, 40, 200, 1, false},
		{[]string{"-workload", "pingpong", "-n", "300"}, 300, 300 * 64, 1, true},
		{[]string{"-workload", "stream", "-bytes", "1000000", "-size", "65536"}, 16, 1000000, 1, false},
		{[]string{"-workload", "fanin", "-n", "640", "-conns", "8"}, 640, 640 * 1024, 8, true},
		{[]string{"-workload", "idle", "-conns", "30"}, 30, 30, 30, false},
	}
	for _, network := range []string{"unix", "tcp"} {
		addr := testkit.Serve(t, network, testkit.Echo)
		for _, tt := range tests {
			status, r, stderr := runLoadgen(t, append(tt.args, "-"+network, addr)...)
			if status != 0 || stderr != "" {
				t.Fatalf("%s %q: got status %d, stderr %q; want 0, nothing", network, tt.args, status, stderr)
			}
			if r.Workload != tt.args[1] || r.Transport != network || r.Address != addr || r.StoppedBy != "count" {
				t.Fatalf("%s %q: got %+v; want workload, transport, address and stoppedBy count", network, tt.args, r)
			}
			if r.Ops != tt.ops || r.Bytes != tt.bytes || int64(r.Connections) != tt.conns {
				t.Fatalf("%s %q: got ops %d, bytes %d, connections %d; want %d, %d, %d",
					network, tt.args, r.Ops, r.Bytes, r.Connections, tt.ops, tt.bytes, tt.conns)
			}
			if r.ElapsedNs <= 0 || r.OpsPerSec <= 0 || r.ClientCPUNs < 0 || r.ClientCPUPerOpNs != float64(r.ClientCPUNs)/float64(r.Ops) {
				t.Fatalf("%s %q: got %+v; want positive elapsed and rate, CPU per op = CPU / ops", network, tt.args, r)
			}
			if got := int64(len(r.LatenciesNs)); (tt.samples && got != r.Ops) || (!tt.samples && got != 0) {
				t.Fatalf("%s %q: got %d latency samples for %d ops", network, tt.args, got, r.Ops)
			}
			for _, ns := range r.LatenciesNs {
				if ns <= 0 {
					t.Fatalf("%s %q: latency sample %d; want > 0", network, tt.args, ns)
				}
			}
		}
	}
}

func TestTimeBound(t *testing.T) {
	addr := testkit.Serve(t, "unix", testkit.Echo)
	for _, args := range [][]string{
		{"-workload", "seed", "-n", "100000000"},
		{"-workload", "pingpong", "-n", "100000000"},
		{"-workload", "stream", "-bytes", "1000000000000"},
		{"-workload", "fanin", "-n", "100000000", "-conns", "4"},
	} {
		start := time.Now()
		status, r, stderr := runLoadgen(t, append(args, "-unix", addr, "-duration", "100ms")...)
		if status != 0 || r.StoppedBy != "time" || r.Ops < 1 {
			t.Fatalf("%q: got status %d, %+v, stderr %q; want 0, stoppedBy time, some ops", args, status, r, stderr)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Fatalf("%q: took %v with -duration 100ms", args, took)
		}
	}
}

func TestIdleHoldsUntilStdinEOF(t *testing.T) {
	addr := testkit.Serve(t, "unix", testkit.Echo)
	stdinR, stdinW := io.Pipe()
	stdoutR, stdoutW := io.Pipe()
	status := make(chan int, 1)
	go func() {
		var stderr bytes.Buffer
		status <- run([]string{"-workload", "idle", "-unix", addr, "-conns", "20"}, stdinR, stdoutW, &stderr)
		stdoutW.Close()
	}()
	lines := bufio.NewScanner(stdoutR)
	if !lines.Scan() || lines.Text() != `{"event":"established","connections":20}` {
		t.Fatalf("first line: got %q; want the established event", lines.Text())
	}
	select {
	case s := <-status:
		t.Fatalf("exited with %d while stdin was open", s)
	default:
	}
	stdinW.Close()
	if !lines.Scan() || !strings.Contains(lines.Text(), `"stoppedBy":"count"`) {
		t.Fatalf("result line: got %q; want stoppedBy count", lines.Text())
	}
	if s := <-status; s != 0 {
		t.Fatalf("got status %d; want 0", s)
	}
}

func TestEchoFailures(t *testing.T) {
	wrong := testkit.Serve(t, "unix", func(c net.Conn) {
		buf := make([]byte, 64)
		n, _ := c.Read(buf)
		buf[0] ^= 1
		c.Write(buf[:n])
	})
	silent := testkit.Serve(t, "unix", func(c net.Conn) { io.ReadFull(c, make([]byte, 64)) })
	short := testkit.Serve(t, "unix", testkit.ReadOnce)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-workload", "seed", "-unix", wrong}, "loadgen: seed: iteration 0: read unix ->" + wrong + ": got \"Iello\"; want \"Hello\"\n"},
		{[]string{"-workload", "pingpong", "-unix", wrong}, "loadgen: pingpong: round trip 0: read unix ->" + wrong + ": echo differs from the 64 bytes sent at offset 0\n"},
		{[]string{"-workload", "pingpong", "-unix", silent}, "loadgen: pingpong: round trip 0: read unix ->" + silent + ": EOF after 0 of 64 bytes\n"},
		{[]string{"-workload", "stream", "-unix", short, "-bytes", "100000"}, "loadgen: stream: "},
	}
	for _, tt := range tests {
		status, _, stderr := runLoadgen(t, tt.args...)
		if status != 1 || !strings.HasPrefix(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Fatalf("%q: got status %d, stderr %q; want 1 and one line starting %q", tt.args, status, stderr, tt.want)
		}
	}
}

func TestUsage(t *testing.T) {
	tests := [][]string{
		{},
		{"-workload", "seed"},
		{"-workload", "nope", "-unix", "/tmp/a.sock"},
		{"-workload", "seed", "-unix", "/tmp/a.sock", "-size", "64"},
		{"-workload", "fanin", "-unix", "/tmp/a.sock", "-n", "10", "-conns", "64"},
		{"-workload", "pingpong", "-unix", "/tmp/a.sock", "-duration", "0s"},
		{"-workload", "stream", "-unix", "/tmp/a.sock", "-bytes", "0"},
	}
	for _, args := range tests {
		status, _, stderr := runLoadgen(t, args...)
		if status != 2 || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "loadgen: ") {
			t.Fatalf("%q: got status %d, stderr %q; want 2 and one line", args, status, stderr)
		}
	}
	var stdout bytes.Buffer
	if status := run([]string{"-help"}, nil, &stdout, io.Discard); status != 0 || !strings.HasPrefix(stdout.String(), "Usage:\n  loadgen -workload") {
		t.Fatalf("-help: got status %d, stdout %q", status, stdout.String())
	}
}

func TestWaitReturnsOnTheSignal(t *testing.T) {
	signalled := false
	saved := waitForSignal
	waitForSignal = func() { signalled = true }
	defer func() { waitForSignal = saved }()
	var stdout, stderr bytes.Buffer
	if status := run([]string{"-wait"}, strings.NewReader(""), &stdout, &stderr); status != 0 || !signalled || stdout.Len() > 0 {
		t.Fatalf("-wait: status %d, waited %v, stdout %q, stderr %q; want 0 after the signal, nothing printed",
			status, signalled, stdout.String(), stderr.String())
	}
}

// serveMessages echoes each seqpacket message and each datagram (to its
// sender) on sockets of a temp dir, and returns their paths.
func serveMessages(t *testing.T) (seqpacket, datagram string) {
	t.Helper()
	dir := testkit.TempDir(t)
	seqpacket, datagram = dir+"/p.sock", dir+"/d.sock"
	l, err := net.ListenUnix("unixpacket", &net.UnixAddr{Name: seqpacket, Net: "unixpacket"})
	if err != nil {
		t.Fatalf("ListenUnix: %v", err)
	}
	d, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: datagram, Net: "unixgram"})
	if err != nil {
		t.Fatalf("ListenUnixgram: %v", err)
	}
	t.Cleanup(func() { l.Close(); d.Close() })
	go func() {
		for {
			c, err := l.AcceptUnix()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 65536)
				for {
					n, err := c.Read(buf)
					if err != nil || n == 0 {
						return
					}
					c.Write(buf[:n])
				}
			}()
		}
	}()
	go func() {
		buf := make([]byte, 65536)
		for {
			n, from, err := d.ReadFromUnix(buf)
			if err != nil {
				return
			}
			d.WriteToUnix(buf[:n], from)
		}
	}()
	return seqpacket, datagram
}

func TestMessageSocketsByCount(t *testing.T) {
	seqpacket, datagram := serveMessages(t)
	tests := []struct {
		args       []string
		transport  string
		ops, bytes int64
	}{
		{[]string{"-workload", "seed", "-n", "40", "-seqpacket", seqpacket}, "unixpacket", 40, 200},
		{[]string{"-workload", "pingpong", "-n", "300", "-seqpacket", seqpacket}, "unixpacket", 300, 300 * 64},
		{[]string{"-workload", "fanin", "-n", "640", "-conns", "8", "-seqpacket", seqpacket}, "unixpacket", 640, 640 * 1024},
		{[]string{"-workload", "pingpong", "-n", "300", "-datagram", datagram}, "unixgram", 300, 300 * 64},
		{[]string{"-workload", "fanin", "-n", "640", "-conns", "8", "-datagram", datagram}, "unixgram", 640, 640 * 1024},
	}
	for _, tt := range tests {
		status, r, stderr := runLoadgen(t, tt.args...)
		if status != 0 || stderr != "" {
			t.Fatalf("%q: got status %d, stderr %q; want 0, nothing", tt.args, status, stderr)
		}
		if r.Transport != tt.transport || r.Ops != tt.ops || r.Bytes != tt.bytes || r.StoppedBy != "count" {
			t.Fatalf("%q: got %+v; want transport %s, ops %d, bytes %d, stopped by count", tt.args, r, tt.transport, tt.ops, tt.bytes)
		}
	}
}

func TestMessageSocketsRefuseByteStreamWorkloads(t *testing.T) {
	for _, args := range [][]string{
		{"-workload", "stream", "-seqpacket", "/nonexistent/p.sock"},
		{"-workload", "idle", "-seqpacket", "/nonexistent/p.sock"},
		{"-workload", "seed", "-datagram", "/nonexistent/d.sock"},
		{"-workload", "stream", "-datagram", "/nonexistent/d.sock"},
	} {
		if status, _, stderr := runLoadgen(t, args...); status != 2 || !strings.Contains(stderr, "not on -") {
			t.Fatalf("%q: got status %d, stderr %q; want 2 and why", args, status, stderr)
		}
	}
}
