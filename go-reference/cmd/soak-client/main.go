// SPDX-License-Identifier: Apache-2.0
// soak-client: many concurrent echo clients for a while, every byte checked, the server's resources sampled.

// Soak-client keeps -clients connections busy against an echo server for
// -duration. Each connection sends a payload of 0 to -max-size bytes in
// random chunks while it reads the echo, half-closes, reads to EOF and checks
// every byte. With -pid it samples the server's resident memory, open file
// descriptors and threads from /proc, and at the end waits (at most -settle)
// for descriptors and threads to return to what they were before the load.
//
// It prints a summary on stderr and, with -json, one JSON object on stdout.
//
// Exit status: 0 when every byte came back and the server's descriptors and
// threads returned to their baseline, 1 otherwise, 2 on bad usage.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"udsinterop.dev/go-reference/internal/cli"
	"udsinterop.dev/go-reference/internal/endpoint"
)

var command = &cli.Command{
	Name:     "soak-client",
	Synopsis: `-unix PATH | -tcp HOST:PORT [-clients 200] [-duration 60s] [-max-size 307200] [-pid PID] [-json] [-quick]`,
	Doc: `Runs -clients concurrent echo clients for -duration; each connection sends 0 to
-max-size bytes in random chunks, half-closes and checks every byte of the echo.
With -pid, samples the server's RSS, descriptors and threads from /proc.
-quick is -clients 16 -duration 3s unless those are given.

Exit status: 0 no byte lost or wrong and the server back to its baseline,
1 otherwise, 2 bad usage.`,
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := command.NewFlagSet()
	var eps endpoint.List
	eps.Register(fs, "the server's socket file `path`", "the server's TCP `host:port`")
	clients := fs.Int("clients", 200, "concurrent connections")
	duration := fs.Duration("duration", 60*time.Second, "how long to keep opening connections")
	maxSize := fs.Int("max-size", 300*1024, "largest payload of one connection, in bytes")
	pid := fs.Int("pid", 0, "the server's process id, to sample its RSS, descriptors and threads")
	settle := fs.Duration("settle", 20*time.Second, "how long the server may take to return to its baseline")
	seed := fs.Int64("seed", 1, "seed of the random sizes, chunks and contents")
	jsonOut := fs.Bool("json", false, "print the result as one JSON object on stdout")
	quick := fs.Bool("quick", false, "a short run: -clients 16 -duration 3s unless given")
	if status, done := command.Parse(fs, args, stdout, stderr); done {
		return status
	}
	ep, err := eps.One()
	if err != nil {
		return command.Usagef(stderr, "%v", err)
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if *quick {
		if !given["clients"] {
			*clients = 16
		}
		if !given["duration"] {
			*duration = 3 * time.Second
		}
	}
	if *clients < 1 || *maxSize < 0 || *duration <= 0 {
		return command.Usagef(stderr, "want -clients >= 1, -max-size >= 0 and a positive -duration")
	}

	var server *proc
	if *pid != 0 {
		if server, err = openProc(*pid); err != nil {
			return command.Usagef(stderr, "-pid %d: %v", *pid, err)
		}
	}
	res := soak(ep, *clients, *duration, *maxSize, *seed, server, *settle, stderr)
	res.print(stderr)
	if *jsonOut {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(res); err != nil {
			command.Errorf(stderr, "write json: %v", err)
			return cli.ExitFailure
		}
	}
	if res.Verdict != "pass" {
		return cli.ExitFailure
	}
	return cli.ExitOK
}

// A Result is what one soak measured.
type Result struct {
	Endpoint       string   `json:"endpoint"`
	Clients        int      `json:"clients"`
	DurationMs     int64    `json:"durationMs"`
	Connections    int64    `json:"connections"`
	Bytes          int64    `json:"bytes"`        // echoed and checked
	LostBytes      int64    `json:"lostBytes"`    // missing from connections that ended without an error: silently cut
	AbortedBytes   int64    `json:"abortedBytes"` // not echoed on connections that failed with an error
	CorruptedBytes int64    `json:"corruptedBytes"`
	ExtraBytes     int64    `json:"extraBytes"`
	Errors         int64    `json:"errors"`     // connections that failed after they were established
	DialErrors     int64    `json:"dialErrors"` // connections that could not be made (nothing sent, nothing lost)
	Server         *Sample  `json:"server,omitempty"`
	Verdict        string   `json:"verdict"`
	Problems       []string `json:"problems"`
}

// A Sample is the server's resources before, during and after the load.
type Sample struct {
	Pid             int   `json:"pid"`
	RSSBaselineKiB  int64 `json:"rssBaselineKiB"`
	RSSPeakKiB      int64 `json:"rssPeakKiB"`      // the highest VmRSS sampled during the load
	RSSHighWaterKiB int64 `json:"rssHighWaterKiB"` // the kernel's VmHWM: the peak since the server started
	FdsBaseline     int   `json:"fdsBaseline"`
	FdsAfter        int   `json:"fdsAfter"`
	ThreadsBaseline int   `json:"threadsBaseline"`
	ThreadsAfter    int   `json:"threadsAfter"`
}

type counters struct {
	connections, bytes, lost, aborted, corrupted, extra, errors, dialErrors int64
	firstError                                                              atomic.Value
}

func soak(ep endpoint.Endpoint, clients int, duration time.Duration, maxSize int, seed int64,
	server *proc, settle time.Duration, stderr io.Writer) *Result {
	res := &Result{Endpoint: ep.String(), Clients: clients, Problems: []string{}}
	var sample Sample
	stopSampling := func() {}
	if server != nil {
		sample = server.baseline()
		stopSampling = server.sampleRSS(50*time.Millisecond, &sample.RSSPeakKiB)
	}

	// One random block; each connection echoes a slice of it at a random offset.
	block := make([]byte, 2*maxSize+1)
	rand.New(rand.NewSource(seed)).Read(block)

	var c counters
	start := time.Now()
	deadline := start.Add(duration)
	done := make(chan struct{})
	go progress(stderr, &c, start, duration, done)
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(r *rand.Rand) {
			defer wg.Done()
			for time.Now().Before(deadline) {
				size := payloadSize(r, maxSize)
				off := r.Intn(len(block) - size)
				if !exchange(ep, block[off:off+size], r, &c) {
					return // the server is gone: this client stops rather than spin on failing dials
				}
			}
		}(rand.New(rand.NewSource(seed + int64(i) + 1)))
	}
	wg.Wait()
	close(done)
	res.DurationMs = time.Since(start).Milliseconds()
	stopSampling()

	res.Connections, res.Bytes = c.connections, c.bytes
	res.LostBytes, res.AbortedBytes, res.CorruptedBytes, res.ExtraBytes = c.lost, c.aborted, c.corrupted, c.extra
	res.Errors, res.DialErrors = c.errors, c.dialErrors
	if c.errors+c.dialErrors > 0 {
		res.Problems = append(res.Problems, fmt.Sprintf("%d connection(s) failed (%d bytes not echoed) and %d could not be made, first: %v",
			c.errors, c.aborted, c.dialErrors, c.firstError.Load()))
	}
	if c.lost+c.corrupted+c.extra > 0 {
		res.Problems = append(res.Problems, fmt.Sprintf("%d byte(s) silently lost, %d wrong, %d extra", c.lost, c.corrupted, c.extra))
	}
	if server != nil {
		server.settle(&sample, settle)
		if sample.FdsAfter > sample.FdsBaseline {
			res.Problems = append(res.Problems, fmt.Sprintf("server descriptors %d, baseline %d", sample.FdsAfter, sample.FdsBaseline))
		}
		if sample.ThreadsAfter > sample.ThreadsBaseline {
			res.Problems = append(res.Problems, fmt.Sprintf("server threads %d, baseline %d", sample.ThreadsAfter, sample.ThreadsBaseline))
		}
		res.Server = &sample
	}
	res.Verdict = "pass"
	if len(res.Problems) > 0 {
		res.Verdict = "fail"
	}
	return res
}

// payloadSize mixes tiny, small and large payloads: a quarter up to 64 bytes,
// a quarter up to 4 KiB, half up to maxSize.
func payloadSize(r *rand.Rand, maxSize int) int {
	limit := maxSize
	switch r.Intn(4) {
	case 0:
		limit = 64
	case 1:
		limit = 4096
	}
	if limit > maxSize {
		limit = maxSize
	}
	return r.Intn(limit + 1)
}

// exchange sends payload in random chunks on a new connection while reading
// the echo, half-closes, reads to EOF and counts what came back. It returns
// false when no connection could be made.
func exchange(ep endpoint.Endpoint, payload []byte, r *rand.Rand, c *counters) bool {
	conn, err := net.DialTimeout(ep.Network, ep.Address, 30*time.Second)
	if err != nil {
		atomic.AddInt64(&c.dialErrors, 1)
		c.firstError.CompareAndSwap(nil, err.Error())
		return false
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	chunks := chunkSizes(r, len(payload))

	writeErr := make(chan error, 1)
	go func() {
		off := 0
		for _, n := range chunks {
			if _, err := conn.Write(payload[off : off+n]); err != nil {
				writeErr <- endpoint.ConnError("write", conn, err)
				return
			}
			off += n
		}
		writeErr <- conn.(interface{ CloseWrite() error }).CloseWrite()
	}()

	got, corrupted, extra, readErr := readAndCompare(conn, payload)
	werr := <-writeErr
	atomic.AddInt64(&c.connections, 1)
	atomic.AddInt64(&c.bytes, got-corrupted)
	atomic.AddInt64(&c.corrupted, corrupted)
	atomic.AddInt64(&c.extra, extra)
	failed := readErr != nil || werr != nil
	if lost := int64(len(payload)) - got; lost > 0 && failed {
		atomic.AddInt64(&c.aborted, lost)
	} else if lost > 0 {
		atomic.AddInt64(&c.lost, lost)
	}
	if readErr != nil {
		c.fail(endpoint.ConnError("read", conn, readErr))
	} else if werr != nil {
		c.fail(werr)
	}
	return true
}

// readAndCompare reads to EOF and compares what came back with payload.
func readAndCompare(conn net.Conn, payload []byte) (got, corrupted, extra int64, err error) {
	buf := make([]byte, 32*1024)
	for {
		n, rerr := conn.Read(buf)
		for _, b := range buf[:n] {
			if got < int64(len(payload)) {
				if payload[got] != b {
					corrupted++
				}
				got++
			} else {
				extra++
			}
		}
		if rerr == io.EOF {
			return got, corrupted, extra, nil
		}
		if rerr != nil {
			return got, corrupted, extra, rerr
		}
	}
}

// chunkSizes splits n bytes into chunks of 1 byte to 64 KiB.
func chunkSizes(r *rand.Rand, n int) []int {
	var chunks []int
	for n > 0 {
		k := 1 + r.Intn(64*1024)
		if k > n {
			k = n
		}
		chunks = append(chunks, k)
		n -= k
	}
	return chunks
}

func (c *counters) fail(err error) {
	atomic.AddInt64(&c.errors, 1)
	c.firstError.CompareAndSwap(nil, err.Error())
}

func progress(w io.Writer, c *counters, start time.Time, total time.Duration, done <-chan struct{}) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			fmt.Fprintf(w, "%s: %3.0f%%  %d connections, %d MB echoed\n", command.Name,
				100*float64(time.Since(start))/float64(total), atomic.LoadInt64(&c.connections), atomic.LoadInt64(&c.bytes)>>20)
		}
	}
}

func (res *Result) print(w io.Writer) {
	fmt.Fprintf(w, "%s: %s: %d connections, %d bytes echoed in %d ms: %d lost, %d wrong, %d extra; %d failed, %d not made\n",
		command.Name, res.Verdict, res.Connections, res.Bytes, res.DurationMs, res.LostBytes, res.CorruptedBytes, res.ExtraBytes,
		res.Errors, res.DialErrors)
	if s := res.Server; s != nil {
		fmt.Fprintf(w, "%s: server pid %d: RSS %d KiB before, peak %d KiB (high-water %d KiB); fds %d -> %d; threads %d -> %d\n",
			command.Name, s.Pid, s.RSSBaselineKiB, s.RSSPeakKiB, s.RSSHighWaterKiB, s.FdsBaseline, s.FdsAfter, s.ThreadsBaseline, s.ThreadsAfter)
	}
	for _, p := range res.Problems {
		fmt.Fprintf(w, "%s: problem: %s\n", command.Name, p)
	}
}
