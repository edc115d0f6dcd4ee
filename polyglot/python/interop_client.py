#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# interop_client.py: the Python conformance client, an independent implementation of the fixtures.
"""Runs the echo cases of the shared manifest against one server and prints one JSON report.

The same command line, report, failure kinds and exit statuses as the Go
reference's interop-client (go-reference/cmd/interop-client), which the
harness drives the same way:

    interop_client.py -unix ADDR | -tcp HOST:PORT | -seqpacket ADDR | -datagram ADDR
                      -manifest fixtures/manifest.json [-case ID,...] [-timeout-scale 1.0] [-eof-timeout 2s]
    interop_client.py -manifest fixtures/manifest.json -payload ID [-connection J]
    interop_client.py -capabilities

ADDR is a socket path or a Linux abstract @name. Python's socket module has
every kind of Unix socket the manifest has: SOCK_SEQPACKET, SOCK_DGRAM (the
client binds an abstract name of its own for the replies), abstract names
('\\0name') and descriptor passing (SCM_RIGHTS with sendmsg and recvmsg), so
this client declares every feature (-capabilities).

Standard library only (Python 3.11, as Debian bookworm has it). Each
connection of a case has a writer thread and a reader; the reader compares
the echo as it comes. Exit status: 0 every case run passed, 1 a case failed,
2 bad usage, a bad manifest or payload, or an unknown case ID.
"""

import array
import errno
import hashlib
import io
import itertools
import json
import math
import os
import platform
import re
import select
import socket
import sys
import threading
import time
import traceback

NAME = "interop-client"
CLIENT = "python-interop-client"
VERSION = "0.1.0"

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

KIND_ECHO = "echo"
# The most descriptors one message of a case may carry.
MAX_FDS = 8
# How many bytes past the payload a half-closed connection reads before it stops counting them.
EXTRA_LIMIT = 64 << 10
# The span either side of the first differing offset that a failure shows.
WINDOW = 8
# The receive buffer of a message: larger than any case's, so that two messages merged into one show as one too long.
MAX_MESSAGE = 1 << 20
# How long a datagram reader waits at a time while the writer still writes: it then looks whether the writer is
# done, after which a datagram that does not come within the EOF wait is lost (a blocked recv cannot be woken).
DATAGRAM_SLICE = 0.05

# The network of each address flag, as Go's net package names it, and the socket kind for reports.
NETWORKS = {"unix": "unix", "tcp": "tcp", "seqpacket": "unixpacket", "datagram": "unixgram"}
KINDS = {"unix": "unix", "tcp": "tcp", "unixpacket": "seqpacket", "unixgram": "datagram"}
SOCKET_TYPES = {"unix": socket.SOCK_STREAM, "unixpacket": socket.SOCK_SEQPACKET, "unixgram": socket.SOCK_DGRAM}

# What this client can do beyond stream sockets on paths and TCP, as -capabilities declares it: everything, with
# the standard library's socket module.
FEATURES = ("seqpacket", "datagram", "abstract", "fdpass")

USAGE = """Usage:
  interop-client -unix ADDR | -tcp HOST:PORT | -seqpacket ADDR | -datagram ADDR -manifest MANIFEST [-case ID,...] [-timeout-scale 1.0] [-eof-timeout 2s]
  interop-client -manifest MANIFEST -payload ID [-connection J]
  interop-client -capabilities
  interop-client -version
  interop-client -serve

Runs the manifest's echo cases (the plain stream ones, in manifest order, or
those named by -case) against the server and prints one JSON report on stdout.
Cases of other kinds named by -case, or for another kind of socket, are
reported as skipped. ADDR is a socket path or an abstract @name. With
-capabilities, prints what kinds of socket, addresses and descriptor passing
this client can do, as JSON. With -serve, runs one request per line of stdin (a
JSON array of these flags) and answers each with one line of JSON on stdout:
the exit status, stdout and stderr the same flags would have given, so that one
process runs many cases. A connection that has its
whole echo and has half-closed waits at most -eof-timeout (times -timeout-scale)
for the server's EOF. With -payload, writes the payload of case ID's connection J
to stdout instead.

Exit status: 0 every case run passed, 1 a case failed, 2 bad usage, a bad
manifest or payload, or an unknown case ID.

Flags:
  -capabilities
    \tprint what this client can do beyond stream sockets (JSON) and exit
  -case IDs
    \trun only these comma-separated case IDs, in this order
  -connection J
    \twith -payload, the connection J whose payload to write
  -datagram ADDR
    \tsend to the SOCK_DGRAM socket path or @name
  -eof-timeout duration
    \thow long a connection with its whole echo waits for EOF after its half-close, at most (a duration) (default 2s)
  -manifest path
    \tpath of the conformance manifest, fixtures/manifest.json
  -payload ID
    \twrite the payload of case ID to stdout and exit
  -seqpacket ADDR
    \tconnect to the SOCK_SEQPACKET socket path or @name
  -serve
    \trun the requests of stdin, one JSON array of flags a line, each answered with one JSON line
  -tcp host:port
    \tconnect to TCP host:port
  -timeout-scale factor
    \tmultiply every case's timeoutMs, and -eof-timeout, by factor (default 1)
  -unix ADDR
    \tconnect to the socket file path or abstract @name
  -version
    \tprint the version and exit
"""


class UsageError(Exception):
    """Bad usage: one line on stderr, exit 2."""


class FixtureError(Exception):
    """A manifest or payload that cannot be used: one line on stderr, exit 2."""


# ---- the command line, parsed as Go's flag package does ----------------------------------------------

_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "\u00b5s": 1e-6, "\u03bcs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)")


def parse_duration(text):
    """Returns Go's time.ParseDuration of text in seconds, e.g. "2s", "1.5s", "200ms", "1m30s"."""
    s = text
    sign = 1.0
    if s[:1] in ("-", "+"):
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
    if s == "0":
        return 0.0
    if s == "":
        raise ValueError("invalid duration " + json.dumps(text))
    total = 0.0
    while s:
        m = _DURATION_PART.match(s)
        if not m or m.group(1) in ("", "."):
            raise ValueError("invalid duration " + json.dumps(text))
        total += float(m.group(1)) * _DURATION_UNITS[m.group(2)]
        s = s[m.end():]
    return sign * total


def format_duration(seconds):
    """Formats a duration as Go prints one in the messages that echo a flag back, e.g. 0s, 200ms, 2s."""
    if seconds == 0:
        return "0s"
    for unit, size in (("s", 1.0), ("ms", 1e-3), ("\u00b5s", 1e-6), ("ns", 1e-9)):
        if abs(seconds) >= size:
            return "%g%s" % (round(seconds / size, 9), unit)
    return "%gns" % (seconds * 1e9)


def split_host_port(address):
    """Checks address as Go's net.SplitHostPort does: host:port, an IPv6 host in brackets."""
    if address.startswith("["):
        end = address.find("]")
        if end < 0:
            raise ValueError("address %s: missing ']' in address" % address)
        if address[end + 1:end + 2] != ":":
            raise ValueError("address %s: missing port in address" % address)
        return address[1:end], address[end + 2:]
    if ":" not in address:
        raise ValueError("address %s: missing port in address" % address)
    host, port = address.rsplit(":", 1)
    if ":" in host:
        raise ValueError("address %s: too many colons in address" % address)
    return host, port


class Options:
    """The flags, their values, and which of them were given."""

    VALUED = ("unix", "tcp", "seqpacket", "datagram", "manifest", "case", "timeout-scale", "eof-timeout", "payload", "connection")

    def __init__(self):
        self.endpoints = []  # (network, address), in order
        self.manifest = ""
        self.cases = ""
        self.scale = 1.0
        self.eof_timeout = 2.0
        self.payload = ""
        self.connection = 0
        self.version = False
        self.capabilities = False
        self.serve = False
        self.given = set()

    def set(self, name, value):
        if name in NETWORKS:
            if value == "" or value == "@":
                raise ValueError("empty address")
            if name == "tcp":
                split_host_port(value)
            self.endpoints.append((NETWORKS[name], value))
        elif name == "manifest":
            self.manifest = value
        elif name == "case":
            self.cases = value
        elif name == "payload":
            self.payload = value
        elif name == "timeout-scale":
            try:
                self.scale = float(value)
            except ValueError:
                raise ValueError("parse error") from None
        elif name == "eof-timeout":
            try:
                self.eof_timeout = parse_duration(value)
            except ValueError:
                raise ValueError("parse error") from None
        elif name == "connection":
            if not re.fullmatch(r"[+-]?(0[xX][0-9a-fA-F]+|[0-9]+)", value):
                raise ValueError("parse error")
            self.connection = int(value, 0) if value.lstrip("+-")[:2].lower() == "0x" else int(value)
        self.given.add(name)


def parse_args(args):
    """Parses args as Go's flag package would; returns Options, or None after -help."""
    opts = Options()
    i = 0
    while i < len(args):
        arg = args[i]
        if len(arg) < 2 or arg[0] != "-":
            raise UsageError("unexpected argument %s" % json.dumps(arg))
        i += 1
        if arg == "--":
            if i < len(args):
                raise UsageError("unexpected argument %s" % json.dumps(args[i]))
            break
        name = arg[2:] if arg.startswith("--") else arg[1:]
        if name == "" or name[0] in "-=":
            raise UsageError("bad flag syntax: %s" % arg)
        value = None
        if "=" in name:
            name, value = name.split("=", 1)
        if name in ("version", "capabilities", "serve"):
            if value is None or value.lower() in ("1", "t", "true"):
                setattr(opts, name, True)
            elif value.lower() in ("0", "f", "false"):
                setattr(opts, name, False)
            else:
                raise UsageError('invalid boolean value %s for -%s: parse error' % (json.dumps(value), name))
            opts.given.add(name)
            continue
        if name in ("h", "help"):
            return None
        if name not in Options.VALUED:
            raise UsageError("flag provided but not defined: -%s" % name)
        if value is None:
            if i >= len(args):
                raise UsageError("flag needs an argument: -%s" % name)
            value = args[i]
            i += 1
        try:
            opts.set(name, value)
        except ValueError as e:
            raise UsageError("invalid value %s for flag -%s: %s" % (json.dumps(value), name, e)) from None
    return opts


# ---- the manifest ----------------------------------------------------------------------------------------

# The fields of the manifest, each spelt exactly: a misspelt field is an error, as in the Go client.
_TOP_FIELDS = {"schemaVersion": int, "description": str, "cases": list}
_CASE_FIELDS = {"id": str, "kind": str, "title": str, "requirement": str, "payload": dict, "size": int,
                "sha256": str, "chunkSize": int, "pauseMicros": int, "connections": int, "halfClose": bool,
                "barrier": bool, "socket": str, "address": str, "fds": int, "fdsWith": str, "timeoutMs": int, "level": str, "tags": list, "scenario": str, "params": dict,
                "transports": list}
_PAYLOAD_FIELDS = {"file": str, "generate": dict}
_GENERATE_FIELDS = {"algorithm": str, "seed": int, "size": int}
_JSON_TYPE = {int: "number", str: "string", list: "array", dict: "object", bool: "bool"}


def _check_fields(obj, fields, where):
    if not isinstance(obj, dict):
        raise FixtureError("%s is not a JSON object" % where)
    for key, value in obj.items():
        if key not in fields:
            raise FixtureError('json: unknown field "%s"' % key)
        want = fields[key]
        ok = value is None or (isinstance(value, want) and not (want is int and isinstance(value, bool)))
        if want is int and isinstance(value, float) and value.is_integer():
            ok = True
        if not ok:
            raise FixtureError("json: cannot unmarshal %s into field %s of type %s"
                               % (_type_name(value), key, _JSON_TYPE[want]))


def _type_name(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "null")


class Case:
    """One case of the manifest; the echo fields with Go's zero values where absent."""

    def __init__(self, raw):
        self.raw = raw
        self.id = raw.get("id") or ""
        self.kind = raw.get("kind") or ""
        payload = raw.get("payload") or None
        self.file = (payload or {}).get("file") or ""
        self.generate = (payload or {}).get("generate")
        self.has_payload = payload is not None
        self.size = int(raw.get("size") or 0)
        self.sha256 = raw.get("sha256") or ""
        self.chunk_size = int(raw.get("chunkSize") or 0)
        self.pause_micros = int(raw.get("pauseMicros") or 0)
        self.connections = int(raw.get("connections") or 0)
        self.half_close = bool(raw.get("halfClose"))
        self.barrier = bool(raw.get("barrier"))
        self.socket = raw.get("socket") or ""
        self.address = raw.get("address") or ""
        self.fds = int(raw.get("fds") or 0)
        self.fds_with = raw.get("fdsWith") or ""
        self.timeout_ms = int(raw.get("timeoutMs") or 0)

    def network(self):
        """Returns the network the case runs on, as Go names it: unix, unixpacket or unixgram."""
        return {"seqpacket": "unixpacket", "datagram": "unixgram"}.get(self.socket, "unix")

    def is_messages(self):
        """Returns True for a case on a socket that keeps message boundaries, seqpacket or datagram."""
        return self.socket in ("seqpacket", "datagram")

    def is_plain_stream(self):
        """Returns True for an echo case on a stream socket on a path (or TCP), without descriptors."""
        return self.kind == KIND_ECHO and self.socket in ("", "stream") and self.address != "abstract" and self.fds == 0

    def unfit(self, network, address):
        """Returns why this echo case cannot run on the endpoint, another kind of socket than the case's, or
        None. A stream case without descriptors runs on unix and tcp alike."""
        want = self.network()
        if network != want and not (want == "unix" and network == "tcp" and self.fds == 0):
            return "case %s runs on a %s socket; the endpoint is %s:%s" % (
                self.id, self.socket or "stream", KINDS[network], address)
        return None

    def check(self):
        """Returns why this echo case cannot run, or None."""
        if not self.has_payload or (self.file == "") == (self.generate is None):
            return "payload must have exactly one of file and generate"
        if self.size < 0:
            return "size %d is negative" % self.size
        if self.connections < 1:
            return "connections %d; want at least 1" % self.connections
        if self.chunk_size < 0 or self.pause_micros < 0:
            return "chunkSize and pauseMicros must not be negative"
        if self.timeout_ms <= 0:
            return "timeoutMs %d; want more than 0" % self.timeout_ms
        if not re.fullmatch(r"[0-9a-f]{64}", self.sha256):
            return "sha256 %s is not 64 lower-case hex digits" % json.dumps(self.sha256)
        if self.file != "" and self.connections != 1:
            return "a file payload needs 1 connection, not %d" % self.connections
        if self.barrier and self.connections < 2:
            return "barrier needs at least 2 connections, not %d" % self.connections
        if self.socket not in ("", "stream", "seqpacket", "datagram"):
            return "socket %s; want stream, seqpacket or datagram" % json.dumps(self.socket)
        if self.address not in ("", "path", "abstract"):
            return "address %s; want path or abstract" % json.dumps(self.address)
        if self.fds < 0 or self.fds > MAX_FDS:
            return "fds %d; want 0 to %d" % (self.fds, MAX_FDS)
        if self.fds_with not in ("", "first", "last"):
            return "fdsWith %s; want first or last" % json.dumps(self.fds_with)
        if self.socket in ("seqpacket", "datagram") and (self.chunk_size <= 0 or self.barrier):
            return "a %s case needs a chunkSize (its message size) and no barrier" % self.socket
        if self.socket == "datagram" and (self.half_close or self.fds > 0):
            return "a datagram case has no half-close and no descriptors"
        if self.generate is not None:
            g = self.generate
            if g.get("algorithm") != "splitmix64":
                return "unknown payload algorithm %s" % json.dumps(g.get("algorithm") or "")
            if int(g.get("size") or 0) != self.size:
                return "generate.size %d differs from size %d" % (int(g.get("size") or 0), self.size)
        return None


class Manifest:
    """The list of cases, read from path, and the payloads of its echo cases."""

    def __init__(self, path):
        self.path = path
        try:
            with open(path, "rb") as f:
                text = f.read()
        except OSError as e:
            raise FixtureError("open %s: %s" % (path, strerror(e))) from None
        try:
            doc = json.loads(text)
            _check_fields(doc, _TOP_FIELDS, "the manifest")
        except (ValueError, FixtureError) as e:
            raise FixtureError("manifest %s: %s" % (path, e)) from None
        self.cases = []
        for i, raw in enumerate(doc.get("cases") or []):
            try:
                _check_fields(raw, _CASE_FIELDS, "case %d" % i)
                if raw.get("payload") is not None:
                    _check_fields(raw["payload"], _PAYLOAD_FIELDS, "payload")
                    if raw["payload"].get("generate") is not None:
                        _check_fields(raw["payload"]["generate"], _GENERATE_FIELDS, "generate")
                        if (raw["payload"]["generate"].get("seed") or 0) < 0:
                            raise FixtureError("json: cannot unmarshal number %s into field seed of type uint64"
                                               % raw["payload"]["generate"]["seed"])
            except FixtureError as e:
                name = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw.get("id") else str(i)
                raise FixtureError("manifest %s: case %s: %s" % (path, name, e)) from None
            self.cases.append(Case(raw))
        if doc.get("schemaVersion") != 1:
            raise FixtureError("manifest %s: schemaVersion %s; want 1" % (path, doc.get("schemaVersion") or 0))
        seen = set()
        for i, c in enumerate(self.cases):
            if c.id == "":
                raise FixtureError("manifest %s: case %d has no id" % (path, i))
            if c.id in seen:
                raise FixtureError("manifest %s: case %s appears twice" % (path, c.id))
            seen.add(c.id)
            if c.kind == "":
                raise FixtureError("manifest %s: case %s has no kind" % (path, c.id))
            if c.kind == KIND_ECHO:
                problem = c.check()
                if problem:
                    raise FixtureError("manifest %s: case %s: %s" % (path, c.id, problem))

    def case(self, case_id):
        return next((c for c in self.cases if c.id == case_id), None)

    def source(self, c):
        if c.file:
            return c.file
        return "%s seed %d" % (c.generate["algorithm"], c.generate["seed"])

    def payload(self, c, j):
        """Returns the bytes connection j of echo case c sends."""
        if c.kind != KIND_ECHO:
            raise FixtureError("case %s: kind %s has no payload" % (c.id, c.kind))
        if j < 0 or j >= c.connections:
            raise FixtureError("case %s: no connection %d (it has %d)" % (c.id, j, c.connections))
        if c.generate is not None:
            return splitmix64((int(c.generate["seed"]) + j) & MASK64, c.size)
        name = c.file if os.path.isabs(c.file) else os.path.join(os.path.dirname(self.path), c.file)
        try:
            with open(name, "rb") as f:
                return f.read()
        except OSError as e:
            raise FixtureError("case %s: open %s: %s" % (c.id, os.path.normpath(name), strerror(e))) from None

    def verified_payloads(self, c):
        """Returns every connection's payload of echo case c, checked against its size and sha256."""
        payloads = []
        h = hashlib.sha256()
        for j in range(c.connections):
            try:
                p = self.payload(c, j)
            except FixtureError as e:
                raise FixtureError("manifest %s: %s" % (self.path, e)) from None
            if len(p) != c.size:
                raise FixtureError("manifest %s: case %s: %s: connection %d payload is %d bytes; manifest says %d"
                                   % (self.path, c.id, self.source(c), j, len(p), c.size))
            h.update(p)
            payloads.append(p)
        if h.hexdigest() != c.sha256:
            raise FixtureError("manifest %s: case %s: %s: sha256 is %s; manifest says %s"
                               % (self.path, c.id, self.source(c), h.hexdigest(), c.sha256))
        return payloads


# ---- SplitMix64 ------------------------------------------------------------------------------------------

MASK64 = (1 << 64) - 1
GAMMA, MIX1, MIX2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
# Outputs per block: each block is one big integer of 128-bit lanes (below).
_BLOCK = 1 << 15


def splitmix64(seed, size):
    """Returns size bytes: the little-endian 8-byte outputs of SplitMix64 started at state seed, cut to size.

    Output i mixes state seed + (i+1)*GAMMA. A loop over 64-bit Python integers takes seconds for 16 MiB, so
    the outputs of a block are computed at once in one big integer, one 128-bit lane each: the low 64 bits hold
    the value, the high 64 bits the room a lane's product with a 64-bit constant needs, and a mask back to the
    low halves after each step is arithmetic modulo 2^64 in every lane.
    """
    if size <= 0:
        return b""
    count = (size + 7) // 8
    out = bytearray()
    for first in range(0, count, _BLOCK):
        out += _block(seed, first, min(_BLOCK, count - first))
    return bytes(out[:size])


def _block(seed, first, n):
    """Returns outputs first..first+n-1 of the generator started at seed, as 8n little-endian bytes."""
    lanes = int.from_bytes((b"\xff" * 8 + b"\x00" * 8) * n, "little")
    index = array.array("Q", [0]) * (2 * n)
    index[0::2] = array.array("Q", range(first + 1, first + n + 1))
    if sys.byteorder == "big":
        index.byteswap()
    ones = int.from_bytes((b"\x01" + b"\x00" * 15) * n, "little")
    z = (int.from_bytes(index.tobytes(), "little") * GAMMA + (seed & MASK64) * ones) & lanes
    z = ((z ^ ((z >> 30) & lanes)) * MIX1) & lanes
    z = ((z ^ ((z >> 27) & lanes)) * MIX2) & lanes
    z ^= (z >> 31) & lanes
    raw = z.to_bytes(16 * n, "little")
    words = array.array("Q")
    words.frombytes(raw)
    low = words[0::2]
    if sys.byteorder == "big":
        low.byteswap()
    return low.tobytes()


# ---- running a case --------------------------------------------------------------------------------------

def strerror(e):
    """Returns an OSError's cause in Go's words: lower-case, e.g. "connection refused"."""
    text = os.strerror(e.errno) if e.errno else str(e)
    return text[:1].lower() + text[1:]


class DeadlineExceeded(Exception):
    """A deadline passed: Go's os.ErrDeadlineExceeded."""

    def __str__(self):
        return "i/o timeout"


class ConnError(Exception):
    """An error of operation op on a connection, worded as Go's net.OpError: "read unix ->/x.sock: EOF"."""

    def __init__(self, op, ends, cause):
        super().__init__()
        self.op, self.ends, self.cause = op, ends, cause

    def timed_out(self):
        return isinstance(self.cause, DeadlineExceeded)

    def __str__(self):
        cause = str(self.cause)
        if isinstance(self.cause, OSError):  # a system call's error, named as Go's os.SyscallError names it
            cause = "%s: %s" % (_SYSCALLS.get(self.op, self.op), strerror(self.cause))
        return "%s %s: %s" % (self.op, self.ends, cause)


# The system call behind each operation, as Go's errors name it: "dial unix /x.sock: connect: connection refused".
_SYSCALLS = {"dial": "connect", "close": "shutdown"}


class Rendezvous:
    """Holds a barrier case's connections: each waits there with its whole echo in until every one has its echo,
    before any closes or half-closes, so that all are served at once. One that fails before it arrives breaks
    it: the others stop waiting."""

    def __init__(self, connections):
        self.left = connections
        self.broken = False
        self.cond = threading.Condition()

    def arrive(self):
        with self.cond:
            self.left -= 1
            self.cond.notify_all()

    def leave(self):
        with self.cond:
            self.broken = True
            self.cond.notify_all()

    def wait(self, deadline):
        """Returns True once every connection has arrived; False when one left first or deadline passed."""
        with self.cond:
            while self.left > 0 and not self.broken:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.cond.wait(remaining)
            return self.left == 0


class Connection:
    """One connection of a case: a socket the writer and the reader share, each with its own deadline.

    The reader's deadline can come closer while it waits (the bounded wait for EOF, set by the writer's
    half-close): a timer then shuts the socket's read side down, which wakes the read, and the read counts
    as timed out.
    """

    def __init__(self, sock, ends, deadline):
        self.sock = sock
        self.writer = sock.dup()  # its own timeout: a socket's timeout covers every operation on it
        self.ends = ends
        self.deadline = deadline
        self.read_deadline = deadline
        self.read_timed_out = False
        self.closed = False
        self.lock = threading.Lock()
        self.timer = None

    def shorten_read_deadline(self, due):
        with self.lock:
            if due >= self.read_deadline or self.closed:
                return
            self.read_deadline = due
            if self.timer:
                self.timer.cancel()
            self.timer = threading.Timer(max(0.0, due - time.monotonic()), self._read_deadline_passed)
            self.timer.daemon = True
            self.timer.start()

    def _read_deadline_passed(self):
        with self.lock:
            if self.closed:
                return
            self.read_timed_out = True
            try:
                self.sock.shutdown(socket.SHUT_RD)
            except OSError:
                pass

    def recv_into(self, view):
        with self.lock:
            remaining = self.read_deadline - time.monotonic()
        if remaining <= 0 or self.read_timed_out:
            raise ConnError("read", self.ends, DeadlineExceeded())
        self.sock.settimeout(remaining)
        try:
            k = self.sock.recv_into(view)
        except socket.timeout:
            raise ConnError("read", self.ends, DeadlineExceeded()) from None
        except OSError as e:
            raise ConnError("read", self.ends, e) from None
        if k == 0 and self.read_timed_out:
            raise ConnError("read", self.ends, DeadlineExceeded())
        return k

    def send(self, view):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise ConnError("write", self.ends, DeadlineExceeded())
        self.writer.settimeout(remaining)
        try:
            return self.writer.send(view)
        except socket.timeout:
            raise ConnError("write", self.ends, DeadlineExceeded()) from None
        except OSError as e:
            if self.closed:
                raise ConnectionClosed() from None
            raise ConnError("write", self.ends, e) from None

    def close_write(self):
        try:
            self.writer.shutdown(socket.SHUT_WR)
        except OSError as e:
            if self.closed:
                raise ConnectionClosed() from None
            raise ConnError("close", self.ends, e) from None

    def abort(self):
        """Stops the writer: the case has failed anyway."""
        with self.lock:
            self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def close(self):
        with self.lock:
            self.closed = True
            if self.timer:
                self.timer.cancel()
        self.writer.close()
        self.sock.close()


class ConnectionClosed(Exception):
    """The connection was closed by this side: Go's net.ErrClosed."""


class ConnResult:
    """What happened on one connection of a case."""

    def __init__(self, expected):
        self.expected = expected
        self.received = b""
        self.sent = 0
        self.connect_ns = 0
        self.first_byte_ns = 0
        self.last_byte_ns = 0
        self.dial_err = None
        self.read_err = None
        self.write_err = None
        self.first_diff = -1
        self.overflow = False
        self.barrier_timed_out = False
        self.early_eof = False
        # On seqpacket and datagram sockets: 1 + the index of the first message that came back with another
        # length than it was sent with (0: none), and that length.
        self.boundary = 0
        self.boundary_len = 0
        self.message_size = 0  # the case's message size, for reports
        self.lost = 0  # datagrams that never came back
        self.fd_err = None  # why the descriptors did not come back as the same files, or None

    def timing(self):
        t = {"connectNs": self.connect_ns}
        if self.first_byte_ns:
            t["firstByteNs"] = self.first_byte_ns
        t["lastByteNs"] = self.last_byte_ns
        return t

    def failure(self, j):
        """Returns why connection j failed, as the report's failure object, or None if it passed."""
        if self.dial_err is not None:
            kind = "timeout" if self.dial_err.timed_out() else "refused"
            return {"kind": kind, "message": "connection %d: %s" % (j, self.dial_err), "connection": j}
        got, want = len(self.received), len(self.expected)
        timed_out = (self.read_err is not None and self.read_err.timed_out()) or self.barrier_timed_out
        if self.boundary > 0 and self.boundary_len > self.message_size:
            kind, msg = "boundary", ("message %d came back as %d bytes, longer than the %d-byte messages sent: "
                                     "messages merged" % (self.boundary - 1, self.boundary_len, self.message_size))
        elif self.boundary > 0:
            kind, msg = "boundary", ("message %d came back as %d bytes, not as it was sent: a message split or extra"
                                     % (self.boundary - 1, self.boundary_len))
        elif self.lost > 0:
            kind, msg = "lost", "%d datagrams never came back (received %d of %d bytes)" % (self.lost, got, want)
        elif self.first_diff >= 0:
            kind, msg = "mismatch", "mismatch at offset %d (received %d of %d bytes)" % (self.first_diff, got, want)
        elif got > want:
            kind = "extra-bytes"
            msg = "extra bytes: received %d bytes, %d more than the %d sent" % (got, got - want, want)
            if self.overflow:
                msg = ("extra bytes: received at least %d bytes, at least %d more than the %d sent "
                       "(stopped reading there)" % (got, got - want, want))
        elif got < want and timed_out:
            kind, msg = "timeout", "timed out after %d of %d bytes" % (got, want)
        elif got < want:
            kind, msg = "truncated", "echo ended after %d of %d bytes" % (got, want)
            if self.read_err is not None:
                msg += " (%s)" % self.read_err
        elif self.early_eof:
            kind, msg = "early-eof", "all %d bytes came back, but the server closed before the client's half-close" % want
        elif self.barrier_timed_out:
            kind, msg = "timeout", "timed out waiting for the other connections' echoes"
        elif self.read_err is not None and timed_out:
            kind, msg = "no-eof", "all %d bytes came back, but no EOF after the half-close" % want
        elif self.read_err is not None:
            kind, msg = "error", "%s after all %d bytes" % (self.read_err, want)
        elif self.write_err is not None:
            kind, msg = "error", "%s after %d of %d bytes" % (self.write_err, self.sent, want)
        elif self.fd_err is not None:
            kind, msg = "descriptors", "all %d bytes came back, but the descriptors did not: %s" % (want, self.fd_err)
        else:
            return None
        if self.write_err is not None and kind not in ("error", "early-eof"):
            msg += "; %s after %d of %d bytes" % (self.write_err, self.sent, want)
        f = {"kind": kind, "message": "connection %d: %s" % (j, msg), "connection": j}
        offset = -1
        if self.first_diff >= 0:
            offset = self.first_diff
        elif got < want:
            offset = got
        elif got > want:
            offset = want
        if offset >= 0:
            lo = max(0, offset - WINDOW)
            f["firstDifferingOffset"] = offset
            f["expectedHex"] = self.expected[lo:min(offset + WINDOW, want)].hex()
            f["actualHex"] = self.received[lo:min(offset + WINDOW, got)].hex()
        return f

    def compare(self, got, off):
        """Records the first offset at which got, received at offset off, differs from the payload."""
        if self.first_diff >= 0 or off >= len(self.expected):
            return
        want = self.expected[off:off + len(got)]
        got = got[:len(want)]
        if got == want:
            return
        for i in range(len(got)):
            if got[i] != want[i]:
                self.first_diff = off + i
                return


class Runner:
    """Runs echo cases against one endpoint."""

    def __init__(self, network, address, scale, eof_wait):
        self.network, self.address = network, address
        self.scale = scale
        self.eof_wait = eof_wait

    def run(self, c, payloads):
        """Runs echo case c: its connections start together and run independently, all bounded by its deadline."""
        timeout = c.timeout_ms * self.scale / 1000.0
        start = time.monotonic_ns()
        deadline = start / 1e9 + timeout
        rendezvous = Rendezvous(c.connections) if c.barrier else None
        conns = [None] * c.connections

        def one(j):
            if c.is_messages() or c.fds > 0:
                conns[j] = self.run_message_conn(c, payloads[j], deadline)
                conns[j].message_size = c.chunk_size
            else:
                conns[j] = self.run_conn(c, payloads[j], deadline, rendezvous)

        threads = [threading.Thread(target=one, args=(j,), daemon=True) for j in range(c.connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        h = hashlib.sha256()
        for r in conns:
            h.update(r.received)
        res = {
            "id": c.id, "status": "passed", "connections": c.connections,
            "bytesSent": sum(r.sent for r in conns), "bytesReceived": sum(len(r.received) for r in conns),
            "expectedSha256": c.sha256, "actualSha256": h.hexdigest(),
            "durationNs": time.monotonic_ns() - start,
            "timings": [r.timing() for r in conns], "failure": None,
        }
        for j, r in enumerate(conns):
            f = r.failure(j)
            if f is not None:
                res["status"], res["failure"] = "failed", f
                return res
        if res["actualSha256"] != res["expectedSha256"]:
            res["status"] = "failed"
            res["failure"] = {"message": "the sha256 of the bytes received differs from the manifest's"}
        return res

    def dial(self, deadline, network=None):
        """Connects by deadline, on network (the endpoint's if None). A unix socket whose listen backlog is full
        refuses a non-blocking connect with EAGAIN (Python's timeouts make every connect non-blocking), where a
        blocking one would wait for room: so it waits for room itself, retrying until the deadline. A datagram
        socket first binds an abstract name of its own, where the server's replies come."""
        network = network or self.network
        backoff = 100e-6
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ConnError("dial", "%s %s" % (network, self.address), DeadlineExceeded())
            try:
                if network in SOCKET_TYPES:
                    sock = socket.socket(socket.AF_UNIX, SOCKET_TYPES[network])
                    target = unix_address(self.address)
                    if network == "unixgram":
                        try:
                            sock.bind(unix_address("@uds-interop-client-%d-%d" % (os.getpid(), next(_CLIENT_NAMES))))
                        except OSError:
                            sock.close()
                            raise
                else:
                    host, port = split_host_port(self.address)
                    info = socket.getaddrinfo(host, int(port), type=socket.SOCK_STREAM)[0]
                    sock = socket.socket(info[0], socket.SOCK_STREAM)
                    target = info[4]
            except (OSError, ValueError) as e:
                raise ConnError("dial", "%s %s" % (self.network, self.address), e) from None
            sock.settimeout(remaining)
            try:
                sock.connect(target)
                return sock
            except socket.timeout:
                sock.close()
                raise ConnError("dial", "%s %s" % (network, self.address), DeadlineExceeded()) from None
            except OSError as e:
                sock.close()
                if e.errno == errno.EAGAIN and deadline - time.monotonic() >= backoff:
                    time.sleep(backoff)
                    backoff = min(2 * backoff, 10e-3)
                    continue
                raise ConnError("dial", "%s %s" % (network, self.address), e) from None

    def ends(self, sock, network=None):
        """Names both ends as Go does: "unix ->/x.sock" (an unbound client end is empty), "tcp 127.0.0.1:5555->127.0.0.1:4242"."""
        network = network or self.network
        if network in SOCKET_TYPES:
            return "%s %s->%s" % (network, printable_address(sock.getsockname()), self.address)
        try:
            return "tcp %s->%s" % (_host_port(sock.getsockname()), _host_port(sock.getpeername()))
        except OSError:
            return "tcp ->%s" % self.address

    def run_conn(self, c, payload, deadline, rendezvous):
        """Dials, then writes payload while it reads the echo back. With a rendezvous it waits there, once its
        whole echo is in, before it half-closes or closes. There an EOF that comes before the half-close is the
        server closing without waiting for the client's; where the client half-closes right after its writes,
        the two race, and nothing is judged."""
        res = ConnResult(payload)
        t = time.monotonic_ns()
        try:
            sock = self.dial(deadline)
        except ConnError as e:
            res.connect_ns = max(1, time.monotonic_ns() - t)
            res.dial_err = e
            if rendezvous:
                rendezvous.leave()
            return res
        res.connect_ns = max(1, time.monotonic_ns() - t)
        conn = Connection(sock, self.ends(sock), deadline)
        try:
            return self._exchange(c, payload, conn, res, rendezvous)
        finally:
            conn.close()

    def _exchange(self, c, payload, conn, res, rendezvous):
        echoed = threading.Event()  # the reader is done with the echo: whole, or ended short
        complete = [False]  # the whole echo is in
        arrived = [False]
        watch = EofWatch(conn, deadline=conn.deadline, wait=self.eof_wait)

        def hold():
            if rendezvous is None:
                return True
            echoed.wait()
            if not complete[0]:
                return True  # the echo ended short: the reader's verdict tells why
            arrived[0] = True
            rendezvous.arrive()
            if not rendezvous.wait(conn.deadline):
                res.barrier_timed_out = True
                return False
            return True

        written = []
        t0 = time.monotonic_ns()
        writer = threading.Thread(target=lambda: written.append(self.write(conn, c, payload, res, hold, watch)),
                                  daemon=True)
        writer.start()

        def on_echoed():
            complete[0] = True
            echoed.set()
            watch.echo_complete()

        early = lambda: c.half_close and rendezvous is not None and not watch.half_closing
        self.read(conn, res, c.half_close, t0, on_echoed, early)
        echoed.set()
        try:
            return self._finish(conn, res, payload, writer, written)
        finally:
            if rendezvous is not None and not arrived[0]:
                rendezvous.leave()  # one that failed before it arrived breaks the barrier: nobody waits in vain

    @staticmethod
    def _finish(conn, res, payload, writer, written):
        if res.read_err is not None or res.first_diff >= 0 or len(res.received) != len(payload):
            conn.abort()  # unblock the writer: the case has failed anyway
            writer.join()
            err = written[0] if written else None
            if err is not None and not isinstance(err, ConnectionClosed):
                res.write_err = err
            return res
        writer.join()  # done, or bounded by the deadline
        err = written[0] if written else None
        res.write_err = None if isinstance(err, ConnectionClosed) else err
        return res

    @staticmethod
    def write(conn, c, payload, res, hold, watch):
        """Writes payload in chunks of chunkSize bytes (all at once if 0), pausing between chunks, then holds,
        then half-closes if the case says so, telling watch. Returns the error that ended it, or None."""
        chunk = c.chunk_size if c.chunk_size > 0 else len(payload)
        pause = c.pause_micros / 1e6
        view = memoryview(payload)
        off = 0
        try:
            while off < len(payload):
                end = min(off + chunk, len(payload))
                while off < end:
                    n = conn.send(view[off:end])
                    res.sent += n
                    off += n
                if pause > 0 and off < len(payload):
                    time.sleep(pause)
            if not hold():
                return DeadlineExceeded()
            if c.half_close:
                watch.half_closing = True  # first: an EOF read while it is false came before the half-close
                conn.close_write()
                watch.half_close()
        except (ConnError, ConnectionClosed) as e:
            return e
        return None

    @staticmethod
    def read(conn, res, half_close, t0, echoed, early):
        """Reads the echo, comparing as it goes: until EOF if half_close, else until it has as many bytes as the
        payload. Calls echoed once it has as many bytes as the payload, and at EOF early, which says whether
        that EOF came too early. Times are measured from t0, the start of the first write."""
        want = res.expected
        limit = len(want) + (EXTRA_LIMIT if half_close else 0)
        buf = bytearray(limit)
        view = memoryview(buf)
        n = 0
        if len(want) == 0:
            echoed()  # the whole echo of nothing is there from the start
        while n < len(want) or half_close:
            if n == limit:
                res.overflow = True
                break
            try:
                k = conn.recv_into(view[n:])
            except ConnError as e:
                res.read_err = e
                break
            if k > 0:
                now = time.monotonic_ns() - t0
                if n == 0:
                    res.first_byte_ns = max(1, now)
                res.last_byte_ns = max(1, now)
                res.compare(bytes(view[n:n + k]), n)
                n += k
                if n >= len(want):
                    echoed()
                continue
            if half_close:  # EOF
                res.early_eof = early()
                if len(want) == 0:
                    res.last_byte_ns = max(1, time.monotonic_ns() - t0)
                break
            res.read_err = ConnError("read", conn.ends, EOFError())
            break
        res.received = bytes(view[:n])
        view.release()


    def run_message_conn(self, c, payload, deadline):
        """Runs one connection of a case on seqpacket or datagram sockets, or one that passes descriptors on a
        stream: it writes each message (with the descriptors on one of them) while it reads the echo. On seqpacket
        and datagram sockets every message must come back as one message, the same bytes, in order; descriptors
        must come back as the same open files. A datagram connection ends once every datagram is back, or nothing
        came for the EOF wait after the last was sent."""
        res = ConnResult(payload)
        chunk = c.chunk_size if c.chunk_size > 0 else max(len(payload), 1)
        msgs = [payload[off:off + chunk] for off in range(0, len(payload), chunk)] or [b""]
        try:
            pipes = Pipes(c.fds) if c.fds > 0 else None
        except OSError as e:
            res.dial_err = ConnError("dial", "%s %s" % (c.network(), self.address), e)
            return res
        with_fds = len(msgs) - 1 if c.fds_with == "last" else 0
        t = time.monotonic_ns()
        try:
            sock = self.dial(deadline, c.network())
        except ConnError as e:
            res.connect_ns = max(1, time.monotonic_ns() - t)
            res.dial_err = e
            if pipes:
                pipes.close()
            return res
        res.connect_ns = max(1, time.monotonic_ns() - t)
        ends = self.ends(sock, c.network())
        writer_sock = sock.dup()  # its own timeout: a socket's timeout covers every operation on it
        writer_done = threading.Event()
        done_at = [0.0]
        aborted = [False]
        written = []

        def write():
            try:
                written.append(self.write_messages(writer_sock, ends, c, msgs, pipes, with_fds, res, deadline, aborted))
            finally:
                done_at[0] = time.monotonic()
                writer_done.set()

        t0 = time.monotonic_ns()
        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        fds = []
        try:
            fds = self.read_messages(sock, ends, c, msgs, res, t0, deadline, writer_done, done_at)
            if res.read_err is not None or res.first_diff >= 0 or res.boundary > 0 or len(res.received) != len(payload):
                aborted[0] = True  # unblock the writer: the case has failed anyway
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                writer.join()
                err = written[0] if written else None
                if err is not None and not isinstance(err, ConnectionClosed):
                    res.write_err = err
                return res
            writer.join()  # done, or bounded by the deadline
            res.write_err = written[0] if written else None
            if pipes is not None and res.write_err is None:
                res.fd_err = pipes.check(fds, min(time.monotonic() + self.eof_wait, deadline))
            return res
        finally:
            for fd in fds:
                _close_quietly(fd)
            writer_sock.close()
            sock.close()
            if pipes:
                pipes.close()

    @staticmethod
    def write_messages(sock, ends, c, msgs, pipes, with_fds, res, deadline, aborted):
        """Writes each message, the descriptors with message with_fds, then half-closes if the case says so
        (never on datagrams). Returns the error that ended it, or None."""
        pause = c.pause_micros / 1e6
        try:
            for i, m in enumerate(msgs):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return ConnError("write", ends, DeadlineExceeded())
                sock.settimeout(remaining)
                if pipes is not None and i == with_fds:
                    n = sock.sendmsg([m], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, pipes.rights())])
                else:
                    n = sock.send(m)
                if n < len(m):  # a stream may take part: the rest goes without the descriptors
                    sock.sendall(m[n:])
                    n = len(m)
                res.sent += n
                if pause > 0 and i < len(msgs) - 1:
                    time.sleep(pause)
            if c.half_close:
                try:
                    sock.shutdown(socket.SHUT_WR)
                except OSError as e:
                    return ConnectionClosed() if aborted[0] else ConnError("close", ends, e)
        except socket.timeout:
            return ConnError("write", ends, DeadlineExceeded())
        except OSError as e:
            return ConnectionClosed() if aborted[0] else ConnError("write", ends, e)
        return None

    def read_messages(self, sock, ends, c, msgs, res, t0, deadline, writer_done, done_at):
        """Reads the echo, message by message on seqpacket and datagram sockets, into res, and returns the
        descriptors that came with it. It stops at EOF (seqpacket and stream), or once every datagram is back."""
        buf = bytearray(MAX_MESSAGE)
        ancillary = socket.CMSG_SPACE(MAX_FDS * array.array("i").itemsize)
        datagram = c.socket == "datagram"
        messages = c.is_messages()
        fds = []
        received = bytearray()
        last_at = 0.0
        i = 0
        while True:
            if datagram and i == len(msgs):
                break
            if not c.half_close and not datagram and len(received) >= len(res.expected):
                break
            done = writer_done.is_set()
            due = min(max(done_at[0], last_at) + self.eof_wait, deadline) if datagram and done else deadline
            now = time.monotonic()
            if now >= due:
                if datagram and done and now < deadline:
                    res.lost = len(msgs) - i
                else:
                    res.read_err = ConnError("read", ends, DeadlineExceeded())
                break
            sock.settimeout(min(due - now, DATAGRAM_SLICE) if datagram and not done else due - now)
            try:
                n, ancdata, _, _ = sock.recvmsg_into([buf], ancillary)
            except socket.timeout:
                continue  # the deadline is looked at again above
            except OSError as e:
                res.read_err = ConnError("read", ends, e)
                break
            fds.extend(received_fds(ancdata))
            if n > 0:
                now_ns = time.monotonic_ns() - t0
                if not received:
                    res.first_byte_ns = max(1, now_ns)
                res.last_byte_ns = max(1, now_ns)
                off = len(received)
                received += buf[:n]
                res.compare(bytes(buf[:n]), off)
                if messages and res.boundary == 0 and (i >= len(msgs) or n != len(msgs[i])):
                    res.boundary, res.boundary_len = i + 1, n
                last_at = time.monotonic()
            if n == 0 and not ancdata and not datagram:
                break  # EOF
            if messages:
                i += 1
        res.received = bytes(received)
        return fds


_CLIENT_NAMES = itertools.count(1)


def unix_address(address):
    """Returns the address to give the socket module for a path or an abstract @name (a leading NUL byte)."""
    return "\0" + address[1:] if address.startswith("@") else address


def printable_address(name):
    """Returns a unix socket's address as Go prints it: the path, @name for an abstract one, empty if unbound."""
    if isinstance(name, bytes):
        name = name.decode("utf-8", "replace")
    return "@" + name[1:] if name.startswith("\0") else name


def received_fds(ancdata):
    """Returns the descriptors in the SCM_RIGHTS messages of one recvmsg's ancillary data; they are the caller's."""
    fds = array.array("i")
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
    return list(fds)


def _close_quietly(fd):
    try:
        os.close(fd)
    except OSError:
        pass


class Pipes:
    """n pipes whose write ends a client sends, and whose read ends it keeps, to check the descriptors that come
    back: a token written through each returned descriptor must arrive on the read end of its pipe."""

    def __init__(self, n):
        self.r, self.w = [], []
        try:
            for _ in range(n):
                r, w = os.pipe()
                self.r.append(r)
                self.w.append(w)
        except OSError:
            self.close()
            raise

    def rights(self):
        """Returns the SCM_RIGHTS data that sends the write ends, in order."""
        return array.array("i", self.w).tobytes()

    def check(self, fds, deadline):
        """Returns why fds, the descriptors that came back, are not the write ends of the pipes in order, or None."""
        if len(fds) != len(self.w):
            return "%d descriptors came back; %d were sent" % (len(fds), len(self.w))
        for i, fd in enumerate(fds):
            token = ("pipe %d of %d\n" % (i, len(fds))).encode()
            try:
                os.write(fd, token)
            except OSError as e:
                return "descriptor %d of %d that came back: write: %s (not the pipe's write end)" % (i, len(fds), strerror(e))
            ready, _, _ = select.select([self.r[i]], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return ("descriptor %d of %d that came back is another file: nothing written through it arrived in pipe %d"
                        % (i, len(fds), i))
            got = os.read(self.r[i], len(token))
            if got != token:
                return "descriptor %d of %d that came back: pipe %d read %r; want %r" % (i, len(fds), i, got, token)
        return None

    def close(self):
        for fd in self.r + self.w:
            _close_quietly(fd)


def capabilities():
    """Returns what this client declares it can do beyond stream sockets on paths and TCP, for -capabilities."""
    return {"client": CLIENT, "version": VERSION, "supports": list(FEATURES), "lacks": {},
            "decidedBy": "Python %s's socket module, at run time" % platform.python_version()}


class EOFError(Exception):  # noqa: A001 - Go's io.EOF, printed as "EOF"
    def __str__(self):
        return "EOF"


def _host_port(addr):
    host, port = addr[0], addr[1]
    return "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)


class EofWatch:
    """Tells the reader of a connection what the writer did: whether it has sent its half-close (an EOF before
    that came too early), and when the wait for EOF began, which is bounded on its own: once the connection has
    its whole echo and has half-closed, a server that closes at all does so at once, and one that never does
    would hold it until the deadline."""

    def __init__(self, conn, deadline, wait):
        self.conn, self.deadline, self.wait = conn, deadline, wait
        self.half_closing = False  # set just before the half-close is sent
        self.echoed = self.half_closed = False
        self.lock = threading.Lock()

    def echo_complete(self):
        self._mark("echoed")

    def half_close(self):
        self._mark("half_closed")

    def _mark(self, which):
        with self.lock:
            if getattr(self, which):
                return
            setattr(self, which, True)
            due = time.monotonic() + self.wait
            if self.echoed and self.half_closed and due < self.deadline:
                self.conn.shorten_read_deadline(due)


# ---- the command ------------------------------------------------------------------------------------------

def select_cases(m, case_list):
    """Returns the cases named in case_list, in its order and without repeats, or every plain stream echo case
    (no message socket, abstract name or descriptors) in manifest order."""
    if case_list.strip() == "":
        return [c for c in m.cases if c.is_plain_stream()]
    cases, seen = [], set()
    for case_id in case_list.split(","):
        case_id = case_id.strip()
        if case_id == "" or case_id in seen:
            continue
        seen.add(case_id)
        c = m.case(case_id)
        if c is None:
            raise FixtureError("unknown case ID %s: manifest %s has no such case" % (json.dumps(case_id), m.path))
        cases.append(c)
    return cases


def write_payload(opts, stdout):
    m = Manifest(opts.manifest)
    c = m.case(opts.payload)
    if c is None:
        raise FixtureError("unknown case ID %s: manifest %s has no such case" % (json.dumps(opts.payload), opts.manifest))
    if c.kind != KIND_ECHO:
        raise FixtureError("case %s is of kind %s, which has no payload" % (c.id, c.kind))
    payloads = m.verified_payloads(c)
    if not 0 <= opts.connection < c.connections:
        m.payload(c, opts.connection)  # names the connection it does not have
    stdout.write(payloads[opts.connection])
    stdout.flush()
    return EXIT_OK


class GeneratedPayloads:
    """The generated payloads a process has verified, kept for its next cases (-serve): a payload is a function of
    the case's generator, seed, size, connections and sha256 alone, which key it, so a case that comes again, or
    another with the same payload, skips generating 16 MiB again; a file payload is read and checked each time."""

    def __init__(self):
        self.verified = {}

    def get(self, m, c):
        if c.generate is None:
            return m.verified_payloads(c)
        key = (c.generate.get("algorithm"), c.generate.get("seed"), c.size, c.connections, c.sha256)
        if key not in self.verified:
            self.verified[key] = m.verified_payloads(c)
        return self.verified[key]


def serve(stdin, stdout):
    """-serve: runs one request per line of stdin, a JSON array of the flags of one run, and answers each with one
    line of JSON on stdout, {"exit": N, "stdout": "...", "stderr": "..."}: what a process started with those flags
    would have exited with and written. Starting Python costs more than most cases take; one process runs them all.
    Ends at the end of stdin."""
    payloads = GeneratedPayloads()
    for line in stdin:
        out, err = io.BytesIO(), io.StringIO()
        try:
            args = json.loads(line)
        except ValueError:
            args = None
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            err.write("%s: -serve: a request is a JSON array of strings (the flags of one run), not %s\n"
                      % (NAME, line.strip()[:80].decode("utf-8", "replace")))
            status = EXIT_USAGE
        else:
            try:
                status = main(args, out, err, payloads, serving=True)
            except Exception:  # what a process of its own would have died of: the traceback and exit status 1
                err.write(traceback.format_exc())
                status = EXIT_FAILURE
        answer = {"exit": status, "stdout": out.getvalue().decode("utf-8"), "stderr": err.getvalue()}
        stdout.write((json.dumps(answer) + "\n").encode())
        stdout.flush()
    return EXIT_OK


def main(args, stdout, stderr, payloads=None, serving=False):
    """Runs the command line args; with payloads, the GeneratedPayloads of earlier runs in this process (-serve)."""
    def usage(msg):
        stderr.write("%s: %s (see %s -help)\n" % (NAME, msg, NAME))
        return EXIT_USAGE

    try:
        opts = parse_args(args)
    except UsageError as e:
        return usage(e)
    if opts is None:
        stdout.write(USAGE.encode())
        return EXIT_OK
    if opts.version:
        stdout.write(("%s %s\n" % (NAME, VERSION)).encode())
        return EXIT_OK
    if opts.capabilities:
        stdout.write((json.dumps(capabilities(), indent=2) + "\n").encode())
        return EXIT_OK
    if opts.serve:
        if serving or len(opts.given) > 1:
            return usage("-serve takes no other flag; its requests are the flags of each run")
        return serve(sys.stdin.buffer, stdout)
    if opts.manifest == "":
        return usage("-manifest is required")
    try:
        if "payload" in opts.given:
            if serving:  # the payload is bytes, not text: its run is a process of its own
                return usage("-payload is not a request of -serve")
            if opts.endpoints or opts.given & {"case", "timeout-scale", "eof-timeout"}:
                return usage("-payload takes only -manifest and -connection")
            return write_payload(opts, stdout)
        if "connection" in opts.given:
            return usage("-connection needs -payload")
        if not opts.endpoints:
            return usage("one of -unix or -tcp is required")
        if len(opts.endpoints) > 1:
            (n0, a0), (n1, a1) = opts.endpoints[:2]
            return usage("got %d addresses (%s:%s and %s:%s); want exactly one -unix or -tcp"
                         % (len(opts.endpoints), KINDS[n0], a0, KINDS[n1], a1))
        if not opts.scale > 0 or math.isinf(opts.scale):
            return usage("-timeout-scale %s: want a number more than 0" % _go_float(opts.scale))
        if opts.eof_timeout <= 0:
            return usage("-eof-timeout %s: want a duration more than 0" % format_duration(opts.eof_timeout))
        m = Manifest(opts.manifest)
        cases = select_cases(m, opts.cases)
        # Only the selected cases: verifying all would generate every big payload again in each one-case run.
        payloads = payloads or GeneratedPayloads()
        verified = {c.id: payloads.get(m, c) for c in cases if c.kind == KIND_ECHO}
    except FixtureError as e:
        stderr.write("%s: %s\n" % (NAME, e))
        return EXIT_USAGE

    network, address = opts.endpoints[0]
    runner = Runner(network, address, opts.scale, opts.eof_timeout * opts.scale)
    report = {"client": CLIENT, "version": VERSION, "network": network, "address": address, "results": [],
              "summary": {"passed": 0, "failed": 0, "skipped": 0}}
    for c in cases:
        why = c.unfit(network, address) if c.kind == KIND_ECHO else None
        if why is not None:
            res = _skipped(c, why)
        elif c.kind == KIND_ECHO:
            res = runner.run(c, verified[c.id])
        else:
            res = _skipped(c, "kind %s is run by the harness" % c.kind)
        report["summary"][res["status"]] += 1
        report["results"].append(res)
    try:
        stdout.write((json.dumps(report, indent=2) + "\n").encode())
        stdout.flush()
    except OSError as e:
        stderr.write("%s: writing the report: %s\n" % (NAME, strerror(e)))
        return EXIT_FAILURE
    return EXIT_FAILURE if report["summary"]["failed"] > 0 else EXIT_OK


def _skipped(c, why):
    return {"id": c.id, "status": "skipped", "connections": 0, "bytesSent": 0, "bytesReceived": 0,
            "expectedSha256": "", "actualSha256": "", "durationNs": 0, "timings": [], "failure": {"message": why}}


def _go_float(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    return "%g" % x


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], sys.stdout.buffer, sys.stderr))
