// SPDX-License-Identifier: Apache-2.0
// seed-client: the seed blog post's client loop, timed, with its result as one JSON line.

// Seed-client runs the seed blog post's client loop: N times, dial, write the
// message, read exactly as many bytes back, close; each reply must equal the
// message. It then prints one JSON object on stdout:
//
//	{"workload":"seed-loop","transport":"unix","address":"/tmp/x.sock","iterations":10000,
//	 "messageBytes":5,"totalNs":123456789,"perOpNs":12345}
//
// Exit status: 0 when every iteration succeeded, 1 on the first that failed,
// 2 on bad usage.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"udsinterop.dev/go-reference/internal/cli"
	"udsinterop.dev/go-reference/internal/endpoint"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "devel"

var command = &cli.Command{
	Name: "seed-client",
	Synopsis: `-unix PATH | -tcp HOST:PORT [-n 10000] [-message Hello] [-timeout 10s]
-version`,
	Doc: `Runs the seed blog post's client loop N times: dial, write the message, read
exactly its length back, close, and check the reply. Prints one JSON line:
{"workload":"seed-loop","transport":...,"address":...,"iterations":N,
"messageBytes":...,"totalNs":...,"perOpNs":...}.

Exit status: 0 success, 1 an iteration failed, 2 bad usage.`,
}

// A result is the JSON line seed-client prints.
type result struct {
	Workload     string `json:"workload"`
	Transport    string `json:"transport"`
	Address      string `json:"address"`
	Iterations   int    `json:"iterations"`
	MessageBytes int    `json:"messageBytes"`
	TotalNs      int64  `json:"totalNs"`
	PerOpNs      int64  `json:"perOpNs"`
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := command.NewFlagSet()
	var eps endpoint.List
	eps.Register(fs, "connect to the socket file `path`", "connect to TCP `host:port`")
	n := fs.Int("n", 10000, "number of iterations")
	message := fs.String("message", "Hello", "the message each iteration sends")
	timeout := fs.Duration("timeout", 10*time.Second, "deadline of each iteration")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if status, done := command.Parse(fs, args, stdout, stderr); done {
		return status
	}
	if *showVersion {
		fmt.Fprintf(stdout, "seed-client %s\n", version)
		return cli.ExitOK
	}
	ep, err := eps.One()
	if err != nil {
		return command.Usagef(stderr, "%v", err)
	}
	if *n < 1 {
		return command.Usagef(stderr, "-n %d: want at least 1", *n)
	}
	if *message == "" {
		return command.Usagef(stderr, "-message is empty: the seed loop needs at least one byte")
	}
	if *timeout <= 0 {
		return command.Usagef(stderr, "-timeout %v: want more than 0", *timeout)
	}

	msg := []byte(*message)
	buf := make([]byte, len(msg))
	start := time.Now()
	for i := 0; i < *n; i++ {
		if err := iteration(ep, msg, buf, *timeout); err != nil {
			command.Errorf(stderr, "iteration %d: %v", i, err)
			return cli.ExitFailure
		}
	}
	total := time.Since(start)
	out, err := json.Marshal(result{
		Workload:     "seed-loop",
		Transport:    ep.Network,
		Address:      ep.Address,
		Iterations:   *n,
		MessageBytes: len(msg),
		TotalNs:      total.Nanoseconds(),
		PerOpNs:      total.Nanoseconds() / int64(*n),
	})
	if err != nil {
		command.Errorf(stderr, "%v", err)
		return cli.ExitFailure
	}
	fmt.Fprintf(stdout, "%s\n", out)
	return cli.ExitOK
}

// iteration is one turn of the seed loop: dial, write msg, read len(msg)
// bytes into buf, close.
func iteration(ep endpoint.Endpoint, msg, buf []byte, timeout time.Duration) error {
	conn, err := net.DialTimeout(ep.Network, ep.Address, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	return endpoint.RoundTrip(conn, msg, buf)
}
