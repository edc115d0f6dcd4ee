// SPDX-License-Identifier: Apache-2.0
// Tests of seed-client against in-test servers: the JSON line, and the failures it reports.

package main

import (
	"bytes"
	"encoding/json"
	"net"
	"strings"
	"testing"

	"udsinterop.dev/go-reference/internal/testkit"
)

func runClient(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	status := run(args, &stdout, &stderr)
	return status, stdout.String(), stderr.String()
}

func TestSeedLoop(t *testing.T) {
	for _, network := range []string{"unix", "tcp"} {
		addr := testkit.Serve(t, network, testkit.Echo)
		status, stdout, stderr := runClient("-"+network, addr, "-n", "50")
		if status != 0 || stderr != "" {
			t.Fatalf("%s: got status %d, stderr %q; want 0, nothing", network, status, stderr)
		}
		if strings.Count(stdout, "\n") != 1 || !strings.HasPrefix(stdout, `{"workload":"seed-loop","transport":"`+network+`"`) {
			t.Fatalf("%s: got stdout %q; want one JSON line", network, stdout)
		}
		var r result
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("%s: Unmarshal: %v", network, err)
		}
		if r.Address != addr || r.Iterations != 50 || r.MessageBytes != 5 || r.TotalNs <= 0 || r.PerOpNs != r.TotalNs/50 {
			t.Fatalf("%s: got %+v; want address %s, 50 iterations of 5 bytes, perOpNs = totalNs/50", network, r, addr)
		}
	}
}

func TestSeedLoopFailures(t *testing.T) {
	wrong := testkit.Serve(t, "unix", func(c net.Conn) {
		buf := make([]byte, 5)
		c.Read(buf)
		c.Write([]byte("Hellx"))
	})
	silent := testkit.Serve(t, "unix", func(c net.Conn) { c.Read(make([]byte, 5)) })
	tests := []struct{ addr, want string }{
		{wrong, `seed-client: iteration 0: read unix ->` + wrong + `: got "Hellx"; want "Hello"` + "\n"},
		{silent, `seed-client: iteration 0: read unix ->` + silent + `: EOF after 0 of 5 bytes` + "\n"},
	}
	for _, tt := range tests {
		status, stdout, stderr := runClient("-unix", tt.addr, "-n", "3")
		if status != 1 || stdout != "" || stderr != tt.want {
			t.Fatalf("got status %d, stdout %q, stderr %q; want 1, nothing, %q", status, stdout, stderr, tt.want)
		}
	}
}

func TestUsage(t *testing.T) {
	tests := [][]string{
		{},
		{"-unix", "/tmp/a.sock", "-tcp", "127.0.0.1:1"},
		{"-unix", "/tmp/a.sock", "-n", "0"},
		{"-unix", "/tmp/a.sock", "-message", ""},
		{"-n", "x"},
	}
	for _, args := range tests {
		status, stdout, stderr := runClient(args...)
		if status != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "seed-client: ") {
			t.Fatalf("%q: got status %d, stdout %q, stderr %q; want 2 and one line on stderr", args, status, stdout, stderr)
		}
	}
	status, stdout, _ := runClient("-help")
	if status != 0 || !strings.HasPrefix(stdout, "Usage:\n  seed-client -unix PATH") {
		t.Fatalf("-help: got status %d, stdout %q; want 0 and the usage", status, stdout)
	}
}
