// SPDX-License-Identifier: Apache-2.0
// loadgen: the one load generator of the benchmark, the same client for every server.

// Loadgen drives one workload against an echo server and prints what it
// measured as JSON on stdout, so that the client's cost is the same for every
// server it is compared on:
//
//	loadgen -workload seed|pingpong|stream|fanin|idle -unix PATH | -tcp HOST:PORT [-n N] [-duration D]
//	loadgen -workload seed|pingpong|fanin -seqpacket ADDR
//	loadgen -workload pingpong|fanin -datagram ADDR
//	loadgen -wait
//
// Workloads:
//   - seed: the seed post's loop, N x {dial, write "Hello", read 5, close};
//   - pingpong: one connection, N round trips of -size bytes (64), a latency sample each;
//   - stream: one connection, -bytes in -size writes (64 KiB), the echo read concurrently;
//   - fanin: -conns connections (64) at once, N round trips of -size bytes (1 KiB) in all;
//   - idle: -conns connections (1000), each proven accepted by a 1-byte echo, then held.
//
// On a SOCK_SEQPACKET socket (-seqpacket, a path or @name) each round trip is
// one message; on a SOCK_DGRAM socket (-datagram) one datagram from an
// abstract name of the connection's own, where the reply comes. Stream and
// idle need a byte stream (stream half-closes), seed a connection: those
// combinations are refused.
//
// Every workload is bounded in count (-n, -bytes, -conns) and in time
// (-duration): whichever comes first ends it, and the result says which. The
// result is one JSON object on the last line of stdout, with the raw latency
// samples of pingpong and fanin in nanoseconds (percentiles are the reader's
// business) and the client's own CPU time (user+sys, from getrusage). The idle
// workload first prints {"event":"established","connections":N} once every
// connection is up, and then holds them until its standard input reaches EOF
// or -duration has passed, so that a driver can read the server's memory.
//
// loadgen -wait does nothing until SIGTERM or SIGINT, then exits 0: the main
// process of a container (the image has no shell and no sleep) in which the
// benchmark runs loadgen with docker exec, one measurement after another.
//
// Exit status: 0 success, 1 an echo failed or the server misbehaved, 2 bad usage.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"udsinterop.dev/go-reference/internal/cli"
	"udsinterop.dev/go-reference/internal/endpoint"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "devel"

var command = &cli.Command{
	Name: "loadgen",
	Synopsis: `-workload seed|pingpong|stream|fanin|idle -unix PATH | -tcp HOST:PORT
        [-n N] [-duration 10s] [-size BYTES] [-bytes BYTES] [-conns N] [-timeout 10s]
-workload seed|pingpong|fanin -seqpacket ADDR [...]
-workload pingpong|fanin -datagram ADDR [...]
-wait
-version`,
	Doc: `Runs one benchmark workload against an echo server and prints its result as
one JSON object on the last line of stdout: ops, bytes, elapsedNs, opsPerSec,
mbPerSec, clientCpuNs (user+sys) and clientCpuPerOpNs, stoppedBy ("count" or
"time"), and for pingpong and fanin the raw latencies in ns (latenciesNs).
idle first prints {"event":"established","connections":N} and holds the
connections until stdin reaches EOF or -duration passes.
-wait does nothing until SIGTERM or SIGINT: the main process of a container
that loadgen is run in with docker exec.

Exit status: 0 success, 1 an echo failed, 2 bad usage.`,
}

// A config is one workload's parameters, after the defaults.
type config struct {
	ep       endpoint.Endpoint
	n        int           // seed: dials; pingpong, fanin: round trips in all
	duration time.Duration // the time bound of the whole workload
	size     int           // message or write size
	bytes    int64         // stream: bytes to send
	conns    int           // fanin, idle: connections
	timeout  time.Duration // the deadline of each I/O step
	hold     io.Reader     // idle: EOF on it releases the connections
	events   io.Writer     // idle: where the established line goes
}

// A result is the JSON object loadgen prints last.
type result struct {
	Workload         string  `json:"workload"`
	Transport        string  `json:"transport"`
	Address          string  `json:"address"`
	Connections      int     `json:"connections"`
	Ops              int64   `json:"ops"`
	Bytes            int64   `json:"bytes"`
	ElapsedNs        int64   `json:"elapsedNs"`
	StoppedBy        string  `json:"stoppedBy"`
	OpsPerSec        float64 `json:"opsPerSec"`
	MBPerSec         float64 `json:"mbPerSec"`
	ClientCPUNs      int64   `json:"clientCpuNs"`
	ClientCPUPerOpNs float64 `json:"clientCpuPerOpNs"`
	LatenciesNs      []int64 `json:"latenciesNs,omitempty"`
}

// A workload runs against cfg and fills in the counts of r. CPU time is
// measured around it, and so is the elapsed time unless it sets ElapsedNs
// itself (to leave out setting up connections, or holding them).
type workload func(cfg config, r *result) error

var workloads = map[string]struct {
	run            workload
	n, size, conns int // defaults; 0 = not used
}{
	"seed":     {run: seed, n: 10000, size: 5},
	"pingpong": {run: pingpong, n: 100000, size: 64},
	"stream":   {run: stream, size: 64 << 10},
	"fanin":    {run: fanin, n: 128000, size: 1 << 10, conns: 64},
	"idle":     {run: idle, conns: 1000},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := command.NewFlagSet()
	var eps endpoint.List
	eps.Register(fs, "connect to the socket file `path`", "connect to TCP `host:port`")
	eps.RegisterMessages(fs, "connect to the SOCK_SEQPACKET socket `addr` (a path or @name)",
		"send to the SOCK_DGRAM socket `addr` (a path or @name) from an abstract name of its own")
	name := fs.String("workload", "", "the workload: seed, pingpong, stream, fanin or idle")
	n := fs.Int("n", 0, "seed: dials; pingpong and fanin: round trips in all (default per workload)")
	duration := fs.Duration("duration", 10*time.Second, "the time bound of the workload (idle: of the hold)")
	size := fs.Int("size", 0, "pingpong, fanin: message bytes; stream: write size (default per workload)")
	total := fs.Int64("bytes", 1<<30, "stream: bytes to send")
	conns := fs.Int("conns", 0, "fanin, idle: connections (default per workload)")
	timeout := fs.Duration("timeout", 10*time.Second, "deadline of each dial, write and read")
	wait := fs.Bool("wait", false, "do nothing until SIGTERM or SIGINT, then exit 0")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if status, done := command.Parse(fs, args, stdout, stderr); done {
		return status
	}
	if *showVersion {
		fmt.Fprintf(stdout, "loadgen %s\n", version)
		return cli.ExitOK
	}
	if *wait {
		waitForSignal()
		return cli.ExitOK
	}
	w, ok := workloads[*name]
	if !ok {
		return command.Usagef(stderr, "-workload %q: want seed, pingpong, stream, fanin or idle", *name)
	}
	ep, err := eps.One()
	if err != nil {
		return command.Usagef(stderr, "%v", err)
	}
	cfg := config{ep: ep, n: orDefault(*n, w.n), duration: *duration, size: orDefault(*size, w.size),
		bytes: *total, conns: orDefault(*conns, w.conns), timeout: *timeout, hold: stdin, events: stdout}
	if *name == "seed" && *size != 0 && *size != 5 {
		return command.Usagef(stderr, "-size %d: the seed loop always sends \"Hello\"", *size)
	}
	switch {
	case *n < 0 || *size < 0 || *conns < 0:
		return command.Usagef(stderr, "-n, -size and -conns must not be negative")
	case cfg.duration <= 0 || cfg.timeout <= 0:
		return command.Usagef(stderr, "-duration and -timeout must be more than 0")
	case *name == "stream" && cfg.bytes < 1:
		return command.Usagef(stderr, "-bytes %d: want at least 1", cfg.bytes)
	case ep.Network == "unixpacket" && (*name == "stream" || *name == "idle"):
		return command.Usagef(stderr, "-workload %s: not on -seqpacket (seed, pingpong and fanin are)", *name)
	case ep.Network == "unixgram" && *name != "pingpong" && *name != "fanin":
		return command.Usagef(stderr, "-workload %s: not on -datagram (pingpong and fanin are)", *name)
	case *name == "fanin" && cfg.n < cfg.conns:
		return command.Usagef(stderr, "-n %d: want at least one round trip per connection (-conns %d)", cfg.n, cfg.conns)
	}

	r := result{Workload: *name, Transport: ep.Network, Address: ep.Address, Connections: 1, StoppedBy: "count"}
	cpu0 := cpuTime()
	start := time.Now()
	err = w.run(cfg, &r)
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	if err != nil {
		command.Errorf(stderr, "%s: %v", *name, err)
		return cli.ExitFailure
	}
	if r.ElapsedNs == 0 {
		r.ElapsedNs = elapsed.Nanoseconds()
	}
	seconds := float64(r.ElapsedNs) / 1e9
	r.ClientCPUNs = cpu.Nanoseconds()
	if r.Ops > 0 {
		r.OpsPerSec = float64(r.Ops) / seconds
		r.ClientCPUPerOpNs = float64(r.ClientCPUNs) / float64(r.Ops)
	}
	r.MBPerSec = float64(r.Bytes) / 1e6 / seconds
	out, err := json.Marshal(r)
	if err != nil {
		command.Errorf(stderr, "%v", err)
		return cli.ExitFailure
	}
	fmt.Fprintf(stdout, "%s\n", out)
	return cli.ExitOK
}

// waitForSignal returns once SIGTERM or SIGINT arrives (docker stop sends
// SIGTERM to a container's main process). A variable, so that tests need not
// signal themselves.
var waitForSignal = func() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, os.Interrupt)
	<-signals
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// cpuTime returns the user and system CPU time this process has used, all
// threads, as the seed post's pprof measured the client.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
