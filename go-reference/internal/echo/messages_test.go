// SPDX-License-Identifier: Apache-2.0
// Tests of the Server on seqpacket and datagram sockets, abstract names and passed descriptors, in-process.

package echo_test

import (
	"bufio"
	"bytes"
	"fmt"
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
	"udsinterop.dev/go-reference/internal/rights"
	"udsinterop.dev/go-reference/internal/testkit"
)

// abstractName returns an abstract name no other test uses.
func abstractName(t *testing.T) string {
	return fmt.Sprintf("@uds-interop-test-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-"))
}

// serve runs s on eps until the test ends and returns its ready lines.
func serve(t *testing.T, s *echo.Server, eps endpoint.List) []string {
	t.Helper()
	if err := s.Listen(eps, 0o600); err != nil {
		t.Fatalf("Listen: %v", err)
	}
	signals := make(chan os.Signal, 2)
	done := make(chan error, 1)
	stdout, stdoutW := io.Pipe()
	go func() {
		done <- s.Run(stdoutW, time.Hour, signals)
		stdoutW.Close()
	}()
	t.Cleanup(func() {
		signals <- syscall.SIGTERM
		signals <- syscall.SIGTERM
		select {
		case <-done:
		case <-time.After(testkit.Timeout):
			t.Errorf("Run did not return within %v of two signals", testkit.Timeout)
		}
	})
	lines := make(chan []string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		var got []string
		for range eps {
			line, err := r.ReadString('\n')
			if err != nil {
				break
			}
			got = append(got, strings.TrimSuffix(line, "\n"))
		}
		lines <- got
		io.Copy(io.Discard, r)
	}()
	select {
	case got := <-lines:
		return got
	case <-time.After(testkit.Timeout):
		t.Fatalf("no ready lines within %v", testkit.Timeout)
		return nil
	}
}

func TestReadyLinesOfEveryKind(t *testing.T) {
	dir := testkit.TempDir(t)
	name := abstractName(t)
	eps := endpoint.List{
		{Network: "unixpacket", Address: filepath.Join(dir, "p.sock")},
		{Network: "unixgram", Address: name + "-dgram"},
		{Network: "unix", Address: name + "-stream"},
		{Network: "unixgram", Address: filepath.Join(dir, "d.sock")},
	}
	got := serve(t, &echo.Server{Log: log.New(io.Discard, "", 0)}, eps)
	want := []string{
		"listening seqpacket:" + eps[0].Address,
		"listening datagram:" + eps[1].Address,
		"listening unix:" + eps[2].Address,
		"listening datagram:" + eps[3].Address,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("ready lines: got %q; want %q", got, want)
	}
	for _, path := range []string{eps[0].Address, eps[3].Address} {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode().Perm() != 0o600 || fi.Mode().Type() != os.ModeSocket {
			t.Fatalf("socket file %s: %v, %v; want a socket of mode 0600", path, fi, err)
		}
	}
}

// TestSeqpacketKeepsBoundaries sends messages of many sizes, up to 64 KiB,
// and wants each back as one message, in order, then EOF after the half-close.
func TestSeqpacketKeepsBoundaries(t *testing.T) {
	path := filepath.Join(testkit.TempDir(t), "p.sock")
	serve(t, &echo.Server{Log: log.New(io.Discard, "", 0)}, endpoint.List{{Network: "unixpacket", Address: path}})
	c, err := net.Dial("unixpacket", path)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testkit.Timeout))
	sizes := []int{1, 2, 100, 4095, 4096, 4097, 65536, 3}
	go func() {
		for i, n := range sizes {
			c.Write(fixture.SplitMix64(uint64(i), n))
		}
		c.(*net.UnixConn).CloseWrite()
	}()
	buf := make([]byte, 1<<20)
	for i, n := range sizes {
		k, err := c.Read(buf)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if want := fixture.SplitMix64(uint64(i), n); !bytes.Equal(buf[:k], want) {
			t.Fatalf("message %d: got %d bytes; want the %d sent, as one message", i, k, n)
		}
	}
	if k, err := c.Read(buf); k != 0 || err != io.EOF {
		t.Fatalf("after the last echo: got %d bytes, %v; want EOF", k, err)
	}
}

// TestDatagramEcho checks that each datagram, up to 64 KiB, goes back to its
// sender, and that one from an unbound sender is dropped, counted, and does
// not stop the server.
func TestDatagramEcho(t *testing.T) {
	path := filepath.Join(testkit.TempDir(t), "d.sock")
	logged := testkit.NewOutput()
	serve(t, &echo.Server{Log: log.New(logged, "", 0)}, endpoint.List{{Network: "unixgram", Address: path}})

	unbound, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatalf("dial unbound: %v", err)
	}
	defer unbound.Close()
	if _, err := unbound.Write([]byte("nobody to answer")); err != nil {
		t.Fatalf("write unbound: %v", err)
	}

	c, err := net.DialUnix("unixgram", &net.UnixAddr{Name: abstractName(t) + "-client", Net: "unixgram"}, &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(testkit.Timeout))
	buf := make([]byte, 1<<20)
	for i, n := range []int{1, 1000, 65536} {
		want := fixture.SplitMix64(uint64(i), n)
		if _, err := c.Write(want); err != nil {
			t.Fatalf("datagram %d: write: %v", i, err)
		}
		k, err := c.Read(buf)
		if err != nil || !bytes.Equal(buf[:k], want) {
			t.Fatalf("datagram %d: got %d bytes, %v; want the %d sent", i, k, err, n)
		}
	}
	if got := logged.String(); !strings.Contains(got, "16 bytes from an unbound sender, which cannot be answered: dropped (1 so far)") {
		t.Fatalf("log: got %q; want the unbound sender's datagram counted", got)
	}
}

// TestAbstractNames checks stream, seqpacket and datagram echo on @names,
// that no file appears, and that a name in use is refused.
func TestAbstractNames(t *testing.T) {
	name := abstractName(t)
	cwd, _ := os.Getwd()
	before, _ := os.ReadDir(cwd)
	eps := endpoint.List{{Network: "unix", Address: name + "-s"}, {Network: "unixpacket", Address: name + "-p"}, {Network: "unixgram", Address: name + "-d"}}
	serve(t, &echo.Server{Log: log.New(io.Discard, "", 0)}, eps)
	for _, ep := range eps {
		var c net.Conn
		var err error
		if ep.Network == "unixgram" {
			c, err = net.DialUnix("unixgram", &net.UnixAddr{Name: name + "-client", Net: "unixgram"}, &net.UnixAddr{Name: ep.Address, Net: "unixgram"})
		} else {
			c, err = net.Dial(ep.Network, ep.Address)
		}
		if err != nil {
			t.Fatalf("dial %s: %v", ep, err)
		}
		c.SetDeadline(time.Now().Add(testkit.Timeout))
		c.Write([]byte("abstract"))
		buf := make([]byte, 64)
		if k, err := c.Read(buf); err != nil || string(buf[:k]) != "abstract" {
			t.Fatalf("%s: got %q, %v; want the echo", ep, buf[:k], err)
		}
		c.Close()
	}
	after, _ := os.ReadDir(cwd)
	if len(after) != len(before) {
		t.Fatalf("files in the working directory: %d before, %d after; want no new file", len(before), len(after))
	}
	for _, ep := range eps {
		s := &echo.Server{Log: log.New(io.Discard, "", 0)}
		err := s.Listen(endpoint.List{ep}, 0o600)
		if err == nil || !strings.Contains(err.Error(), "address already in use") {
			t.Fatalf("a second server on %s: got %v; want address already in use", ep, err)
		}
	}
}

// TestDescriptorsComeBack sends pipes' write ends with the bytes, over
// stream and seqpacket, and wants the same open files back with the echo.
func TestDescriptorsComeBack(t *testing.T) {
	dir := testkit.TempDir(t)
	eps := endpoint.List{{Network: "unix", Address: filepath.Join(dir, "s.sock")}, {Network: "unixpacket", Address: filepath.Join(dir, "p.sock")}}
	serve(t, &echo.Server{Log: log.New(io.Discard, "", 0)}, eps)
	for _, ep := range eps {
		for _, n := range []int{1, echo.MaxDescriptors} {
			t.Run(fmt.Sprintf("%s/%d", endpoint.Kind(ep.Network), n), func(t *testing.T) {
				pipes, err := rights.NewPipes(n)
				if err != nil {
					t.Fatalf("pipes: %v", err)
				}
				defer pipes.Close()
				conn, err := net.Dial(ep.Network, ep.Address)
				if err != nil {
					t.Fatalf("dial: %v", err)
				}
				c := conn.(*net.UnixConn)
				defer c.Close()
				deadline := time.Now().Add(testkit.Timeout)
				c.SetDeadline(deadline)
				if _, _, err := c.WriteMsgUnix([]byte("with descriptors"), pipes.Rights(), nil); err != nil {
					t.Fatalf("write: %v", err)
				}
				c.CloseWrite()
				buf, oob := make([]byte, 64), make([]byte, rights.Space(echo.MaxDescriptors))
				k, oobn, _, _, err := c.ReadMsgUnix(buf, oob)
				if err != nil || string(buf[:k]) != "with descriptors" {
					t.Fatalf("got %q, %v; want the echo", buf[:k], err)
				}
				fds, err := rights.Parse(oob[:oobn])
				if err != nil {
					t.Fatalf("%v", err)
				}
				defer rights.CloseAll(fds)
				if err := pipes.Check(fds, deadline); err != nil {
					t.Fatalf("%v", err)
				}
			})
		}
	}
}
