// SPDX-License-Identifier: Apache-2.0
// Tests of the Server in-process, on real sockets: the correct echo, each hook, Listen's clean-up, Run's exit.

package echo_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"udsinterop.dev/go-reference/internal/echo"
	"udsinterop.dev/go-reference/internal/endpoint"
	"udsinterop.dev/go-reference/internal/fixture"
	"udsinterop.dev/go-reference/internal/testkit"
)

// running is a Server in Run, on one socket file.
type running struct {
	path    string
	signals chan os.Signal
	done    chan error // Run's result
}

// start listens on a new socket file with s, runs it, and waits for the ready
// line. The server is stopped when the test ends, if it is still running.
func start(t *testing.T, s *echo.Server) *running {
	t.Helper()
	r := &running{path: filepath.Join(testkit.TempDir(t), "echo.sock"), signals: make(chan os.Signal, 2), done: make(chan error, 1)}
	if err := s.Listen(endpoint.List{{Network: "unix", Address: r.path}}, 0o600); err != nil {
		t.Fatalf("Listen: %v", err)
	}
	stdout, stdoutW := io.Pipe()
	go func() {
		r.done <- s.Run(stdoutW, time.Hour, r.signals)
		stdoutW.Close()
	}()
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
		io.Copy(io.Discard, stdout)
	}()
	t.Cleanup(func() {
		r.signals <- syscall.SIGTERM
		r.signals <- syscall.SIGTERM // ends the grace period at once
		select {
		case <-r.done:
		case <-time.After(testkit.Timeout):
			t.Errorf("Run did not return within %v of two signals", testkit.Timeout)
		}
	})
	select {
	case line := <-ready:
		if want := "listening unix:" + r.path + "\n"; line != want {
			t.Fatalf("got ready line %q; want %q", line, want)
		}
	case <-time.After(testkit.Timeout):
		t.Fatalf("no ready line within %v", testkit.Timeout)
	}
	return r
}

// stop sends SIGTERM and returns what Run returned.
func (r *running) stop(t *testing.T) error {
	t.Helper()
	r.signals <- syscall.SIGTERM
	select {
	case err := <-r.done:
		r.done <- err // for the clean-up
		return err
	case <-time.After(testkit.Timeout):
		t.Fatalf("Run did not return within %v of SIGTERM", testkit.Timeout)
		return nil
	}
}

// exchange sends payload on a new connection to path, half-closes, and
// returns what comes back before EOF.
func exchange(t *testing.T, path string, payload []byte) []byte {
	t.Helper()
	c, err := net.DialTimeout("unix", path, testkit.Timeout)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testkit.Timeout))
	go func() {
		c.Write(payload)
		c.(*net.UnixConn).CloseWrite()
	}()
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read after %d bytes: %v", len(got), err)
	}
	return got
}

func TestCorrectEcho(t *testing.T) {
	logged := testkit.NewOutput()
	r := start(t, &echo.Server{Log: log.New(logged, "", 0)})
	for _, n := range []int{0, 1, 4096, 1<<20 + 3} {
		payload := fixture.SplitMix64(uint64(n), n)
		if got := exchange(t, r.path, payload); !bytes.Equal(got, payload) {
			t.Fatalf("%d bytes: got %d back; want the same %d", n, len(got), n)
		}
	}
	if err := r.stop(t); err != nil {
		t.Fatalf("Run after SIGTERM: got %v; want nil", err)
	}
	if _, err := os.Lstat(r.path); !os.IsNotExist(err) {
		t.Fatalf("socket file after Run: Lstat error %v; want not exist", err)
	}
	// The count may include a connection whose client has seen its EOF but
	// whose goroutine has not yet let go of it.
	if got := logged.String(); !strings.HasPrefix(got, "SIGTERM: shutting down: ") || strings.Count(got, "\n") != 1 {
		t.Fatalf("log: got %q; want one line, SIGTERM: shutting down: N connections open", got)
	}
}

// TestEchoHook checks that Echo replaces the echo, that the server closes the
// connection when it returns, and that its error is logged with the connection.
func TestEchoHook(t *testing.T) {
	logged := testkit.NewOutput()
	s := &echo.Server{Log: log.New(logged, "", 0)}
	s.Echo = func(c net.Conn) error {
		if err := echo.Copy(upper{c}, c); err != nil {
			return err
		}
		return errors.New("shouted back")
	}
	r := start(t, s)
	if got := exchange(t, r.path, []byte("hello, world")); string(got) != "HELLO, WORLD" {
		t.Fatalf("got %q; want %q", got, "HELLO, WORLD")
	}
	r.stop(t)
	if !strings.Contains(logged.String(), "connection 1: shouted back\n") {
		t.Fatalf("log: got %q; want Echo's error with the connection", logged.String())
	}
}

// upper writes p in upper case.
type upper struct{ w io.Writer }

func (u upper) Write(p []byte) (int, error) { return u.w.Write(bytes.ToUpper(p)) }

// TestCloseListenerHook checks that CloseListener closes each listener at
// shutdown, and that a hook can leave the socket file behind.
func TestCloseListenerHook(t *testing.T) {
	var closed []net.Addr
	s := &echo.Server{Log: log.New(io.Discard, "", 0)}
	s.CloseListener = func(l net.Listener) error {
		closed = append(closed, l.Addr())
		l.(*net.UnixListener).SetUnlinkOnClose(false)
		return l.Close()
	}
	r := start(t, s)
	r.stop(t)
	if len(closed) != 1 || closed[0].String() != r.path {
		t.Fatalf("CloseListener called for %v; want once, for %s", closed, r.path)
	}
	if _, err := os.Lstat(r.path); err != nil {
		t.Fatalf("socket file after Run: %v; want it left behind", err)
	}
}

// TestListenClosesWhatItOpened checks that a failing Listen closes the
// listeners it opened before, which removes their socket files.
func TestListenClosesWhatItOpened(t *testing.T) {
	dir := testkit.TempDir(t)
	first := filepath.Join(dir, "first.sock")
	s := &echo.Server{Log: log.New(io.Discard, "", 0)}
	err := s.Listen(endpoint.List{{Network: "unix", Address: first}, {Network: "unix", Address: filepath.Join(dir, "nope", "x.sock")}}, 0o600)
	if err == nil || !strings.Contains(err.Error(), "no such file or directory") {
		t.Fatalf("Listen: got %v; want the second path's bind error", err)
	}
	if _, err := os.Lstat(first); !os.IsNotExist(err) {
		t.Fatalf("first socket file after the failed Listen: Lstat error %v; want not exist", err)
	}
}
