// SPDX-License-Identifier: Apache-2.0
// The datagram echo: each datagram back to its sender; one from an unbound sender is dropped and counted.

package echo

import (
	"errors"
	"net"
	"sync/atomic"
	"syscall"
	"time"

	"udsinterop.dev/go-reference/internal/endpoint"
)

// ReplyTimeout bounds how long a reply waits for room in its receiver's
// queue: a sender that stopped reading must not stall the others.
const ReplyTimeout = time.Second

// A datagramSocket is a bound SOCK_DGRAM socket the server echoes on.
type datagramSocket struct {
	conn    *net.UnixConn
	address string // as given: a path or @name

	unanswerable atomic.Int64 // datagrams from unbound senders, dropped
}

// close closes the socket and removes its file.
func (d *datagramSocket) close() error {
	err := d.conn.Close()
	if rerr := endpoint.Unlink(d.address); err == nil {
		err = rerr
	}
	return err
}

// serveDatagrams answers every datagram on d with Reply, until d is closed.
// A datagram from an unbound sender has no address to answer: it is dropped,
// counted and logged. A reply that fails is logged; the server goes on.
func (s *Server) serveDatagrams(d *datagramSocket) {
	defer s.accepting.Done()
	reply := s.Reply
	if reply == nil {
		reply = func(c *net.UnixConn, b []byte, from *net.UnixAddr) error {
			_, err := c.WriteToUnix(b, from)
			return err
		}
	}
	buf := make([]byte, MaxMessage)
	for {
		n, _, flags, from, err := d.conn.ReadMsgUnix(buf, nil)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			s.logf("datagram %s: %v", d.address, err)
			continue
		}
		if from == nil || from.Name == "" || from.Name == "@" {
			s.logf("datagram %s: %d bytes from an unbound sender, which cannot be answered: dropped (%d so far)",
				d.address, n, d.unanswerable.Add(1))
			continue
		}
		if flags&syscall.MSG_TRUNC != 0 {
			s.logf("datagram %s: a datagram from %s was longer than %d bytes: dropped", d.address, from.Name, MaxMessage)
			continue
		}
		d.conn.SetWriteDeadline(time.Now().Add(ReplyTimeout))
		if err := reply(d.conn, buf[:n], from); err != nil {
			s.logf("datagram %s: reply to %s: %v", d.address, from.Name, err)
		}
	}
}
