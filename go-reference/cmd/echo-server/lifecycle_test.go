// SPDX-License-Identifier: Apache-2.0
// Tests of echo-server's lifecycle as a process: signals, grace, the socket file and refusals.

package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"udsinterop.dev/go-reference/internal/testkit"
)

func TestSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		p, path := start(t)
		checkEcho(t, "unix", path, []byte("Hello"))
		p.Signal(t, sig)
		if got := p.Wait(t); got != 0 {
			t.Fatalf("exit status after %v: got %d; want 0", sig, got)
		}
		if _, err := os.Lstat(path); !os.IsNotExist(err) {
			t.Fatalf("socket file after %v: Lstat error %v; want not exist", sig, err)
		}
		if got := p.Stdout.String(); got != "listening unix:"+path+"\n" {
			t.Fatalf("stdout after %v: got %q; want only the ready line", sig, got)
		}
	}
}

// TestGraceDrains checks that a connection open at SIGTERM can finish its echo.
func TestGraceDrains(t *testing.T) {
	p, path := start(t)
	c, err := net.DialTimeout("unix", path, testkit.Timeout)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testkit.Timeout))
	if _, err := c.Write([]byte("before ")); err != nil {
		t.Fatalf("write: %v", err)
	}
	buf := make([]byte, len("before "))
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatalf("read: %v", err)
	}
	p.Signal(t, syscall.SIGTERM)
	p.WaitStderr(t, "shutting down: 1 connections open")
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("socket file during grace: Lstat error %v; want not exist", err)
	}
	if c2, err := net.Dial("unix", path); err == nil {
		c2.Close()
		t.Fatalf("dial during grace: got a connection; want refusal")
	}
	if p.Exited() {
		t.Fatalf("server exited with a connection open; stderr %q", p.Stderr)
	}
	if _, err := c.Write([]byte("after")); err != nil {
		t.Fatalf("write after SIGTERM: %v", err)
	}
	c.(*net.UnixConn).CloseWrite()
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "after" {
		t.Fatalf("read after SIGTERM: got %q, %v; want \"after\", nil", got, err)
	}
	if got := p.Wait(t); got != 0 {
		t.Fatalf("exit status: got %d; want 0", got)
	}
}

// TestGraceExpires checks that an idle connection is closed when the grace period ends.
func TestGraceExpires(t *testing.T) {
	p, path := start(t, "-grace", "200ms")
	c, err := net.DialTimeout("unix", path, testkit.Timeout)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testkit.Timeout))
	if _, err := c.Write([]byte("x")); err != nil {
		t.Fatalf("write: %v", err)
	}
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Fatalf("read: %v", err)
	}
	p.Signal(t, syscall.SIGTERM)
	if got := p.Wait(t); got != 0 {
		t.Fatalf("exit status: got %d; want 0", got)
	}
	if n, err := c.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Fatalf("read after the grace period: got %d, %v; want 0, EOF", n, err)
	}
	if !strings.Contains(p.Stderr.String(), "grace period of 200ms over: closing 1 connections") {
		t.Fatalf("stderr: got %q; want the grace period's end logged", p.Stderr)
	}
}

// TestSecondSignal checks that a second signal ends the grace period at once.
func TestSecondSignal(t *testing.T) {
	p, path := start(t, "-grace", "1h")
	c, err := net.DialTimeout("unix", path, testkit.Timeout)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testkit.Timeout))
	if _, err := c.Write([]byte("x")); err != nil { // a round trip: the server has accepted it
		t.Fatalf("write: %v", err)
	}
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Fatalf("read: %v", err)
	}
	p.Signal(t, syscall.SIGTERM)
	p.WaitStderr(t, "SIGTERM: shutting down: 1 connections open")
	p.Signal(t, syscall.SIGINT)
	if got := p.Wait(t); got != 0 {
		t.Fatalf("exit status: got %d; want 0", got)
	}
	if !strings.Contains(p.Stderr.String(), "SIGINT again: closing 1 connections now") {
		t.Fatalf("stderr: got %q; want the second signal logged", p.Stderr)
	}
}

func TestMode(t *testing.T) {
	for _, mode := range []os.FileMode{0o600, 0o666} {
		p, path := start(t, "-mode", fmt.Sprintf("%04o", mode))
		fi, err := os.Lstat(path)
		if err != nil {
			t.Fatalf("Lstat: %v", err)
		}
		if fi.Mode().Type() != os.ModeSocket || fi.Mode().Perm() != mode {
			t.Fatalf("-mode %04o: got %v; want a socket with %v", mode, fi.Mode(), os.ModeSocket|mode)
		}
		stop(t, p, path)
	}
}

// TestStaleSocketReplaced checks that a socket file nobody listens on is replaced.
func TestStaleSocketReplaced(t *testing.T) {
	path := filepath.Join(testkit.TempDir(t), "echo.sock")
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatalf("ListenUnix: %v", err)
	}
	l.SetUnlinkOnClose(false)
	l.Close()
	p := testkit.Start(t, binary, "-unix", path)
	if got := p.Ready(t, 1)[0]; got != "listening unix:"+path {
		t.Fatalf("got %q; want listening unix:%s", got, path)
	}
	want := "echo-server: removed stale socket " + path + "\n"
	p.WaitStderr(t, want) // stderr and stdout are copied separately: either can come first
	if p.Stderr.String() != want {
		t.Fatalf("stderr: got %q; want %q", p.Stderr, want)
	}
	checkEcho(t, "unix", path, []byte("Hello"))
	stop(t, p, path)
}

// TestLiveServerKept checks that a second server on a live server's path
// refuses to start and the first keeps serving.
func TestLiveServerKept(t *testing.T) {
	first, path := start(t)
	status, stderr := runToExit(t, "-unix", path)
	want := "echo-server: listen unix " + path + ": a server is already listening there\n"
	if status != 2 || stderr != want {
		t.Fatalf("second server: got status %d, stderr %q; want 2, %q", status, stderr, want)
	}
	checkEcho(t, "unix", path, []byte("still here"))
	stop(t, first, path)
}

// TestPathRefused checks that what is not a socket is refused and left alone.
func TestPathRefused(t *testing.T) {
	dir := testkit.TempDir(t)
	file, sub := filepath.Join(dir, "file.sock"), filepath.Join(dir, "dir.sock")
	if err := os.WriteFile(file, []byte("keep me"), 0o644); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatalf("Mkdir: %v", err)
	}
	long := filepath.Join(dir, strings.Repeat("x", 120))
	tests := []struct{ path, want string }{
		{file, "listen unix " + file + ": the path is a regular file, not a socket; leaving it alone"},
		{sub, "listen unix " + sub + ": the path is a directory, not a socket; leaving it alone"},
		{long, fmt.Sprintf("listen unix %s: path is %d bytes, longer than the 107-byte limit for a socket path", long, len(long))},
		{filepath.Join(dir, "nope", "x.sock"), "listen unix " + dir + "/nope/x.sock: bind: no such file or directory"},
	}
	for _, tt := range tests {
		status, stderr := runToExit(t, "-unix", tt.path)
		if want := "echo-server: " + tt.want + "\n"; status != 2 || stderr != want {
			t.Fatalf("got status %d, stderr %q; want 2, %q", status, stderr, want)
		}
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "keep me" {
		t.Fatalf("regular file after refusal: got %q, %v; want \"keep me\"", b, err)
	}
	if fi, err := os.Lstat(sub); err != nil || !fi.IsDir() {
		t.Fatalf("directory after refusal: got %v, %v; want a directory", fi, err)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "at least one -unix, -tcp, -seqpacket or -datagram is required"},
		{[]string{"-unix", "/tmp/x.sock", "-mode", "0800"}, `-mode: invalid mode "0800"`},
		{[]string{"-unix", "/tmp/x.sock", "-mode", "01777"}, `-mode: invalid mode "01777"`},
		{[]string{"-tcp", "localhost"}, "missing port in address"},
		{[]string{"-tcp", "127.0.0.1:99999"}, "listen tcp: address 99999: invalid port"},
		{[]string{"-bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"-unix", "/tmp/x.sock", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		status, stderr := runToExit(t, tt.args...)
		if status != 2 || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Fatalf("%q: got status %d, stderr %q; want 2 and one line with %q", tt.args, status, stderr, tt.want)
		}
	}
	p := testkit.Start(t, binary, "-help")
	if got := p.Wait(t); got != 0 || !strings.Contains(p.Stdout.String(), "Usage:\n  echo-server -unix ADDR") {
		t.Fatalf("-help: got status %d, stdout %q; want 0 and the usage", got, p.Stdout)
	}
}
