// SPDX-License-Identifier: Apache-2.0
// Tests of interop-client against in-test servers, correct and broken, and of -payload.

package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"udsinterop.dev/go-reference/internal/fixture"
	"udsinterop.dev/go-reference/internal/testkit"
)

// manifestPath is the shared manifest, relative to this package's directory.
const manifestPath = "../../../fixtures/manifest.json"

func runClient(args ...string) (status int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	status = run(args, &out, &errOut)
	return status, out.String(), errOut.String()
}

// runReport runs the client and decodes its report.
func runReport(t *testing.T, args ...string) (int, Report) {
	t.Helper()
	status, stdout, stderr := runClient(args...)
	if stderr != "" {
		t.Fatalf("stderr: got %q; want nothing", stderr)
	}
	var r Report
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("decoding the report: %v\n%s", err, stdout)
	}
	return status, r
}

func loadManifest(t *testing.T) *fixture.Manifest {
	t.Helper()
	m, err := fixture.Load(manifestPath)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return m
}

func TestAllEchoCasesPass(t *testing.T) {
	m := loadManifest(t)
	for _, network := range []string{"unix", "tcp"} {
		addr := testkit.Serve(t, network, testkit.Echo)
		status, r := runReport(t, "-"+network, addr, "-manifest", manifestPath)
		if status != 0 {
			t.Fatalf("%s: got status %d; want 0; summary %+v", network, status, r.Summary)
		}
		if r.Client != clientName || r.Network != network || r.Address != addr {
			t.Fatalf("%s: got client %q, network %q, address %q", network, r.Client, r.Network, r.Address)
		}
		i := 0
		for _, c := range m.Cases {
			if !c.IsPlainStream() {
				continue
			}
			if i >= len(r.Results) {
				t.Fatalf("%s: got %d results; want one per echo case", network, len(r.Results))
			}
			res := r.Results[i]
			i++
			total := c.Size * int64(c.Connections)
			switch {
			case res.ID != c.ID:
				t.Fatalf("%s: result %d is %s; want %s (manifest order)", network, i-1, res.ID, c.ID)
			case res.Status != statusPassed || res.Failure != nil:
				t.Fatalf("%s: %s: got %s, %+v; want passed", network, c.ID, res.Status, res.Failure)
			case res.BytesSent != total || res.BytesReceived != total:
				t.Fatalf("%s: %s: got %d sent, %d received; want %d", network, c.ID, res.BytesSent, res.BytesReceived, total)
			case res.ActualSha256 != c.Sha256 || res.ExpectedSha256 != c.Sha256:
				t.Fatalf("%s: %s: got sha256 %s/%s; want %s", network, c.ID, res.ExpectedSha256, res.ActualSha256, c.Sha256)
			case len(res.Timings) != c.Connections || res.Connections != c.Connections:
				t.Fatalf("%s: %s: got %d timings; want %d", network, c.ID, len(res.Timings), c.Connections)
			case res.DurationNs <= 0:
				t.Fatalf("%s: %s: got durationNs %d; want more than 0", network, c.ID, res.DurationNs)
			}
			for j, tm := range res.Timings {
				if tm.ConnectNs <= 0 || tm.LastByteNs <= 0 || (c.Size > 0) != (tm.FirstByteNs > 0) || tm.FirstByteNs > tm.LastByteNs {
					t.Fatalf("%s: %s: connection %d timing %+v; want connect, first and last byte in order", network, c.ID, j, tm)
				}
			}
		}
		if i != len(r.Results) || r.Summary != (Summary{Passed: i}) {
			t.Fatalf("%s: got %d results, summary %+v; want %d passed", network, len(r.Results), r.Summary, i)
		}
	}
}

// TestReadOnceServerFails runs the manifest against the seed's bug: one read
// of up to 4096 bytes. Every case with more than 4096 bytes on a connection must fail.
func TestReadOnceServerFails(t *testing.T) {
	m := loadManifest(t)
	addr := testkit.Serve(t, "unix", testkit.ReadOnce)
	status, r := runReport(t, "-unix", addr, "-manifest", manifestPath)
	if status != 1 {
		t.Fatalf("got status %d; want 1", status)
	}
	var failed []string
	for _, res := range r.Results {
		c := m.Case(res.ID)
		if c.Size <= 4096 {
			continue // one read may or may not get it all
		}
		f := res.Failure
		if res.Status != statusFailed || f == nil || f.Connection == nil || f.FirstDifferingOffset == nil ||
			f.ExpectedHex == nil || f.ActualHex == nil {
			t.Fatalf("%s: got %s, %+v; want failed with an offset", res.ID, res.Status, f)
		}
		if off := *f.FirstDifferingOffset; off > 4096 || !strings.HasPrefix(f.Message, "connection ") {
			t.Fatalf("%s: got offset %d, message %q; want at most 4096", res.ID, off, f.Message)
		}
		p, _ := m.Payload(c, *f.Connection)
		lo := *f.FirstDifferingOffset - 8
		if lo < 0 {
			lo = 0
		}
		hi := *f.FirstDifferingOffset + 8
		if hi > len(p) {
			hi = len(p)
		}
		if want := hex.EncodeToString(p[lo:hi]); *f.ExpectedHex != want {
			t.Fatalf("%s: got expectedHex %s; want %s", res.ID, *f.ExpectedHex, want)
		}
		failed = append(failed, res.ID)
	}
	sort.Strings(failed)
	want := []string{"concurrency.64x64k", "concurrency.barrier.4x64k", "echo.size.16m", "echo.size.1m", "echo.size.4097", "echo.size.64k",
		"echo.size.64k.no-half-close", "order.one-byte-writes", "order.paced-writes", "order.small-writes.1000"}
	if strings.Join(failed, " ") != strings.Join(want, " ") {
		t.Fatalf("got failed %q; want %q", failed, want)
	}
}

// TestBarrierCatchesASerialServer checks that a server serving one client at
// a time passes the concurrency cases whose clients close once served, and
// fails those where all must be served while all are connected.
func TestBarrierCatchesASerialServer(t *testing.T) {
	var one sync.Mutex
	addr := testkit.Serve(t, "unix", func(c net.Conn) {
		one.Lock()
		defer one.Unlock()
		testkit.Echo(c)
	})
	status, r := runReport(t, "-unix", addr, "-manifest", manifestPath, "-case", "concurrency.64x1k")
	if status != 0 {
		t.Fatalf("concurrency.64x1k against a serial server: got status %d, %+v; want 0 (it cannot tell)", status, r.Results[0].Failure)
	}
	status, r = runReport(t, "-unix", addr, "-manifest", manifestPath, "-case", "concurrency.barrier.16x1k", "-timeout-scale", "0.05")
	f := r.Results[0].Failure
	if status != 1 || f == nil || f.Kind != "timeout" {
		t.Fatalf("concurrency.barrier.16x1k against a serial server: got status %d, failure %+v; want 1 and a timeout", status, f)
	}
}

// TestTimeout checks that a server that never answers fails the case at its deadline.
func TestTimeout(t *testing.T) {
	hold := make(chan struct{})
	addr := testkit.Serve(t, "unix", func(c net.Conn) { <-hold })
	t.Cleanup(func() { close(hold) })
	status, r := runReport(t, "-unix", addr, "-manifest", manifestPath, "-case", "echo.hello", "-timeout-scale", "0.1") // 1 s: the deadline must pass, and a loaded machine must still dial within it
	f := r.Results[0].Failure
	if status != 1 || f == nil || f.Kind != "timeout" || f.Message != "connection 0: timed out after 0 of 5 bytes" || *f.FirstDifferingOffset != 0 {
		t.Fatalf("got status %d, failure %+v; want 1 and an i/o timeout at offset 0", status, f)
	}
	if *f.ExpectedHex != "48656c6c6f" || *f.ActualHex != "" {
		t.Fatalf("got expectedHex %q, actualHex %q; want \"48656c6c6f\", \"\"", *f.ExpectedHex, *f.ActualHex)
	}
}

// TestNoEOF checks that a server that echoes but never closes fails a half-closed case.
func TestNoEOF(t *testing.T) {
	hold := make(chan struct{})
	addr := testkit.Serve(t, "unix", func(c net.Conn) {
		buf := make([]byte, 5)
		io.ReadFull(c, buf)
		c.Write(buf)
		<-hold
	})
	t.Cleanup(func() { close(hold) })
	status, r := runReport(t, "-unix", addr, "-manifest", manifestPath, "-case", "echo.hello", "-timeout-scale", "0.1") // 1 s: the deadline must pass, and a loaded machine must still dial within it
	f := r.Results[0].Failure
	if status != 1 || f == nil || f.Kind != "no-eof" || f.Message != "connection 0: all 5 bytes came back, but no EOF after the half-close" || f.FirstDifferingOffset != nil {
		t.Fatalf("got status %d, failure %+v; want 1 and an i/o timeout waiting for EOF, with no offset", status, f)
	}
}

// TestEOFTimeout checks that the wait for EOF, once the whole echo is in and
// the client has half-closed, is bounded on its own by -eof-timeout (scaled
// like the deadline), not by the case's deadline; and that a server that
// closes within it passes.
func TestEOFTimeout(t *testing.T) {
	hold := make(chan struct{})
	t.Cleanup(func() { close(hold) })
	never := testkit.Serve(t, "unix", func(c net.Conn) {
		io.Copy(c, c)
		<-hold
	})
	// -timeout-scale 2: a 20 s deadline and a 400 ms wait for EOF.
	status, r := runReport(t, "-unix", never, "-manifest", manifestPath, "-case", "echo.hello", "-timeout-scale", "2", "-eof-timeout", "200ms")
	f := r.Results[0].Failure
	if status != 1 || f == nil || f.Kind != "no-eof" || f.Message != "connection 0: all 5 bytes came back, but no EOF after the half-close" {
		t.Fatalf("got status %d, failure %+v; want 1 and no-eof", status, f)
	}
	if d := time.Duration(r.Results[0].DurationNs); d >= 10*time.Second {
		t.Fatalf("no-eof after %v; want it long before the 20 s deadline", d)
	}
	// The whole echo of an empty payload is there from the start.
	status, r = runReport(t, "-unix", never, "-manifest", manifestPath, "-case", "echo.empty", "-timeout-scale", "2", "-eof-timeout", "200ms")
	if f := r.Results[0].Failure; status != 1 || f == nil || f.Kind != "no-eof" || time.Duration(r.Results[0].DurationNs) >= 10*time.Second {
		t.Fatalf("echo.empty: got status %d, failure %+v after %v; want no-eof long before the deadline", status, f, time.Duration(r.Results[0].DurationNs))
	}
	late := testkit.Serve(t, "unix", func(c net.Conn) {
		io.Copy(c, c)
		time.Sleep(50 * time.Millisecond) // a server that takes its time to close, within the wait
	})
	if status, r := runReport(t, "-unix", late, "-manifest", manifestPath, "-case", "echo.hello", "-eof-timeout", "2s"); status != 0 {
		t.Fatalf("a server closing 50 ms after EOF: got status %d, %+v; want 0", status, r.Results[0].Failure)
	}
}

// TestEarlyEOF checks that a server that closes once it has echoed, without
// waiting for the client's EOF, fails a case whose clients half-close only
// after their whole echo, and passes one whose clients half-close right after
// writing (there the EOF may come first or not: nothing to judge).
func TestEarlyEOF(t *testing.T) {
	addr := testkit.Serve(t, "unix", testkit.ReadOnce)
	status, r := runReport(t, "-unix", addr, "-manifest", manifestPath, "-case", "concurrency.barrier.16x1k")
	f := r.Results[0].Failure
	if status != 1 || f == nil || f.Kind != "early-eof" || f.Connection == nil || f.FirstDifferingOffset != nil ||
		f.Message != fmt.Sprintf("connection %d: all 1024 bytes came back, but the server closed before the client's half-close", *f.Connection) {
		t.Fatalf("got status %d, failure %+v; want 1 and early-eof", status, f)
	}
	status, r = runReport(t, "-unix", addr, "-manifest", manifestPath, "-case", "concurrency.64x1k,echo.hello.no-half-close")
	if status != 0 {
		t.Fatalf("concurrency.64x1k, echo.hello.no-half-close: got status %d, %+v; want 0", status, r.Results)
	}
}

// TestExtraBytes checks that bytes past the payload fail a half-closed case.
func TestExtraBytes(t *testing.T) {
	addr := testkit.Serve(t, "unix", func(c net.Conn) {
		io.Copy(c, c)
		c.Write([]byte("!"))
	})
	status, r := runReport(t, "-unix", addr, "-manifest", manifestPath, "-case", "echo.hello")
	f := r.Results[0].Failure
	if status != 1 || f == nil || f.Kind != "extra-bytes" || f.Message != "connection 0: extra bytes: received 6 bytes, 1 more than the 5 sent" || *f.FirstDifferingOffset != 5 {
		t.Fatalf("got status %d, failure %+v; want 1, received 6 bytes; want 5 at offset 5", status, f)
	}
	if *f.ExpectedHex != "48656c6c6f" || *f.ActualHex != "48656c6c6f21" {
		t.Fatalf("got expectedHex %q, actualHex %q", *f.ExpectedHex, *f.ActualHex)
	}
}

func TestSelectedCases(t *testing.T) {
	addr := testkit.Serve(t, "unix", testkit.Echo)
	status, r := runReport(t, "-unix", addr, "-manifest", manifestPath, "-case", "lifecycle.sigterm, echo.hello,echo.hello")
	if status != 0 || len(r.Results) != 2 || r.Summary != (Summary{Passed: 1, Skipped: 1}) {
		t.Fatalf("got status %d, %d results, summary %+v; want 0, 2, 1 passed and 1 skipped", status, len(r.Results), r.Summary)
	}
	skipped := r.Results[0]
	if skipped.ID != "lifecycle.sigterm" || skipped.Status != statusSkipped || skipped.Failure == nil ||
		skipped.Failure.Message != "kind lifecycle is run by the harness" || skipped.Failure.Connection != nil {
		t.Fatalf("got %+v; want lifecycle.sigterm skipped as run by the harness", skipped)
	}
	if r.Results[1].ID != "echo.hello" || r.Results[1].Status != statusPassed {
		t.Fatalf("got %+v; want echo.hello passed", r.Results[1])
	}
}

func TestPayload(t *testing.T) {
	tests := []struct {
		args []string
		want []byte
	}{
		{[]string{"-payload", "echo.size.4097"}, fixture.SplitMix64(4097, 4097)},
		{[]string{"-payload", "concurrency.64x1k", "-connection", "5"}, fixture.SplitMix64(6405, 1024)},
		{[]string{"-payload", "echo.hello"}, []byte("Hello")},
		{[]string{"-payload", "echo.empty"}, []byte{}},
	}
	for _, tt := range tests {
		status, stdout, stderr := runClient(append([]string{"-manifest", manifestPath}, tt.args...)...)
		if status != 0 || stderr != "" || stdout != string(tt.want) {
			t.Fatalf("%q: got status %d, %d bytes, stderr %q; want 0 and the %d generated bytes", tt.args, status, len(stdout), stderr, len(tt.want))
		}
	}
}

func TestUsageErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "manifest.json")
	b, err := os.ReadFile(manifestPath)
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	// A copy whose payload files are missing next to it.
	if err := os.WriteFile(bad, b, 0o644); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "none.json")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-unix", "/x.sock"}, "-manifest is required"},
		{[]string{"-manifest", manifestPath}, "one of -unix or -tcp is required"},
		{[]string{"-unix", "/x.sock", "-manifest", manifestPath, "-case", "echo.nope"}, `unknown case ID "echo.nope"`},
		{[]string{"-unix", "/x.sock", "-manifest", manifestPath, "-timeout-scale", "0"}, "-timeout-scale 0"},
		{[]string{"-unix", "/x.sock", "-manifest", manifestPath, "-eof-timeout", "0s"}, "-eof-timeout 0s"},
		{[]string{"-unix", "/x.sock", "-manifest", missing}, missing + ": no such file or directory"},
		{[]string{"-unix", "/x.sock", "-manifest", bad}, "case echo.empty: open " + filepath.Dir(bad) + "/payloads/empty.bin"},
		{[]string{"-manifest", manifestPath, "-payload", "lifecycle.sigterm"}, "case lifecycle.sigterm is of kind lifecycle"},
		{[]string{"-manifest", manifestPath, "-payload", "echo.hello", "-connection", "1"}, "no connection 1"},
		{[]string{"-manifest", manifestPath, "-payload", "echo.hello", "-unix", "/x.sock"}, "-payload takes only"},
		{[]string{"-unix", "/x.sock", "-manifest", manifestPath, "-connection", "1"}, "-connection needs -payload"},
	}
	for _, tt := range tests {
		status, stdout, stderr := runClient(tt.args...)
		if status != 2 || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Fatalf("%q: got status %d, stdout %q, stderr %q; want 2 and one line with %q", tt.args, status, stdout, stderr, tt.want)
		}
	}
}
