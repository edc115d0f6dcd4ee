// SPDX-License-Identifier: Apache-2.0
// Tests of echo-server as a process and in-process: ready lines and the echo itself.

package main

import (
	"bufio"
	"bytes"
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
	path, cleanup, err := testkit.Build("echo-server")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = path
	status := m.Run()
	cleanup()
	os.Exit(status)
}

// start starts echo-server on a socket in a new short directory, plus extra
// arguments, and waits for its ready lines. It returns the process and the socket path.
func start(t *testing.T, extra ...string) (*testkit.Proc, string) {
	t.Helper()
	path := filepath.Join(testkit.TempDir(t), "echo.sock")
	args := append([]string{"-unix", path}, extra...)
	p := testkit.Start(t, binary, args...)
	lines := p.Ready(t, 1+strings.Count(strings.Join(extra, " "), "-tcp"))
	if want := "listening unix:" + path; lines[0] != want {
		t.Fatalf("got ready line %q; want %q", lines[0], want)
	}
	return p, path
}

// stop sends SIGTERM and checks the clean exit: status 0, the socket file
// gone, nothing on stdout after the ready lines.
func stop(t *testing.T, p *testkit.Proc, path string) {
	t.Helper()
	before := p.Stdout.String()
	p.Signal(t, syscall.SIGTERM)
	if got := p.Wait(t); got != 0 {
		t.Fatalf("exit status after SIGTERM: got %d; want 0; stderr %q", got, p.Stderr)
	}
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("socket file after exit: Lstat error %v; want not exist", err)
	}
	if after := p.Stdout.String(); after != before {
		t.Fatalf("stdout at shutdown: got %q; want nothing more than %q", after, before)
	}
}

// checkEcho sends payload on a new connection to network addr, half-closes, and
// checks that exactly payload comes back before EOF.
func checkEcho(t *testing.T, network, addr string, payload []byte) {
	t.Helper()
	if err := roundTrip(network, addr, payload); err != nil {
		t.Fatal(err)
	}
}

func roundTrip(network, addr string, payload []byte) error {
	c, err := net.DialTimeout(network, addr, testkit.Timeout)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testkit.Timeout))
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(payload)
		if err == nil {
			err = c.(interface{ CloseWrite() error }).CloseWrite()
		}
		werr <- err
	}()
	got, err := io.ReadAll(c)
	if err != nil {
		return fmt.Errorf("read after %d bytes: %v", len(got), err)
	}
	if err := <-werr; err != nil {
		return err
	}
	if !bytes.Equal(got, payload) {
		return fmt.Errorf("got %d bytes back; want the %d sent", len(got), len(payload))
	}
	return nil
}

// runToExit runs echo-server with args and returns its exit status and stderr.
func runToExit(t *testing.T, args ...string) (int, string) {
	t.Helper()
	p := testkit.Start(t, binary, args...)
	status := p.Wait(t)
	if out := p.Stdout.String(); out != "" {
		t.Fatalf("stdout: got %q; want nothing", out)
	}
	return status, p.Stderr.String()
}

func TestReadyLines(t *testing.T) {
	dir := testkit.TempDir(t)
	a, b := filepath.Join(dir, "a.sock"), filepath.Join(dir, "b.sock")
	args := []string{"-unix", a, "--tcp", "127.0.0.1:0", "-unix", b}
	ipv6 := false
	if l, err := net.Listen("tcp", "[::1]:0"); err == nil {
		l.Close()
		ipv6 = true
		args = append(args, "-tcp", "[::1]:0")
	}
	p := testkit.Start(t, binary, args...)
	lines := p.Ready(t, len(args)/2)
	if lines[0] != "listening unix:"+a || lines[2] != "listening unix:"+b {
		t.Fatalf("got %q; want unix lines for %s and %s", lines, a, b)
	}
	if !strings.HasPrefix(lines[1], "listening tcp:127.0.0.1:") || strings.HasSuffix(lines[1], ":0") {
		t.Fatalf("got %q; want listening tcp:127.0.0.1:PORT", lines[1])
	}
	checkEcho(t, "tcp", strings.TrimPrefix(lines[1], "listening tcp:"), []byte("Hello"))
	if ipv6 {
		if !strings.HasPrefix(lines[3], "listening tcp:[::1]:") {
			t.Fatalf("got %q; want listening tcp:[::1]:PORT", lines[3])
		}
		checkEcho(t, "tcp", strings.TrimPrefix(lines[3], "listening tcp:"), []byte("Hello"))
	}
	checkEcho(t, "unix", b, []byte("Hello"))
	stop(t, p, a)
	if _, err := os.Lstat(b); !os.IsNotExist(err) {
		t.Fatalf("second socket file after exit: Lstat error %v; want not exist", err)
	}
}

func TestEchoLargeHalfClose(t *testing.T) {
	p, path := start(t, "-tcp", "127.0.0.1:0")
	tcp := strings.TrimPrefix(p.Ready(t, 2)[1], "listening tcp:")
	payload := fixture.SplitMix64(7, 8<<20+3)
	checkEcho(t, "unix", path, payload)
	checkEcho(t, "tcp", tcp, payload)
	checkEcho(t, "unix", path, nil)
	stop(t, p, path)
}

func TestManyConcurrentClients(t *testing.T) {
	p, path := start(t)
	const clients = 100
	errs := make(chan error, clients)
	for i := 0; i < clients; i++ {
		go func(i int) { errs <- roundTrip("unix", path, fixture.SplitMix64(uint64(i), 64<<10+i)) }(i)
	}
	for i := 0; i < clients; i++ {
		if err := <-errs; err != nil {
			t.Fatalf("client: %v", err)
		}
	}
	stop(t, p, path)
}

// TestResetClient checks that a client that goes away with echo unread
// (a reset) ends only its own connection.
func TestResetClient(t *testing.T) {
	p, path := start(t, "-tcp", "127.0.0.1:0")
	tcp := strings.TrimPrefix(p.Ready(t, 2)[1], "listening tcp:")
	for _, ep := range [][2]string{{"unix", path}, {"tcp", tcp}} {
		// A client in the middle of its echo while another resets.
		slow, err := net.DialTimeout(ep[0], ep[1], testkit.Timeout)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		slow.SetDeadline(time.Now().Add(testkit.Timeout))
		if _, err := slow.Write([]byte("first half ")); err != nil {
			t.Fatalf("write: %v", err)
		}
		rude, err := net.DialTimeout(ep[0], ep[1], testkit.Timeout)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		if tc, ok := rude.(*net.TCPConn); ok {
			tc.SetLinger(0) // close sends RST
		}
		rude.SetDeadline(time.Now().Add(testkit.Timeout))
		// 64 KiB fits in the socket buffers; the client reads one byte of the
		// echo, so that the rest is there unread when it closes.
		if _, err := rude.Write(fixture.SplitMix64(1, 64<<10)); err != nil {
			t.Fatalf("write: %v", err)
		}
		if _, err := io.ReadFull(rude, make([]byte, 1)); err != nil {
			t.Fatalf("read: %v", err)
		}
		rude.Close()
		if _, err := slow.Write([]byte("second half")); err != nil {
			t.Fatalf("write: %v", err)
		}
		slow.(interface{ CloseWrite() error }).CloseWrite()
		got, err := io.ReadAll(slow)
		if err != nil || string(got) != "first half second half" {
			t.Fatalf("%s: got %q, %v; want \"first half second half\", nil", ep[0], got, err)
		}
		slow.Close()
		checkEcho(t, ep[0], ep[1], []byte("after the reset"))
	}
	if p.Exited() {
		t.Fatalf("server exited after a reset; stderr %q", p.Stderr)
	}
	stop(t, p, path)
}

// TestRunInProcess drives run directly, so that -race sees the server's code.
func TestRunInProcess(t *testing.T) {
	path := filepath.Join(testkit.TempDir(t), "echo.sock")
	signals := make(chan os.Signal, 1)
	stdout, stdoutW := io.Pipe()
	defer stdout.Close()
	stderr := testkit.NewOutput()
	status := make(chan int, 1)
	go func() {
		status <- run([]string{"-unix", path}, stdoutW, stderr, signals)
		stdoutW.Close()
	}()
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
		io.Copy(io.Discard, stdout)
	}()
	timer := time.NewTimer(testkit.Timeout)
	defer timer.Stop()
	select {
	case line := <-ready:
		if want := "listening unix:" + path + "\n"; line != want {
			t.Fatalf("got %q; want %q", line, want)
		}
	case <-timer.C:
		t.Fatalf("no ready line within %v", testkit.Timeout)
	}
	errs := make(chan error, 8)
	for i := 0; i < cap(errs); i++ {
		go func(i int) { errs <- roundTrip("unix", path, fixture.SplitMix64(uint64(i), 100<<10)) }(i)
	}
	for i := 0; i < cap(errs); i++ {
		if err := <-errs; err != nil {
			t.Fatalf("client: %v", err)
		}
	}
	signals <- syscall.SIGTERM
	select {
	case got := <-status:
		if got != 0 {
			t.Fatalf("run: got status %d; want 0; stderr %q", got, stderr.String())
		}
	case <-timer.C:
		t.Fatalf("run did not return within %v of SIGTERM", testkit.Timeout)
	}
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("socket file after run: Lstat error %v; want not exist", err)
	}
}
