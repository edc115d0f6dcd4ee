// SPDX-License-Identifier: Apache-2.0
// Running an echo case: its connections concurrently, each with a writer thread and a checking reader.

use crate::conn::{Cause, Conn, ConnError, Stream};
use crate::datagram;
use crate::fixture::Case;
use crate::report::{ConnResult, Outcome};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How many bytes past the payload a half-closed connection reads before it stops counting them.
const EXTRA_LIMIT: usize = 64 << 10;

/// Runs echo cases against one endpoint.
pub struct Runner {
    pub network: String,
    pub address: String,
    /// Multiplies each case's timeoutMs.
    pub scale: f64,
    /// How long a half-closed connection with its whole echo waits for EOF.
    pub eof_wait: Duration,
}

/// Holds a barrier case's connections: each waits there with its whole echo in until every one has its echo,
/// before any closes or half-closes, so that all are served at once. One that fails before it arrives breaks
/// it: the others stop waiting.
struct Rendezvous {
    state: Mutex<(i64, bool)>, // connections still to arrive; broken
    changed: Condvar,
}

impl Rendezvous {
    fn arrive(&self) {
        self.state.lock().unwrap().0 -= 1;
        self.changed.notify_all();
    }

    fn leave(&self) {
        self.state.lock().unwrap().1 = true;
        self.changed.notify_all();
    }

    /// Returns true once every connection has arrived; false when one left first or the deadline passed.
    fn wait(&self, deadline: Instant) -> bool {
        let mut state = self.state.lock().unwrap();
        while state.0 > 0 && !state.1 {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            state = self.changed.wait_timeout(state, deadline - now).unwrap().0;
        }
        state.0 == 0
    }
}

/// Says once that the reader is done with the echo: whole (complete), or ended short.
struct Echoed {
    state: Mutex<Option<bool>>,
    changed: Condvar,
}

impl Echoed {
    fn set(&self, complete: bool) {
        let mut state = self.state.lock().unwrap();
        if state.is_none() {
            *state = Some(complete);
            self.changed.notify_all();
        }
    }

    fn wait(&self) -> bool {
        let mut state = self.state.lock().unwrap();
        loop {
            if let Some(complete) = *state {
                return complete;
            }
            state = self.changed.wait(state).unwrap();
        }
    }
}

/// Tells the reader of a connection what the writer did: whether it has sent its half-close (an EOF before
/// that came too early), and when the wait for EOF began, which is bounded on its own: once the connection has
/// its whole echo and has half-closed, a server that closes at all does so at once, and one that never does
/// would hold it until the deadline.
struct EofWatch {
    conn: Arc<Conn>,
    wait: Duration,
    half_closing: AtomicBool, // set just before the half-close is sent
    marks: Mutex<(bool, bool)>, // echoed, half-closed
}

impl EofWatch {
    fn echo_complete(&self) {
        self.mark(|m| &mut m.0);
    }

    fn half_close(&self) {
        self.mark(|m| &mut m.1);
    }

    fn mark(&self, which: fn(&mut (bool, bool)) -> &mut bool) {
        let mut marks = self.marks.lock().unwrap();
        let done = which(&mut marks);
        if *done {
            return;
        }
        *done = true;
        let due = Instant::now() + self.wait;
        if marks.0 && marks.1 && due < self.conn.deadline {
            self.conn.shorten_read_deadline(due);
        }
    }
}

impl Runner {
    /// Runs echo case `c`: its connections start together and run independently, all bounded by its deadline.
    pub fn run(&self, c: &Case, payloads: &[Vec<u8>]) -> Outcome {
        let timeout = Duration::from_secs_f64(c.timeout_ms as f64 * self.scale / 1000.0);
        let start = Instant::now();
        let deadline = start + timeout;
        let rendezvous = if c.barrier {
            Some(Rendezvous { state: Mutex::new((c.connections, false)), changed: Condvar::new() })
        } else {
            None
        };
        let conns: Vec<ConnResult> = thread::scope(|s| {
            let running: Vec<_> = payloads
                .iter()
                .map(|p| {
                    let rv = rendezvous.as_ref();
                    s.spawn(move || {
                        if c.socket == "datagram" {
                            let mut res = datagram::run_conn(&self.address, c, p, deadline, self.eof_wait);
                            res.message_size = c.chunk_size.max(0) as usize;
                            res
                        } else {
                            self.run_conn(c, p, deadline, rv)
                        }
                    })
                })
                .collect();
            running.into_iter().map(|h| h.join().expect("a connection's thread panicked")).collect()
        });
        Outcome { conns, duration: start.elapsed() }
    }

    /// Dials, then writes payload while it reads the echo back. With a rendezvous it waits there, once its whole
    /// echo is in, before it half-closes or closes. There an EOF that comes before the half-close is the server
    /// closing without waiting for the client's; where the client half-closes right after its writes, the two
    /// race, and nothing is judged.
    fn run_conn(&self, c: &Case, payload: &[u8], deadline: Instant, rv: Option<&Rendezvous>) -> ConnResult {
        let mut res = ConnResult::new(payload.to_vec());
        let t = Instant::now();
        let dialed = Stream::dial(&self.network, &self.address, deadline);
        res.connect_ns = nanos(t.elapsed());
        let stream = match dialed {
            Ok(s) => s,
            Err(e) => {
                res.dial_err = Some(e);
                if let Some(rv) = rv {
                    rv.leave();
                }
                return res;
            }
        };
        let ends = stream.ends(&self.address);
        let conn = Conn::new(stream, ends, deadline);
        let echoed = Echoed { state: Mutex::new(None), changed: Condvar::new() };
        let watch = EofWatch {
            conn: Arc::clone(&conn),
            wait: self.eof_wait,
            half_closing: AtomicBool::new(false),
            marks: Mutex::new((false, false)),
        };
        let arrived = AtomicBool::new(false);
        let barrier_timed_out = AtomicBool::new(false);
        let hold = || -> bool {
            let rv = match rv {
                Some(rv) => rv,
                None => return true,
            };
            if !echoed.wait() {
                return true; // the echo ended short: the reader's verdict tells why
            }
            arrived.store(true, Ordering::SeqCst);
            rv.arrive();
            if !rv.wait(deadline) {
                barrier_timed_out.store(true, Ordering::SeqCst);
                return false;
            }
            true
        };
        let early = || c.half_close && rv.is_some() && !watch.half_closing.load(Ordering::SeqCst);
        thread::scope(|s| {
            let t0 = Instant::now();
            let writer = s.spawn(|| write(&conn, c, payload, hold, &watch));
            read(&conn, &mut res, c.half_close, t0, || {
                echoed.set(true);
                watch.echo_complete();
            }, early);
            echoed.set(false);
            conn.reading_done();
            let failed = res.read_err.is_some() || res.first_diff.is_some() || res.received.len() != payload.len();
            if failed {
                conn.abort(); // unblock the writer: the case has failed anyway
            }
            let (sent, err) = writer.join().expect("the writer panicked");
            res.sent = sent;
            res.write_err = err.filter(|e| !e.closed());
        });
        res.barrier_timed_out = barrier_timed_out.load(Ordering::SeqCst);
        if let Some(rv) = rv {
            if !arrived.load(Ordering::SeqCst) {
                rv.leave(); // one that failed before it arrived breaks the barrier: nobody waits in vain
            }
        }
        conn.abort(); // closes it now, whoever still holds it
        res
    }
}

fn nanos(d: Duration) -> i64 {
    (d.as_nanos() as i64).max(1)
}

/// Writes `payload` in chunks of chunkSize bytes (all at once if 0), pausing between chunks, then holds, then
/// half-closes if the case says so, telling `watch`. Returns the bytes written and the error that ended it.
fn write(conn: &Conn, c: &Case, payload: &[u8], hold: impl FnOnce() -> bool, watch: &EofWatch) -> (i64, Option<ConnError>) {
    let chunk = if c.chunk_size > 0 { c.chunk_size as usize } else { payload.len() };
    let pause = Duration::from_micros(c.pause_micros as u64);
    let mut sent = 0i64;
    let mut off = 0;
    while off < payload.len() {
        let end = (off + chunk).min(payload.len());
        while off < end {
            match conn.write(&payload[off..end]) {
                Ok(n) => {
                    sent += n as i64;
                    off += n;
                }
                Err(e) => return (sent, Some(e)),
            }
        }
        if !pause.is_zero() && off < payload.len() {
            thread::sleep(pause);
        }
    }
    if !hold() {
        return (sent, Some(ConnError { op: "", ends: String::new(), cause: Cause::Deadline }));
    }
    if c.half_close {
        watch.half_closing.store(true, Ordering::SeqCst); // first: an EOF read while it is false came before the half-close
        if let Err(e) = conn.close_write() {
            return (sent, Some(e));
        }
        watch.half_close();
    }
    (sent, None)
}

/// Reads the echo into `res`, comparing as it goes: until EOF if `half_close`, else until it has as many bytes
/// as the payload. Calls `echoed` once it has as many bytes as the payload, and at EOF `early`, which says
/// whether that EOF came too early. Times are measured from `t0`, the start of the first write.
fn read(conn: &Conn, res: &mut ConnResult, half_close: bool, t0: Instant, echoed: impl Fn(), early: impl Fn() -> bool) {
    let want = res.expected.len();
    let limit = want + if half_close { EXTRA_LIMIT } else { 0 };
    let mut buf = vec![0u8; limit];
    let mut n = 0;
    if want == 0 {
        echoed(); // the whole echo of nothing is there from the start
    }
    while n < want || half_close {
        if n == limit {
            res.overflow = true;
            break;
        }
        match conn.read(&mut buf[n..]) {
            Ok(0) if half_close => {
                res.early_eof = early();
                if want == 0 {
                    res.last_byte_ns = nanos(t0.elapsed());
                }
                break;
            }
            Ok(0) => {
                res.read_err = Some(ConnError { op: "read", ends: conn.ends.clone(), cause: Cause::Eof });
                break;
            }
            Ok(k) => {
                let now = nanos(t0.elapsed());
                if n == 0 {
                    res.first_byte_ns = now;
                }
                res.last_byte_ns = now;
                res.compare(&buf[n..n + k], n);
                n += k;
                if n >= want {
                    echoed();
                }
            }
            Err(e) => {
                res.read_err = Some(e);
                break;
            }
        }
    }
    buf.truncate(n);
    res.received = buf;
}
