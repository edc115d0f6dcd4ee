// SPDX-License-Identifier: Apache-2.0
// The echo of a unix connection: message boundaries kept, descriptors (SCM_RIGHTS) sent back with their bytes.

package echo

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"udsinterop.dev/go-reference/internal/rights"
)

// MaxMessage is the largest seqpacket message or datagram the server echoes
// whole; the contract asks for 64 KiB. A larger one arrives truncated, and
// the server says so.
const MaxMessage = 256 << 10

// MaxDescriptors is how many descriptors one message may carry; more are
// closed by the kernel (MSG_CTRUNC), and the server says so.
const MaxDescriptors = 8

// CopyMessages echoes the unix connection c until its EOF: each read's bytes
// go back in one write, on a seqpacket connection one message per message,
// and the descriptors that came with them go back with them, and are closed
// then. A partial write on a stream is finished with plain writes, the
// descriptors having gone with the first part.
//
// On a seqpacket connection a zero-length message cannot be told from the
// client's EOF (recvmsg returns 0 for both): CopyMessages takes it for EOF.
func CopyMessages(c *net.UnixConn) error {
	size := bufferSize
	if c.LocalAddr().Network() == "unixpacket" {
		size = MaxMessage
	}
	buf := make([]byte, size)
	oob := make([]byte, rights.Space(MaxDescriptors))
	for {
		n, oobn, flags, _, err := c.ReadMsgUnix(buf, oob)
		if errors.Is(err, io.EOF) || err == nil && n == 0 && oobn == 0 {
			return nil
		}
		if err != nil {
			return err
		}
		fds, err := rights.Parse(oob[:oobn])
		if err != nil {
			return err
		}
		err = writeMessage(c, buf[:n], fds)
		rights.CloseAll(fds)
		if err != nil {
			return err
		}
		if flags&syscall.MSG_TRUNC != 0 {
			return fmt.Errorf("a message longer than %d bytes arrived truncated", size)
		}
		if flags&syscall.MSG_CTRUNC != 0 {
			return fmt.Errorf("a message carried more than %d descriptors; the rest were closed", MaxDescriptors)
		}
	}
}

// writeMessage writes b with the descriptors fds, finishing a partial write
// on a stream without them.
func writeMessage(c *net.UnixConn, b []byte, fds []int) error {
	if len(fds) == 0 {
		_, err := c.Write(b)
		return err
	}
	n, _, err := c.WriteMsgUnix(b, syscall.UnixRights(fds...), nil)
	if err != nil {
		return err
	}
	if n < len(b) {
		_, err = c.Write(b[n:])
	}
	return err
}
