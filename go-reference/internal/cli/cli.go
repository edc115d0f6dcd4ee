// SPDX-License-Identifier: Apache-2.0
// Command-line parsing shared by the commands: -help, one-line usage errors, exit codes.

// Package cli parses the commands' flags the same way everywhere: -help prints
// the usage on stdout and exits 0, and bad usage is one line on stderr and exit 2.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit statuses shared by the commands.
const (
	ExitOK      = 0 // success
	ExitFailure = 1 // a check failed, or something unexpected happened
	ExitUsage   = 2 // bad usage or configuration
)

// A Command describes a command for its usage text.
type Command struct {
	Name     string // e.g. "echo-server"
	Synopsis string // the lines after "Usage:", without the name's indentation
	Doc      string // a paragraph after the synopsis
}

// NewFlagSet returns a flag set for c that prints nothing by itself.
func (c *Command) NewFlagSet() *flag.FlagSet {
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// Parse parses args into fs. It returns done when the command should stop
// now with the returned status: after -help, or after a usage error, which
// it has reported on stderr.
func (c *Command) Parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (status int, done bool) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		c.PrintUsage(fs, stdout)
		return ExitOK, true
	}
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err != nil {
		return c.Usagef(stderr, "%v", err), true
	}
	return ExitOK, false
}

// Usagef reports a usage error on stderr as one line and returns ExitUsage.
func (c *Command) Usagef(stderr io.Writer, format string, args ...interface{}) int {
	fmt.Fprintf(stderr, "%s: %s (see %s -help)\n", c.Name, fmt.Sprintf(format, args...), c.Name)
	return ExitUsage
}

// Errorf reports an error on stderr as one line, prefixed with the command's name.
func (c *Command) Errorf(stderr io.Writer, format string, args ...interface{}) {
	fmt.Fprintf(stderr, "%s: %s\n", c.Name, fmt.Sprintf(format, args...))
}

// PrintUsage writes the usage text and the flags' defaults to w.
func (c *Command) PrintUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "Usage:\n")
	for _, line := range strings.Split(strings.TrimSpace(c.Synopsis), "\n") {
		fmt.Fprintf(w, "  %s %s\n", c.Name, line)
	}
	if c.Doc != "" {
		fmt.Fprintf(w, "\n%s\n", c.Doc)
	}
	fmt.Fprintf(w, "\nFlags:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}
