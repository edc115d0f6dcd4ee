// SPDX-License-Identifier: Apache-2.0
// Tests that seed-server keeps the seed's behaviour: it echoes "Hello", and dies on an empty client.

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

var binary string

func TestMain(m *testing.M) {
	path, cleanup, err := testkit.Build("seed-server")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = path
	status := m.Run()
	cleanup()
	os.Exit(status)
}

func start(t *testing.T) (*testkit.Proc, string) {
	t.Helper()
	path := filepath.Join(testkit.TempDir(t), "echo.sock")
	p := testkit.Start(t, binary, "-unix", path)
	if got, want := p.Ready(t, 1)[0], "listening unix:"+path; got != want {
		t.Fatalf("got ready line %q; want %q", got, want)
	}
	return p, path
}

// hello is the seed client: write "Hello", read 5 bytes, close.
func hello(t *testing.T, path string) {
	t.Helper()
	c, err := net.DialTimeout("unix", path, testkit.Timeout)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testkit.Timeout))
	if _, err := c.Write([]byte("Hello")); err != nil {
		t.Fatalf("write: %v", err)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "Hello" {
		t.Fatalf("read: got %q, %v; want \"Hello\", nil", buf, err)
	}
}

func TestEchoesHello(t *testing.T) {
	p, path := start(t)
	hello(t, path)
	hello(t, path)
	p.Signal(t, syscall.SIGTERM)
	if got := p.Wait(t); got != 1 {
		t.Fatalf("exit status after SIGTERM: got %d; want 1 (the seed's os.Exit(1))", got)
	}
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("socket file after SIGTERM: Lstat error %v; want not exist", err)
	}
}

// TestDiesOnEmptyClient keeps the bug the project exists to catch: a client
// that sends nothing makes the server's Read return io.EOF, and log.Fatal exits.
func TestDiesOnEmptyClient(t *testing.T) {
	p, path := start(t)
	c, err := net.DialTimeout("unix", path, testkit.Timeout)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c.Close()
	if got := p.Wait(t); got != 1 {
		t.Fatalf("exit status after an empty client: got %d; want 1", got)
	}
	if !strings.HasSuffix(p.Stderr.String(), " EOF\n") {
		t.Fatalf("stderr: got %q; want log.Fatal's EOF", p.Stderr)
	}
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("socket file after log.Fatal: %v; want it left behind, stale", err)
	}
}

func TestCutsLongMessages(t *testing.T) {
	p, path := start(t)
	c, err := net.DialTimeout("unix", path, testkit.Timeout)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testkit.Timeout))
	if _, err := c.Write(make([]byte, 4097)); err != nil {
		t.Fatalf("write: %v", err)
	}
	c.(*net.UnixConn).CloseWrite()
	got, _ := io.ReadAll(c)
	if len(got) > 4096 {
		t.Fatalf("got %d bytes back; want at most 4096", len(got))
	}
	if p.Exited() {
		t.Fatalf("server exited; stderr %q", p.Stderr)
	}
}

func TestUsage(t *testing.T) {
	p := testkit.Start(t, binary)
	if got := p.Wait(t); got != 2 || p.Stderr.String() != "seed-server: at least one -unix or -tcp is required (see seed-server -help)\n" {
		t.Fatalf("no flags: got status %d, stderr %q; want 2 and one line", got, p.Stderr)
	}
}
