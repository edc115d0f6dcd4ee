// SPDX-License-Identifier: Apache-2.0
// interop-client: the conformance client, an independent implementation of the fixtures.

// Interop-client runs the echo cases of the shared manifest against one
// server and prints one JSON report on stdout. It reads and generates the
// payloads itself, independently of the Java harness:
//
//	interop-client -unix ADDR | -tcp HOST:PORT | -seqpacket ADDR | -datagram ADDR -manifest fixtures/manifest.json [-case ID,...] [-timeout-scale 1.0] [-eof-timeout 2s]
//
// ADDR is a socket path or an abstract @name. A case runs on the kind of
// socket it names (its "socket": stream, seqpacket or datagram); one that
// names another kind than the endpoint's is skipped. On seqpacket and
// datagram sockets each chunk is one message, and must come back as one
// message (failure kind boundary); a datagram connection binds an abstract
// name of its own for the replies, and a datagram that does not come back
// within -eof-timeout after the last was sent is lost. Descriptors a case
// passes ("fds": the write ends of pipes, SCM_RIGHTS) must come back as the
// same open files: a token written through each returned one must arrive on
// the client's read end of its pipe (failure kind descriptors).
//
// A connection that has its whole echo and has half-closed waits at most
// -eof-timeout (times -timeout-scale) for the server's EOF, not until the
// case's deadline: a server that closes at all does so at once, and one
// that never does fails as no-eof in seconds.
//
// With -payload it only writes a case's payload for one connection to
// stdout, so that the harness can check that Go and Java generate the same
// bytes:
//
//	interop-client -manifest fixtures/manifest.json -payload ID [-connection J]
//
// Exit status: 0 when every case run passed (skipped ones do not count),
// 1 when one failed, 2 on bad usage, an unreadable or invalid manifest, a
// payload that does not match the manifest, or an unknown case ID.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"udsinterop.dev/go-reference/internal/cli"
	"udsinterop.dev/go-reference/internal/endpoint"
	"udsinterop.dev/go-reference/internal/fixture"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "devel"

// clientName is the report's "client".
const clientName = "go-interop-client"

var command = &cli.Command{
	Name: "interop-client",
	Synopsis: `-unix ADDR | -tcp HOST:PORT | -seqpacket ADDR | -datagram ADDR -manifest MANIFEST [-case ID,...] [-timeout-scale 1.0] [-eof-timeout 2s]
-manifest MANIFEST -payload ID [-connection J]
-version`,
	Doc: `Runs the manifest's echo cases (the plain stream ones, in manifest order, or
those named by -case) against the server and prints one JSON report on stdout. Cases of
other kinds named by -case, or for another kind of socket, are reported as
skipped. ADDR is a socket path or an abstract @name. A connection that has its
whole echo and has half-closed waits at most -eof-timeout (times -timeout-scale)
for the server's EOF. With -payload, writes the payload of case ID's connection J
to stdout instead.

Exit status: 0 every case run passed, 1 a case failed, 2 bad usage, a bad
manifest or payload, or an unknown case ID.`,
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := command.NewFlagSet()
	var eps endpoint.List
	eps.Register(fs, "connect to the socket file `path` or abstract @name", "connect to TCP `host:port`")
	eps.RegisterMessages(fs, "connect to the SOCK_SEQPACKET socket `path` or @name", "send to the SOCK_DGRAM socket `path` or @name")
	manifestPath := fs.String("manifest", "", "`path` of the conformance manifest, fixtures/manifest.json")
	caseList := fs.String("case", "", "run only these comma-separated case `IDs`, in this order")
	scale := fs.Float64("timeout-scale", 1.0, "multiply every case's timeoutMs, and -eof-timeout, by `factor`")
	eofTimeout := fs.Duration("eof-timeout", 2*time.Second,
		"how long a connection with its whole echo waits for EOF after its half-close, at most (a `duration`)")
	payloadID := fs.String("payload", "", "write the payload of case `ID` to stdout and exit")
	connection := fs.Int("connection", 0, "with -payload, the connection `J` whose payload to write")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if status, done := command.Parse(fs, args, stdout, stderr); done {
		return status
	}
	if *showVersion {
		fmt.Fprintf(stdout, "interop-client %s\n", version)
		return cli.ExitOK
	}
	set := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *manifestPath == "" {
		return command.Usagef(stderr, "-manifest is required")
	}

	if set["payload"] {
		if len(eps) > 0 || set["case"] || set["timeout-scale"] || set["eof-timeout"] {
			return command.Usagef(stderr, "-payload takes only -manifest and -connection")
		}
		return writePayload(*manifestPath, *payloadID, *connection, stdout, stderr)
	}
	if set["connection"] {
		return command.Usagef(stderr, "-connection needs -payload")
	}
	ep, err := eps.One()
	if err != nil {
		return command.Usagef(stderr, "%v", err)
	}
	if !(*scale > 0) || math.IsInf(*scale, 0) {
		return command.Usagef(stderr, "-timeout-scale %v: want a number more than 0", *scale)
	}
	if *eofTimeout <= 0 {
		return command.Usagef(stderr, "-eof-timeout %v: want a duration more than 0", *eofTimeout)
	}

	m, err := fixture.Load(*manifestPath)
	if err != nil {
		command.Errorf(stderr, "%v", err)
		return cli.ExitUsage
	}
	cases, err := selectCases(m, *caseList)
	if err != nil {
		command.Errorf(stderr, "%v", err)
		return cli.ExitUsage
	}
	// Only the selected cases: verifying all would generate every big payload
	// again in each of the harness's one-case runs.
	for _, c := range cases {
		if c.Kind == fixture.KindEcho {
			if err := m.Verify(c); err != nil {
				command.Errorf(stderr, "%v", err)
				return cli.ExitUsage
			}
		}
	}

	report := Report{Client: clientName, Version: version, Network: ep.Network, Address: ep.Address, Results: []Result{}}
	r := &runner{ep: ep, m: m, scale: *scale, eofWait: time.Duration(float64(*eofTimeout) * *scale)}
	for _, c := range cases {
		var res Result
		if why := unfit(c, ep); why != "" {
			res = Result{ID: c.ID, Status: statusSkipped, Timings: []Timing{}, Failure: &Failure{Message: why}}
		} else if c.Kind == fixture.KindEcho {
			res = r.run(c)
		} else {
			res = Result{ID: c.ID, Status: statusSkipped, Timings: []Timing{},
				Failure: &Failure{Message: fmt.Sprintf("kind %s is run by the harness", c.Kind)}}
		}
		switch res.Status {
		case statusPassed:
			report.Summary.Passed++
		case statusFailed:
			report.Summary.Failed++
		default:
			report.Summary.Skipped++
		}
		report.Results = append(report.Results, res)
	}
	out, err := json.MarshalIndent(report, "", "  ")
	if err != nil {
		command.Errorf(stderr, "%v", err)
		return cli.ExitFailure
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", out); err != nil {
		command.Errorf(stderr, "writing the report: %v", err)
		return cli.ExitFailure
	}
	if report.Summary.Failed > 0 {
		return cli.ExitFailure
	}
	return cli.ExitOK
}

// unfit says why echo case c cannot run on ep, another kind of socket than
// the case's, or "" if it can.
func unfit(c *fixture.Case, ep endpoint.Endpoint) string {
	if c.Kind != fixture.KindEcho {
		return ""
	}
	if want := network(c); ep.Network != want && !(want == "unix" && ep.Network == "tcp" && c.Fds == 0) {
		return fmt.Sprintf("case %s runs on a %s socket; the endpoint is %s", c.ID, c.SocketName(), ep)
	}
	return ""
}

// selectCases returns the cases named in list, in its order and without
// repeats, or, if list is empty, every plain stream echo case (no message
// socket, abstract name or descriptors) in manifest order.
func selectCases(m *fixture.Manifest, list string) ([]*fixture.Case, error) {
	var cases []*fixture.Case
	if strings.TrimSpace(list) == "" {
		for _, c := range m.Cases {
			if c.IsPlainStream() {
				cases = append(cases, c)
			}
		}
		return cases, nil
	}
	seen := make(map[string]bool)
	for _, id := range strings.Split(list, ",") {
		id = strings.TrimSpace(id)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		c := m.Case(id)
		if c == nil {
			return nil, fmt.Errorf("unknown case ID %q: manifest %s has no such case", id, m.Path())
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// writePayload writes the payload of connection j of case id to stdout.
func writePayload(manifestPath, id string, j int, stdout, stderr io.Writer) int {
	m, err := fixture.Load(manifestPath)
	if err != nil {
		command.Errorf(stderr, "%v", err)
		return cli.ExitUsage
	}
	c := m.Case(id)
	if c == nil {
		command.Errorf(stderr, "unknown case ID %q: manifest %s has no such case", id, manifestPath)
		return cli.ExitUsage
	}
	if c.Kind != fixture.KindEcho {
		command.Errorf(stderr, "case %s is of kind %s, which has no payload", id, c.Kind)
		return cli.ExitUsage
	}
	if err := m.Verify(c); err != nil {
		command.Errorf(stderr, "%v", err)
		return cli.ExitUsage
	}
	p, err := m.Payload(c, j)
	if err != nil {
		command.Errorf(stderr, "%v", err)
		return cli.ExitUsage
	}
	if _, err := stdout.Write(p); err != nil {
		command.Errorf(stderr, "writing the payload: %v", err)
		return cli.ExitFailure
	}
	return cli.ExitOK
}
