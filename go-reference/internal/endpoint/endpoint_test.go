// SPDX-License-Identifier: Apache-2.0
// Tests for the flags, the ready line, and what ListenUnix does with what is at the path.

package endpoint

import (
	"flag"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// tempDir returns a short directory for socket paths, as the net package's tests do:
// t.TempDir's names can exceed the 107-byte limit.
func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatalf("MkdirTemp: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestFlags(t *testing.T) {
	var l List
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	l.Register(fs, "unix `path`", "tcp `address`")
	if err := fs.Parse([]string{"-unix", "/a.sock", "--tcp", "127.0.0.1:0", "-unix=/b.sock"}); err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := List{{"unix", "/a.sock"}, {"tcp", "127.0.0.1:0"}, {"unix", "/b.sock"}}
	if len(l) != len(want) {
		t.Fatalf("got %v; want %v", l, want)
	}
	for i := range want {
		if l[i] != want[i] {
			t.Fatalf("got %v; want %v", l, want)
		}
	}
	if _, err := l.One(); err == nil {
		t.Fatalf("One() of 3 endpoints: got nil error; want one")
	}
	if err := fs.Parse([]string{"-tcp", "localhost"}); err == nil || !strings.Contains(err.Error(), "missing port") {
		t.Fatalf("Parse(-tcp localhost): got %v; want missing port", err)
	}
}

func TestParseMode(t *testing.T) {
	for s, want := range map[string]os.FileMode{"0600": 0o600, "666": 0o666, "0": 0, "0777": 0o777} {
		if got, err := ParseMode(s); err != nil || got != want {
			t.Fatalf("ParseMode(%q) = %v, %v; want %v, nil", s, got, err, want)
		}
	}
	for _, s := range []string{"01000", "0800", "rw", "", "-1"} {
		if _, err := ParseMode(s); err == nil {
			t.Fatalf("ParseMode(%q): got nil error; want one", s)
		}
	}
}

func TestListenUnixModeAndReadyLine(t *testing.T) {
	dir := tempDir(t)
	before := syscall.Umask(0)
	syscall.Umask(before)
	for _, mode := range []os.FileMode{0o600, 0o666, 0o660} {
		path := filepath.Join(dir, "m.sock")
		l, err := ListenUnix("unix", path, mode, nil)
		if err != nil {
			t.Fatalf("ListenUnix(%#o): %v", mode, err)
		}
		fi, err := os.Lstat(path)
		if err != nil {
			t.Fatalf("Lstat: %v", err)
		}
		if got := fi.Mode().Perm(); got != mode {
			t.Fatalf("mode %#o: got %v; want %v", mode, got, mode)
		}
		if got, want := ReadyLine(l.Addr()), "listening unix:"+path; got != want {
			t.Fatalf("got %q; want %q", got, want)
		}
		l.Close()
		if _, err := os.Lstat(path); !os.IsNotExist(err) {
			t.Fatalf("after Close: Lstat error %v; want not exist", err)
		}
	}
	after := syscall.Umask(0)
	syscall.Umask(after)
	if after != before {
		t.Fatalf("umask after ListenUnix: got %#o; want %#o restored", after, before)
	}
}

func TestListenUnixStale(t *testing.T) {
	path := filepath.Join(tempDir(t), "s.sock")
	stale, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatalf("ListenUnix: %v", err)
	}
	stale.SetUnlinkOnClose(false)
	stale.Close()
	var logged []string
	l, err := ListenUnix("unix", path, 0o600, func(f string, a ...interface{}) { logged = append(logged, f) })
	if err != nil {
		t.Fatalf("ListenUnix over a stale socket: %v", err)
	}
	defer l.Close()
	if len(logged) != 1 || !strings.Contains(logged[0], "removed stale socket") {
		t.Fatalf("got log %q; want one \"removed stale socket\" line", logged)
	}
	// Now it is live: a second listener is refused and the first keeps its file.
	if _, err := ListenUnix("unix", path, 0o600, nil); err == nil || !strings.Contains(err.Error(), "a server is already listening there") {
		t.Fatalf("ListenUnix over a live socket: got %v; want refusal", err)
	}
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatalf("Dial after refusal: %v", err)
	}
	c.Close()
}

func TestListenUnixRefuses(t *testing.T) {
	dir := tempDir(t)
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("keep me"), 0o644); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	sub := filepath.Join(dir, "dir")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatalf("Mkdir: %v", err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatalf("Mkfifo: %v", err)
	}
	sock := filepath.Join(dir, "live.sock")
	live, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	defer live.Close()
	link := filepath.Join(dir, "link")
	if err := os.Symlink(sock, link); err != nil {
		t.Fatalf("Symlink: %v", err)
	}
	long := filepath.Join(dir, strings.Repeat("x", MaxPathLen))
	tests := []struct{ path, want string }{
		{file, "listen unix " + file + ": the path is a regular file, not a socket; leaving it alone"},
		{sub, "the path is a directory"},
		{fifo, "the path is a named pipe"},
		{link, "the path is a symbolic link"},
		{long, "longer than the 107-byte limit"},
		{filepath.Join(dir, "nope", "x.sock"), "listen unix " + dir + "/nope/x.sock: bind: no such file or directory"},
		{"@", "listen unix @: an abstract address needs a name after the @"},
	}
	for _, tt := range tests {
		l, err := ListenUnix("unix", tt.path, 0o600, nil)
		if err == nil {
			l.Close()
			t.Fatalf("ListenUnix(%s): got nil error; want %q", tt.path, tt.want)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Fatalf("ListenUnix(%s): got %q; want %q", tt.path, err, tt.want)
		}
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "keep me" {
		t.Fatalf("regular file after refusal: got %q, %v; want \"keep me\"", b, err)
	}
	for _, p := range []string{sub, fifo, link} {
		if _, err := os.Lstat(p); err != nil {
			t.Fatalf("after refusal: Lstat(%s): %v", p, err)
		}
	}
}

func TestReadyLineTCP(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			if addr == "[::1]:0" {
				continue // no IPv6 loopback here
			}
			t.Fatalf("Listen: %v", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		host := strings.TrimSuffix(addr, ":0")
		if got, want := ReadyLine(l.Addr()), "listening tcp:"+net.JoinHostPort(strings.Trim(host, "[]"), strconv.Itoa(port)); got != want {
			t.Fatalf("got %q; want %q", got, want)
		}
		l.Close()
	}
}

func TestConnError(t *testing.T) {
	path := filepath.Join(tempDir(t), "c.sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	defer l.Close()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	defer c.Close()
	if got, want := ConnError("read", c, io.EOF).Error(), "read unix ->"+path+": EOF"; got != want {
		t.Fatalf("got %q; want %q", got, want)
	}
	c.Close()
	_, err = c.Read(make([]byte, 1))
	if got, want := ConnError("read", c, err).Error(), "read unix ->"+path+": use of closed network connection"; got != want {
		t.Fatalf("got %q; want %q", got, want)
	}
}
