#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// interop-client.js: the Node.js conformance client, an independent implementation of the fixtures.
//
// Runs the echo cases of the shared manifest against one server and prints one JSON report, with the same
// command line, report, failure kinds and exit statuses as the Go reference's interop-client
// (go-reference/cmd/interop-client), which the harness drives the same way:
//
//   interop-client.js -unix ADDR | -tcp HOST:PORT -manifest fixtures/manifest.json
//                     [-case ID,...] [-timeout-scale 1.0] [-eof-timeout 2s]
//   interop-client.js -manifest fixtures/manifest.json -payload ID [-connection J]
//   interop-client.js -capabilities
//
// Of the sockets beyond streams, Node's net has none but abstract names ('\0name' as a path), and those only
// where Node gives the name its own length: some versions pad it with NUL bytes to sun_path's 108, which makes
// it another name than every other implementation's @name. -capabilities declares what this Node can do,
// looking at how it binds an abstract name (in /proc/net/unix), at run time.
//
// Node's net module only, no npm packages; runs on Node.js 18 (Debian bookworm's). Every connection of a case
// is one socket on the event loop: a writer (an async function, paced by the writes' callbacks) and a reader
// (its 'data' and 'end' events) that compares the echo as it comes. Exit status: 0 every case run passed, 1 a
// case failed, 2 bad usage, a bad manifest or payload, or an unknown case ID.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');
const util = require('util');

const NAME = 'interop-client';
const CLIENT = 'node-interop-client';
const VERSION = '0.1.0';
const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;
const KIND_ECHO = 'echo';
// The most descriptors one message of a case may carry.
const MAX_FDS = 8;
// How many bytes past the payload a half-closed connection reads before it stops counting them.
const EXTRA_LIMIT = 64 << 10;
// The span either side of the first differing offset that a failure shows.
const WINDOW = 8;

const USAGE = `Usage:
  interop-client -unix ADDR | -tcp HOST:PORT -manifest MANIFEST [-case ID,...] [-timeout-scale 1.0] [-eof-timeout 2s]
  interop-client -manifest MANIFEST -payload ID [-connection J]
  interop-client -capabilities
  interop-client -version
  interop-client -serve

Runs the manifest's echo cases (the plain stream ones, in manifest order, or
those named by -case) against the server and prints one JSON report on stdout.
Cases of other kinds named by -case, for another kind of socket, or passing
descriptors, are reported as skipped. ADDR is a socket path or an abstract
@name. With -capabilities, prints what this Node.js can do beyond stream
sockets, and what decided it, as JSON. With -serve, runs one request per line
of stdin (a JSON array of these flags) and answers each with one line of JSON on
stdout: the exit status, stdout and stderr the same flags would have given, so
that one process runs many cases. A connection that has its
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
  -eof-timeout duration
    \thow long a connection with its whole echo waits for EOF after its half-close, at most (a duration) (default 2s)
  -manifest path
    \tpath of the conformance manifest, fixtures/manifest.json
  -payload ID
    \twrite the payload of case ID to stdout and exit
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
`;

/** Bad usage: one line on stderr, exit 2. */
class UsageError extends Error {}

/** A manifest or payload that cannot be used: one line on stderr, exit 2. */
class FixtureError extends Error {}

// ---- the command line, parsed as Go's flag package does ---------------------------------------------------

const DURATION_UNITS = { ns: 1e-9, us: 1e-6, '\u00b5s': 1e-6, '\u03bcs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Returns Go's time.ParseDuration of text in seconds, e.g. "2s", "1.5s", "200ms", "1m30s". */
function parseDuration(text) {
  let s = text;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw new Error('invalid duration');
  let total = 0;
  const part = /^([0-9]*(?:\.[0-9]*)?)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/;
  while (s !== '') {
    const m = part.exec(s);
    if (!m || m[1] === '' || m[1] === '.') throw new Error('invalid duration');
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/** Formats a duration in seconds as Go prints one: 0s, 200ms, 2s. */
function formatDuration(seconds) {
  if (seconds === 0) return '0s';
  for (const [unit, size] of [['s', 1], ['ms', 1e-3], ['\u00b5s', 1e-6], ['ns', 1e-9]]) {
    if (Math.abs(seconds) >= size) return `${Number((seconds / size).toPrecision(9))}${unit}`;
  }
  return `${seconds * 1e9}ns`;
}

/** Splits host:port as Go's net.SplitHostPort does, an IPv6 host in brackets. */
function splitHostPort(address) {
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    if (end < 0) throw new Error(`address ${address}: missing ']' in address`);
    if (address[end + 1] !== ':') throw new Error(`address ${address}: missing port in address`);
    return [address.slice(1, end), address.slice(end + 2)];
  }
  const colon = address.lastIndexOf(':');
  if (colon < 0) throw new Error(`address ${address}: missing port in address`);
  const host = address.slice(0, colon);
  if (host.includes(':')) throw new Error(`address ${address}: too many colons in address`);
  return [host, address.slice(colon + 1)];
}

const VALUED = ['unix', 'tcp', 'manifest', 'case', 'timeout-scale', 'eof-timeout', 'payload', 'connection'];

/** Parses args as Go's flag package would; returns the options, or null after -help. */
function parseArgs(args) {
  const opts = {
    endpoints: [], manifest: '', cases: '', scale: 1.0, eofTimeout: 2.0, payload: '', connection: 0,
    version: false, capabilities: false, serve: false, given: new Set(),
  };
  for (let i = 0; i < args.length;) {
    const arg = args[i++];
    if (arg.length < 2 || arg[0] !== '-') throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    if (arg === '--') {
      if (i < args.length) throw new UsageError(`unexpected argument ${JSON.stringify(args[i])}`);
      break;
    }
    let name = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    if (name === '' || name[0] === '-' || name[0] === '=') throw new UsageError(`bad flag syntax: ${arg}`);
    let value = null;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (name === 'version' || name === 'capabilities' || name === 'serve') {
      if (value === null || ['1', 't', 'true'].includes(value.toLowerCase())) opts[name] = true;
      else if (['0', 'f', 'false'].includes(value.toLowerCase())) opts[name] = false;
      else throw new UsageError(`invalid boolean value ${JSON.stringify(value)} for -${name}: parse error`);
      opts.given.add(name);
      continue;
    }
    if (name === 'h' || name === 'help') return null;
    if (!VALUED.includes(name)) throw new UsageError(`flag provided but not defined: -${name}`);
    if (value === null) {
      if (i >= args.length) throw new UsageError(`flag needs an argument: -${name}`);
      value = args[i++];
    }
    try {
      setOption(opts, name, value);
    } catch (e) {
      throw new UsageError(`invalid value ${JSON.stringify(value)} for flag -${name}: ${e.message}`);
    }
    opts.given.add(name);
  }
  return opts;
}

function setOption(opts, name, value) {
  switch (name) {
    case 'unix':
    case 'tcp':
      if (value === '' || value === '@') throw new Error('empty address');
      if (name === 'tcp') splitHostPort(value);
      opts.endpoints.push({ network: name, address: value });
      break;
    case 'manifest': opts.manifest = value; break;
    case 'case': opts.cases = value; break;
    case 'payload': opts.payload = value; break;
    case 'timeout-scale': {
      const v = value.trim() === '' ? NaN : Number(value);
      if (Number.isNaN(v) && !/^[+-]?nan$/i.test(value)) throw new Error('parse error');
      opts.scale = v;
      break;
    }
    case 'eof-timeout':
      try {
        opts.eofTimeout = parseDuration(value);
      } catch (e) {
        throw new Error('parse error');
      }
      break;
    case 'connection':
      if (!/^[+-]?[0-9]+$/.test(value)) throw new Error('parse error');
      opts.connection = Number(value);
      break;
    default:
      throw new Error('unknown flag');
  }
}

// ---- the manifest ------------------------------------------------------------------------------------------

// The fields of the manifest, each spelt exactly: a misspelt field is an error, as in the Go client.
const TOP_FIELDS = { schemaVersion: 'number', description: 'string', cases: 'array' };
const CASE_FIELDS = {
  id: 'string', kind: 'string', title: 'string', requirement: 'string', payload: 'object', size: 'number',
  sha256: 'string', chunkSize: 'number', pauseMicros: 'number', connections: 'number', halfClose: 'bool',
  barrier: 'bool', socket: 'string', address: 'string', fds: 'number', fdsWith: 'string', timeoutMs: 'number', level: 'string', tags: 'array', scenario: 'string', params: 'object',
  transports: 'array',
};
const PAYLOAD_FIELDS = { file: 'string', generate: 'object' };
const GENERATE_FIELDS = { algorithm: 'string', seed: 'number', size: 'number' };

function jsonType(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

function checkFields(obj, fields, where) {
  if (jsonType(obj) !== 'object') throw new FixtureError(`${where} is not a JSON object`);
  for (const [key, value] of Object.entries(obj)) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) throw new FixtureError(`json: unknown field "${key}"`);
    const got = jsonType(value);
    if (got !== 'null' && got !== fields[key]) {
      throw new FixtureError(`json: cannot unmarshal ${got} into field ${key} of type ${fields[key]}`);
    }
    if (fields[key] === 'number' && got === 'number' && !Number.isInteger(value)) {
      throw new FixtureError(`json: cannot unmarshal number ${value} into field ${key} of type int`);
    }
  }
}

/** One case of the manifest; the echo fields with Go's zero values where absent. */
class Case {
  constructor(raw) {
    const payload = raw.payload || null;
    this.id = raw.id || '';
    this.kind = raw.kind || '';
    this.hasPayload = payload !== null;
    this.file = (payload && payload.file) || '';
    this.generate = (payload && payload.generate) || null;
    this.size = raw.size || 0;
    this.sha256 = raw.sha256 || '';
    this.chunkSize = raw.chunkSize || 0;
    this.pauseMicros = raw.pauseMicros || 0;
    this.connections = raw.connections || 0;
    this.halfClose = raw.halfClose === true;
    this.barrier = raw.barrier === true;
    this.socket = raw.socket || '';
    this.address = raw.address || '';
    this.fds = raw.fds || 0;
    this.fdsWith = raw.fdsWith || '';
    this.timeoutMs = raw.timeoutMs || 0;
  }

  /**
   * Returns why this echo case cannot run on the endpoint, or null. A stream case runs on unix and tcp alike; a
   * seqpacket or datagram case, and one that passes descriptors, needs what Node's net does not speak, and is
   * skipped as the Go client skips a case for another kind of socket.
   */
  unfit(network, address) {
    const socket = this.socket || 'stream';
    if (socket !== 'stream' || (this.fds > 0 && network !== 'unix')) {
      return `case ${this.id} runs on a ${socket} socket; the endpoint is ${network}:${address}`;
    }
    if (this.fds > 0) return `case ${this.id} passes descriptors, which ${CLIENT} does not: ${LACKS.fdpass}`;
    return null;
  }

  /** Returns true for an echo case on a stream socket on a path (or TCP), without descriptors. */
  isPlainStream() {
    return this.kind === KIND_ECHO && (this.socket || 'stream') === 'stream' && this.address !== 'abstract' && this.fds === 0;
  }

  /** Returns why this echo case cannot run, or null. */
  problem() {
    if (!this.hasPayload || (this.file === '') === (this.generate === null)) {
      return 'payload must have exactly one of file and generate';
    }
    if (this.size < 0) return `size ${this.size} is negative`;
    if (this.connections < 1) return `connections ${this.connections}; want at least 1`;
    if (this.chunkSize < 0 || this.pauseMicros < 0) return 'chunkSize and pauseMicros must not be negative';
    if (this.timeoutMs <= 0) return `timeoutMs ${this.timeoutMs}; want more than 0`;
    if (!/^[0-9a-f]{64}$/.test(this.sha256)) return `sha256 ${JSON.stringify(this.sha256)} is not 64 lower-case hex digits`;
    if (this.file !== '' && this.connections !== 1) return `a file payload needs 1 connection, not ${this.connections}`;
    if (this.barrier && this.connections < 2) return `barrier needs at least 2 connections, not ${this.connections}`;
    if (!['', 'stream', 'seqpacket', 'datagram'].includes(this.socket)) {
      return `socket ${JSON.stringify(this.socket)}; want stream, seqpacket or datagram`;
    }
    if (!['', 'path', 'abstract'].includes(this.address)) return `address ${JSON.stringify(this.address)}; want path or abstract`;
    if (this.fds < 0 || this.fds > MAX_FDS) return `fds ${this.fds}; want 0 to ${MAX_FDS}`;
    if (!['', 'first', 'last'].includes(this.fdsWith)) return `fdsWith ${JSON.stringify(this.fdsWith)}; want first or last`;
    if (['seqpacket', 'datagram'].includes(this.socket) && (this.chunkSize <= 0 || this.barrier)) {
      return `a ${this.socket} case needs a chunkSize (its message size) and no barrier`;
    }
    if (this.socket === 'datagram' && (this.halfClose || this.fds > 0)) return 'a datagram case has no half-close and no descriptors';
    if (this.generate !== null) {
      const g = this.generate;
      if (g.algorithm !== 'splitmix64') return `unknown payload algorithm ${JSON.stringify(g.algorithm || '')}`;
      if ((g.size || 0) !== this.size) return `generate.size ${g.size || 0} differs from size ${this.size}`;
    }
    return null;
  }
}

/** The list of cases, read from file, and the payloads of its echo cases. */
class Manifest {
  constructor(file) {
    this.path = file;
    let text;
    try {
      text = fs.readFileSync(file);
    } catch (e) {
      throw new FixtureError(`open ${file}: ${strerror(e)}`);
    }
    let doc;
    try {
      doc = JSON.parse(text);
      checkFields(doc, TOP_FIELDS, 'the manifest');
    } catch (e) {
      throw new FixtureError(`manifest ${file}: ${e.message}`);
    }
    this.cases = (doc.cases || []).map((raw, i) => {
      try {
        checkFields(raw, CASE_FIELDS, `case ${i}`);
        if (raw.payload != null) {
          checkFields(raw.payload, PAYLOAD_FIELDS, 'payload');
          const g = raw.payload.generate;
          if (g != null) {
            checkFields(g, GENERATE_FIELDS, 'generate');
            if (g.seed != null && (g.seed < 0 || !Number.isSafeInteger(g.seed))) {
              // Go reads any uint64; JavaScript numbers are exact only up to 2^53.
              throw new FixtureError(`generate.seed ${g.seed}: want an integer from 0 to 2^53-1`);
            }
          }
        }
      } catch (e) {
        const name = raw && typeof raw.id === 'string' && raw.id !== '' ? raw.id : String(i);
        throw new FixtureError(`manifest ${file}: case ${name}: ${e.message}`);
      }
      return new Case(raw);
    });
    if (doc.schemaVersion !== 1) throw new FixtureError(`manifest ${file}: schemaVersion ${doc.schemaVersion || 0}; want 1`);
    const seen = new Set();
    this.cases.forEach((c, i) => {
      if (c.id === '') throw new FixtureError(`manifest ${file}: case ${i} has no id`);
      if (seen.has(c.id)) throw new FixtureError(`manifest ${file}: case ${c.id} appears twice`);
      seen.add(c.id);
      if (c.kind === '') throw new FixtureError(`manifest ${file}: case ${c.id} has no kind`);
      if (c.kind === KIND_ECHO) {
        const problem = c.problem();
        if (problem) throw new FixtureError(`manifest ${file}: case ${c.id}: ${problem}`);
      }
    });
  }

  find(id) {
    return this.cases.find((c) => c.id === id) || null;
  }

  source(c) {
    return c.file !== '' ? c.file : `${c.generate.algorithm} seed ${c.generate.seed}`;
  }

  /** Returns the bytes connection j of echo case c sends. */
  payload(c, j) {
    if (c.kind !== KIND_ECHO) throw new FixtureError(`case ${c.id}: kind ${c.kind} has no payload`);
    if (j < 0 || j >= c.connections) throw new FixtureError(`case ${c.id}: no connection ${j} (it has ${c.connections})`);
    if (c.generate !== null) return splitMix64(c.generate.seed || 0, j, c.size);
    const name = path.isAbsolute(c.file) ? c.file : path.join(path.dirname(this.path), c.file);
    try {
      return fs.readFileSync(name);
    } catch (e) {
      throw new FixtureError(`case ${c.id}: open ${name}: ${strerror(e)}`);
    }
  }

  /** Returns every connection's payload of echo case c, checked against its size and sha256. */
  verifiedPayloads(c) {
    const h = crypto.createHash('sha256');
    const payloads = [];
    for (let j = 0; j < c.connections; j++) {
      let p;
      try {
        p = this.payload(c, j);
      } catch (e) {
        throw new FixtureError(`manifest ${this.path}: ${e.message}`);
      }
      if (p.length !== c.size) {
        throw new FixtureError(`manifest ${this.path}: case ${c.id}: ${this.source(c)}: connection ${j} payload is `
          + `${p.length} bytes; manifest says ${c.size}`);
      }
      h.update(p);
      payloads.push(p);
    }
    const sum = h.digest('hex');
    if (sum !== c.sha256) {
      throw new FixtureError(`manifest ${this.path}: case ${c.id}: ${this.source(c)}: sha256 is ${sum}; manifest says ${c.sha256}`);
    }
    return payloads;
  }
}

// ---- SplitMix64 ----------------------------------------------------------------------------------------------

/**
 * Returns size bytes: the little-endian 8-byte outputs of SplitMix64 started at state seed + j, cut to size.
 * Arithmetic modulo 2^64 on pairs of 32-bit halves: BigInt would allocate at every step, and 16 MiB is two
 * million of them.
 */
function splitMix64(seed, j, size) {
  if (size <= 0) return Buffer.alloc(0);
  const out = Buffer.alloc(Math.ceil(size / 8) * 8);
  // state = seed + j; seed is at most 2^53 - 1, so the sum's halves are exact in doubles.
  const start = seed + j;
  let lo = start % 0x100000000 >>> 0;
  let hi = Math.floor(start / 0x100000000) >>> 0;
  const GAMMA_HI = 0x9e3779b9;
  const GAMMA_LO = 0x7f4a7c15;
  for (let i = 0; i < out.length; i += 8) {
    const sum = lo + GAMMA_LO;
    lo = sum >>> 0;
    hi = (hi + GAMMA_HI + (sum > 0xffffffff ? 1 : 0)) >>> 0;
    let zh = hi;
    let zl = lo;
    // z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
    zl = (zl ^ ((zl >>> 30) | (zh << 2))) >>> 0;
    zh = (zh ^ (zh >>> 30)) >>> 0;
    [zh, zl] = mul64(zh, zl, 0xbf58476d, 0x1ce4e5b9);
    // z = (z ^ (z >> 27)) * 0x94D049BB133111EB
    zl = (zl ^ ((zl >>> 27) | (zh << 5))) >>> 0;
    zh = (zh ^ (zh >>> 27)) >>> 0;
    [zh, zl] = mul64(zh, zl, 0x94d049bb, 0x133111eb);
    // z ^= z >> 31
    zl = (zl ^ ((zl >>> 31) | (zh << 1))) >>> 0;
    zh = (zh ^ (zh >>> 31)) >>> 0;
    out.writeUInt32LE(zl, i);
    out.writeUInt32LE(zh, i + 4);
  }
  return out.subarray(0, size);
}

/** Returns the product of (ah, al) and (bh, bl) modulo 2^64, as [high, low] 32-bit halves. */
function mul64(ah, al, bh, bl) {
  // al * bl in 16-bit pieces, every partial product exact in a double.
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const lo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = p11 + Math.floor(p01 / 0x10000) + Math.floor(p10 / 0x10000) + Math.floor(mid / 0x10000);
  const hi = (carry + Math.imul(al, bh) + Math.imul(ah, bl)) >>> 0;
  return [hi, lo];
}

// ---- running a case ------------------------------------------------------------------------------------------

/** Returns an error's cause in Go's words: libuv's text of its errno, e.g. "connection refused". */
function strerror(e) {
  const known = e && typeof e.errno === 'number' ? util.getSystemErrorMap().get(e.errno) : undefined;
  if (known) return known[1];
  return String(e && e.message ? e.message : e);
}

const now = () => Number(process.hrtime.bigint());

/** A deadline passed: Go's os.ErrDeadlineExceeded. */
const DEADLINE = { timeout: true, toString: () => 'i/o timeout' };
/** The connection was closed by this side: Go's net.ErrClosed. */
const CLOSED = { closed: true, toString: () => 'use of closed network connection' };
/** The server's EOF where the whole echo was not in yet: Go's io.EOF. */
const EOF = { toString: () => 'EOF' };

// The system call behind each operation, as Go's errors name it: "dial unix /x.sock: connect: connection refused".
const SYSCALLS = { dial: 'connect', close: 'shutdown', read: 'read', write: 'write' };

/** An error of operation op on a connection, worded as Go's net.OpError: "read unix ->/x.sock: EOF". */
class ConnError {
  constructor(op, ends, cause) {
    this.op = op;
    this.ends = ends;
    this.cause = cause;
  }

  timedOut() {
    return this.cause === DEADLINE;
  }

  toString() {
    const cause = this.cause instanceof Error ? `${SYSCALLS[this.op]}: ${strerror(this.cause)}` : String(this.cause);
    return `${this.op} ${this.ends}: ${cause}`;
  }
}

/**
 * Holds a barrier case's connections: each waits there with its whole echo in until every one has its echo,
 * before any closes or half-closes, so that all are served at once. One that fails before it arrives breaks it:
 * the others stop waiting.
 */
class Rendezvous {
  constructor(connections) {
    this.left = connections;
    this.broken = false;
    this.waiters = [];
  }

  arrive() {
    this.left--;
    this.settle();
  }

  leave() {
    this.broken = true;
    this.settle();
  }

  settle() {
    if (this.left === 0 || this.broken) {
      for (const w of this.waiters.splice(0)) w();
    }
  }

  /** Resolves true once every connection has arrived; false when one left first or deadline (ns) passed. */
  wait(deadline) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(this.left === 0);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(this.left === 0);
      }, Math.max(0, (deadline - now()) / 1e6));
      this.waiters.push(done);
      this.settle();
    });
  }
}

/** What happened on one connection of a case. */
class ConnResult {
  constructor(expected) {
    this.expected = expected;
    this.received = Buffer.alloc(0);
    this.sent = 0;
    this.connectNs = 0;
    this.firstByteNs = 0;
    this.lastByteNs = 0;
    this.dialErr = null;
    this.readErr = null;
    this.writeErr = null;
    this.firstDiff = -1;
    this.overflow = false;
    this.barrierTimedOut = false;
    this.earlyEof = false;
  }

  timing() {
    const t = { connectNs: this.connectNs };
    if (this.firstByteNs) t.firstByteNs = this.firstByteNs;
    t.lastByteNs = this.lastByteNs;
    return t;
  }

  /** Returns why connection j failed, as the report's failure object, or null if it passed. */
  failure(j) {
    if (this.dialErr !== null) {
      return { kind: this.dialErr.timedOut() ? 'timeout' : 'refused', message: `connection ${j}: ${this.dialErr}`, connection: j };
    }
    const got = this.received.length;
    const want = this.expected.length;
    const timedOut = (this.readErr !== null && this.readErr.timedOut()) || this.barrierTimedOut;
    let kind;
    let msg;
    if (this.firstDiff >= 0) {
      [kind, msg] = ['mismatch', `mismatch at offset ${this.firstDiff} (received ${got} of ${want} bytes)`];
    } else if (got > want) {
      kind = 'extra-bytes';
      msg = this.overflow
        ? `extra bytes: received at least ${got} bytes, at least ${got - want} more than the ${want} sent (stopped reading there)`
        : `extra bytes: received ${got} bytes, ${got - want} more than the ${want} sent`;
    } else if (got < want && timedOut) {
      [kind, msg] = ['timeout', `timed out after ${got} of ${want} bytes`];
    } else if (got < want) {
      [kind, msg] = ['truncated', `echo ended after ${got} of ${want} bytes`];
      if (this.readErr !== null) msg += ` (${this.readErr})`;
    } else if (this.earlyEof) {
      [kind, msg] = ['early-eof', `all ${want} bytes came back, but the server closed before the client's half-close`];
    } else if (this.barrierTimedOut) {
      [kind, msg] = ['timeout', "timed out waiting for the other connections' echoes"];
    } else if (this.readErr !== null && timedOut) {
      [kind, msg] = ['no-eof', `all ${want} bytes came back, but no EOF after the half-close`];
    } else if (this.readErr !== null) {
      [kind, msg] = ['error', `${this.readErr} after all ${want} bytes`];
    } else if (this.writeErr !== null) {
      [kind, msg] = ['error', `${this.writeErr} after ${this.sent} of ${want} bytes`];
    } else {
      return null;
    }
    if (this.writeErr !== null && kind !== 'error' && kind !== 'early-eof') {
      msg += `; ${this.writeErr} after ${this.sent} of ${want} bytes`;
    }
    const f = { kind, message: `connection ${j}: ${msg}`, connection: j };
    let offset = -1;
    if (this.firstDiff >= 0) offset = this.firstDiff;
    else if (got < want) offset = got;
    else if (got > want) offset = want;
    if (offset >= 0) {
      const lo = Math.max(0, offset - WINDOW);
      f.firstDifferingOffset = offset;
      f.expectedHex = this.expected.subarray(lo, Math.min(offset + WINDOW, want)).toString('hex');
      f.actualHex = this.received.subarray(lo, Math.min(offset + WINDOW, got)).toString('hex');
    }
    return f;
  }

  /** Records the first offset at which got, received at offset off, differs from the payload. */
  compare(got, off) {
    if (this.firstDiff >= 0 || off >= this.expected.length) return;
    const want = this.expected.subarray(off, off + got.length);
    const g = got.subarray(0, want.length);
    if (g.equals(want)) return;
    for (let i = 0; i < g.length; i++) {
      if (g[i] !== want[i]) {
        this.firstDiff = off + i;
        return;
      }
    }
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves after the event loop has polled for I/O once more: the check phase, then a full turn to the next one. */
const pendingIo = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/** Runs echo cases against one endpoint. */
class Runner {
  constructor(network, address, scale, eofWaitNs) {
    this.network = network;
    this.address = address;
    this.scale = scale;
    this.eofWaitNs = eofWaitNs;
  }

  /** Runs echo case c: its connections start together and run independently, all bounded by its deadline. */
  async run(c, payloads) {
    const start = now();
    const deadline = start + c.timeoutMs * this.scale * 1e6;
    const rendezvous = c.barrier ? new Rendezvous(c.connections) : null;
    const conns = await Promise.all(payloads.map((p) => this.runConn(c, p, deadline, rendezvous)));
    const h = crypto.createHash('sha256');
    for (const r of conns) h.update(r.received);
    const res = {
      id: c.id,
      status: 'passed',
      connections: c.connections,
      bytesSent: conns.reduce((a, r) => a + r.sent, 0),
      bytesReceived: conns.reduce((a, r) => a + r.received.length, 0),
      expectedSha256: c.sha256,
      actualSha256: h.digest('hex'),
      durationNs: now() - start,
      timings: conns.map((r) => r.timing()),
      failure: null,
    };
    for (let j = 0; j < conns.length; j++) {
      const f = conns[j].failure(j);
      if (f !== null) {
        res.status = 'failed';
        res.failure = f;
        return res;
      }
    }
    if (res.actualSha256 !== res.expectedSha256) {
      res.status = 'failed';
      res.failure = { message: "the sha256 of the bytes received differs from the manifest's" };
    }
    return res;
  }

  /**
   * Connects by deadline. A unix socket whose listen backlog is full refuses a non-blocking connect (libuv's)
   * with EAGAIN, where a blocking one would wait for room: so it waits for room itself, retrying until the
   * deadline.
   */
  async dial(deadline) {
    const target = `${this.network} ${this.address}`;
    for (let backoff = 0.1; ; backoff = Math.min(2 * backoff, 10)) {
      const remaining = (deadline - now()) / 1e6;
      if (remaining <= 0) throw new ConnError('dial', target, DEADLINE);
      try {
        return await this.connectOnce(remaining);
      } catch (e) {
        if (e instanceof ConnError) throw e;
        if (e.code === 'EAGAIN' && (deadline - now()) / 1e6 >= backoff) {
          await sleep(backoff);
          continue;
        }
        throw new ConnError('dial', target, e);
      }
    }
  }

  connectOnce(remainingMs) {
    return new Promise((resolve, reject) => {
      let options;
      if (this.network === 'unix') {
        // an abstract @name is a path that starts with a NUL byte
        options = { path: this.address.startsWith('@') ? `\0${this.address.slice(1)}` : this.address, allowHalfOpen: true };
      } else {
        const [host, port] = splitHostPort(this.address);
        options = { host, port: Number(port), allowHalfOpen: true };
      }
      const sock = net.connect(options);
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new ConnError('dial', `${this.network} ${this.address}`, DEADLINE));
      }, remainingMs);
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.removeListener('error', reject);
        resolve(sock);
      });
      sock.once('error', (e) => {
        clearTimeout(timer);
        sock.destroy();
        reject(e);
      });
    });
  }

  /** Names both ends as Go does: "unix ->/x.sock" (an unbound client end is empty), "tcp 127.0.0.1:5555->127.0.0.1:4242". */
  ends(sock) {
    if (this.network === 'unix') return `unix ->${this.address}`;
    const hp = (host, port) => (host && host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
    return `tcp ${hp(sock.localAddress, sock.localPort)}->${hp(sock.remoteAddress, sock.remotePort)}`;
  }

  /**
   * Dials, then writes payload while it reads the echo back. With a rendezvous it waits there, once its whole
   * echo is in, before it half-closes or closes. There an EOF that comes before the half-close is the server
   * closing without waiting for the client's; where the client half-closes right after its writes, the two
   * race, and nothing is judged.
   */
  async runConn(c, payload, deadline, rendezvous) {
    const res = new ConnResult(payload);
    const t = now();
    let sock;
    try {
      sock = await this.dial(deadline);
    } catch (e) {
      res.connectNs = Math.max(1, now() - t);
      res.dialErr = e instanceof ConnError ? e : new ConnError('dial', `${this.network} ${this.address}`, e);
      if (rendezvous) rendezvous.leave();
      return res;
    }
    res.connectNs = Math.max(1, now() - t);
    const conn = new Connection(sock, this.ends(sock), deadline);
    let arrived = false;
    try {
      const echoed = conn.reading.then(() => undefined);
      const hold = async () => {
        if (rendezvous === null) return true;
        await echoed;
        if (!conn.complete) return true; // the echo ended short: the reader's verdict tells why
        arrived = true;
        rendezvous.arrive();
        if (!(await rendezvous.wait(deadline))) {
          res.barrierTimedOut = true;
          return false;
        }
        // A Go or Rust reader takes the server's EOF the moment it arrives, on its own thread; here it is an event
        // that waits for the loop's next poll. Let that poll happen before the half-close, so that an EOF that came
        // while this connection waited at the barrier is judged as one that came before it (early-eof).
        await pendingIo();
        return true;
      };
      const watch = new EofWatch(conn, deadline, this.eofWaitNs);
      conn.early = () => c.halfClose && rendezvous !== null && !watch.halfClosing;
      conn.onComplete = () => watch.echoComplete();
      conn.read(res, c.halfClose);
      const written = this.write(conn, c, payload, res, hold, watch);
      await conn.done;
      if (res.readErr !== null || res.firstDiff >= 0 || res.received.length !== payload.length) {
        conn.abort(); // stop the writer: the case has failed anyway
        const err = await written;
        if (err !== null && err !== CLOSED) res.writeErr = err;
        return res;
      }
      const err = await written; // done, or bounded by the deadline
      res.writeErr = err === CLOSED ? null : err;
      return res;
    } finally {
      if (rendezvous && !arrived) rendezvous.leave(); // one that failed before it arrived breaks the barrier
      conn.close();
    }
  }

  /**
   * Writes payload in chunks of chunkSize bytes (all at once if 0), pausing between chunks, then holds, then
   * half-closes if the case says so, telling watch. Resolves to the error that ended it, or null.
   */
  async write(conn, c, payload, res, hold, watch) {
    const chunk = c.chunkSize > 0 ? c.chunkSize : payload.length;
    try {
      for (let off = 0; off < payload.length;) {
        const end = Math.min(off + chunk, payload.length);
        await conn.send(payload.subarray(off, end));
        res.sent += end - off;
        off = end;
        if (c.pauseMicros > 0 && off < payload.length) await sleep(c.pauseMicros / 1000);
      }
      if (!(await hold())) return DEADLINE;
      if (c.halfClose) {
        watch.halfClosing = true; // first: an EOF read while it is false came before the half-close
        await conn.closeWrite();
        watch.halfClose();
      }
      return null;
    } catch (e) {
      return e;
    }
  }
}

/**
 * One connection: the socket, its deadline, and its reader. The read deadline can come closer while it waits
 * (the bounded wait for EOF, set by the writer's half-close).
 */
class Connection {
  constructor(sock, ends, deadline) {
    this.sock = sock;
    this.ends = ends;
    this.deadline = deadline;
    this.closed = false;
    this.complete = false; // the whole echo is in
    this.early = () => false;
    this.onComplete = () => {};
    this.writeTimer = null;
    this.readTimer = null;
    this.readDeadline = deadline;
    this.pendingWrite = null;
    let markReading;
    this.reading = new Promise((resolve) => { markReading = resolve; }); // the whole echo is in, or reading ended
    this.markReading = markReading;
    let finish;
    this.done = new Promise((resolve) => { finish = resolve; });
    this.finish = finish;
    this.readErr = null;
    // A write error destroys a Node socket: it ends the reading too (as it ends a Go connection's).
    sock.on('error', (e) => this.failed(e));
  }

  failed(e) {
    if (this.closed) return;
    if (e.syscall === 'write' || e.syscall === 'shutdown' || e.code === 'EPIPE') {
      if (this.pendingWrite) this.pendingWrite(new ConnError(e.syscall === 'shutdown' ? 'close' : 'write', this.ends, e));
      if (this.endRead) this.endRead(null); // the socket is gone: what came is all that will
    } else if (this.endRead) {
      this.endRead(new ConnError('read', this.ends, e));
    }
  }

  /** Reads the echo into res, comparing as it goes: until EOF if halfClose, else until it has the payload's length. */
  read(res, halfClose) {
    const want = res.expected;
    const limit = want.length + (halfClose ? EXTRA_LIMIT : 0);
    const buf = Buffer.allocUnsafe(limit);
    let n = 0;
    const t0 = now();
    let ended = false;
    const complete = () => {
      if (!this.complete) {
        this.complete = true;
        this.markReading();
        this.onComplete();
      }
    };
    this.endRead = (err) => {
      if (ended) return;
      ended = true;
      if (err) res.readErr = err;
      clearTimeout(this.readTimer);
      this.sock.removeAllListeners('data');
      this.sock.removeAllListeners('end');
      this.sock.pause();
      res.received = buf.subarray(0, n);
      this.markReading();
      this.finish();
    };
    this.armReadTimer();
    this.t0 = t0;
    if (want.length === 0) complete(); // the whole echo of nothing is there from the start
    if (!halfClose && want.length === 0) {
      this.endRead(null);
      return;
    }
    this.sock.on('data', (data) => {
      if (ended) return;
      const t = now() - t0;
      if (n === 0) res.firstByteNs = Math.max(1, t);
      res.lastByteNs = Math.max(1, t);
      const take = Math.min(data.length, limit - n);
      data.copy(buf, n, 0, take);
      res.compare(data.subarray(0, take), n);
      n += take;
      if (n >= want.length) complete();
      if (!halfClose && n >= want.length) {
        this.endRead(null);
      } else if (halfClose && n === limit) {
        res.overflow = true;
        this.endRead(null);
      }
    });
    this.sock.on('end', () => {
      if (ended) return;
      if (halfClose) {
        res.earlyEof = this.early();
        if (want.length === 0) res.lastByteNs = Math.max(1, now() - t0);
        this.endRead(null);
      } else {
        this.endRead(new ConnError('read', this.ends, EOF));
      }
    });
  }

  armReadTimer() {
    clearTimeout(this.readTimer);
    this.readTimer = setTimeout(() => this.endRead(new ConnError('read', this.ends, DEADLINE)),
      Math.max(0, (this.readDeadline - now()) / 1e6));
  }

  /** Moves the read deadline closer to due (ns), never further. */
  shortenReadDeadline(due) {
    if (due >= this.readDeadline) return;
    this.readDeadline = due;
    if (this.endRead) this.armReadTimer();
  }

  /** Writes data; resolves when the kernel has it all, rejects with the write's error or at the deadline. */
  send(data) {
    return this.settleWrite((cb) => this.sock.write(data, cb), 'write');
  }

  /** Half-closes: resolves once the FIN has been sent. */
  closeWrite() {
    return this.settleWrite((cb) => this.sock.end(cb), 'close');
  }

  settleWrite(start, op) {
    if (this.closed || this.sock.destroyed) return Promise.reject(CLOSED);
    return new Promise((resolve, reject) => {
      const settle = (err) => {
        if (this.pendingWrite !== settle) return;
        this.pendingWrite = null;
        clearTimeout(timer);
        if (err === null || err === undefined) resolve();
        else if (this.closed && !(err instanceof ConnError && err.timedOut())) reject(CLOSED);
        else reject(err instanceof ConnError ? err : new ConnError(op, this.ends, err));
      };
      const timer = setTimeout(() => settle(new ConnError(op, this.ends, DEADLINE)),
        Math.max(0, (this.deadline - now()) / 1e6));
      this.pendingWrite = settle;
      start((err) => settle(err || null));
    });
  }

  /** Stops the writer: the case has failed anyway. */
  abort() {
    this.closed = true;
    if (this.pendingWrite) this.pendingWrite(CLOSED);
    this.sock.destroy();
  }

  close() {
    this.closed = true;
    clearTimeout(this.readTimer);
    this.sock.destroy();
  }
}

/**
 * Tells the reader of a connection what the writer did: whether it has sent its half-close (an EOF before that
 * came too early), and when the wait for EOF began, which is bounded on its own: once the connection has its
 * whole echo and has half-closed, a server that closes at all does so at once, and one that never does would
 * hold it until the deadline.
 */
class EofWatch {
  constructor(conn, deadline, waitNs) {
    this.conn = conn;
    this.deadline = deadline;
    this.waitNs = waitNs;
    this.halfClosing = false; // set just before the half-close is sent
    this.echoed = false;
    this.halfClosed = false;
  }

  echoComplete() {
    if (!this.echoed) {
      this.echoed = true;
      this.mark();
    }
  }

  halfClose() {
    if (!this.halfClosed) {
      this.halfClosed = true;
      this.mark();
    }
  }

  mark() {
    const due = now() + this.waitNs;
    if (this.echoed && this.halfClosed && due < this.deadline) this.conn.shortenReadDeadline(due);
  }
}

// ---- what this client can do ---------------------------------------------------------------------------------

// What Node's net lacks whatever its version.
const LACKS = {
  seqpacket: "Node.js's net has no SOCK_SEQPACKET socket",
  datagram: "Node.js's net has no Unix datagram socket (dgram is UDP only)",
  fdpass: "Node.js's net cannot pass descriptors (SCM_RIGHTS)",
};

/**
 * Returns why this Node cannot reach another implementation's abstract @name, or null if it can: it listens on
 * one and looks in /proc/net/unix at the name the kernel got, which must be the name alone, not the name padded
 * with NUL bytes (shown as '@') to sun_path's 108 bytes, as libuv's pipes have bound and connected them.
 */
function probeAbstract() {
  const name = `uds-interop-probe-${process.pid}`;
  const node = `Node.js ${process.version} (libuv ${process.versions.uv})`;
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (e) => resolve(`${node} cannot listen on an abstract name: ${strerror(e)}`));
    server.listen({ path: `\0${name}` }, () => {
      let table;
      try {
        table = fs.readFileSync('/proc/net/unix', 'utf8');
      } catch (e) {
        server.close(() => resolve(`${node}: /proc/net/unix, where the name bound shows, is unreadable: ${strerror(e)}`));
        return;
      }
      const bound = table.split('\n').map((l) => l.trim().split(/\s+/).pop()).find((a) => a && a.startsWith(`@${name}`));
      server.close(() => resolve(bound === `@${name}` ? null
        : `${node} pads an abstract name with NUL bytes to sun_path's 108, so its @name is another than every other implementation's`));
    });
  });
}

/** Returns what this client declares it can do beyond stream sockets on paths and TCP, for -capabilities. */
async function capabilities() {
  const abstractLack = await probeAbstract();
  const lacks = { seqpacket: LACKS.seqpacket, datagram: LACKS.datagram };
  if (abstractLack !== null) lacks.abstract = abstractLack;
  lacks.fdpass = LACKS.fdpass;
  return {
    client: CLIENT,
    version: VERSION,
    supports: abstractLack === null ? ['abstract'] : [],
    lacks,
    decidedBy: `Node.js ${process.version} (libuv ${process.versions.uv}), probed at run time: the abstract name it binds, in /proc/net/unix`,
  };
}

// ---- the command ---------------------------------------------------------------------------------------------

/** Returns the cases named in list, in its order and without repeats, or every echo case in manifest order. */
function selectCases(m, list) {
  if (list.trim() === '') return m.cases.filter((c) => c.isPlainStream());
  const cases = [];
  const seen = new Set();
  for (let id of list.split(',')) {
    id = id.trim();
    if (id === '' || seen.has(id)) continue;
    seen.add(id);
    const c = m.find(id);
    if (c === null) throw new FixtureError(`unknown case ID ${JSON.stringify(id)}: manifest ${m.path} has no such case`);
    cases.push(c);
  }
  return cases;
}

function writeOut(data) {
  return new Promise((resolve, reject) => process.stdout.write(data, (err) => (err ? reject(err) : resolve())));
}

/** Where a run writes: the process's stdout and stderr, or the answer to a request of -serve. */
const PROCESS_IO = { out: writeOut, err: (text) => process.stderr.write(text), serving: false };

/**
 * The generated payloads a process has verified, kept for its next cases (-serve): a payload is a function of the
 * case's generator, seed, size, connections and sha256 alone, which key it, so a case that comes again, or another
 * with the same payload, skips generating 16 MiB again; a file payload is read and checked each time.
 */
class GeneratedPayloads {
  constructor() {
    this.verified = new Map();
  }

  get(m, c) {
    if (c.generate === null) return m.verifiedPayloads(c);
    const key = JSON.stringify([c.generate.algorithm, c.generate.seed, c.size, c.connections, c.sha256]);
    if (!this.verified.has(key)) this.verified.set(key, m.verifiedPayloads(c));
    return this.verified.get(key);
  }
}

/**
 * -serve: runs one request per line of stdin, a JSON array of the flags of one run, and answers each with one line
 * of JSON on stdout, {"exit": N, "stdout": "...", "stderr": "..."}: what a process started with those flags would
 * have exited with and written. Starting Node.js costs more than most cases take; one process runs them all, one
 * request at a time. Ends at the end of stdin.
 */
async function serve() {
  const payloads = new GeneratedPayloads();
  const lines = require('readline').createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const out = [];
    let err = '';
    const io = {
      out: async (data) => { out.push(Buffer.from(data)); },
      err: (text) => { err += text; },
      serving: true,
    };
    let args = null;
    try {
      args = JSON.parse(line);
    } catch (e) {
      args = null;
    }
    let status;
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
      io.err(`${NAME}: -serve: a request is a JSON array of strings (the flags of one run), not ${line.trim().slice(0, 80)}\n`);
      status = EXIT_USAGE;
    } else {
      try {
        status = await main(args, io, payloads);
      } catch (e) {
        io.err(`${NAME}: ${e && e.stack ? e.message : e}\n`);
        status = EXIT_FAILURE;
      }
    }
    await writeOut(`${JSON.stringify({ exit: status, stdout: Buffer.concat(out).toString('utf8'), stderr: err })}\n`);
  }
  return EXIT_OK;
}

function goFloat(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  return String(x);
}

/** Runs the command line args, writing to io; payloads: the GeneratedPayloads of earlier runs in this process. */
async function main(args, io = PROCESS_IO, payloads = new GeneratedPayloads()) {
  const usage = (msg) => {
    io.err(`${NAME}: ${msg} (see ${NAME} -help)\n`);
    return EXIT_USAGE;
  };
  let opts;
  try {
    opts = parseArgs(args);
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
  if (opts === null) {
    await io.out(USAGE);
    return EXIT_OK;
  }
  if (opts.version) {
    await io.out(`${NAME} ${VERSION}\n`);
    return EXIT_OK;
  }
  if (opts.capabilities) {
    await io.out(`${JSON.stringify(await capabilities(), null, 2)}\n`);
    return EXIT_OK;
  }
  if (opts.serve) {
    if (io.serving || opts.given.size > 1) return usage('-serve takes no other flag; its requests are the flags of each run');
    return serve();
  }
  if (opts.manifest === '') return usage('-manifest is required');
  let m;
  let cases;
  const verified = new Map();
  try {
    if (opts.given.has('payload')) {
      // the payload is bytes, not text: its run is a process of its own
      if (io.serving) return usage('-payload is not a request of -serve');
      if (opts.endpoints.length > 0 || ['case', 'timeout-scale', 'eof-timeout'].some((f) => opts.given.has(f))) {
        return usage('-payload takes only -manifest and -connection');
      }
      m = new Manifest(opts.manifest);
      const c = m.find(opts.payload);
      if (c === null) throw new FixtureError(`unknown case ID ${JSON.stringify(opts.payload)}: manifest ${opts.manifest} has no such case`);
      if (c.kind !== KIND_ECHO) throw new FixtureError(`case ${c.id} is of kind ${c.kind}, which has no payload`);
      const all = m.verifiedPayloads(c);
      if (opts.connection < 0 || opts.connection >= c.connections) m.payload(c, opts.connection); // names what it lacks
      await io.out(all[opts.connection]);
      return EXIT_OK;
    }
    if (opts.given.has('connection')) return usage('-connection needs -payload');
    if (opts.endpoints.length === 0) return usage('one of -unix or -tcp is required');
    if (opts.endpoints.length > 1) {
      const [a, b] = opts.endpoints;
      return usage(`got ${opts.endpoints.length} addresses (${a.network}:${a.address} and ${b.network}:${b.address}); `
        + 'want exactly one -unix or -tcp');
    }
    if (!(opts.scale > 0) || !Number.isFinite(opts.scale)) return usage(`-timeout-scale ${goFloat(opts.scale)}: want a number more than 0`);
    if (opts.eofTimeout <= 0) return usage(`-eof-timeout ${formatDuration(opts.eofTimeout)}: want a duration more than 0`);
    m = new Manifest(opts.manifest);
    cases = selectCases(m, opts.cases);
    // Only the selected cases: verifying all would generate every big payload again in each one-case run.
    for (const c of cases) {
      if (c.kind === KIND_ECHO) verified.set(c.id, payloads.get(m, c));
    }
  } catch (e) {
    if (!(e instanceof FixtureError)) throw e;
    io.err(`${NAME}: ${e.message}\n`);
    return EXIT_USAGE;
  }

  const { network, address } = opts.endpoints[0];
  const runner = new Runner(network, address, opts.scale, opts.eofTimeout * opts.scale * 1e9);
  const report = {
    client: CLIENT, version: VERSION, network, address, results: [], summary: { passed: 0, failed: 0, skipped: 0 },
  };
  for (const c of cases) {
    const why = c.kind === KIND_ECHO ? c.unfit(network, address) : `kind ${c.kind} is run by the harness`;
    const res = why === null ? await runner.run(c, verified.get(c.id)) : {
      id: c.id, status: 'skipped', connections: 0, bytesSent: 0, bytesReceived: 0, expectedSha256: '',
      actualSha256: '', durationNs: 0, timings: [], failure: { message: why },
    };
    report.summary[res.status]++;
    report.results.push(res);
  }
  try {
    await io.out(`${JSON.stringify(report, null, 2)}\n`);
  } catch (e) {
    io.err(`${NAME}: writing the report: ${strerror(e)}\n`);
    return EXIT_FAILURE;
  }
  return report.summary.failed > 0 ? EXIT_FAILURE : EXIT_OK;
}

main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
}, (e) => {
  process.stderr.write(`${NAME}: ${e && e.stack ? e.message : e}\n`);
  process.exitCode = EXIT_FAILURE;
});
