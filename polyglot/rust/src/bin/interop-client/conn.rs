// SPDX-License-Identifier: Apache-2.0
// A connection of a case: the socket its writer and reader share, their deadlines, and errors worded as Go's.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// What ended an operation: Go's os.ErrDeadlineExceeded, io.EOF, net.ErrClosed, or a system call's error.
#[derive(Debug)]
pub enum Cause {
    Deadline,
    Eof,
    Closed,
    Io(io::Error),
}

/// An error of operation `op` on a connection, worded as Go's net.OpError: "read unix ->/x.sock: EOF". An
/// empty op is the cause alone ("i/o timeout").
#[derive(Debug)]
pub struct ConnError {
    pub op: &'static str,
    pub ends: String,
    pub cause: Cause,
}

impl ConnError {
    pub fn timed_out(&self) -> bool {
        matches!(self.cause, Cause::Deadline)
    }

    pub fn closed(&self) -> bool {
        matches!(self.cause, Cause::Closed)
    }
}

impl fmt::Display for ConnError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let cause = match &self.cause {
            Cause::Deadline => "i/o timeout".to_string(),
            Cause::Eof => "EOF".to_string(),
            Cause::Closed => "use of closed network connection".to_string(),
            // a system call's error, named as Go's os.SyscallError names it
            Cause::Io(e) => format!("{}: {}", syscall(self.op), crate::strerror(e)),
        };
        if self.op.is_empty() {
            write!(f, "{cause}")
        } else {
            write!(f, "{} {}: {cause}", self.op, self.ends)
        }
    }
}

/// The system call behind each operation: "dial unix /x.sock: connect: connection refused".
fn syscall(op: &str) -> &str {
    match op {
        "dial" => "connect",
        "close" => "shutdown",
        other => other,
    }
}

/// A connected socket of either network.
pub enum Stream {
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Stream {
    /// Connects to `address` on `network` by `deadline`. A unix connect blocks while the listen backlog is full
    /// (as nc's and socat's do), with no timeout of its own, so it runs on a thread of its own that is given up
    /// at the deadline.
    pub fn dial(network: &str, address: &str, deadline: Instant) -> Result<Stream, ConnError> {
        let err = |cause| ConnError { op: "dial", ends: format!("{network} {address}"), cause };
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(err(Cause::Deadline));
        }
        if network == "unix" {
            let (tx, rx) = mpsc::channel();
            let path = address.to_string();
            thread::spawn(move || {
                let _ = tx.send(match path.strip_prefix('@') {
                    Some(name) => crate::abstract_name::connect_stream(name),
                    None => UnixStream::connect(path),
                });
            });
            return match rx.recv_timeout(remaining) {
                Ok(Ok(s)) => Ok(Stream::Unix(s)),
                Ok(Err(e)) => Err(err(Cause::Io(e))),
                Err(_) => Err(err(Cause::Deadline)),
            };
        }
        let addr = match address.to_socket_addrs().map(|mut a| a.next()) {
            Ok(Some(a)) => a,
            Ok(None) => return Err(err(Cause::Io(io::Error::new(io::ErrorKind::Other, "no such host")))),
            Err(e) => return Err(err(Cause::Io(e))),
        };
        match TcpStream::connect_timeout(&addr, remaining) {
            Ok(s) => Ok(Stream::Tcp(s)),
            Err(e) if e.kind() == io::ErrorKind::TimedOut || e.kind() == io::ErrorKind::WouldBlock => {
                Err(err(Cause::Deadline))
            }
            Err(e) => Err(err(Cause::Io(e))),
        }
    }

    /// Names both ends as Go does: "unix ->/x.sock" (an unbound client end is empty), "tcp 127.0.0.1:5555->127.0.0.1:4242".
    pub fn ends(&self, address: &str) -> String {
        match self {
            Stream::Unix(_) => format!("unix ->{address}"),
            Stream::Tcp(s) => match (s.local_addr(), s.peer_addr()) {
                (Ok(l), Ok(p)) => format!("tcp {l}->{p}"),
                _ => format!("tcp ->{address}"),
            },
        }
    }

    fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => (&*s).read(buf),
            Stream::Tcp(s) => (&*s).read(buf),
        }
    }

    fn write(&self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => (&*s).write(buf),
            Stream::Tcp(s) => (&*s).write(buf),
        }
    }

    fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.shutdown(how),
            Stream::Tcp(s) => s.shutdown(how),
        }
    }

    fn set_read_timeout(&self, d: Duration) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.set_read_timeout(Some(d)),
            Stream::Tcp(s) => s.set_read_timeout(Some(d)),
        }
    }

    fn set_write_timeout(&self, d: Duration) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.set_write_timeout(Some(d)),
            Stream::Tcp(s) => s.set_write_timeout(Some(d)),
        }
    }
}

/// The read deadline, which can come closer while the reader waits (the bounded wait for EOF, set by the
/// writer's half-close): a watchdog then shuts the read side down at the new deadline, which wakes the read,
/// and the read counts as timed out. A socket's receive timeout is read when a read starts, so it alone would
/// not do.
struct ReadClock {
    state: Mutex<ClockState>,
    changed: Condvar,
}

struct ClockState {
    due: Instant,
    done: bool,
    fired: bool,
    watching: bool,
}

/// One connection: the socket, shared by the writer and the reader, each with its own timeout.
pub struct Conn {
    stream: Stream,
    pub ends: String,
    pub deadline: Instant,
    closed: AtomicBool,
    clock: ReadClock,
}

impl Conn {
    pub fn new(stream: Stream, ends: String, deadline: Instant) -> Arc<Conn> {
        Arc::new(Conn {
            stream,
            ends,
            deadline,
            closed: AtomicBool::new(false),
            clock: ReadClock {
                state: Mutex::new(ClockState { due: deadline, done: false, fired: false, watching: false }),
                changed: Condvar::new(),
            },
        })
    }

    fn error(&self, op: &'static str, cause: Cause) -> ConnError {
        ConnError { op, ends: self.ends.clone(), cause }
    }

    fn io_error(&self, op: &'static str, e: io::Error) -> ConnError {
        let cause = match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Cause::Deadline,
            _ if self.closed.load(Ordering::SeqCst) => Cause::Closed,
            _ => Cause::Io(e),
        };
        self.error(op, cause)
    }

    /// Reads into buf by the read deadline; Ok(0) is the server's EOF.
    pub fn read(&self, buf: &mut [u8]) -> Result<usize, ConnError> {
        loop {
            let due = self.clock.state.lock().unwrap().due;
            let remaining = due.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(self.error("read", Cause::Deadline));
            }
            self.stream.set_read_timeout(remaining).map_err(|e| self.io_error("read", e))?;
            match self.stream.read(buf) {
                Ok(0) if self.clock.state.lock().unwrap().fired => return Err(self.error("read", Cause::Deadline)),
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.io_error("read", e)),
            }
        }
    }

    /// Writes some of buf by the deadline; returns how much.
    pub fn write(&self, buf: &[u8]) -> Result<usize, ConnError> {
        loop {
            if self.closed.load(Ordering::SeqCst) {
                return Err(self.error("write", Cause::Closed));
            }
            let remaining = self.deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(self.error("write", Cause::Deadline));
            }
            self.stream.set_write_timeout(remaining).map_err(|e| self.io_error("write", e))?;
            match self.stream.write(buf) {
                Ok(0) => return Err(self.error("write", Cause::Io(io::Error::from(io::ErrorKind::WriteZero)))),
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.io_error("write", e)),
            }
        }
    }

    /// Half-closes: sends EOF.
    pub fn close_write(&self) -> Result<(), ConnError> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(self.error("close", Cause::Closed));
        }
        self.stream.shutdown(Shutdown::Write).map_err(|e| self.io_error("close", e))
    }

    /// Moves the read deadline to `due` if that is sooner, and watches for it.
    pub fn shorten_read_deadline(self: &Arc<Self>, due: Instant) {
        let mut state = self.clock.state.lock().unwrap();
        if due >= state.due || state.done {
            return;
        }
        state.due = due;
        self.clock.changed.notify_all();
        if !state.watching {
            state.watching = true;
            let conn = Arc::clone(self);
            thread::spawn(move || conn.watch_read_deadline());
        }
    }

    fn watch_read_deadline(&self) {
        let mut state = self.clock.state.lock().unwrap();
        loop {
            if state.done {
                return;
            }
            let now = Instant::now();
            if now >= state.due {
                state.fired = true;
                let _ = self.stream.shutdown(Shutdown::Read);
                return;
            }
            let wait = state.due - now;
            state = self.clock.changed.wait_timeout(state, wait).unwrap().0;
        }
    }

    /// Says the reader is done: the watchdog, if any, stops.
    pub fn reading_done(&self) {
        self.clock.state.lock().unwrap().done = true;
        self.clock.changed.notify_all();
    }

    /// Stops the writer: the case has failed anyway.
    pub fn abort(&self) {
        self.closed.store(true, Ordering::SeqCst);
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}
