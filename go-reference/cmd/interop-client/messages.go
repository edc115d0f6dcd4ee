// SPDX-License-Identifier: Apache-2.0
// Running a case on seqpacket or datagram sockets, or one that passes descriptors: message by message.

package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync/atomic"
	"time"

	"udsinterop.dev/go-reference/internal/endpoint"
	"udsinterop.dev/go-reference/internal/fixture"
	"udsinterop.dev/go-reference/internal/rights"
)

// maxMessage is the receive buffer of a message: larger than any case's, so
// that two messages merged into one show as one too long.
const maxMessage = 1 << 20

// clientNames numbers the abstract names datagram connections bind.
var clientNames atomic.Int64

// network returns the network c runs on.
func network(c *fixture.Case) string {
	switch c.Socket {
	case fixture.SocketSeqpacket:
		return "unixpacket"
	case fixture.SocketDatagram:
		return "unixgram"
	}
	return "unix"
}

// messageWork is how a case's messages are written: in chunks, one of
// them with descriptors.
type messageWork struct {
	msgs  [][]byte
	pipes *rights.Pipes // nil: no descriptors
	with  int           // the index of the message that carries them
}

func newMessageWork(c *fixture.Case, payload []byte) (*messageWork, error) {
	w := &messageWork{}
	chunk := c.ChunkSize
	if chunk <= 0 {
		chunk = len(payload)
	}
	for off := 0; off < len(payload); off += chunk {
		end := off + chunk
		if end > len(payload) {
			end = len(payload)
		}
		w.msgs = append(w.msgs, payload[off:end])
	}
	if c.Fds > 0 {
		pipes, err := rights.NewPipes(c.Fds)
		if err != nil {
			return nil, err
		}
		w.pipes = pipes
		if c.FdsWith == "last" {
			w.with = len(w.msgs) - 1
		}
	}
	return w, nil
}

// dialMessages connects for case c: a datagram connection binds an
// abstract name of its own first, where the server's replies come.
func dialMessages(ep endpoint.Endpoint, c *fixture.Case, deadline time.Time) (*net.UnixConn, error) {
	raddr := &net.UnixAddr{Name: ep.Address, Net: network(c)}
	if c.Socket == fixture.SocketDatagram {
		laddr := &net.UnixAddr{Name: fmt.Sprintf("@uds-interop-client-%d-%d", os.Getpid(), clientNames.Add(1)), Net: "unixgram"}
		return net.DialUnix("unixgram", laddr, raddr)
	}
	d := net.Dialer{Deadline: deadline}
	conn, err := d.Dial(network(c), ep.Address)
	if err != nil {
		return nil, err
	}
	return conn.(*net.UnixConn), nil
}

// runMessageConn runs one connection of a case on seqpacket or datagram
// sockets, or one that passes descriptors on a stream: it writes each
// message (with the descriptors on one of them) while it reads the echo. On
// seqpacket and datagram sockets every message must come back as one
// message, the same bytes, in order; descriptors must come back as the same
// open files. A datagram connection ends once every datagram is back, or
// nothing came for eofWait after the last was sent.
func (r *runner) runMessageConn(c *fixture.Case, payload []byte, deadline time.Time) connResult {
	res := connResult{expected: payload, firstDiff: -1}
	work, err := newMessageWork(c, payload)
	if err != nil {
		res.dialErr = err
		return res
	}
	if work.pipes != nil {
		defer work.pipes.Close()
	}
	start := time.Now()
	conn, err := dialMessages(r.ep, c, deadline)
	res.timing.ConnectNs = time.Since(start).Nanoseconds()
	if err != nil {
		res.dialErr = err
		return res
	}
	defer conn.Close()
	conn.SetDeadline(deadline)

	var writerDone atomic.Bool
	written := make(chan error, 1)
	t0 := time.Now()
	go func() {
		err := r.writeMessages(conn, c, work, &res.sent)
		writerDone.Store(true)
		if c.Socket == fixture.SocketDatagram {
			conn.SetReadDeadline(earlier(time.Now().Add(r.eofWait), deadline))
		}
		written <- err
	}()
	fds := res.readMessages(conn, c, work, t0, deadline, r.eofWait, &writerDone)
	defer rights.CloseAll(fds)
	if res.readErr != nil || res.firstDiff >= 0 || res.boundary > 0 || len(res.received) != len(payload) {
		conn.Close() // unblock the writer: the case has failed anyway
		if err := <-written; err != nil && !errors.Is(err, net.ErrClosed) {
			res.writeErr = err
		}
		return res
	}
	res.writeErr = <-written
	if work.pipes != nil && res.writeErr == nil {
		res.fdErr = work.pipes.Check(fds, earlier(time.Now().Add(r.eofWait), deadline))
	}
	return res
}

// writeMessages writes each message of work, then half-closes if the case
// says so (not on datagrams).
func (r *runner) writeMessages(conn *net.UnixConn, c *fixture.Case, work *messageWork, sent *int) error {
	pause := time.Duration(c.PauseMicros) * time.Microsecond
	for i, m := range work.msgs {
		var oob []byte
		if work.pipes != nil && i == work.with {
			oob = work.pipes.Rights()
		}
		var n int
		var err error
		if oob == nil {
			n, err = conn.Write(m) // a connected datagram socket refuses WriteMsgUnix
		} else {
			n, _, err = conn.WriteMsgUnix(m, oob, nil)
		}
		if err == nil && n < len(m) { // a stream may take part: the rest goes without the descriptors
			var k int
			k, err = conn.Write(m[n:])
			n += k
		}
		*sent += n
		if err != nil {
			return endpoint.ConnError("write", conn, err)
		}
		if pause > 0 && i < len(work.msgs)-1 {
			time.Sleep(pause)
		}
	}
	if c.HalfClose {
		if err := conn.CloseWrite(); err != nil {
			return endpoint.ConnError("close", conn, err)
		}
	}
	return nil
}

// readMessages reads the echo, message by message on seqpacket and datagram
// sockets, and returns the descriptors that came with it. It stops at EOF
// (seqpacket and stream), or once every datagram is back.
func (res *connResult) readMessages(conn *net.UnixConn, c *fixture.Case, work *messageWork, t0, deadline time.Time,
	eofWait time.Duration, writerDone *atomic.Bool) []int {
	buf := make([]byte, maxMessage)
	oob := make([]byte, rights.Space(fixture.MaxFds))
	var fds []int
	var received []byte
	messages := c.IsMessages()
	for i := 0; ; i++ {
		if c.Socket == fixture.SocketDatagram && i == len(work.msgs) {
			break
		}
		if !c.HalfClose && c.Socket != fixture.SocketDatagram && len(received) >= len(res.expected) {
			break
		}
		n, oobn, _, _, err := conn.ReadMsgUnix(buf, oob)
		got, gerr := rights.Parse(oob[:oobn])
		fds = append(fds, got...)
		if gerr != nil && res.readErr == nil {
			res.readErr = gerr
		}
		if n > 0 {
			now := time.Since(t0).Nanoseconds()
			if len(received) == 0 {
				res.timing.FirstByteNs = now
			}
			res.timing.LastByteNs = now
			off := len(received)
			received = append(received, buf[:n]...)
			res.compare(buf[:n], off)
			if messages && res.boundary == 0 && (i >= len(work.msgs) || n != len(work.msgs[i])) {
				res.boundary, res.boundaryLen = i+1, n
			}
			if c.Socket == fixture.SocketDatagram && writerDone.Load() {
				conn.SetReadDeadline(earlier(time.Now().Add(eofWait), deadline))
			}
		}
		if errors.Is(err, io.EOF) || err == nil && n == 0 && oobn == 0 && c.Socket != fixture.SocketDatagram {
			break
		}
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) && c.Socket == fixture.SocketDatagram && writerDone.Load() &&
				time.Now().Before(deadline) {
				res.lost = len(work.msgs) - i
				break
			}
			res.readErr = endpoint.ConnError("read", conn, err)
			break
		}
		if !messages {
			i = 0 // a stream has no messages to count
		}
	}
	res.received = received
	return fds
}

// earlier returns the earlier of a and b.
func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// messagesWanted says how many messages case c's connection sends, for reports.
func messagesWanted(c *fixture.Case) int {
	if c.ChunkSize <= 0 || c.Size == 0 {
		return 1
	}
	return int((c.Size + int64(c.ChunkSize) - 1) / int64(c.ChunkSize))
}
