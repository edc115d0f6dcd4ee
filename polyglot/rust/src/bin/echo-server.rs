// SPDX-License-Identifier: Apache-2.0
// echo-server: the conformance contract's echo server in Rust, standard library only (builds with rustc 1.63).
//
// A stream echo server on Unix domain sockets and TCP: every byte a client sends comes back, in order,
// until the client's EOF; then the connection is closed, so a client that half-closes gets the whole echo
// and then EOF. The flags, ready lines, exit statuses and shutdown are go-reference/cmd/echo-server's
// (docs/server.md, "Other languages"):
//
//   echo-server --unix PATH | --tcp HOST:PORT [--unix PATH ...] [--tcp HOST:PORT ...] [--mode 0600] [--grace 5s]
//
// Design: a blocking thread per connection and one accept thread per listener, as std offers; a
// connection costs a thread stack, which is fine for a conformance server and for the benchmark's
// connection counts.
//
// Signals without the libc crate (nothing can be fetched from a crate registry here): the few C functions
// std leaves out, signal(2), write(2), umask(2) and shutdown(2), are declared `extern "C"` below; they
// resolve against the libc that std links anyway. The handler only writes the signal's number to one end
// of a socket pair (a self-pipe: write(2) is async-signal-safe), and a thread reading the other end turns
// it into state that the main thread waits on with a Condvar, next to the connection count. glibc's
// signal(2) installs a handler with BSD semantics (it stays installed, SA_RESTART), so a second signal
// comes through the same way, and installing it also replaces an inherited SIG_IGN (a background job of
// a non-interactive shell). sigaction(2) would need its struct's layout declared by hand, per platform;
// signal(2) needs none. Blocked accept(2) calls are woken by shutdown(2) of the listening socket, which
// Linux answers with EINVAL.
//
// Exit status: 0 after a clean shutdown, 2 on bad usage or configuration, 1 on anything unexpected.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, ToSocketAddrs};
use std::os::raw::{c_int, c_void};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::os::unix::io::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const NAME: &str = "echo-server";
const VERSION: &str = env!("CARGO_PKG_VERSION");
/// sun_path is 108 bytes with its NUL.
const MAX_PATH_LEN: usize = 107;
/// Bounds the connection attempt that tells a live socket from a stale one.
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);
const BUFFER_SIZE: usize = 64 * 1024;

const USAGE: &str = "Usage:
  echo-server --unix PATH | --tcp HOST:PORT [--unix PATH ...] [--tcp HOST:PORT ...] [--mode 0600] [--grace 5s]
  echo-server --version

Echoes every byte each client sends, in order, until the client's EOF, then
closes the connection. Prints \"listening unix:PATH\" or \"listening tcp:HOST:PORT\"
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
";

extern "C" {
    fn signal(signum: c_int, handler: usize) -> usize;
    fn write(fd: c_int, buf: *const c_void, count: usize) -> isize;
    fn umask(mask: u32) -> u32;
    fn shutdown(fd: c_int, how: c_int) -> c_int;
}

const SIGINT: c_int = 2;
const SIGTERM: c_int = 15;
const SHUT_RDWR: c_int = 2;

fn main() {
    process::exit(run(std::env::args().skip(1).collect()));
}

fn log(message: fmt::Arguments) {
    eprintln!("{}: {}", NAME, message);
}

/// The text of an I/O error without Rust's " (os error N)" suffix, lower case as Go prints it.
fn cause(e: &io::Error) -> String {
    let text = e.to_string();
    let text = match text.find(" (os error ") {
        Some(i) => &text[..i],
        None => &text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn run(args: Vec<String>) -> i32 {
    let flags = match Flags::parse(&args) {
        Ok(Parsed::Run(flags)) => flags,
        Ok(Parsed::Help) => {
            print!("{}", USAGE);
            return 0;
        }
        Ok(Parsed::Version) => {
            println!("{} {}", NAME, VERSION);
            return 0;
        }
        Err(message) => {
            log(format_args!("{} (see {} --help)", message, NAME));
            return 2;
        }
    };
    let signals = match Signals::install() {
        Ok(signals) => signals,
        Err(e) => {
            log(format_args!("installing the signal handlers: {}", cause(&e)));
            return 1;
        }
    };
    let listeners = match listen(&flags.endpoints, flags.mode) {
        Ok(listeners) => listeners,
        Err(message) => {
            log(format_args!("{}", message));
            return 2;
        }
    };
    let ready: String = listeners.iter().map(|l| l.ready_line() + "\n").collect();
    let mut stdout = io::stdout();
    if let Err(e) = stdout.write_all(ready.as_bytes()).and_then(|_| stdout.flush()) {
        log(format_args!("writing the ready lines: {}", cause(&e)));
    }
    Server::new(signals).serve(listeners, flags.grace)
}

// ---- flags ------------------------------------------------------------------------------------------

enum Endpoint {
    Unix(String),
    Tcp(String),
}

struct Flags {
    endpoints: Vec<Endpoint>,
    mode: u32,
    grace: Duration,
}

enum Parsed {
    Run(Flags),
    Help,
    Version,
}

impl Flags {
    /// Parses the flags as Go's flag package does: -name or --name, a value as the next word or after '='.
    fn parse(args: &[String]) -> Result<Parsed, String> {
        let mut flags = Flags { endpoints: Vec::new(), mode: 0o600, grace: Duration::from_secs(5) };
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            let bare = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-'));
            let bare = match bare {
                Some(b) if !b.is_empty() && !b.starts_with('-') => b,
                _ => return Err(format!("unexpected argument {:?}", arg)),
            };
            let (name, inline) = match bare.find('=') {
                Some(eq) => (&bare[..eq], Some(bare[eq + 1..].to_string())),
                None => (bare, None),
            };
            match name {
                "h" | "help" => return Ok(Parsed::Help),
                "version" => return Ok(Parsed::Version),
                "unix" | "tcp" | "mode" | "grace" => {}
                _ => return Err(format!("flag provided but not defined: {}", arg)),
            }
            let value = match inline {
                Some(v) => v,
                None if i < args.len() => {
                    i += 1;
                    args[i - 1].clone()
                }
                None => return Err(format!("flag needs an argument: --{}", name)),
            };
            match name {
                "unix" if value.is_empty() => return Err("--unix: empty path".to_string()),
                "unix" => flags.endpoints.push(Endpoint::Unix(value)),
                "tcp" => flags.endpoints.push(Endpoint::Tcp(check_host_port(&value)?)),
                "mode" => flags.mode = parse_mode(&value)?,
                _ => flags.grace = parse_duration(&value)?,
            }
        }
        if flags.endpoints.is_empty() {
            return Err("at least one --unix or --tcp is required".to_string());
        }
        Ok(Parsed::Run(flags))
    }
}

fn check_host_port(text: &str) -> Result<String, String> {
    match text.rfind(':') {
        Some(colon) if text[colon + 1..].parse::<u16>().is_ok() => Ok(text.to_string()),
        _ => Err(format!("--tcp: address {}: want HOST:PORT", text)),
    }
}

fn parse_mode(text: &str) -> Result<u32, String> {
    match u32::from_str_radix(text, 8) {
        Ok(mode) if mode <= 0o777 && !text.starts_with('+') => Ok(mode),
        _ => Err(format!("--mode: invalid mode {:?}: want octal permission bits from 0000 to 0777", text)),
    }
}

/// Parses a Go duration: "5s", "250ms", "1m30s", "1.5s", "0".
fn parse_duration(text: &str) -> Result<Duration, String> {
    let invalid = || format!("--grace: invalid duration {:?}: want e.g. 5s, 250ms, 1m", text);
    if text == "0" {
        return Ok(Duration::from_secs(0));
    }
    let mut rest = text;
    let mut seconds = 0f64;
    if rest.is_empty() {
        return Err(invalid());
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number: f64 = rest[..digits].parse().map_err(|_| invalid())?;
        rest = &rest[digits..];
        let units: [(&str, f64); 7] =
            [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1.0), ("m", 60.0), ("h", 3600.0)];
        let (unit, scale) = units.iter().find(|(u, _)| rest.starts_with(u)).ok_or_else(invalid)?;
        seconds += number * scale;
        rest = &rest[unit.len()..];
    }
    Ok(Duration::from_secs_f64(seconds))
}

// ---- listening --------------------------------------------------------------------------------------

enum Listener {
    /// A unix listener, the absolute path of its socket file and the file's device and inode.
    Unix(UnixListener, PathBuf, (u64, u64)),
    Tcp(TcpListener),
}

impl Listener {
    fn ready_line(&self) -> String {
        match self {
            Listener::Unix(_, path, _) => format!("listening unix:{}", path.display()),
            Listener::Tcp(l) => match l.local_addr() {
                Ok(addr) => format!("listening tcp:{}", addr),
                Err(_) => "listening tcp:?".to_string(),
            },
        }
    }

    fn fd(&self) -> c_int {
        match self {
            Listener::Unix(l, _, _) => l.as_raw_fd(),
            Listener::Tcp(l) => l.as_raw_fd(),
        }
    }

    /// Unlinks a unix listener's file if it is still the socket this server created (a successor's is left alone).
    fn remove(&self) {
        if let Listener::Unix(_, path, identity) = self {
            match fs::symlink_metadata(path) {
                Ok(m) if (m.dev(), m.ino()) == *identity => {
                    if let Err(e) = fs::remove_file(path) {
                        log(format_args!("removing {}: {}", path.display(), cause(&e)));
                    }
                }
                _ => {}
            }
        }
    }

    fn accept(&self) -> io::Result<Stream> {
        match self {
            Listener::Unix(l, _, _) => l.accept().map(|(s, _)| Stream::Unix(s)),
            Listener::Tcp(l) => l.accept().map(|(s, _)| {
                let _ = s.set_nodelay(true);
                Stream::Tcp(s)
            }),
        }
    }
}

/// Opens every listener in order; if one fails, removes and closes those opened and says why, as one line.
fn listen(endpoints: &[Endpoint], mode: u32) -> Result<Vec<Listener>, String> {
    let mut opened = Vec::new();
    for endpoint in endpoints {
        let result = match endpoint {
            Endpoint::Unix(path) => listen_unix(path, mode).map_err(|e| format!("listen unix {}: {}", path, e)),
            Endpoint::Tcp(address) => listen_tcp(address).map_err(|e| format!("listen tcp {}: {}", address, e)),
        };
        match result {
            Ok(l) => opened.push(l),
            Err(message) => {
                for l in &opened {
                    l.remove();
                }
                return Err(message);
            }
        }
    }
    Ok(opened)
}

fn listen_tcp(address: &str) -> Result<Listener, String> {
    // Go takes ":PORT" for every interface; std's resolver wants a host.
    let address = if address.starts_with(':') { format!("0.0.0.0{}", address) } else { address.to_string() };
    let addrs: Vec<_> = address.to_socket_addrs().map_err(|e| cause(&e))?.collect();
    let first = addrs.first().ok_or_else(|| "no address".to_string())?;
    TcpListener::bind(first).map(Listener::Tcp).map_err(|e| format!("bind: {}", cause(&e)))
}

fn listen_unix(path: &str, mode: u32) -> Result<Listener, String> {
    if path.starts_with('@') {
        return Err("abstract socket names are not supported; give a file path".to_string());
    }
    if path.len() > MAX_PATH_LEN {
        return Err(format!("path is {} bytes, longer than the {}-byte limit for a socket path", path.len(), MAX_PATH_LEN));
    }
    clear_stale(Path::new(path))?;
    // The umask admits no more than mode around the bind: the file is never more open than mode.
    let old = unsafe { umask(0o777 & !mode) };
    let bound = UnixListener::bind(path);
    unsafe { umask(old) };
    let listener = bound.map_err(|e| format!("bind: {}", cause(&e)))?;
    let meta = fs::symlink_metadata(path).map_err(|e| format!("lstat: {}", cause(&e)))?;
    let absolute = std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| PathBuf::from(path));
    Ok(Listener::Unix(listener, absolute, (meta.dev(), meta.ino())))
}

/// Makes way for a bind on path, or says why it will not.
fn clear_stale(path: &Path) -> Result<(), String> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("lstat: {}", cause(&e))),
    };
    let kind = meta.file_type();
    if !kind.is_socket() {
        let what = if kind.is_file() {
            "a regular file"
        } else if kind.is_dir() {
            "a directory"
        } else if kind.is_symlink() {
            "a symbolic link"
        } else if kind.is_fifo() {
            "a named pipe"
        } else {
            "a device"
        };
        return Err(format!("the path is {}, not a socket; leaving it alone", what));
    }
    // A blocking connect waits while a live server's backlog is full: bound it with a thread and a timeout.
    let (tx, rx) = mpsc::channel();
    let target = path.to_path_buf();
    thread::spawn(move || {
        let _ = tx.send(UnixStream::connect(&target).map(|_| ()));
    });
    match rx.recv_timeout(PROBE_TIMEOUT) {
        Ok(Ok(())) => return Err("a server is already listening there".to_string()),
        Ok(Err(e)) if e.kind() == io::ErrorKind::ConnectionRefused => {}
        Ok(Err(e)) => {
            return Err(format!("cannot tell whether the socket there is in use, so leaving it alone: connect: {}", cause(&e)))
        }
        Err(_) => {
            return Err("cannot tell whether the socket there is in use, so leaving it alone: connect: timed out".to_string())
        }
    }
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(format!("removing stale socket: {}", cause(&e))),
        _ => {}
    }
    log(format_args!("removed stale socket {}", path.display()));
    Ok(())
}

// ---- signals ----------------------------------------------------------------------------------------

/// The write end of the self-pipe, for the handler; -1 until installed.
static SIGNAL_FD: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_signal(signum: c_int) {
    let byte = signum as u8;
    let fd = SIGNAL_FD.load(Ordering::Relaxed);
    if fd >= 0 {
        unsafe {
            write(fd, &byte as *const u8 as *const c_void, 1);
        }
    }
}

/// The read end of the self-pipe (the write end stays open for the life of the process).
struct Signals(UnixStream);

impl Signals {
    fn install() -> io::Result<Signals> {
        let (read, write_end) = UnixStream::pair()?;
        write_end.set_nonblocking(true)?; // a handler must never block; a full pipe drops an extra signal
        SIGNAL_FD.store(write_end.as_raw_fd(), Ordering::Relaxed);
        std::mem::forget(write_end);
        for signum in [SIGTERM, SIGINT] {
            if unsafe { signal(signum, on_signal as *const () as usize) } == usize::MAX {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(Signals(read))
    }
}

fn signal_name(signum: u8) -> &'static str {
    match signum as c_int {
        SIGTERM => "SIGTERM",
        SIGINT => "SIGINT",
        _ => "a signal",
    }
}

// ---- serving ----------------------------------------------------------------------------------------

enum Stream {
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Stream {
    fn try_clone(&self) -> io::Result<Stream> {
        Ok(match self {
            Stream::Unix(s) => Stream::Unix(s.try_clone()?),
            Stream::Tcp(s) => Stream::Tcp(s.try_clone()?),
        })
    }

    fn shutdown(&self) {
        let _ = match self {
            Stream::Unix(s) => s.shutdown(Shutdown::Both),
            Stream::Tcp(s) => s.shutdown(Shutdown::Both),
        };
    }

    /// The echo: writes back what each read returns, every write whole before the next read, until EOF.
    fn echo(&mut self) -> io::Result<()> {
        let mut buf = vec![0u8; BUFFER_SIZE];
        loop {
            let n = match self {
                Stream::Unix(s) => s.read(&mut buf),
                Stream::Tcp(s) => s.read(&mut buf),
            };
            let n = match n {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            match self {
                Stream::Unix(s) => s.write_all(&buf[..n])?,
                Stream::Tcp(s) => s.write_all(&buf[..n])?,
            }
        }
    }
}

#[derive(Default)]
struct State {
    signals: Vec<u8>,
    fatal: Option<String>,
    stopping: bool,
    next_id: u64,
    /// The open connections, each a clone of its stream that shutdown can close.
    open: HashMap<u64, Stream>,
}

struct Server {
    state: Mutex<State>,
    changed: Condvar,
    signals: Signals,
}

impl Server {
    fn new(signals: Signals) -> Arc<Server> {
        Arc::new(Server { state: Mutex::new(State::default()), changed: Condvar::new(), signals })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Serves until a signal (exit 0) or an accept error it cannot go on after (exit 1), then shuts down.
    fn serve(self: Arc<Self>, listeners: Vec<Listener>, grace: Duration) -> i32 {
        let watcher = Arc::clone(&self);
        thread::spawn(move || watcher.watch_signals());
        let listeners: Vec<Arc<Listener>> = listeners.into_iter().map(Arc::new).collect();
        let accepting: Vec<_> = listeners
            .iter()
            .map(|l| {
                let (server, l) = (Arc::clone(&self), Arc::clone(l));
                thread::spawn(move || server.accept(&l))
            })
            .collect();

        let mut state = self.lock();
        while state.signals.is_empty() && state.fatal.is_none() {
            state = self.changed.wait(state).unwrap_or_else(|p| p.into_inner());
        }
        state.stopping = true;
        let why = match &state.fatal {
            Some(err) => err.clone(),
            None => signal_name(state.signals[0]).to_string(),
        };
        let grace = if state.fatal.is_some() { Duration::from_secs(0) } else { grace };
        drop(state);

        for l in &listeners {
            l.remove();
            unsafe { shutdown(l.fd(), SHUT_RDWR) };
        }
        for a in accepting {
            let _ = a.join();
        }
        drop(listeners);
        self.drain(&why, grace);
        if self.lock().fatal.is_some() {
            1
        } else {
            0
        }
    }

    /// Waits up to grace, or until a second signal, for the open connections to finish; closes the rest.
    fn drain(&self, why: &str, grace: Duration) {
        let mut state = self.lock();
        log(format_args!("{}: shutting down: {} connections open", why, state.open.len()));
        let deadline = Instant::now() + grace;
        loop {
            if state.open.is_empty() {
                return;
            }
            if state.signals.len() > 1 {
                log(format_args!("{} again: closing {} connections now", signal_name(state.signals[1]), state.open.len()));
                break;
            }
            let now = Instant::now();
            if now >= deadline {
                if !grace.is_zero() {
                    log(format_args!("grace period of {:?} over: closing {} connections", grace, state.open.len()));
                }
                break;
            }
            state = self.changed.wait_timeout(state, deadline - now).unwrap_or_else(|p| p.into_inner()).0;
        }
        for stream in state.open.values() {
            stream.shutdown();
        }
        while !state.open.is_empty() {
            state = self.changed.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn watch_signals(&self) {
        let mut byte = [0u8; 1];
        let mut pipe = &self.signals.0;
        loop {
            match pipe.read(&mut byte) {
                Ok(1) => {
                    self.lock().signals.push(byte[0]);
                    self.changed.notify_all();
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                _ => return,
            }
        }
    }

    /// Accepts until the listener is shut down. Out of descriptors or memory, it waits and retries, as Go's net/http does.
    fn accept(self: &Arc<Self>, listener: &Listener) {
        let mut delay = Duration::from_millis(0);
        loop {
            let accepted = listener.accept();
            let mut state = self.lock();
            if state.stopping {
                return; // a connection accepted just now is dropped with the listener's backlog
            }
            let stream = match accepted {
                Ok(stream) => stream,
                Err(e) => {
                    drop(state);
                    match e.raw_os_error() {
                        Some(4) | Some(103) => continue, // EINTR, ECONNABORTED
                        Some(24) | Some(23) | Some(105) | Some(12) => {
                            // EMFILE, ENFILE, ENOBUFS, ENOMEM
                            if delay.is_zero() {
                                delay = Duration::from_millis(5);
                                log(format_args!("accept: {}; retrying", cause(&e)));
                            } else {
                                delay = (delay * 2).min(Duration::from_secs(1));
                            }
                            thread::sleep(delay);
                            continue;
                        }
                        _ => {
                            let mut state = self.lock();
                            state.fatal.get_or_insert_with(|| format!("accept: {}", cause(&e)));
                            self.changed.notify_all();
                            return;
                        }
                    }
                }
            };
            delay = Duration::from_millis(0);
            let closer = match stream.try_clone() {
                Ok(c) => c,
                Err(e) => {
                    log(format_args!("accept: {}", cause(&e)));
                    continue;
                }
            };
            state.next_id += 1;
            let id = state.next_id;
            state.open.insert(id, closer);
            drop(state);
            let server = Arc::clone(self);
            let spawned = thread::Builder::new().stack_size(128 * 1024).spawn(move || server.connection(id, stream));
            if let Err(e) = spawned {
                log(format_args!("connection {}: starting its thread: {}", id, cause(&e)));
                self.forget(id);
            }
        }
    }

    fn connection(&self, id: u64, mut stream: Stream) {
        if let Err(e) = stream.echo() {
            if !self.lock().stopping {
                log(format_args!("connection {}: {}", id, cause(&e)));
            }
        }
        drop(stream);
        self.forget(id);
    }

    fn forget(&self, id: u64) {
        self.lock().open.remove(&id);
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_go_reads_them() {
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("0"), Ok(Duration::from_secs(0)));
        for bad in ["", "5", "5x", "-1s", "s"] {
            assert!(parse_duration(bad).is_err(), "{:?} parsed", bad);
        }
    }

    #[test]
    fn modes_are_octal_permission_bits() {
        assert_eq!(parse_mode("0600"), Ok(0o600));
        assert_eq!(parse_mode("666"), Ok(0o666));
        for bad in ["0800", "01000", "rw", "", "+7"] {
            assert!(parse_mode(bad).is_err(), "{:?} parsed", bad);
        }
    }
}
