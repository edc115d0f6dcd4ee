// SPDX-License-Identifier: Apache-2.0
// Running one connection of a datagram case: each chunk one datagram, each reply one datagram, from a bound address.

use crate::abstract_name;
use crate::conn::{Cause, ConnError};
use crate::fixture::Case;
use crate::report::ConnResult;
use std::io;
use std::net::Shutdown;
use std::os::unix::net::UnixDatagram;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// The receive buffer of a datagram: larger than any case's, so that two merged into one show as one too long.
const MAX_MESSAGE: usize = 1 << 20;
/// How long the reader waits at a time while the writer still writes: it then looks whether the writer is done,
/// after which a datagram that does not come within the EOF wait is lost. A blocked recv cannot be woken, and a
/// socket's receive timeout is read when a recv starts.
const SLICE: Duration = Duration::from_millis(50);

static CLIENT_NAMES: AtomicUsize = AtomicUsize::new(0);

/// A datagram socket bound to an address of its own (where the server's replies come) and connected to the
/// server's: an abstract name when this build has them, else a socket file beside the server's socket, removed
/// when it is dropped. Beside the server's, because that directory is the one both sides are sure to share: a
/// client in a container has a /tmp of its own, which a server outside it cannot answer into.
struct Bound {
    sock: UnixDatagram,
    local: String,
    file: Option<PathBuf>,
}

impl Drop for Bound {
    fn drop(&mut self) {
        if let Some(f) = &self.file {
            let _ = std::fs::remove_file(f);
        }
    }
}

fn dial(address: &str) -> io::Result<Bound> {
    // Clients in other containers (other pid namespaces) may share the directory or the network namespace, and
    // their process ids with it: the random part keeps two of them off each other's name.
    let token = RandomState::new().build_hasher().finish() as u32;
    let n = CLIENT_NAMES.fetch_add(1, Ordering::SeqCst) + 1;
    let name = format!("uds-interop-client-{}-{n}-{token:08x}", std::process::id());
    let bound = if abstract_name::SUPPORTED {
        Bound { sock: abstract_name::bind_datagram(&name)?, local: format!("@{name}"), file: None }
    } else {
        let beside = Path::new(address).parent().filter(|d| !address.starts_with('@') && !d.as_os_str().is_empty());
        let file = beside.map_or_else(std::env::temp_dir, Path::to_path_buf).join(format!("{name}.sock"));
        let sock = UnixDatagram::bind(&file)?;
        Bound { sock, local: file.display().to_string(), file: Some(file) }
    };
    match address.strip_prefix('@') {
        Some(name) => abstract_name::connect_datagram(&bound.sock, name)?,
        None => bound.sock.connect(address)?,
    }
    Ok(bound)
}

fn is_timeout(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::WouldBlock || e.kind() == io::ErrorKind::TimedOut
}

/// Runs one connection of datagram case `c` against `address`: it sends each chunk of `payload` as one datagram
/// while it reads the replies, each of which must come back as one datagram, the same bytes, in order. It ends once
/// every datagram is back, or nothing came for `eof_wait` after the last was sent (those are lost).
pub fn run_conn(address: &str, c: &Case, payload: &[u8], deadline: Instant, eof_wait: Duration) -> ConnResult {
    let mut res = ConnResult::new(payload.to_vec());
    let chunk = if c.chunk_size > 0 { c.chunk_size as usize } else { payload.len().max(1) };
    let msgs: Vec<&[u8]> = if payload.is_empty() { vec![payload] } else { payload.chunks(chunk).collect() };
    let t = Instant::now();
    let bound = dial(address);
    res.connect_ns = (t.elapsed().as_nanos() as i64).max(1);
    let bound = match bound {
        Ok(b) => b,
        Err(e) => {
            res.dial_err = Some(ConnError { op: "dial", ends: format!("unixgram {address}"), cause: Cause::Io(e) });
            return res;
        }
    };
    let ends = format!("unixgram {}->{address}", bound.local);
    let err = |op: &'static str, e: io::Error| {
        let cause = if is_timeout(&e) { Cause::Deadline } else { Cause::Io(e) };
        ConnError { op, ends: ends.clone(), cause }
    };
    let writer_sock = match bound.sock.try_clone() {
        Ok(s) => s,
        Err(e) => {
            res.dial_err = Some(ConnError { op: "dial", ends: format!("unixgram {address}"), cause: Cause::Io(e) });
            return res;
        }
    };
    let done_at: Mutex<Option<Instant>> = Mutex::new(None);
    let aborted = AtomicBool::new(false);
    let pause = Duration::from_micros(c.pause_micros.max(0) as u64);
    let t0 = Instant::now();
    thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut sent = 0i64;
            let mut failure = None;
            for (i, m) in msgs.iter().enumerate() {
                let remaining = deadline.saturating_duration_since(Instant::now());
                if remaining.is_zero() {
                    failure = Some(ConnError { op: "write", ends: ends.clone(), cause: Cause::Deadline });
                    break;
                }
                let sent_now = writer_sock.set_write_timeout(Some(remaining)).and_then(|_| writer_sock.send(m));
                match sent_now {
                    Ok(n) => sent += n as i64,
                    Err(e) => {
                        failure = Some(if aborted.load(Ordering::SeqCst) {
                            ConnError { op: "write", ends: ends.clone(), cause: Cause::Closed }
                        } else {
                            err("write", e)
                        });
                        break;
                    }
                }
                if !pause.is_zero() && i + 1 < msgs.len() {
                    thread::sleep(pause);
                }
            }
            *done_at.lock().unwrap() = Some(Instant::now());
            (sent, failure)
        });

        let mut buf = vec![0u8; MAX_MESSAGE];
        let mut received = Vec::new();
        let mut last_at: Option<Instant> = None;
        let mut i = 0;
        while i < msgs.len() {
            let done = *done_at.lock().unwrap();
            let due = match done {
                Some(at) => (last_at.map_or(at, |l| l.max(at)) + eof_wait).min(deadline),
                None => deadline,
            };
            let now = Instant::now();
            if now >= due {
                if done.is_some() && now < deadline {
                    res.lost = msgs.len() - i;
                } else {
                    res.read_err = Some(ConnError { op: "read", ends: ends.clone(), cause: Cause::Deadline });
                }
                break;
            }
            let wait = if done.is_none() { (due - now).min(SLICE) } else { due - now };
            let got = bound.sock.set_read_timeout(Some(wait)).and_then(|_| bound.sock.recv(&mut buf));
            let n = match got {
                Ok(n) => n,
                Err(e) if is_timeout(&e) || e.kind() == io::ErrorKind::Interrupted => continue, // the deadline is looked at again
                Err(e) => {
                    res.read_err = Some(err("read", e));
                    break;
                }
            };
            if n > 0 {
                let at = (t0.elapsed().as_nanos() as i64).max(1);
                if received.is_empty() {
                    res.first_byte_ns = at;
                }
                res.last_byte_ns = at;
            }
            let off = received.len();
            received.extend_from_slice(&buf[..n]);
            res.compare(&buf[..n], off);
            if res.boundary == 0 && n != msgs[i].len() {
                res.boundary = i + 1;
                res.boundary_len = n;
            }
            last_at = Some(Instant::now());
            i += 1;
        }
        res.received = received;
        let failed = res.read_err.is_some() || res.first_diff.is_some() || res.boundary > 0 || res.received.len() != payload.len();
        if failed {
            aborted.store(true, Ordering::SeqCst);
            let _ = bound.sock.shutdown(Shutdown::Both); // unblock the writer: the case has failed anyway
        }
        let (sent, failure) = writer.join().expect("the writer panicked");
        res.sent = sent;
        res.write_err = failure.filter(|e| !e.closed());
    });
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The server answers at the client's bound address, so that address must be one the server can reach. Built
    /// without abstract names (rustc < 1.70), a socket file in the client's own /tmp is not: a client in a container
    /// talks to a server outside it through a shared directory only (the cross-client runtime failed every datagram
    /// case this way on a machine with Debian bookworm's rustc 1.63).
    #[test]
    fn the_reply_address_is_one_the_server_can_reach() {
        let dir = std::env::temp_dir().join(format!("uds-rs-dgram-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let server_path = dir.join("s.sock");
        let _ = std::fs::remove_file(&server_path);
        let server = UnixDatagram::bind(&server_path).unwrap();
        let bound = dial(server_path.to_str().unwrap()).unwrap();
        if abstract_name::SUPPORTED {
            assert!(bound.local.starts_with('@'), "bound at {}", bound.local);
        } else {
            assert_eq!(std::path::Path::new(&bound.local).parent(), Some(dir.as_path()), "bound at {}", bound.local);
        }
        bound.sock.send(b"ping").unwrap();
        let mut buf = [0u8; 16];
        let (n, from) = server.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"ping");
        if let Some(p) = from.as_pathname() {
            server.send_to(b"ping", p).unwrap();
            bound.sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            assert_eq!(bound.sock.recv(&mut buf).unwrap(), 4);
        }
        let file = bound.file.clone();
        drop(bound);
        assert!(file.map_or(true, |f| !f.exists()), "the reply socket's file is removed with it");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
