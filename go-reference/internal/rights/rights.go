// SPDX-License-Identifier: Apache-2.0
// Descriptors passed over unix sockets (SCM_RIGHTS): pipes to send, parsing what arrives, checking what came back.

// Package rights passes open descriptors over unix sockets, as SCM_RIGHTS
// control messages: it parses the descriptors that arrive, and gives a
// client pipes to send whose write ends it can check when they come back,
// by writing through the returned descriptor and reading on its own end.
package rights

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// Parse returns the descriptors in the SCM_RIGHTS messages of oob, the
// control data of one recvmsg. They are the caller's to close.
func Parse(oob []byte) ([]int, error) {
	if len(oob) == 0 {
		return nil, nil
	}
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return nil, fmt.Errorf("parsing control messages: %v", err)
	}
	var fds []int
	for i := range msgs {
		if msgs[i].Header.Level != syscall.SOL_SOCKET || msgs[i].Header.Type != syscall.SCM_RIGHTS {
			continue
		}
		got, err := syscall.ParseUnixRights(&msgs[i])
		if err != nil {
			CloseAll(fds)
			return nil, fmt.Errorf("parsing descriptors: %v", err)
		}
		fds = append(fds, got...)
	}
	return fds, nil
}

// CloseAll closes every descriptor in fds.
func CloseAll(fds []int) {
	for _, fd := range fds {
		syscall.Close(fd)
	}
}

// Space returns the size of a control buffer with room for n descriptors.
func Space(n int) int { return syscall.CmsgSpace(4 * n) }

// Pipes are n pipes whose write ends a client sends, and whose read ends it
// keeps, to check the descriptors that come back.
type Pipes struct {
	r, w []*os.File
}

// NewPipes makes n pipes.
func NewPipes(n int) (*Pipes, error) {
	p := &Pipes{}
	for i := 0; i < n; i++ {
		r, w, err := os.Pipe()
		if err != nil {
			p.Close()
			return nil, err
		}
		p.r, p.w = append(p.r, r), append(p.w, w)
	}
	return p, nil
}

// Len returns the number of pipes.
func (p *Pipes) Len() int { return len(p.w) }

// Rights returns the control message that sends the write ends, in order.
func (p *Pipes) Rights() []byte {
	fds := make([]int, len(p.w))
	for i, w := range p.w {
		fds[i] = int(w.Fd())
	}
	return syscall.UnixRights(fds...)
}

// Check checks that fds, the descriptors that came back, are the write ends
// of the pipes in order: a token written through fds[i] must arrive on the
// read end of pipe i by deadline. It does not close fds.
func (p *Pipes) Check(fds []int, deadline time.Time) error {
	if len(fds) != len(p.w) {
		return fmt.Errorf("%d descriptors came back; %d were sent", len(fds), len(p.w))
	}
	for i, fd := range fds {
		token := []byte(fmt.Sprintf("pipe %d of %d\n", i, len(fds)))
		if _, err := syscall.Write(fd, token); err != nil {
			return fmt.Errorf("descriptor %d of %d that came back: write: %v (not the pipe's write end)", i, len(fds), err)
		}
		p.r[i].SetReadDeadline(deadline)
		got := make([]byte, len(token))
		n, err := p.r[i].Read(got)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return fmt.Errorf("descriptor %d of %d that came back is another file: nothing written through it arrived in pipe %d", i, len(fds), i)
		}
		if err != nil || string(got[:n]) != string(token) {
			return fmt.Errorf("descriptor %d of %d that came back: pipe %d read %q, %v; want %q", i, len(fds), i, got[:n], err, token)
		}
	}
	return nil
}

// Close closes both ends of every pipe.
func (p *Pipes) Close() {
	for i := range p.w {
		p.r[i].Close()
		p.w[i].Close()
	}
}
