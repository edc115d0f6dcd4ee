// SPDX-License-Identifier: Apache-2.0
// The server's resources as Linux shows them in /proc: resident memory, descriptors, threads.

package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A proc is a running process whose resources are read from /proc/PID.
type proc struct{ pid int }

func openProc(pid int) (*proc, error) {
	p := &proc{pid}
	if _, err := p.status("VmRSS"); err != nil {
		return nil, err
	}
	return p, nil
}

// status returns a numeric field of /proc/PID/status, e.g. VmRSS in KiB or Threads.
func (p *proc) status(field string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest := strings.TrimPrefix(s.Text(), field+":"); rest != s.Text() {
			return strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, p.pid)
}

func (p *proc) fds() int {
	entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", p.pid))
	if err != nil {
		return -1
	}
	return len(entries)
}

func (p *proc) threads() int {
	n, err := p.status("Threads")
	if err != nil {
		return -1
	}
	return int(n)
}

func (p *proc) baseline() Sample {
	rss, _ := p.status("VmRSS")
	return Sample{Pid: p.pid, RSSBaselineKiB: rss, RSSPeakKiB: rss, FdsBaseline: p.fds(), ThreadsBaseline: p.threads()}
}

// sampleRSS records the highest VmRSS into *peak every interval until the returned function is called.
func (p *proc) sampleRSS(interval time.Duration, peak *int64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if rss, err := p.status("VmRSS"); err == nil && rss > *peak {
				*peak = rss
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// settle waits at most d for the descriptors and threads to return to their
// baseline, polling /proc, and records where they ended.
func (p *proc) settle(s *Sample, d time.Duration) {
	deadline := time.Now().Add(d)
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		s.FdsAfter, s.ThreadsAfter = p.fds(), p.threads()
		if (s.FdsAfter <= s.FdsBaseline && s.ThreadsAfter <= s.ThreadsBaseline) || time.Now().After(deadline) {
			break
		}
		<-t.C
	}
	s.RSSHighWaterKiB, _ = p.status("VmHWM")
}
