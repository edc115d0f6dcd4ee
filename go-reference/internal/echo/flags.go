// SPDX-License-Identifier: Apache-2.0
// Flags: the command-line options every echo server command takes, and their checks.

package echo

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"udsinterop.dev/go-reference/internal/endpoint"
)

// Flags are the flags of an echo server command: -unix, -tcp, -seqpacket
// and -datagram (repeatable), -mode and -grace.
type Flags struct {
	Endpoints endpoint.List
	Mode      os.FileMode // the permission bits of -mode, set by Check
	Grace     time.Duration

	mode string
}

// Register defines the flags on fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	f.Endpoints.Register(fs,
		"listen on the socket file `path`, or the abstract name @name (repeatable)",
		"listen on TCP `host:port`, port 0 for any free one (repeatable)")
	f.Endpoints.RegisterMessages(fs,
		"listen for SOCK_SEQPACKET connections on `path` or @name (repeatable)",
		"echo SOCK_DGRAM datagrams on `path` or @name to their senders (repeatable)")
	fs.StringVar(&f.mode, "mode", "0600", "permission bits of the socket files, in `octal`")
	fs.DurationVar(&f.Grace, "grace", 5*time.Second, "how long open connections may take to finish after SIGTERM or SIGINT")
}

// Check checks the parsed flags and sets Mode. Its error is a usage error,
// naming the flag.
func (f *Flags) Check() error {
	if len(f.Endpoints) == 0 {
		return errors.New("at least one -unix, -tcp, -seqpacket or -datagram is required")
	}
	mode, err := endpoint.ParseMode(f.mode)
	if err != nil {
		return fmt.Errorf("-mode: %v", err)
	}
	if f.Grace < 0 {
		return fmt.Errorf("-grace %v is negative", f.Grace)
	}
	f.Mode = mode
	return nil
}
