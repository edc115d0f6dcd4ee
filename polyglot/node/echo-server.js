#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// echo-server.js: the conformance contract's echo server in Node.js (net, no npm packages; Node 18+).
//
// A stream echo server on Unix domain sockets and TCP: every byte a client sends comes back, in order,
// until the client's EOF; then the rest is sent and the connection closed (socket.pipe(socket) with
// allowHalfOpen: pipe's backpressure pauses a client that does not read, and its end() follows the
// client's). The flags, ready lines, exit statuses and shutdown are go-reference/cmd/echo-server's
// (docs/server.md, "Other languages"):
//
//   echo-server.js --unix PATH | --tcp HOST:PORT [--unix PATH ...] [--tcp HOST:PORT ...] [--mode 0600] [--grace 5s]
//
// The socket file gets exactly the --mode bits: the umask is narrowed around listen(), which binds
// before it returns. libuv unlinks a pipe server's path as it closes; the server closes a unix listener
// only while its path is still the socket it created (same device and inode), so that a successor's file
// is never removed. (Binding in a private directory and linking into place, as the Java server does,
// changes the file's ctime after it appears, which a harness watching for a new file can mistake for a
// second server's.)
//
// Exit status: 0 after a clean shutdown, 2 on bad usage or configuration, 1 on anything unexpected.
'use strict';

const fs = require('fs');
const net = require('net');
const path = require('path');

const NAME = 'echo-server.js';
const VERSION = '0.1.0';
const MAX_PATH_LEN = 107; // sun_path is 108 bytes with its NUL
const PROBE_TIMEOUT_MS = 1000; // the connection that tells a live socket from a stale one

const USAGE = `Usage:
  ${NAME} --unix PATH | --tcp HOST:PORT [--unix PATH ...] [--tcp HOST:PORT ...] [--mode 0600] [--grace 5s]
  ${NAME} --version

Echoes every byte each client sends, in order, until the client's EOF, then
closes the connection. Prints "listening unix:PATH" or "listening tcp:HOST:PORT"
on stdout once per listener when all are bound; logs go to stderr. On SIGTERM
or SIGINT it stops accepting, removes its socket files, lets open connections
finish for up to --grace, then closes them and exits 0.

Flags:
  --unix PATH       listen on the socket file PATH (repeatable)
  --tcp HOST:PORT   listen on TCP HOST:PORT, port 0 for any free one (repeatable)
  --mode OCTAL      permission bits of the socket files (default 0600)
  --grace DURATION  how long open connections may take to finish after SIGTERM or SIGINT (default 5s)
  --version         print the version and exit

Exit status: 0 clean shutdown, 1 unexpected error, 2 bad usage or configuration.
`;

const log = (message) => process.stderr.write(`${NAME}: ${message}\n`);

class UsageError extends Error {}

/** Returns the cause of a system error as the C library says it ("no such file or directory"), without Node's prefix and path. */
function cause(err) {
  let text = err.message || String(err);
  const m = /^(?:\w+ )?E[A-Z0-9]+: (.*)$/s.exec(text);
  if (m) text = m[1];
  if (err.address) text = text.replace(` ${err.address}${err.port !== undefined ? `:${err.port}` : ''}`, '');
  return text.split(',')[0];
}

// ---- flags --------------------------------------------------------------------------------------------

const UNITS = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

/** Parses a Go duration ("5s", "250ms", "1m30s", "0") into milliseconds. */
function parseDuration(text) {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let m;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) total += parseFloat(m[1]) * UNITS[m[2]];
  if (text === '' || m === null || re.lastIndex !== text.length) {
    throw new UsageError(`--grace: invalid duration "${text}": want e.g. 5s, 250ms, 1m`);
  }
  return total;
}

function parseMode(text) {
  if (!/^[0-7]{1,4}$/.test(text) || parseInt(text, 8) > 0o777) {
    throw new UsageError(`--mode: invalid mode "${text}": want octal permission bits from 0000 to 0777`);
  }
  return parseInt(text, 8);
}

function parseTcp(text) {
  const colon = text.lastIndexOf(':');
  const port = text.slice(colon + 1);
  if (colon < 0 || !/^\d+$/.test(port) || Number(port) > 65535) {
    throw new UsageError(`--tcp: address ${text}: want HOST:PORT`);
  }
  let host = text.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { network: 'tcp', address: text, host, port: Number(port) };
}

/** Parses the flags as Go's flag package does: -name or --name, a value as the next word or after '='. */
function parseArgs(argv) {
  const opts = { endpoints: [], mode: 0o600, grace: 5000, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--?([a-z]+)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new UsageError(`unexpected argument "${arg}"`);
    const [, name, inline] = m;
    if (name === 'h' || name === 'help') { opts.help = true; continue; }
    if (name === 'version') { opts.version = true; continue; }
    if (!['unix', 'tcp', 'mode', 'grace'].includes(name)) throw new UsageError(`flag provided but not defined: ${arg}`);
    let value = inline;
    if (value === undefined) {
      if (i + 1 === argv.length) throw new UsageError(`flag needs an argument: --${name}`);
      value = argv[++i];
    }
    if (name === 'unix') {
      if (value === '') throw new UsageError('--unix: empty path');
      opts.endpoints.push({ network: 'unix', address: value });
    } else if (name === 'tcp') {
      opts.endpoints.push(parseTcp(value));
    } else if (name === 'mode') {
      opts.mode = parseMode(value);
    } else {
      opts.grace = parseDuration(value);
    }
  }
  if (!opts.help && !opts.version && opts.endpoints.length === 0) {
    throw new UsageError('at least one --unix or --tcp is required');
  }
  return opts;
}

// ---- listening ----------------------------------------------------------------------------------------

class ListenError extends Error {}

function describe(st) {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'a file of an unknown type';
}

/** Resolves when a connection to path is refused (stale), rejects with a ListenError otherwise. */
function probe(file) {
  return new Promise((resolve, reject) => {
    const c = net.connect(file);
    const timer = setTimeout(() => {
      c.destroy();
      reject(new ListenError('cannot tell whether the socket there is in use, so leaving it alone: connect: timed out'));
    }, PROBE_TIMEOUT_MS);
    c.on('connect', () => {
      clearTimeout(timer);
      c.destroy();
      reject(new ListenError('a server is already listening there'));
    });
    c.on('error', (err) => {
      clearTimeout(timer);
      if (err.code === 'ECONNREFUSED') resolve();
      else reject(new ListenError(`cannot tell whether the socket there is in use, so leaving it alone: connect: ${cause(err)}`));
    });
  });
}

/** Makes way for a bind on file, or rejects with a ListenError saying why it will not. */
async function clearStale(file) {
  let st;
  try {
    st = fs.lstatSync(file);
  } catch (err) {
    if (err.code === 'ENOENT') return;
    throw new ListenError(`lstat: ${cause(err)}`);
  }
  if (!st.isSocket()) throw new ListenError(`the path is ${describe(st)}, not a socket; leaving it alone`);
  await probe(file);
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if (err.code !== 'ENOENT') throw new ListenError(`removing stale socket: ${cause(err)}`);
  }
  log(`removed stale socket ${file}`);
}

/** Resolves when server listens on target (a path or {host, port}), rejects with a ListenError. */
function bind(server, target) {
  return new Promise((resolve, reject) => {
    const failed = (err) => reject(new ListenError(`bind: ${cause(err)}`));
    server.once('error', failed);
    server.once('listening', () => {
      server.removeListener('error', failed);
      resolve();
    });
    if (typeof target === 'string') server.listen(target, 511);
    else server.listen({ host: target.host, port: target.port, backlog: 511 });
  });
}

/**
 * A listener on a socket file. libuv unlinks a pipe server's path when it closes, whatever file is there by
 * then; so at shutdown the listener is closed only while the path is still the socket it created (same
 * device and inode), and otherwise left open, unreachable by name, until the process exits.
 */
class UnixSocketFile {
  constructor(server, file, identity) {
    this.server = server;
    this.file = file;
    this.identity = identity;
  }

  static async open(server, address, mode) {
    if (address.startsWith('@')) throw new ListenError('abstract socket names are not supported; give a file path');
    const bytes = Buffer.byteLength(address);
    if (bytes > MAX_PATH_LEN) {
      throw new ListenError(`path is ${bytes} bytes, longer than the ${MAX_PATH_LEN}-byte limit for a socket path`);
    }
    await clearStale(address);
    const file = path.resolve(address);
    // The umask admits no more than mode around listen(), which binds a pipe before it returns (net.js binds
    // synchronously in a process that is not a cluster worker): the file is never more open than mode.
    const old = process.umask(0o777 & ~mode);
    let listening;
    try {
      listening = bind(server, file);
    } finally {
      process.umask(old);
    }
    await listening;
    const st = fs.lstatSync(file);
    if ((st.mode & 0o777) !== mode) {
      server.close();
      throw new ListenError(`bind: the socket file got mode ${(st.mode & 0o777).toString(8)}, not ${mode.toString(8)}`);
    }
    return new UnixSocketFile(server, file, `${st.dev}:${st.ino}`);
  }

  readyLine() {
    return `listening unix:${this.file}`;
  }

  /** Whether the path is still the socket this listener created. */
  owned() {
    try {
      const st = fs.lstatSync(this.file);
      return `${st.dev}:${st.ino}` === this.identity;
    } catch (err) {
      if (err.code !== 'ENOENT') log(`${this.file}: ${cause(err)}`);
      return false;
    }
  }

  /** Stops accepting; libuv removes the socket file as it closes, so only while the file is still this one. */
  close() {
    if (this.owned()) this.server.close();
    else this.server.on('connection', (socket) => socket.destroy());
  }
}

class TcpListener {
  constructor(server) {
    this.server = server;
  }

  static async open(server, endpoint) {
    await bind(server, endpoint);
    return new TcpListener(server);
  }

  close() {
    this.server.close();
  }

  readyLine() {
    const a = this.server.address();
    return a.family === 'IPv6' || a.family === 6 ? `listening tcp:[${a.address}]:${a.port}` : `listening tcp:${a.address}:${a.port}`;
  }
}

// ---- serving ------------------------------------------------------------------------------------------

class EchoServer {
  constructor(grace) {
    this.grace = grace;
    this.listeners = [];
    this.connections = new Set();
    this.stopping = false;
    this.lastClosed = null; // resolves the drain when the last connection has closed
  }

  newServer(tcp) {
    return net.createServer({ allowHalfOpen: true, pauseOnConnect: false }, (socket) => this.serve(socket, tcp));
  }

  serve(socket, tcp) {
    this.connections.add(socket);
    if (tcp) socket.setNoDelay(true);
    socket.on('error', (err) => {
      if (!this.stopping) log(`connection: ${err.message}`);
      socket.destroy();
    });
    socket.on('close', () => {
      this.connections.delete(socket);
      if (this.connections.size === 0 && this.lastClosed) this.lastClosed();
    });
    socket.pipe(socket); // the echo; pipe ends the socket at the client's EOF, once all is written
  }

  async listen(endpoints, mode) {
    for (const e of endpoints) {
      const server = this.newServer(e.network === 'tcp');
      try {
        this.listeners.push(e.network === 'unix' ? await UnixSocketFile.open(server, e.address, mode)
          : await TcpListener.open(server, e));
      } catch (err) {
        this.closeListeners();
        server.close();
        if (err instanceof ListenError) throw new UsageError(`listen ${e.network} ${e.address}: ${err.message}`);
        throw err;
      }
    }
  }

  closeListeners() {
    for (const l of this.listeners) l.close();
  }

  /** Serves until the first signal; then stops accepting and drains for up to the grace period or a second signal. */
  run() {
    return new Promise((resolve) => {
      let signals = 0;
      const onSignal = (sig) => {
        signals++;
        if (signals === 1) {
          this.stopping = true;
          this.closeListeners();
          log(`${sig}: shutting down: ${this.connections.size} connections open`);
          if (this.connections.size === 0) return resolve();
          const timer = setTimeout(() => {
            log(`grace period of ${this.grace / 1000}s over: closing ${this.connections.size} connections`);
            this.closeAll(resolve);
          }, this.grace);
          this.lastClosed = () => {
            clearTimeout(timer);
            resolve();
          };
        } else if (this.connections.size > 0) {
          log(`${sig} again: closing ${this.connections.size} connections now`);
          this.closeAll(resolve);
        }
      };
      // Installing a handler also replaces an inherited SIG_IGN (a background job of a non-interactive shell).
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      // Only now the ready lines: a SIGTERM sent as soon as one is read must find the handler (before, node's own
      // default one killed the server, status 143, between the write and process.on).
      process.stdout.write(this.listeners.map((l) => l.readyLine() + '\n').join(''));
    });
  }

  closeAll(resolve) {
    this.lastClosed = resolve;
    for (const socket of this.connections) socket.destroy();
  }
}

async function main(argv) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    log(`${err.message} (see ${NAME} --help)`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (opts.version) {
    process.stdout.write(`${NAME} ${VERSION}\n`);
    return 0;
  }
  const server = new EchoServer(opts.grace);
  try {
    await server.listen(opts.endpoints, opts.mode);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    log(err.message);
    return 2;
  }
  await server.run();
  return 0;
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (err) => {
    log(`unexpected: ${err && err.stack ? err.stack.split('\n')[0] : err}`);
    process.exit(1);
  },
);
