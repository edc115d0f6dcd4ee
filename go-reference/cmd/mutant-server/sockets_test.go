// SPDX-License-Identifier: Apache-2.0
// Tests of the bugs of seqpacket, datagram, abstract and descriptor-passing sockets: each shows its one symptom.

package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"udsinterop.dev/go-reference/internal/rights"
	"udsinterop.dev/go-reference/internal/testkit"
)

// socketSymptoms checks each bug of the new socket kinds, given the
// mutant's seqpacket path, datagram path and stream @name.
var socketSymptoms = map[string]func(t *testing.T, dir, seqpacket, datagram, abstract string){
	"merge-messages": func(t *testing.T, _, seqpacket, _, _ string) {
		c := dialNet(t, "unixpacket", seqpacket)
		c.Write([]byte("one"))
		c.Write([]byte("two"))
		buf := make([]byte, 64)
		if n, err := c.Read(buf); err != nil || string(buf[:n]) != "onetwo" {
			t.Fatalf("got %q, %v; want the two messages as one, onetwo", buf[:n], err)
		}
	},
	"drop-fds": func(t *testing.T, _, seqpacket, _, _ string) {
		pipes, err := rights.NewPipes(1)
		if err != nil {
			t.Fatal(err)
		}
		defer pipes.Close()
		c := dialNet(t, "unixpacket", seqpacket)
		c.WriteMsgUnix([]byte("with a pipe"), pipes.Rights(), nil)
		buf, oob := make([]byte, 64), make([]byte, rights.Space(8))
		n, oobn, _, _, err := c.ReadMsgUnix(buf, oob)
		if err != nil || string(buf[:n]) != "with a pipe" || oobn != 0 {
			t.Fatalf("got %q with %d bytes of control data, %v; want the bytes without descriptors", buf[:n], oobn, err)
		}
	},
	"datagram-drop": func(t *testing.T, dir, _, datagram, _ string) {
		c := dialDatagram(t, dir, datagram, "c")
		buf := make([]byte, 64)
		for i := 1; i <= 100; i++ {
			c.Write([]byte(fmt.Sprint(i)))
			c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			_, err := c.Read(buf)
			if (err == nil) != (i < 100) {
				t.Fatalf("datagram %d: got %v; want a reply to all but the 100th", i, err)
			}
		}
	},
	"datagram-wrong-address": func(t *testing.T, dir, _, datagram, _ string) {
		a, b := dialDatagram(t, dir, datagram, "a"), dialDatagram(t, dir, datagram, "b")
		a.Write([]byte("from a"))
		buf := make([]byte, 64)
		if n, err := a.Read(buf); err != nil || string(buf[:n]) != "from a" {
			t.Fatalf("first sender: got %q, %v; want its own datagram (nobody came before)", buf[:n], err)
		}
		b.Write([]byte("from b"))
		if n, err := a.Read(buf); err != nil || string(buf[:n]) != "from b" {
			t.Fatalf("first sender after the second sent: got %q, %v; want the second's datagram", buf[:n], err)
		}
		// Once both have gone, as at the end of a case, the next sender gets its own
		// replies: which case runs first does not decide which one catches the bug.
		a.Close()
		b.Close()
		c := dialDatagram(t, dir, datagram, "c")
		c.Write([]byte("from c"))
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if n, err := c.Read(buf); err != nil || string(buf[:n]) != "from c" {
			t.Fatalf("a sender after the others have gone: got %q, %v; want its own datagram", buf[:n], err)
		}
	},
	"abstract-file": func(t *testing.T, dir, _, _, abstract string) {
		path := filepath.Join(dir, abstract[1:])
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode().Type() != os.ModeSocket {
			t.Fatalf("%s: %v, %v; want a socket file left for the abstract name %s", path, fi, err, abstract)
		}
		c := dialNet(t, "unix", abstract)
		c.Write([]byte("still served"))
		c.CloseWrite()
		buf := make([]byte, 64)
		if n, err := c.Read(buf); err != nil || !bytes.Equal(buf[:n], []byte("still served")) {
			t.Fatalf("on the abstract name: got %q, %v; want the echo", buf[:n], err)
		}
	},
}

func TestEachSocketBugShowsItsSymptom(t *testing.T) {
	for bug, check := range socketSymptoms {
		t.Run(bug, func(t *testing.T) {
			dir := testkit.TempDir(t)
			seqpacket, datagram := filepath.Join(dir, "p.sock"), filepath.Join(dir, "d.sock")
			abstract := fmt.Sprintf("@mutant-test-%d-%s", os.Getpid(), bug)
			p := testkit.Start(t, binary, "-bug", bug, "-seqpacket", seqpacket, "-datagram", datagram, "-unix", abstract)
			p.Ready(t, 3)
			check(t, dir, seqpacket, datagram, abstract)
		})
	}
}

func dialNet(t *testing.T, network, addr string) *net.UnixConn {
	t.Helper()
	c, err := net.DialTimeout(network, addr, testkit.Timeout)
	if err != nil {
		t.Fatalf("dial %s %s: %v", network, addr, err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(testkit.Timeout))
	return c.(*net.UnixConn)
}

// dialDatagram connects a datagram socket bound at dir/name.sock to addr.
func dialDatagram(t *testing.T, dir, addr, name string) *net.UnixConn {
	t.Helper()
	c, err := net.DialUnix("unixgram", &net.UnixAddr{Name: filepath.Join(dir, name+".sock"), Net: "unixgram"},
		&net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(testkit.Timeout))
	return c
}
