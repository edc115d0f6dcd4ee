// SPDX-License-Identifier: Apache-2.0
// Tests of soak-client against in-test servers: a correct echo passes, a lossy or corrupting one fails.

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"

	"udsinterop.dev/go-reference/internal/testkit"
)

func soakArgs(addr string, extra ...string) []string {
	return append([]string{"-unix", addr, "-clients", "4", "-duration", "300ms", "-max-size", "70000", "-json"}, extra...)
}

func TestPassesAgainstACorrectEchoAndSamplesItsProcess(t *testing.T) {
	addr := testkit.Serve(t, "unix", testkit.Echo)
	var stdout, stderr bytes.Buffer
	// This test process is the server, so -pid samples it.
	status := run(soakArgs(addr, "-pid", itoa(os.Getpid()), "-settle", "1s"), &stdout, &stderr)
	var res Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("json: %v; stdout %q, stderr %q", err, stdout.String(), stderr.String())
	}
	if res.Connections == 0 || res.Bytes == 0 || res.LostBytes+res.CorruptedBytes+res.ExtraBytes != 0 {
		t.Errorf("result %+v; stderr %s", res, stderr.String())
	}
	if res.Server == nil || res.Server.RSSPeakKiB <= 0 || res.Server.FdsBaseline <= 0 {
		t.Errorf("server sample %+v", res.Server)
	}
	// Threads of a Go test process come and go; only the byte counts decide here.
	if res.LostBytes != 0 || (status != 0 && !strings.Contains(stderr.String(), "threads")) {
		t.Errorf("status %d; stderr %s", status, stderr.String())
	}
}

func TestFailsWhenBytesAreLostOrWrong(t *testing.T) {
	for name, h := range map[string]testkit.Handler{
		"read once": testkit.ReadOnce,
		"flips a byte": func(c net.Conn) {
			b, _ := io.ReadAll(c)
			if len(b) > 0 {
				b[len(b)/2] ^= 1
			}
			c.Write(b)
		},
	} {
		t.Run(name, func(t *testing.T) {
			addr := testkit.Serve(t, "unix", h)
			var stdout, stderr bytes.Buffer
			if status := run(soakArgs(addr), &stdout, &stderr); status != 1 {
				t.Fatalf("status %d, want 1; stderr %s", status, stderr.String())
			}
			var res Result
			if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
				t.Fatalf("json: %v", err)
			}
			if res.Verdict != "fail" || res.LostBytes+res.AbortedBytes+res.CorruptedBytes == 0 {
				t.Errorf("result %+v", res)
			}
		})
	}
}

func TestUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if status := run([]string{"-clients", "0", "-unix", "x"}, &stdout, &stderr); status != 2 {
		t.Errorf("status %d, want 2; stderr %s", status, stderr.String())
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
