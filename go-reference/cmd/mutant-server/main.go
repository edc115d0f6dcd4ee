// SPDX-License-Identifier: Apache-2.0
// mutant-server: an echo server with exactly one deliberate bug, chosen by -bug, to prove the suite catches it.

// Mutant-server is the echo server of the conformance contract (the same
// flags, ready lines, socket-file handling and shutdown as echo-server) with
// one deliberate bug, chosen with -bug. It runs echo-server's code,
// internal/echo's Server, with one of the Server's hooks set: each bug lives
// in its own file, bug_NAME.go, whose header comment names it. The harness
// runs every mutant through the conformance cases and expects each to be
// caught by exactly the cases it records; everything but the one bug is
// correct, so that nothing else is caught.
//
// Exit status: 0 after a clean shutdown, 2 on bad usage or configuration,
// 1 on anything unexpected.
package main

import (
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"udsinterop.dev/go-reference/internal/cli"
	"udsinterop.dev/go-reference/internal/echo"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "devel"

var command = &cli.Command{
	Name: "mutant-server",
	Synopsis: `-bug NAME -unix PATH | -tcp HOST:PORT [-unix PATH ...] [-tcp HOST:PORT ...] [-mode 0600] [-grace 5s]
-list
-version`,
	Doc: `An echo server with exactly one deliberate bug, for proving that the
conformance suite catches it. Otherwise it behaves as echo-server: ready lines
"listening unix:PATH" / "listening tcp:HOST:PORT" on stdout, stale sockets
replaced, SIGTERM or SIGINT stop it cleanly with exit 0. -list prints the bugs.

Exit status: 0 clean shutdown, 1 unexpected error, 2 bad usage or configuration.`,
}

func main() {
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGTERM, os.Interrupt)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, signals))
}

// A bug is one deliberate defect, defined in its own file and registered in bugs.
type bug struct {
	name string
	doc  string // what it does wrong, one line
	// set puts the bug into s, which is otherwise the correct server, by
	// setting one of its hooks.
	set func(s *echo.Server)
}

// bugs holds every bug by name; each bug file adds itself in an init function.
var bugs = map[string]*bug{}

func register(b *bug) { bugs[b.name] = b }

// run is the whole command, as echo-server's with -bug and -list.
func run(args []string, stdout, stderr io.Writer, signals <-chan os.Signal) int {
	fs := command.NewFlagSet()
	var flags echo.Flags
	flags.Register(fs)
	bugName := fs.String("bug", "", "the deliberate bug, by `name` (see -list)")
	list := fs.Bool("list", false, "print the bugs, one per line: name, a tab, what it does wrong")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if status, done := command.Parse(fs, args, stdout, stderr); done {
		return status
	}
	switch {
	case *showVersion:
		fmt.Fprintf(stdout, "mutant-server %s\n", version)
		return cli.ExitOK
	case *list:
		for _, name := range bugNames() {
			fmt.Fprintf(stdout, "%s\t%s\n", name, bugs[name].doc)
		}
		return cli.ExitOK
	}
	b, ok := bugs[*bugName]
	if !ok {
		return command.Usagef(stderr, "-bug %q: want one of %s", *bugName, strings.Join(bugNames(), ", "))
	}
	if err := flags.Check(); err != nil {
		return command.Usagef(stderr, "%v", err)
	}
	srv := &echo.Server{Log: log.New(stderr, command.Name+" ("+b.name+"): ", 0)}
	b.set(srv)
	if err := srv.Listen(flags.Endpoints, flags.Mode); err != nil {
		command.Errorf(stderr, "%v", err)
		return cli.ExitUsage
	}
	if srv.Run(stdout, flags.Grace, signals) != nil {
		return cli.ExitFailure
	}
	return cli.ExitOK
}

func bugNames() []string {
	names := make([]string, 0, len(bugs))
	for name := range bugs {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
