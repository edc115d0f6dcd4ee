// SPDX-License-Identifier: Apache-2.0
// seed-server: the seed blog post's echo server, bugs and all, as the historical reference.

// Seed-server is the echo server of the blog post the project grew from, kept
// verbatim in behaviour, bugs included, because the harness must show that it
// catches them: it reads once, at most 4096 bytes, echoes that and closes, so
// longer or split messages are cut short; it exits with status 1 (log.Fatal)
// on any error, even the io.EOF of a client that sends nothing, taking every
// other connection with it; it does not handle stale socket files, so after a
// crash it cannot start again until the file is removed; and SIGINT or SIGTERM
// remove the socket file and exit with status 1.
//
// Do not fix it. The one addition is the ready line printed on stdout after
// listening, "listening unix:/absolute/path" or "listening tcp:host:port", so
// the harness knows when to connect. The socket file's mode is whatever the
// umask gives, as in the original.
package main

import (
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"

	"udsinterop.dev/go-reference/internal/cli"
	"udsinterop.dev/go-reference/internal/endpoint"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "devel"

var command = &cli.Command{
	Name: "seed-server",
	Synopsis: `-unix PATH | -tcp HOST:PORT [-unix PATH ...] [-tcp HOST:PORT ...]
-version`,
	Doc: `The seed blog post's echo server, deliberately buggy: one read of up to 4096
bytes, echoed, then close; exit 1 on any error, even a client that sends
nothing; no stale-socket handling; SIGINT or SIGTERM remove the socket file
and exit 1. Prints "listening unix:PATH" or "listening tcp:HOST:PORT" on stdout
once per listener.`,
}

func main() {
	fs := command.NewFlagSet()
	var eps endpoint.List
	eps.Register(fs, "listen on the socket file `path` (repeatable)", "listen on TCP `host:port` (repeatable)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if status, done := command.Parse(fs, os.Args[1:], os.Stdout, os.Stderr); done {
		os.Exit(status)
	}
	if *showVersion {
		fmt.Printf("seed-server %s\n", version)
		return
	}
	if len(eps) == 0 {
		os.Exit(command.Usagef(os.Stderr, "at least one -unix or -tcp is required"))
	}

	var sockets []net.Listener
	var paths []string
	for _, ep := range eps {
		socket, err := net.Listen(ep.Network, ep.Address)
		if err != nil {
			log.Fatal(err)
		}
		sockets = append(sockets, socket)
		if ep.Network == "unix" {
			paths = append(paths, ep.Address)
		}
	}

	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-c
		for _, path := range paths {
			os.Remove(path)
		}
		os.Exit(1)
	}()

	// The addition: ready lines, once the signal handler is in place.
	for _, socket := range sockets {
		fmt.Fprintln(os.Stdout, endpoint.ReadyLine(socket.Addr()))
	}

	for _, socket := range sockets[1:] {
		go serve(socket)
	}
	serve(sockets[0])
}

// serve is the seed's accept loop, unchanged.
func serve(socket net.Listener) {
	for {
		conn, err := socket.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go func(conn net.Conn) {
			defer conn.Close()
			buf := make([]byte, 4096)
			n, err := conn.Read(buf)
			if err != nil {
				log.Fatal(err)
			}
			_, err = conn.Write(buf[:n])
			if err != nil {
				log.Fatal(err)
			}
		}(conn)
	}
}
