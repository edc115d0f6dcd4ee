// SPDX-License-Identifier: Apache-2.0
// RoundTrip: one echo exchange on a connection, checked, with errors in the one shape.

package endpoint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
)

// RoundTrip writes msg on c and reads len(msg) bytes of echo into buf, which
// must be as long as msg, and checks them. Its errors name both ends of c
// (see ConnError); a short echo says how much came, a wrong one shows short
// messages in full and long ones by the first differing offset.
func RoundTrip(c net.Conn, msg, buf []byte) error {
	if _, err := c.Write(msg); err != nil {
		return ConnError("write", c, err)
	}
	if n, err := io.ReadFull(c, buf); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("EOF after %d of %d bytes", n, len(msg))
		}
		return ConnError("read", c, err)
	}
	if !bytes.Equal(buf, msg) {
		if len(msg) <= 16 {
			return ConnError("read", c, fmt.Errorf("got %q; want %q", buf, msg))
		}
		i := 0
		for buf[i] == msg[i] {
			i++
		}
		return ConnError("read", c, fmt.Errorf("echo differs from the %d bytes sent at offset %d", len(msg), i))
	}
	return nil
}
