// SPDX-License-Identifier: Apache-2.0
// Listening: the socket file's mode, stale sockets, and what else may be in the way.

package endpoint

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// MaxPathLen is the longest socket path, in bytes: sun_path is 108 bytes
// including the terminating NUL.
const MaxPathLen = 107

// ProbeTimeout bounds the connection attempt that tells a live socket from a
// stale one.
const ProbeTimeout = time.Second

// ParseMode parses an octal permission string such as "0600".
func ParseMode(s string) (os.FileMode, error) {
	m, err := strconv.ParseUint(s, 8, 32)
	if err != nil || m > 0o777 {
		return 0, fmt.Errorf("invalid mode %q: want octal permission bits from 0000 to 0777", s)
	}
	return os.FileMode(m), nil
}

// Listen listens on e, a stream ("unix", "tcp") or seqpacket ("unixpacket")
// endpoint. A unix one is opened with ListenUnix, a tcp one with net.Listen.
func Listen(e Endpoint, mode os.FileMode, logf func(format string, args ...interface{})) (net.Listener, error) {
	if e.IsUnix() {
		return ListenUnix(e.Network, e.Address, mode, logf)
	}
	return net.Listen(e.Network, e.Address)
}

// ListenUnix listens on the network "unix" or "unixpacket" at address: a
// name in the abstract namespace ("@name"), or the socket file path, created
// with permission bits mode: the process umask is set to 0777&^mode around the
// bind, so the file is never more open than mode. The umask is process-wide:
// call ListenUnix before starting goroutines that create files.
//
// An abstract name involves no file: a name in use is refused by the bind
// (address already in use), and the name is free again as soon as the socket
// is closed, also by the death of its process.
//
// For a path, what is there first decides: nothing is fine; a socket nobody
// accepts on (connecting is refused) is stale, is removed, and logf is told; a
// socket with a live server, or anything that is not a socket (a regular
// file, a directory, a symbolic link even to a socket, a named pipe), is
// refused and left as it is. The check and the bind are not atomic: a server
// that starts on path in between loses its file.
//
// The listener unlinks path when it is closed (net's default), so the socket
// file is removed by whoever created it, when it stops listening; a process
// killed without closing leaves it stale for the next one to replace.
func ListenUnix(network, address string, mode os.FileMode, logf func(format string, args ...interface{})) (*net.UnixListener, error) {
	var l *net.UnixListener
	err := bindUnix(network, address, mode, logf, func(a *net.UnixAddr) (err error) {
		l, err = net.ListenUnix(network, a)
		return err
	})
	if err != nil {
		return nil, err
	}
	l.SetUnlinkOnClose(true) // net never unlinks an abstract name
	return l, nil
}

// ListenDatagram opens a SOCK_DGRAM socket ("unixgram") bound to address, as
// ListenUnix binds. Closing the socket does not remove its file: Unlink does.
func ListenDatagram(address string, mode os.FileMode, logf func(format string, args ...interface{})) (*net.UnixConn, error) {
	var c *net.UnixConn
	err := bindUnix("unixgram", address, mode, logf, func(a *net.UnixAddr) (err error) {
		c, err = net.ListenUnixgram("unixgram", a)
		return err
	})
	return c, err
}

// Unlink removes the socket file of a datagram socket that ListenDatagram
// opened at address; an abstract name has none.
func Unlink(address string) error {
	if strings.HasPrefix(address, "@") {
		return nil
	}
	if err := os.Remove(address); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// bindUnix checks address, makes way for a bind on it and calls bind with
// the umask of mode.
func bindUnix(network, address string, mode os.FileMode, logf func(format string, args ...interface{}),
	bind func(a *net.UnixAddr) error) error {
	a := &net.UnixAddr{Name: address, Net: network}
	opErr := func(err error) error {
		return &net.OpError{Op: "listen", Net: network, Addr: a, Err: err}
	}
	if len(address) > MaxPathLen {
		what := "path"
		if strings.HasPrefix(address, "@") {
			what = "abstract name"
		}
		return opErr(fmt.Errorf("%s is %d bytes, longer than the %d-byte limit for a socket %s", what, len(address), MaxPathLen, what))
	}
	if address == "@" {
		return opErr(errors.New("an abstract address needs a name after the @"))
	}
	if strings.HasPrefix(address, "@") {
		return bind(a)
	}
	if mode&^0o777 != 0 {
		return opErr(fmt.Errorf("invalid mode %#o", mode))
	}
	if err := clearStale(network, address, logf); err != nil {
		return opErr(err)
	}
	old := syscall.Umask(int(0o777 &^ mode))
	err := bind(a)
	syscall.Umask(old)
	return err
}

// clearStale makes way for a bind on path, or says why it will not. It
// probes with network, the socket type it will bind: a live socket of
// another type answers EPROTOTYPE, and is live too.
func clearStale(network, path string, logf func(format string, args ...interface{})) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return bare(err)
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("the path is %s, not a socket; leaving it alone", describe(fi.Mode()))
	}
	c, err := net.DialTimeout(network, path, ProbeTimeout)
	if err == nil {
		c.Close()
		return errors.New("a server is already listening there")
	}
	if errors.Is(err, syscall.EPROTOTYPE) {
		return errors.New("a server of another socket type is already listening there")
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("cannot tell whether the socket there is in use, so leaving it alone: %v", bare(err))
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing stale socket: %v", bare(err))
	}
	if logf != nil {
		logf("removed stale socket %s", path)
	}
	return nil
}

// bare strips the path or address that the caller's error already names.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %v", pe.Op, pe.Err)
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return fmt.Errorf("%s: %v", oe.Op, oe.Err)
	}
	return err
}

func describe(m os.FileMode) string {
	switch t := m.Type(); {
	case t == 0:
		return "a regular file"
	case t&fs.ModeDir != 0:
		return "a directory"
	case t&fs.ModeSymlink != 0:
		return "a symbolic link"
	case t&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case t&fs.ModeDevice != 0:
		return "a device"
	default:
		return fmt.Sprintf("a file of type %v", t)
	}
}
