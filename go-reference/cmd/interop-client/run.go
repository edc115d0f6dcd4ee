// SPDX-License-Identifier: Apache-2.0
// Running an echo case: its connections concurrently, each with a writer and a checking reader.

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"udsinterop.dev/go-reference/internal/endpoint"
	"udsinterop.dev/go-reference/internal/fixture"
)

// extraLimit is how many bytes past the payload a half-closed connection
// reads before it stops counting them.
const extraLimit = 64 << 10

// A runner runs echo cases against one endpoint.
type runner struct {
	ep      endpoint.Endpoint
	m       *fixture.Manifest
	scale   float64       // multiplies each case's timeoutMs
	eofWait time.Duration // how long a half-closed connection with its whole echo waits for EOF
}

// A connResult is what happened on one connection of a case.
type connResult struct {
	expected   []byte
	received   []byte
	sent       int
	timing     Timing
	dialErr    error
	readErr    error
	writeErr   error
	firstDiff  int   // first offset where received and expected differ, or -1
	overflow   bool  // stopped reading after extraLimit bytes too many
	barrierErr error // the others' echoes did not all come in time
	// earlyEOF is set when the server's EOF came before the client's
	// half-close, in a case whose client half-closes after its whole echo.
	earlyEOF bool

	// On seqpacket and datagram sockets: 1 + the index of the first message
	// that came back with another length than it was sent with (0: none),
	// and that length.
	boundary, boundaryLen int
	lost                  int   // datagrams that never came back
	fdErr                 error // the descriptors did not come back as the same files
	messageSize           int   // the case's message size, for reports
}

// A rendezvous holds a barrier case's connections: each waits there with its
// whole echo in until every one has its echo, before any closes or
// half-closes, so that all are served at once. A connection that fails
// before it arrives breaks it: the others stop waiting. Nil for other cases.
type rendezvous struct {
	mu     sync.Mutex
	left   int
	all    chan struct{} // closed when the last one arrives
	broken chan struct{} // closed when one leaves without arriving
	once   sync.Once
}

func newRendezvous(c *fixture.Case) *rendezvous {
	if !c.Barrier {
		return nil
	}
	return &rendezvous{left: c.Connections, all: make(chan struct{}), broken: make(chan struct{})}
}

// arrive counts in a connection that has its whole echo.
func (r *rendezvous) arrive() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.left--; r.left == 0 {
		close(r.all)
	}
}

// leave says a connection failed before it arrived.
func (r *rendezvous) leave() { r.once.Do(func() { close(r.broken) }) }

// wait waits until every connection has arrived; it fails when the deadline
// passes or one left first (the others' echoes will not all come).
func (r *rendezvous) wait(deadline time.Time) error {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-r.all:
		return nil
	case <-r.broken:
		return os.ErrDeadlineExceeded
	case <-timer.C:
		return os.ErrDeadlineExceeded
	}
}

// An eofWatch tells the reader of a connection what the writer did: whether
// it has sent its half-close (an EOF before that came too early), and when
// the wait for EOF began, which is bounded on its own: once the connection
// has its whole echo and has half-closed, a server that closes at all does
// so at once, and one that never does would hold it until the deadline.
type eofWatch struct {
	conn     net.Conn
	deadline time.Time
	wait     time.Duration

	halfClosing atomic.Bool // set just before the half-close is sent

	mu                 sync.Mutex
	echoed, halfClosed bool
}

// echoComplete says the connection has its whole echo.
func (w *eofWatch) echoComplete() { w.mark(&w.echoed) }

// halfClose says the connection has half-closed.
func (w *eofWatch) halfClose() { w.mark(&w.halfClosed) }

// mark records one of the two; with both, reading ends at most w.wait later.
func (w *eofWatch) mark(done *bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if *done {
		return
	}
	*done = true
	if due := time.Now().Add(w.wait); w.echoed && w.halfClosed && due.Before(w.deadline) {
		w.conn.SetReadDeadline(due)
	}
}

// run runs echo case c: its connections start together and run
// independently, all bounded by the case's deadline.
func (r *runner) run(c *fixture.Case) Result {
	payloads := make([][]byte, c.Connections)
	for j := range payloads {
		p, err := r.m.Payload(c, j)
		if err != nil { // Verify has read them all before
			return Result{ID: c.ID, Status: statusFailed, Connections: c.Connections, ExpectedSha256: c.Sha256,
				Timings: []Timing{}, Failure: &Failure{Message: err.Error()}}
		}
		payloads[j] = p
	}
	timeout := time.Duration(float64(c.TimeoutMs) * r.scale * float64(time.Millisecond))
	start := time.Now()
	deadline := start.Add(timeout)
	conns := make([]connResult, c.Connections)
	rv := newRendezvous(c)
	var wg sync.WaitGroup
	for j := range conns {
		wg.Add(1)
		go func(j int) {
			defer wg.Done()
			if c.IsMessages() || c.Fds > 0 {
				conns[j] = r.runMessageConn(c, payloads[j], deadline)
				conns[j].messageSize = c.ChunkSize
				return
			}
			conns[j] = r.runConn(c, payloads[j], deadline, rv)
		}(j)
	}
	wg.Wait()

	res := Result{
		ID:             c.ID,
		Status:         statusPassed,
		Connections:    c.Connections,
		ExpectedSha256: c.Sha256,
		DurationNs:     time.Since(start).Nanoseconds(),
		Timings:        make([]Timing, len(conns)),
	}
	h := sha256.New()
	for j := range conns {
		res.BytesSent += int64(conns[j].sent)
		res.BytesReceived += int64(len(conns[j].received))
		res.Timings[j] = conns[j].timing
		h.Write(conns[j].received)
	}
	res.ActualSha256 = hex.EncodeToString(h.Sum(nil))
	for j := range conns {
		if f := conns[j].failure(j); f != nil {
			res.Status, res.Failure = statusFailed, f
			return res
		}
	}
	if res.ActualSha256 != res.ExpectedSha256 {
		res.Status = statusFailed
		res.Failure = &Failure{Message: "the sha256 of the bytes received differs from the manifest's"}
	}
	return res
}

// dial connects to ep by deadline. A unix socket whose listen backlog is full
// refuses a non-blocking connect with EAGAIN, where a blocking connect (nc,
// socat) would wait for room and TCP would retransmit its SYN; Go's dial is
// non-blocking, so it waits for room itself, retrying until the deadline.
func dial(ep endpoint.Endpoint, deadline time.Time) (net.Conn, error) {
	d := net.Dialer{Deadline: deadline}
	for backoff := 100 * time.Microsecond; ; backoff = min2(2*backoff, 10*time.Millisecond) {
		conn, err := d.Dial(ep.Network, ep.Address)
		if err == nil || !errors.Is(err, syscall.EAGAIN) || time.Until(deadline) < backoff {
			return conn, err
		}
		time.Sleep(backoff)
	}
}

func min2(a, b time.Duration) time.Duration {
	if a < b {
		return a
	}
	return b
}

// runConn dials, then writes payload while it reads the echo back. With a
// rendezvous it waits there, once its whole echo is in, before it half-closes
// or closes. There an EOF that comes before the half-close is the server
// closing without waiting for the client's; where the client half-closes
// right after its writes, the two race, and nothing is judged.
func (r *runner) runConn(c *fixture.Case, payload []byte, deadline time.Time, rv *rendezvous) connResult {
	res := connResult{expected: payload, firstDiff: -1}
	echoed := make(chan struct{})
	var complete atomic.Bool // the whole echo is in
	var once sync.Once
	markEchoed := func() { once.Do(func() { close(echoed) }) }
	defer markEchoed()
	hold := func() error { return nil }
	if rv != nil {
		var there sync.Once
		defer there.Do(rv.leave) // one that failed before it arrived breaks the barrier: nobody waits in vain
		hold = func() error {
			<-echoed
			if !complete.Load() {
				return nil // the echo ended short: the reader's verdict tells why
			}
			there.Do(rv.arrive)
			if err := rv.wait(deadline); err != nil {
				res.barrierErr = err
				return err
			}
			return nil
		}
	}
	start := time.Now()
	conn, err := dial(r.ep, deadline)
	res.timing.ConnectNs = time.Since(start).Nanoseconds()
	if err != nil {
		res.dialErr = err
		return res
	}
	defer conn.Close()
	conn.SetDeadline(deadline)
	watch := &eofWatch{conn: conn, deadline: deadline, wait: r.eofWait}
	early := func() bool { return c.HalfClose && rv != nil && !watch.halfClosing.Load() }

	written := make(chan error, 1)
	pause := time.Duration(c.PauseMicros) * time.Microsecond
	t0 := time.Now()
	go func() { written <- write(conn, payload, c.ChunkSize, pause, c.HalfClose, &res.sent, hold, watch) }()
	res.read(conn, c.HalfClose, t0, func() {
		complete.Store(true)
		markEchoed()
		watch.echoComplete()
	}, early)
	markEchoed()

	if res.readErr != nil || res.firstDiff >= 0 || len(res.received) != len(payload) {
		conn.Close() // unblock the writer: the case has failed anyway
		if err := <-written; err != nil && !errors.Is(err, net.ErrClosed) {
			res.writeErr = err
		}
		return res
	}
	res.writeErr = <-written // done, or bounded by the deadline
	return res
}

// write writes p in chunks of chunk bytes (all at once if chunk is 0),
// pausing between chunks, then calls hold, and then half-closes if halfClose
// is set, telling watch. It counts the bytes written in *sent.
func write(conn net.Conn, p []byte, chunk int, pause time.Duration, halfClose bool, sent *int, hold func() error,
	watch *eofWatch) error {
	if chunk <= 0 {
		chunk = len(p)
	}
	for off := 0; off < len(p); {
		end := off + chunk
		if end > len(p) {
			end = len(p)
		}
		n, err := conn.Write(p[off:end])
		*sent += n
		if err != nil {
			return endpoint.ConnError("write", conn, err)
		}
		off = end
		if pause > 0 && off < len(p) {
			time.Sleep(pause)
		}
	}
	if err := hold(); err != nil {
		return err
	}
	if halfClose {
		watch.halfClosing.Store(true) // first: an EOF read while it is false came before the half-close
		if err := conn.(interface{ CloseWrite() error }).CloseWrite(); err != nil {
			return endpoint.ConnError("close", conn, err)
		}
		watch.halfClose()
	}
	return nil
}

// read reads the echo into res.received, comparing as it goes: until EOF if
// halfClose is set, else until it has as many bytes as the payload. It calls
// echoed once it has as many bytes as the payload, and at EOF early, which
// says whether that EOF came too early. Times are measured from t0, the start
// of the first write.
func (res *connResult) read(conn net.Conn, halfClose bool, t0 time.Time, echoed func(), early func() bool) {
	want := res.expected
	limit := len(want)
	if halfClose {
		limit += extraLimit
	}
	buf := make([]byte, limit)
	n := 0
	if len(want) == 0 {
		echoed() // the whole echo of nothing is there from the start
	}
	for n < len(want) || halfClose {
		if n == limit {
			res.overflow = true
			break
		}
		k, err := conn.Read(buf[n:])
		if k > 0 {
			now := time.Since(t0).Nanoseconds()
			if n == 0 {
				res.timing.FirstByteNs = now
			}
			res.timing.LastByteNs = now
			res.compare(buf[n:n+k], n)
			n += k
			if n >= len(want) {
				echoed()
			}
		}
		if err == io.EOF && halfClose {
			res.earlyEOF = early()
			if len(want) == 0 {
				res.timing.LastByteNs = time.Since(t0).Nanoseconds()
			}
			break
		}
		if err != nil {
			res.readErr = endpoint.ConnError("read", conn, err)
			break
		}
	}
	res.received = buf[:n]
}

// compare records the first offset at which got, received at offset off,
// differs from the payload.
func (res *connResult) compare(got []byte, off int) {
	if res.firstDiff >= 0 || off >= len(res.expected) {
		return
	}
	want := res.expected[off:]
	if len(got) > len(want) {
		got = got[:len(want)]
	}
	if bytes.Equal(got, want[:len(got)]) {
		return
	}
	for i := range got {
		if got[i] != want[i] {
			res.firstDiff = off + i
			return
		}
	}
}
