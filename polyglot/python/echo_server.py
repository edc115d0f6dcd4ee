#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# echo_server.py: the conformance contract's echo server in Python 3 (asyncio, standard library only, 3.9+).
"""A stream echo server on Unix domain sockets and TCP.

Every byte a client sends comes back, in order, until the client's EOF; then
the rest is sent and the connection closed, so a client that half-closes gets
the whole echo and then EOF. The flags, ready lines, exit statuses and
shutdown are go-reference/cmd/echo-server's (docs/server.md, "Other languages"):

  echo_server.py --unix PATH | --tcp HOST:PORT [--unix PATH ...] [--tcp HOST:PORT ...]
                 [--mode 0600] [--grace 5s]

Once every listener is bound it prints "listening unix:/absolute/path" or
"listening tcp:host:port" on stdout, one line per listener; logs go to stderr.
A socket file gets exactly the --mode bits (the umask is narrowed around the
bind). A stale socket at the path (connecting is refused) is replaced; a live
server's socket, or anything that is not a socket, is refused and left alone.

On SIGTERM or SIGINT it stops accepting, removes its socket files (only if
they are still the ones it created: same device and inode), lets the open
connections finish for up to --grace, closes the rest and exits 0. A second
signal ends the grace period at once.

Exit status: 0 after a clean shutdown, 2 on bad usage or configuration, 1 on
anything unexpected.

The echo is an asyncio Protocol rather than streams: data_received writes
straight back, and when the transport's write buffer passes its high-water
mark (a client that does not read) reading pauses until it drains.
"""

import argparse
import asyncio
import errno
import os
import re
import signal
import socket
import stat
import sys

NAME = "echo_server.py"
VERSION = "0.1.0"
MAX_PATH_LEN = 107  # sun_path is 108 bytes with its NUL
PROBE_TIMEOUT = 1.0  # seconds: the connection that tells a live socket from a stale one


def log(message):
    print(f"{NAME}: {message}", file=sys.stderr, flush=True)


class UsageError(Exception):
    """Bad usage or configuration: one line on stderr, exit 2."""


# ---- flags ------------------------------------------------------------------------------------------

_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text):
    """Parses a Go duration ("5s", "250ms", "1m30s", "0") into seconds."""
    if text == "0":
        return 0.0
    pos, total = 0, 0.0
    while pos < len(text):
        m = _DURATION.match(text, pos)
        if not m:
            raise argparse.ArgumentTypeError(f"invalid duration {text!r}: want e.g. 5s, 250ms, 1m")
        total += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    if not text:
        raise argparse.ArgumentTypeError("invalid duration '': want e.g. 5s, 250ms, 1m")
    return total


def parse_mode(text):
    """Parses octal permission bits, 0000 to 0777."""
    try:
        mode = int(text, 8)
    except ValueError:
        mode = -1
    if not 0 <= mode <= 0o777:
        raise argparse.ArgumentTypeError(f"invalid mode {text!r}: want octal permission bits from 0000 to 0777")
    return mode


def parse_tcp(text):
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or int(port) > 65535:
        raise argparse.ArgumentTypeError(f"address {text}: want HOST:PORT")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return ("tcp", text, host, int(port))


class OneLineParser(argparse.ArgumentParser):
    """argparse, with a usage error as one line and exit 2, as the other servers do."""

    def error(self, message):
        print(f"{NAME}: {message} (see {NAME} --help)", file=sys.stderr)
        sys.exit(2)


def parse_args(argv):
    p = OneLineParser(prog=NAME, description=__doc__.split("\n\n")[1], allow_abbrev=False,
                      formatter_class=argparse.RawDescriptionHelpFormatter,
                      epilog="Exit status: 0 clean shutdown, 1 unexpected error, 2 bad usage or configuration.")
    # Go's flag package takes -unix and --unix alike; so does this.
    p.add_argument("--unix", "-unix", metavar="PATH", action="append", dest="endpoints",
                   type=lambda s: ("unix", s), help="listen on the socket file PATH (repeatable)")
    p.add_argument("--tcp", "-tcp", metavar="HOST:PORT", action="append", dest="endpoints", type=parse_tcp,
                   help="listen on TCP HOST:PORT, port 0 for any free one (repeatable)")
    p.add_argument("--mode", "-mode", metavar="OCTAL", type=parse_mode, default=0o600,
                   help="permission bits of the socket files (default 0600)")
    p.add_argument("--grace", "-grace", metavar="DURATION", type=parse_duration, default=5.0,
                   help="how long open connections may take to finish after SIGTERM or SIGINT (default 5s)")
    p.add_argument("--version", "-version", action="version", version=f"{NAME} {VERSION}")
    args = p.parse_args(argv)
    if not args.endpoints:
        p.error("at least one --unix or --tcp is required")
    for e in args.endpoints:
        if e[0] == "unix" and not e[1]:
            p.error("--unix: empty path")
    return args


# ---- listening --------------------------------------------------------------------------------------

class ListenError(Exception):
    """A listener could not be opened: "listen unix PATH: cause", exit 2."""


def describe(mode):
    for test, what in ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a directory"),
                       (stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a named pipe"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return what
    return "a file of an unknown type"


def clear_stale(path):
    """Makes way for a bind on path, or raises ListenError saying why it will not."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as e:
        raise ListenError(f"lstat: {e.strerror}") from None
    if not stat.S_ISSOCK(st.st_mode):
        raise ListenError(f"the path is {describe(st.st_mode)}, not a socket; leaving it alone")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(PROBE_TIMEOUT)
        try:
            probe.connect(path)
        except ConnectionRefusedError:
            pass  # stale: nobody accepts there
        except OSError as e:
            why = e.strerror or "timed out"
            raise ListenError(f"cannot tell whether the socket there is in use, so leaving it alone: connect: {why}") from None
        else:
            raise ListenError("a server is already listening there")
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as e:
        raise ListenError(f"removing stale socket: {e.strerror}") from None
    log(f"removed stale socket {path}")


class UnixSocketFile:
    """A bound unix socket and the file it made, which it removes only while the path is still that file."""

    def __init__(self, path, mode):
        if path.startswith("@"):
            raise ListenError("abstract socket names are not supported; give a file path")
        if len(os.fsencode(path)) > MAX_PATH_LEN:
            raise ListenError(f"path is {len(os.fsencode(path))} bytes, longer than the {MAX_PATH_LEN}-byte limit for a socket path")
        clear_stale(path)
        self.path = os.path.abspath(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o777 & ~mode)  # no window in which the file is more open than mode
        try:
            self.sock.bind(path)
        except OSError as e:
            self.sock.close()
            raise ListenError(f"bind: {e.strerror}") from None
        finally:
            os.umask(old)
        st = os.lstat(path)
        self.identity = (st.st_dev, st.st_ino)
        self.sock.listen(socket.SOMAXCONN)

    def ready_line(self):
        return f"listening unix:{self.path}"

    def remove(self):
        """Unlinks the path if it is still the socket this server created (a successor's file is left alone)."""
        try:
            st = os.lstat(self.path)
            if (st.st_dev, st.st_ino) == self.identity:
                os.unlink(self.path)
        except FileNotFoundError:
            pass
        except OSError as e:
            log(f"removing {self.path}: {e.strerror}")


class TcpSocket:
    def __init__(self, host, port):
        try:
            infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        except socket.gaierror as e:
            raise ListenError(e.strerror) from None
        family, _, _, _, address = infos[0]
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.sock.bind(address)
            self.sock.listen(socket.SOMAXCONN)
        except OSError as e:
            self.sock.close()
            raise ListenError(f"bind: {e.strerror}") from None

    def ready_line(self):
        host, port = self.sock.getsockname()[:2]
        return f"listening tcp:[{host}]:{port}" if ":" in host else f"listening tcp:{host}:{port}"

    def remove(self):
        pass


def listen(endpoints, mode):
    """Opens every listener in order; if one fails, closes (and removes) those opened and raises UsageError."""
    opened = []
    for e in endpoints:
        try:
            opened.append(UnixSocketFile(e[1], mode) if e[0] == "unix" else TcpSocket(e[2], e[3]))
        except ListenError as err:
            for o in opened:
                o.remove()
                o.sock.close()
            raise UsageError(f"listen {e[0]} {e[1]}: {err}") from None
    return opened


# ---- serving ----------------------------------------------------------------------------------------

class Echo(asyncio.Protocol):
    """One connection: writes back what it reads; at the client's EOF, sends the rest and closes."""

    def __init__(self, server):
        self.server = server
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        self.server.connections.add(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data):
        self.transport.write(data)

    def eof_received(self):
        return False  # the transport closes itself once what it buffered is sent

    def pause_writing(self):
        self.transport.pause_reading()  # backpressure: a client that does not read stops being read

    def resume_writing(self):
        self.transport.resume_reading()

    def connection_lost(self, exc):
        if exc is not None and not self.server.stopping:
            log(f"connection: {exc}")
        self.server.connections.discard(self.transport)
        self.server.changed.set()


class Server:
    def __init__(self, listeners, grace):
        self.listeners = listeners
        self.grace = grace
        self.connections = set()
        self.changed = asyncio.Event()  # a connection ended
        self.signals = asyncio.Queue()
        self.stopping = False

    async def run(self):
        loop = asyncio.get_running_loop()
        # add_signal_handler also replaces an inherited SIG_IGN (a background job of a non-interactive shell).
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.signals.put_nowait, sig)
        servers = []
        for listener in self.listeners:
            if isinstance(listener, UnixSocketFile):
                servers.append(await loop.create_unix_server(lambda: Echo(self), sock=listener.sock))
            else:
                servers.append(await loop.create_server(lambda: Echo(self), sock=listener.sock))
        sys.stdout.write("".join(l.ready_line() + "\n" for l in self.listeners))
        sys.stdout.flush()

        sig = await self.signals.get()
        self.stopping = True
        for listener in self.listeners:
            listener.remove()
        for s in servers:
            s.close()
        log(f"{sig.name}: shutting down: {len(self.connections)} connections open")
        await self.drain(sig)

    async def drain(self, first):
        """Waits up to the grace period, or until a second signal, for the open connections; closes the rest."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.grace
        again = asyncio.ensure_future(self.signals.get())
        try:
            while self.connections:
                self.changed.clear()
                changed = asyncio.ensure_future(self.changed.wait())
                left = deadline - loop.time()
                done, _ = await asyncio.wait({changed, again}, timeout=max(left, 0), return_when=asyncio.FIRST_COMPLETED)
                changed.cancel()
                if again in done:
                    log(f"{again.result().name} again: closing {len(self.connections)} connections now")
                    break
                if not done and self.connections:
                    log(f"grace period of {format_seconds(self.grace)} over: closing {len(self.connections)} connections")
                    break
        finally:
            again.cancel()
        for transport in list(self.connections):
            transport.abort()
        while self.connections:
            self.changed.clear()
            await self.changed.wait()


def format_seconds(seconds):
    return f"{seconds:g}s"


def main(argv):
    args = parse_args(argv)
    try:
        listeners = listen(args.endpoints, args.mode)
    except UsageError as e:
        log(str(e))
        return 2
    try:
        asyncio.run(Server(listeners, args.grace).run())
    except Exception as e:  # noqa: BLE001 - the unexpected: one line, exit 1
        log(f"{type(e).__name__}: {e}")
        for listener in listeners:
            listener.remove()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
