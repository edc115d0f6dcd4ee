// SPDX-License-Identifier: Apache-2.0
// The JSON report interop-client prints, and how a connection's outcome becomes a failure.

package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
)

// Case statuses.
const (
	statusPassed  = "passed"
	statusFailed  = "failed"
	statusSkipped = "skipped"
)

// A Report is the one JSON document interop-client prints.
type Report struct {
	Client  string   `json:"client"`
	Version string   `json:"version"`
	Network string   `json:"network"`
	Address string   `json:"address"`
	Results []Result `json:"results"`
	Summary Summary  `json:"summary"`
}

// A Summary counts the results by status.
type Summary struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

// A Result is the outcome of one case. Byte counts are summed over the
// connections; ActualSha256 is over what each connection received,
// concatenated in connection order.
type Result struct {
	ID             string   `json:"id"`
	Status         string   `json:"status"`
	Connections    int      `json:"connections"`
	BytesSent      int64    `json:"bytesSent"`
	BytesReceived  int64    `json:"bytesReceived"`
	ExpectedSha256 string   `json:"expectedSha256"`
	ActualSha256   string   `json:"actualSha256"`
	DurationNs     int64    `json:"durationNs"`
	Timings        []Timing `json:"timings"`
	Failure        *Failure `json:"failure"`
}

// A Timing is one connection's durations, in nanoseconds of the monotonic
// clock: the dial; from the start of the first write to the first echoed
// byte (absent when none came); and to the last one, or to EOF for an empty
// payload.
type Timing struct {
	ConnectNs   int64 `json:"connectNs"`
	FirstByteNs int64 `json:"firstByteNs,omitempty"`
	LastByteNs  int64 `json:"lastByteNs"`
}

// Failure kinds, in the harness's words (its FailureKind).
const (
	kindTruncated  = "truncated"
	kindExtraBytes = "extra-bytes"
	kindMismatch   = "mismatch"
	kindNoEOF      = "no-eof"
	kindEarlyEOF   = "early-eof"
	kindTimeout    = "timeout"
	kindRefused    = "refused"
	kindError      = "error"
	// On seqpacket and datagram sockets: a message came back split or merged.
	kindBoundary = "boundary"
	// A datagram never came back.
	kindLost = "lost"
	// Descriptors passed with the bytes did not come back as the same open files.
	kindDescriptors = "descriptors"
)

// A Failure says why a case failed, of which kind, on its lowest failing connection, or why
// it was skipped (Message only). The offset is within that connection's
// stream: the first byte that differs, or where the received bytes ended
// early or went on too long; the hex windows are up to 16 bytes from 8
// before it.
type Failure struct {
	Kind                 string  `json:"kind,omitempty"`
	Message              string  `json:"message"`
	Connection           *int    `json:"connection,omitempty"`
	FirstDifferingOffset *int    `json:"firstDifferingOffset,omitempty"`
	ExpectedHex          *string `json:"expectedHex,omitempty"`
	ActualHex            *string `json:"actualHex,omitempty"`
}

// window is the span either side of the first differing offset that a failure shows.
const window = 8

// failure returns why connection j failed, or nil if it passed.
func (r *connResult) failure(j int) *Failure {
	if r.dialErr != nil {
		kind := kindRefused
		if errors.Is(r.dialErr, os.ErrDeadlineExceeded) {
			kind = kindTimeout
		}
		return &Failure{Kind: kind, Message: fmt.Sprintf("connection %d: %v", j, r.dialErr), Connection: &j}
	}
	got, want := len(r.received), len(r.expected)
	timedOut := errors.Is(r.readErr, os.ErrDeadlineExceeded) || errors.Is(r.barrierErr, os.ErrDeadlineExceeded)
	var kind, msg string
	switch {
	case r.boundary > 0 && r.boundaryLen > r.messageSize:
		kind, msg = kindBoundary, fmt.Sprintf("message %d came back as %d bytes, longer than the %d-byte messages sent: messages merged", r.boundary-1, r.boundaryLen, r.messageSize)
	case r.boundary > 0:
		kind, msg = kindBoundary, fmt.Sprintf("message %d came back as %d bytes, not as it was sent: a message split or extra", r.boundary-1, r.boundaryLen)
	case r.lost > 0:
		kind, msg = kindLost, fmt.Sprintf("%d datagrams never came back (received %d of %d bytes)", r.lost, got, want)
	case r.firstDiff >= 0:
		kind, msg = kindMismatch, fmt.Sprintf("mismatch at offset %d (received %d of %d bytes)", r.firstDiff, got, want)
	case got > want:
		kind, msg = kindExtraBytes, fmt.Sprintf("extra bytes: received %d bytes, %d more than the %d sent", got, got-want, want)
		if r.overflow {
			msg = fmt.Sprintf("extra bytes: received at least %d bytes, at least %d more than the %d sent (stopped reading there)", got, got-want, want)
		}
	case got < want && timedOut:
		kind, msg = kindTimeout, fmt.Sprintf("timed out after %d of %d bytes", got, want)
	case got < want:
		kind, msg = kindTruncated, fmt.Sprintf("echo ended after %d of %d bytes", got, want)
		if r.readErr != nil {
			msg += fmt.Sprintf(" (%v)", r.readErr)
		}
	case r.earlyEOF: // what went wrong after it (a half-close of a closed connection) followed from it
		kind, msg = kindEarlyEOF, fmt.Sprintf("all %d bytes came back, but the server closed before the client's half-close", want)
	case r.barrierErr != nil:
		kind, msg = kindTimeout, "timed out waiting for the other connections' echoes"
	case r.readErr != nil && timedOut: // only a half-closed connection reads on
		kind, msg = kindNoEOF, fmt.Sprintf("all %d bytes came back, but no EOF after the half-close", want)
	case r.readErr != nil:
		kind, msg = kindError, fmt.Sprintf("%v after all %d bytes", r.readErr, want)
	case r.writeErr != nil:
		kind, msg = kindError, fmt.Sprintf("%v after %d of %d bytes", r.writeErr, r.sent, want)
	case r.fdErr != nil:
		kind, msg = kindDescriptors, fmt.Sprintf("all %d bytes came back, but the descriptors did not: %v", want, r.fdErr)
	default:
		return nil
	}
	if r.writeErr != nil && kind != kindError && kind != kindEarlyEOF {
		msg += fmt.Sprintf("; %v after %d of %d bytes", r.writeErr, r.sent, want)
	}
	f := &Failure{Kind: kind, Message: fmt.Sprintf("connection %d: %s", j, msg), Connection: &j}

	offset := -1
	switch {
	case r.firstDiff >= 0:
		offset = r.firstDiff
	case got < want:
		offset = got
	case got > want:
		offset = want
	}
	if offset >= 0 {
		lo := offset - window
		if lo < 0 {
			lo = 0
		}
		expectedHex := hex.EncodeToString(r.expected[lo:clamp(offset+window, want)])
		actualHex := hex.EncodeToString(r.received[lo:clamp(offset+window, got)])
		f.FirstDifferingOffset, f.ExpectedHex, f.ActualHex = &offset, &expectedHex, &actualHex
	}
	return f
}

func clamp(n, limit int) int {
	if n > limit {
		return limit
	}
	return n
}
