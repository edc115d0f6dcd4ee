// SPDX-License-Identifier: Apache-2.0
// The five workloads: seed, pingpong, stream, fanin, idle.

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"udsinterop.dev/go-reference/internal/endpoint"
)

var hello = []byte("Hello")

// seed is the post's loop: dial, write "Hello", read 5, close.
func seed(cfg config, r *result) error {
	buf := make([]byte, len(hello))
	deadline := time.Now().Add(cfg.duration)
	for i := 0; i < cfg.n; i++ {
		if i > 0 && !time.Now().Before(deadline) {
			r.StoppedBy = "time"
			break
		}
		if err := dialOnce(cfg, buf); err != nil {
			return fmt.Errorf("iteration %d: %v", i, err)
		}
		r.Ops++
		r.Bytes += int64(len(hello))
	}
	return nil
}

func dialOnce(cfg config, buf []byte) error {
	c, err := connect(cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(cfg.timeout))
	return endpoint.RoundTrip(c, hello, buf)
}

// dial connects and bounds the whole workload's I/O on the connection: the
// workload ends by -duration, so every step ends by duration + timeout.
func dial(cfg config) (net.Conn, error) {
	c, err := connect(cfg)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(cfg.duration + cfg.timeout))
	return c, nil
}

// datagramNames numbers the abstract names datagram connections bind.
var datagramNames int64

// connect dials cfg's endpoint. A datagram socket is bound to an abstract
// name of its own first (no file to remove), where the server's replies come,
// and connected to the server's address, so that Write and Read are one
// datagram each.
func connect(cfg config) (net.Conn, error) {
	if cfg.ep.Network != "unixgram" {
		return net.DialTimeout(cfg.ep.Network, cfg.ep.Address, cfg.timeout)
	}
	local := fmt.Sprintf("@loadgen-%d-%d", os.Getpid(), atomic.AddInt64(&datagramNames, 1))
	return net.DialUnix("unixgram", &net.UnixAddr{Name: local, Net: "unixgram"},
		&net.UnixAddr{Name: cfg.ep.Address, Net: "unixgram"})
}

// message returns size bytes of a repeating, non-constant pattern.
func message(size int) []byte {
	msg := make([]byte, size)
	for i := range msg {
		msg[i] = byte('a' + i%26)
	}
	return msg
}

// pingpong is one connection's round trips, one latency sample each.
func pingpong(cfg config, r *result) error {
	c, err := dial(cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	samples, err := roundTrips(c, cfg.n, message(cfg.size), time.Now().Add(cfg.duration))
	r.LatenciesNs = samples
	r.Ops = int64(len(samples))
	r.Bytes = r.Ops * int64(cfg.size)
	if len(samples) < cfg.n && err == nil {
		r.StoppedBy = "time"
	}
	return err
}

// roundTrips makes up to n round trips of msg on c until deadline, and
// returns the latency of each.
func roundTrips(c net.Conn, n int, msg []byte, deadline time.Time) ([]int64, error) {
	buf := make([]byte, len(msg))
	// A generous count bounded by a short time must not cost its whole allocation up front.
	capacity := n
	if capacity > 1<<16 {
		capacity = 1 << 16
	}
	samples := make([]int64, 0, capacity)
	for i := 0; i < n; i++ {
		t0 := time.Now()
		if i > 0 && !t0.Before(deadline) {
			break
		}
		if err := endpoint.RoundTrip(c, msg, buf); err != nil {
			return samples, fmt.Errorf("round trip %d: %v", i, err)
		}
		samples = append(samples, time.Since(t0).Nanoseconds())
	}
	return samples, nil
}

// stream sends cfg.bytes in cfg.size writes on one connection while reading
// the echo concurrently, then half-closes and reads the rest until EOF.
func stream(cfg config, r *result) error {
	c, err := dial(cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	chunk := message(cfg.size)
	deadline := time.Now().Add(cfg.duration)
	type counts struct {
		writes, bytes int64
		err           error
	}
	sent := make(chan counts, 1)
	go func() {
		var s counts
		for s.bytes < cfg.bytes && (s.writes == 0 || time.Now().Before(deadline)) {
			b := chunk
			if rest := cfg.bytes - s.bytes; rest < int64(len(b)) {
				b = b[:rest]
			}
			n, err := c.Write(b)
			s.bytes += int64(n)
			if err != nil {
				s.err = endpoint.ConnError("write", c, err)
				break
			}
			s.writes++
		}
		if s.err == nil {
			if err := c.(interface{ CloseWrite() error }).CloseWrite(); err != nil {
				s.err = endpoint.ConnError("close-write", c, err)
			}
		}
		sent <- s
	}()
	received, rerr := io.Copy(io.Discard, c)
	s := <-sent
	r.Ops, r.Bytes = s.writes, received
	if s.bytes < cfg.bytes {
		r.StoppedBy = "time"
	}
	switch {
	case s.err != nil:
		return s.err
	case rerr != nil:
		return endpoint.ConnError("read", c, rerr)
	case received != s.bytes:
		return endpoint.ConnError("read", c, fmt.Errorf("EOF after %d of %d bytes", received, s.bytes))
	}
	return nil
}

// fanin runs cfg.conns connections at once, cfg.n round trips in all, and
// times only the round trips: every connection is up before the first starts.
func fanin(cfg config, r *result) error {
	conns, err := dialAll(cfg, cfg.conns)
	defer closeAll(conns)
	if err != nil {
		return err
	}
	r.Connections = len(conns)
	msg := message(cfg.size)
	deadline := time.Now().Add(cfg.duration)
	perConn := cfg.n / len(conns)
	samples := make([][]int64, len(conns))
	errs := make([]error, len(conns))
	var wg sync.WaitGroup
	start := time.Now()
	for i, c := range conns {
		wg.Add(1)
		go func(i int, c net.Conn) {
			defer wg.Done()
			samples[i], errs[i] = roundTrips(c, perConn, msg, deadline)
		}(i, c)
	}
	wg.Wait()
	r.ElapsedNs = time.Since(start).Nanoseconds()
	for i := range conns {
		if errs[i] != nil {
			return fmt.Errorf("connection %d: %v", i, errs[i])
		}
		r.LatenciesNs = append(r.LatenciesNs, samples[i]...)
		if len(samples[i]) < perConn {
			r.StoppedBy = "time"
		}
	}
	r.Ops = int64(len(r.LatenciesNs))
	r.Bytes = r.Ops * int64(cfg.size)
	return nil
}

// dialAll opens n connections, each proven accepted by a 1-byte echo (a dial
// completes when the kernel queues it, before the server has accepted it).
func dialAll(cfg config, n int) ([]net.Conn, error) {
	conns := make([]net.Conn, 0, n)
	one, buf := []byte{'.'}, []byte{0}
	for i := 0; i < n; i++ {
		c, err := dial(cfg)
		if err != nil {
			return conns, fmt.Errorf("connection %d: %v", i, err)
		}
		conns = append(conns, c)
		if err := endpoint.RoundTrip(c, one, buf); err != nil {
			return conns, fmt.Errorf("connection %d: %v", i, err)
		}
	}
	return conns, nil
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}

// idle opens cfg.conns connections, says so, and holds them until cfg.hold
// reaches EOF or cfg.duration has passed since they were established. Its
// elapsed time is the time to establish them.
func idle(cfg config, r *result) error {
	start := time.Now()
	conns, err := dialAll(cfg, cfg.conns)
	defer closeAll(conns)
	if err != nil {
		return err
	}
	r.ElapsedNs = time.Since(start).Nanoseconds()
	r.Connections = len(conns)
	r.Ops = int64(len(conns))
	r.Bytes = r.Ops
	line, _ := json.Marshal(struct {
		Event       string `json:"event"`
		Connections int    `json:"connections"`
	}{"established", len(conns)})
	fmt.Fprintf(cfg.events, "%s\n", line)
	released := make(chan struct{})
	go func() {
		io.Copy(io.Discard, cfg.hold)
		close(released)
	}()
	timer := time.NewTimer(cfg.duration)
	defer timer.Stop()
	select {
	case <-released:
	case <-timer.C:
		r.StoppedBy = "time"
	}
	return nil
}
