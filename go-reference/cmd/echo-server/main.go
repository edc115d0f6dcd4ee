// SPDX-License-Identifier: Apache-2.0
// echo-server: the correct Go echo server, with the same contract as the Java server.

// Echo-server is a stream echo server on Unix domain sockets and TCP: every
// byte a client sends comes back, in order, until the client's EOF; then the
// server closes the connection. With -seqpacket it also serves SOCK_SEQPACKET
// connections, each message back as one message; with -datagram it sends
// each SOCK_DGRAM datagram back to its sender (one from an unbound sender is
// dropped and counted). Descriptors that arrive with bytes on a unix stream or
// seqpacket connection (SCM_RIGHTS, up to 8 a message) go back with the echo
// of those bytes and are then closed. A unix address "@name" is a name in
// Linux's abstract namespace: no file, and a name in use is refused.
//
// Once every socket is bound it prints one line per socket on stdout,
// "listening unix:/absolute/path", "listening seqpacket:@name",
// "listening datagram:PATH" or "listening tcp:host:port", and nothing
// else; logs go to stderr. A socket file is created with exactly the -mode
// permissions. A stale socket file at the path (one that refuses connections)
// is replaced; a live server's socket, or anything that is not a socket, is
// refused and left alone.
//
// The server unlinks the socket files it created, and only those, when it
// stops listening: at shutdown, or when it gives up starting. A server killed
// by SIGKILL leaves its file behind, stale, for the next one to replace.
//
// On SIGTERM or SIGINT it stops accepting (which removes the socket files),
// lets the open connections finish for up to -grace, closes the rest and
// exits 0. A second signal ends the grace period at once.
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
	"syscall"

	"udsinterop.dev/go-reference/internal/cli"
	"udsinterop.dev/go-reference/internal/echo"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "devel"

var command = &cli.Command{
	Name: "echo-server",
	Synopsis: `-unix ADDR | -tcp HOST:PORT | -seqpacket ADDR | -datagram ADDR [more of them ...] [-mode 0600] [-grace 5s]
-version`,
	Doc: `Echoes every byte each client sends, in order, until the client's EOF, then
closes the connection; on -seqpacket each message as one message, on -datagram
each datagram back to its sender. Descriptors passed with bytes (SCM_RIGHTS)
come back with their echo. ADDR is a socket path or @name (abstract). Prints
"listening unix:ADDR", "listening seqpacket:ADDR", "listening datagram:ADDR" or
"listening tcp:HOST:PORT" on stdout once per socket when all are bound; logs go
to stderr. On SIGTERM or SIGINT it stops accepting, removes its socket files,
lets open connections finish for up to -grace, then closes them and exits 0.

Exit status: 0 clean shutdown, 1 unexpected error, 2 bad usage or configuration.`,
}

func main() {
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGTERM, os.Interrupt)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, signals))
}

// run is the whole command: it returns the exit status when the server has
// shut down after a value on signals, or could not start.
func run(args []string, stdout, stderr io.Writer, signals <-chan os.Signal) int {
	fs := command.NewFlagSet()
	var flags echo.Flags
	flags.Register(fs)
	showVersion := fs.Bool("version", false, "print the version and exit")
	if status, done := command.Parse(fs, args, stdout, stderr); done {
		return status
	}
	if *showVersion {
		fmt.Fprintf(stdout, "echo-server %s\n", version)
		return cli.ExitOK
	}
	if err := flags.Check(); err != nil {
		return command.Usagef(stderr, "%v", err)
	}
	srv := &echo.Server{Log: log.New(stderr, command.Name+": ", 0)}
	if err := srv.Listen(flags.Endpoints, flags.Mode); err != nil {
		command.Errorf(stderr, "%v", err)
		return cli.ExitUsage
	}
	if srv.Run(stdout, flags.Grace, signals) != nil {
		return cli.ExitFailure
	}
	return cli.ExitOK
}
