// SPDX-License-Identifier: Apache-2.0
// Endpoints: the -unix and -tcp flags every command takes, -seqpacket and -datagram, and the ready line.

// Package endpoint holds the addresses the commands take with -unix and -tcp
// (and the echo servers and interop-client with -seqpacket and -datagram),
// and listens on them the way a correct echo server must: the socket file's
// mode set with no window where it is more open, stale sockets replaced, and
// anything else at the path refused. A unix address that starts with "@" is
// a name in Linux's abstract namespace: no file is involved.
package endpoint

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"path/filepath"
	"strings"
)

// An Endpoint is a network, as package net names it ("unix", "unixpacket",
// "unixgram" or "tcp"), and an address on it: a socket path, an abstract
// "@name", or a host:port.
type Endpoint struct {
	Network string
	Address string
}

// String returns the endpoint as it appears in a ready line, kind:address,
// such as seqpacket:/tmp/p.sock (see Kind).
func (e Endpoint) String() string { return Kind(e.Network) + ":" + e.Address }

// Addr returns the endpoint as a net.Addr, unresolved, for error messages.
func (e Endpoint) Addr() net.Addr {
	if e.IsUnix() {
		return &net.UnixAddr{Name: e.Address, Net: e.Network}
	}
	return addr{e.Network, e.Address}
}

// IsUnix reports whether e is a Unix domain socket of any type.
func (e Endpoint) IsUnix() bool { return e.Network != "tcp" }

// IsAbstract reports whether e is a name in the abstract namespace, "@name".
func (e Endpoint) IsAbstract() bool { return e.IsUnix() && strings.HasPrefix(e.Address, "@") }

// Kind returns the word ready lines and flags use for network: "seqpacket"
// for unixpacket, "datagram" for unixgram, the network itself otherwise.
func Kind(network string) string {
	switch network {
	case "unixpacket":
		return "seqpacket"
	case "unixgram":
		return "datagram"
	}
	return network
}

// addr is an unresolved net.Addr.
type addr struct{ network, address string }

func (a addr) Network() string { return a.network }
func (a addr) String() string  { return a.address }

// A List is the endpoints given on a command line, in order.
type List []Endpoint

// Register defines the -unix and -tcp flags on fs; each use appends to l.
func (l *List) Register(fs *flag.FlagSet, unixUsage, tcpUsage string) {
	fs.Var(listFlag{l, "unix"}, "unix", unixUsage)
	fs.Var(listFlag{l, "tcp"}, "tcp", tcpUsage)
}

// RegisterMessages defines the -seqpacket and -datagram flags on fs, for
// SOCK_SEQPACKET and SOCK_DGRAM sockets; each use appends to l.
func (l *List) RegisterMessages(fs *flag.FlagSet, seqpacketUsage, datagramUsage string) {
	fs.Var(listFlag{l, "unixpacket"}, "seqpacket", seqpacketUsage)
	fs.Var(listFlag{l, "unixgram"}, "datagram", datagramUsage)
}

// One returns the only endpoint of l, for a client.
func (l List) One() (Endpoint, error) {
	switch len(l) {
	case 0:
		return Endpoint{}, errors.New("one of -unix or -tcp is required")
	case 1:
		return l[0], nil
	}
	return Endpoint{}, fmt.Errorf("got %d addresses (%s and %s); want exactly one -unix or -tcp", len(l), l[0], l[1])
}

type listFlag struct {
	l       *List
	network string
}

func (f listFlag) String() string { return "" }

func (f listFlag) Set(s string) error {
	if s == "" {
		return errors.New("empty address")
	}
	if f.network == "tcp" {
		if _, _, err := net.SplitHostPort(s); err != nil {
			return err
		}
	}
	*f.l = append(*f.l, Endpoint{Network: f.network, Address: s})
	return nil
}

// ReadyLine returns the line a server prints once it receives on a, the
// address of a listener or of a datagram socket: "listening unix:/absolute/path",
// "listening seqpacket:/absolute/path", "listening datagram:@name" or
// "listening tcp:host:port" with the actual port, the host of an IPv6 address
// in brackets.
func ReadyLine(a net.Addr) string {
	switch a := a.(type) {
	case *net.UnixAddr:
		name := a.Name
		if !strings.HasPrefix(name, "@") {
			if path, err := filepath.Abs(name); err == nil {
				name = path
			}
		}
		return "listening " + Kind(a.Net) + ":" + name
	case *net.TCPAddr:
		return "listening tcp:" + a.String()
	default:
		return "listening " + a.Network() + ":" + a.String()
	}
}

// ConnError returns err, an error of operation op on c, as a *net.OpError
// naming both ends: "read unix ->/tmp/x.sock: EOF" or "read tcp
// 127.0.0.1:5555->127.0.0.1:4242: EOF". An unbound unix client end, which the
// syscall package names "@", is printed empty as above.
func ConnError(op string, c net.Conn, err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) {
		copied := *oe
		oe = &copied
	} else {
		oe = &net.OpError{Op: op, Net: c.LocalAddr().Network(), Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: err}
	}
	if a, ok := oe.Source.(*net.UnixAddr); ok && a.Name == "@" {
		oe.Source = &net.UnixAddr{Name: "", Net: a.Net}
	}
	return oe
}
