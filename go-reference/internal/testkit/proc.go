// SPDX-License-Identifier: Apache-2.0
// Test support: build a command, run it as a process, wait on its output and exit.

// Package testkit is what the commands' tests share: building a command and
// running it as a real process, for tests that deliver real signals and check
// real exit statuses, and small in-test servers. Every wait is bounded by a
// deadline; none sleeps.
package testkit

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Timeout bounds each wait of a test step.
const Timeout = 10 * time.Second

// Build builds the main package in the current directory into a new
// temporary directory. It returns the binary's path and a function that
// removes the directory.
func Build(name string) (path string, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		return "", nil, err
	}
	path = filepath.Join(dir, name)
	gotool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gotool); err != nil {
		gotool = "go"
	}
	out, err := exec.Command(gotool, "build", "-o", path, ".").CombinedOutput()
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("go build %s: %v\n%s", name, err, out)
	}
	return path, func() { os.RemoveAll(dir) }, nil
}

// TempDir returns a short new directory for socket paths (t.TempDir's names
// can pass the 107-byte limit), removed when the test ends.
func TempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "")
	if err != nil {
		t.Fatalf("MkdirTemp: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// A Proc is a running command.
type Proc struct {
	Cmd    *exec.Cmd
	Stdout *Output
	Stderr *Output
	done   chan struct{} // closed when the process has exited
}

// Start starts binary with args. The process is killed when the test ends,
// if it is still running.
func Start(t testing.TB, binary string, args ...string) *Proc {
	t.Helper()
	p := &Proc{Cmd: exec.Command(binary, args...), Stdout: NewOutput(), Stderr: NewOutput(), done: make(chan struct{})}
	p.Cmd.Stdout, p.Cmd.Stderr = p.Stdout, p.Stderr
	if err := p.Cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", binary, err)
	}
	go func() {
		p.Cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.Cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// Ready waits for n lines on stdout and returns them. It fails the test if
// the process exits first or the lines do not come within Timeout.
func (p *Proc) Ready(t testing.TB, n int) []string {
	t.Helper()
	if !p.Stdout.wait(func(s string) bool { return strings.Count(s, "\n") >= n }, p.done) {
		t.Fatalf("waiting for %d ready lines: got stdout %q, stderr %q", n, p.Stdout, p.Stderr)
	}
	return strings.SplitN(p.Stdout.String(), "\n", n+1)[:n]
}

// WaitStderr waits until stderr contains substr.
func (p *Proc) WaitStderr(t testing.TB, substr string) {
	t.Helper()
	if !p.Stderr.wait(func(s string) bool { return strings.Contains(s, substr) }, p.done) {
		t.Fatalf("waiting for %q on stderr: got %q", substr, p.Stderr)
	}
}

// Signal sends sig to the process.
func (p *Proc) Signal(t testing.TB, sig syscall.Signal) {
	t.Helper()
	if err := p.Cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %v: %v", sig, err)
	}
}

// Wait waits up to Timeout for the process to exit and returns its exit
// status, or -1 if a signal ended it.
func (p *Proc) Wait(t testing.TB) int {
	t.Helper()
	timer := time.NewTimer(Timeout)
	defer timer.Stop()
	select {
	case <-p.done:
		return p.Cmd.ProcessState.ExitCode()
	case <-timer.C:
		p.Cmd.Process.Kill()
		<-p.done
		t.Fatalf("process did not exit within %v; stderr %q", Timeout, p.Stderr)
		return -1
	}
}

// Exited reports whether the process has exited.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Output collects what a process writes, and wakes those waiting on it.
type Output struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed and replaced on each write
}

// NewOutput returns an empty Output, safe to write from several goroutines (a server's logger, say).
func NewOutput() *Output { return &Output{changed: make(chan struct{})} }

// Write appends b.
func (o *Output) Write(b []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(b)
	close(o.changed)
	o.changed = make(chan struct{})
	return len(b), nil
}

// String returns everything written so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// wait waits up to Timeout for ok to hold of the output, giving up early
// when exited is closed and ok still does not hold.
func (o *Output) wait(ok func(string) bool, exited <-chan struct{}) bool {
	timer := time.NewTimer(Timeout)
	defer timer.Stop()
	for {
		o.mu.Lock()
		s, changed := o.buf.String(), o.changed
		o.mu.Unlock()
		if ok(s) {
			return true
		}
		select {
		case <-changed:
		case <-exited:
			// The copying goroutine has finished when Wait returned: one last look.
			return ok(o.String())
		case <-timer.C:
			return false
		}
	}
}
