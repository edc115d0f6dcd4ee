// SPDX-License-Identifier: Apache-2.0
// Tests of mutant-server as a process: usage, and that each bug shows its one symptom.

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"udsinterop.dev/go-reference/internal/fixture"
	"udsinterop.dev/go-reference/internal/testkit"
)

var binary string

func TestMain(m *testing.M) {
	path, cleanup, err := testkit.Build("mutant-server")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = path
	status := m.Run()
	cleanup()
	os.Exit(status)
}

// start starts the mutant with bug on a socket in a new directory, plus
// extra arguments, and waits for its ready line.
func start(t *testing.T, bug string, extra ...string) (*testkit.Proc, string) {
	t.Helper()
	path := filepath.Join(testkit.TempDir(t), "echo.sock")
	p := testkit.Start(t, binary, append([]string{"-bug", bug, "--unix", path}, extra...)...)
	if got, want := p.Ready(t, 1)[0], "listening unix:"+path; got != want {
		t.Fatalf("got ready line %q; want %q", got, want)
	}
	return p, path
}

func dial(t *testing.T, path string) *net.UnixConn {
	t.Helper()
	c, err := net.DialTimeout("unix", path, testkit.Timeout)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(testkit.Timeout))
	return c.(*net.UnixConn)
}

// exchange sends payload, half-closes and reads to EOF (or limit bytes, or the deadline).
func exchange(t *testing.T, path string, payload []byte, limit int64) ([]byte, error) {
	t.Helper()
	c := dial(t, path)
	go func() {
		c.Write(payload)
		c.CloseWrite()
	}()
	return io.ReadAll(io.LimitReader(c, limit))
}

func TestUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if got := run([]string{"-bug", "nope", "-unix", "/tmp/x.sock"}, &stdout, &stderr, nil); got != 2 {
		t.Fatalf("unknown bug: got status %d; want 2", got)
	}
	if !strings.Contains(stderr.String(), `-bug "nope": want one of abstract-file, close-after-echo, close-early, datagram-drop,`) {
		t.Fatalf("unknown bug: got stderr %q", stderr.String())
	}
	stdout.Reset()
	if got := run([]string{"-list"}, &stdout, &stderr, nil); got != 0 || strings.Count(stdout.String(), "\n") != len(bugs) {
		t.Fatalf("-list: got status %d, %q; want 0 and one line per bug", got, stdout.String())
	}
}

// TestServesAsEchoServer checks that a mutant whose bug is in its echo does
// everything else as echo-server does, because it is echo-server's code:
// it refuses a negative -grace; on SIGTERM it stops accepting, removes its
// socket file and logs its shutdown; a second signal ends the grace period.
func TestServesAsEchoServer(t *testing.T) {
	dir := testkit.TempDir(t)
	p := testkit.Start(t, binary, "-bug", "newline", "-grace", "-1s", "-unix", filepath.Join(dir, "echo.sock"))
	want := "mutant-server: -grace -1s is negative (see mutant-server -help)\n"
	if got := p.Wait(t); got != 2 || p.Stderr.String() != want {
		t.Fatalf("-grace -1s: got status %d, stderr %q; want 2, %q", got, p.Stderr, want)
	}

	p, path := start(t, "newline", "-grace", "1h")
	c := dial(t, path)
	if _, err := c.Write([]byte("x")); err != nil { // a round trip: the server has accepted it
		t.Fatalf("write: %v", err)
	}
	if _, err := io.ReadFull(c, make([]byte, 2)); err != nil {
		t.Fatalf("read: %v", err)
	}
	p.Signal(t, syscall.SIGTERM)
	p.WaitStderr(t, "mutant-server (newline): SIGTERM: shutting down: 1 connections open\n")
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("socket file during grace: Lstat error %v; want not exist", err)
	}
	p.Signal(t, syscall.SIGINT)
	if got := p.Wait(t); got != 0 {
		t.Fatalf("exit status: got %d; want 0", got)
	}
	if !strings.Contains(p.Stderr.String(), "mutant-server (newline): SIGINT again: closing 1 connections now\n") {
		t.Fatalf("stderr: got %q; want the second signal logged", p.Stderr)
	}
}

func TestEachBugShowsItsSymptom(t *testing.T) {
	big := fixture.SplitMix64(1, 100000)
	tests := []struct {
		bug   string
		check func(t *testing.T, p *testkit.Proc, path string)
	}{
		{"truncate", func(t *testing.T, _ *testkit.Proc, path string) {
			got, err := exchange(t, path, big[:10000], 1<<20) // err: a reset, for the bytes left unread
			if !bytes.Equal(got, big[:4096]) {
				t.Fatalf("got %d bytes, %v; want the first 4096", len(got), err)
			}
		}},
		{"drop-byte", func(t *testing.T, _ *testkit.Proc, path string) {
			got, err := exchange(t, path, big, 1<<20)
			want := append(append([]byte(nil), big[:dropAt]...), big[dropAt+1:]...)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("got %d bytes, %v; want all but byte %d", len(got), err, dropAt)
			}
		}},
		{"swap-chunks", func(t *testing.T, _ *testkit.Proc, path string) {
			got, err := exchange(t, path, big[:16000], 1<<20)
			want := append(append(append(append([]byte(nil), big[:4096]...), big[8192:12288]...), big[4096:8192]...), big[12288:16000]...)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("got %d bytes, %v; want blocks 1 and 2 swapped", len(got), err)
			}
		}},
		{"close-early", func(t *testing.T, _ *testkit.Proc, path string) {
			if got, err := exchange(t, path, []byte("hello"), 1<<20); err != nil || len(got) != 0 {
				t.Fatalf("got %q, %v; want EOF at once", got, err)
			}
		}},
		{"close-after-echo", func(t *testing.T, _ *testkit.Proc, path string) {
			// A client that waits for its echo before it half-closes gets the server's EOF first...
			c := dial(t, path)
			c.Write([]byte("hello"))
			if got, err := io.ReadAll(c); err != nil || string(got) != "hello" {
				t.Fatalf("waiting for the echo: got %q, %v; want hello, then EOF without half-closing", got, err)
			}
			// ...while a message in pieces, or one the client half-closes after, is echoed whole.
			c = dial(t, path)
			c.Write([]byte("hel"))
			time.Sleep(50 * time.Millisecond) // a pause between two writes: the traffic under test
			c.Write([]byte("lo"))
			c.CloseWrite()
			if got, err := io.ReadAll(c); err != nil || string(got) != "hello" {
				t.Fatalf("in two writes: got %q, %v; want hello", got, err)
			}
			if got, err := exchange(t, path, []byte("hello"), 1<<20); err != nil || string(got) != "hello" {
				t.Fatalf("half-closed: got %q, %v; want hello", got, err)
			}
		}},
		{"no-eof", func(t *testing.T, _ *testkit.Proc, path string) {
			c := dial(t, path)
			c.Write([]byte("hello"))
			c.CloseWrite()
			c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			got, err := io.ReadAll(c)
			if !errors.Is(err, os.ErrDeadlineExceeded) || string(got) != "hello" {
				t.Fatalf("got %q, %v; want hello and no EOF", got, err)
			}
		}},
		{"newline", func(t *testing.T, _ *testkit.Proc, path string) {
			if got, err := exchange(t, path, []byte("hello"), 1<<20); err != nil || string(got) != "hello\n" {
				t.Fatalf("got %q, %v; want \"hello\\n\"", got, err)
			}
		}},
		{"keep-socket", func(t *testing.T, p *testkit.Proc, path string) {
			p.Signal(t, syscall.SIGTERM)
			if got := p.Wait(t); got != 0 {
				t.Fatalf("exit status %d; want 0", got)
			}
			if _, err := os.Lstat(path); err != nil {
				t.Fatalf("socket file after exit: %v; want it left behind", err)
			}
		}},
		{"die-on-reset", func(t *testing.T, p *testkit.Proc, path string) {
			c := dial(t, path)
			c.SetWriteBuffer(1 << 20)
			c.Write(big) // more than the server can echo into a socket nobody reads
			c.Close()
			if got := p.Wait(t); got != 1 {
				t.Fatalf("exit status %d; want 1", got)
			}
		}},
		{"serial", func(t *testing.T, _ *testkit.Proc, path string) {
			first := dial(t, path)
			if _, err := first.Write([]byte("a")); err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadFull(first, make([]byte, 1)); err != nil {
				t.Fatalf("first client: %v", err)
			}
			second := dial(t, path)
			second.Write([]byte("b"))
			second.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			if _, err := second.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("second client while the first is open: got %v; want no echo", err)
			}
			first.Close()
			second.SetReadDeadline(time.Now().Add(testkit.Timeout))
			if _, err := io.ReadFull(second, make([]byte, 1)); err != nil {
				t.Fatalf("second client after the first closed: %v", err)
			}
		}},
		{"flood", func(t *testing.T, _ *testkit.Proc, path string) {
			got, err := exchange(t, path, []byte("hello"), 100000)
			if err != nil || len(got) != 100000 || !bytes.HasPrefix(got, []byte("hello")) {
				t.Fatalf("got %d bytes, %v; want hello and then 100000 bytes without EOF", len(got), err)
			}
		}},
	}
	if len(tests)+len(socketSymptoms) != len(bugs) {
		t.Fatalf("%d bugs, %d tests: every bug needs its test", len(bugs), len(tests)+len(socketSymptoms))
	}
	for _, tt := range tests {
		t.Run(tt.bug, func(t *testing.T) {
			p, path := start(t, tt.bug)
			tt.check(t, p, path)
		})
	}
}
