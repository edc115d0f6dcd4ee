// SPDX-License-Identifier: Apache-2.0
// The JSON report interop-client prints, and how a connection's outcome becomes a failure.

use crate::conn::ConnError;
use crate::fixture::Case;
use crate::json::Value;
use crate::sha256::{hex, Sha256};
use std::time::Duration;

/// The span either side of the first differing offset that a failure shows.
const WINDOW: usize = 8;

/// What happened on one connection of a case.
pub struct ConnResult {
    pub expected: Vec<u8>,
    pub received: Vec<u8>,
    pub sent: i64,
    pub connect_ns: i64,
    pub first_byte_ns: i64,
    pub last_byte_ns: i64,
    pub dial_err: Option<ConnError>,
    pub read_err: Option<ConnError>,
    pub write_err: Option<ConnError>,
    pub first_diff: Option<usize>,
    pub overflow: bool,
    pub barrier_timed_out: bool,
    pub early_eof: bool,
    /// On datagram sockets: 1 + the index of the first message that came back with another length than it was
    /// sent with (0: none), and that length.
    pub boundary: usize,
    pub boundary_len: usize,
    /// The case's message size, for reports.
    pub message_size: usize,
    /// Datagrams that never came back.
    pub lost: usize,
}

/// The connections of one case and how long it took.
pub struct Outcome {
    pub conns: Vec<ConnResult>,
    pub duration: Duration,
}

fn num<T: ToString>(n: T) -> Value {
    Value::Number(n.to_string())
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

fn object(members: Vec<(&str, Value)>) -> Value {
    Value::Object(members.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

impl ConnResult {
    pub fn new(expected: Vec<u8>) -> ConnResult {
        ConnResult {
            expected,
            received: Vec::new(),
            sent: 0,
            connect_ns: 0,
            first_byte_ns: 0,
            last_byte_ns: 0,
            dial_err: None,
            read_err: None,
            write_err: None,
            first_diff: None,
            overflow: false,
            barrier_timed_out: false,
            early_eof: false,
            boundary: 0,
            boundary_len: 0,
            message_size: 0,
            lost: 0,
        }
    }

    /// Records the first offset at which `got`, received at offset `off`, differs from the payload.
    pub fn compare(&mut self, got: &[u8], off: usize) {
        if self.first_diff.is_some() || off >= self.expected.len() {
            return;
        }
        let want = &self.expected[off..];
        let got = &got[..got.len().min(want.len())];
        if let Some(i) = got.iter().zip(want).position(|(a, b)| a != b) {
            self.first_diff = Some(off + i);
        }
    }

    fn timing(&self) -> Value {
        let mut t = vec![("connectNs", num(self.connect_ns))];
        if self.first_byte_ns != 0 {
            t.push(("firstByteNs", num(self.first_byte_ns)));
        }
        t.push(("lastByteNs", num(self.last_byte_ns)));
        object(t)
    }

    /// Returns why connection `j` failed, as the report's failure object, or None if it passed.
    fn failure(&self, j: usize) -> Option<Value> {
        if let Some(e) = &self.dial_err {
            let kind = if e.timed_out() { "timeout" } else { "refused" };
            return Some(object(vec![
                ("kind", text(kind)),
                ("message", Value::String(format!("connection {j}: {e}"))),
                ("connection", num(j)),
            ]));
        }
        let (got, want) = (self.received.len(), self.expected.len());
        let timed_out = self.read_err.as_ref().map_or(false, |e| e.timed_out()) || self.barrier_timed_out;
        let (kind, mut msg) = if self.boundary > 0 && self.boundary_len > self.message_size {
            let (i, n, size) = (self.boundary - 1, self.boundary_len, self.message_size);
            ("boundary", format!("message {i} came back as {n} bytes, longer than the {size}-byte messages sent: messages merged"))
        } else if self.boundary > 0 {
            let (i, n) = (self.boundary - 1, self.boundary_len);
            ("boundary", format!("message {i} came back as {n} bytes, not as it was sent: a message split or extra"))
        } else if self.lost > 0 {
            ("lost", format!("{} datagrams never came back (received {got} of {want} bytes)", self.lost))
        } else if let Some(d) = self.first_diff {
            ("mismatch", format!("mismatch at offset {d} (received {got} of {want} bytes)"))
        } else if got > want {
            let msg = if self.overflow {
                format!("extra bytes: received at least {got} bytes, at least {} more than the {want} sent (stopped reading there)", got - want)
            } else {
                format!("extra bytes: received {got} bytes, {} more than the {want} sent", got - want)
            };
            ("extra-bytes", msg)
        } else if got < want && timed_out {
            ("timeout", format!("timed out after {got} of {want} bytes"))
        } else if got < want {
            let mut msg = format!("echo ended after {got} of {want} bytes");
            if let Some(e) = &self.read_err {
                msg += &format!(" ({e})");
            }
            ("truncated", msg)
        } else if self.early_eof {
            ("early-eof", format!("all {want} bytes came back, but the server closed before the client's half-close"))
        } else if self.barrier_timed_out {
            ("timeout", "timed out waiting for the other connections' echoes".to_string())
        } else if self.read_err.is_some() && timed_out {
            ("no-eof", format!("all {want} bytes came back, but no EOF after the half-close"))
        } else if let Some(e) = &self.read_err {
            ("error", format!("{e} after all {want} bytes"))
        } else if let Some(e) = &self.write_err {
            ("error", format!("{e} after {} of {want} bytes", self.sent))
        } else {
            return None;
        };
        if let Some(e) = &self.write_err {
            if kind != "error" && kind != "early-eof" {
                msg += &format!("; {e} after {} of {want} bytes", self.sent);
            }
        }
        let mut f = vec![
            ("kind", text(kind)),
            ("message", Value::String(format!("connection {j}: {msg}"))),
            ("connection", num(j)),
        ];
        let offset = match self.first_diff {
            Some(d) => Some(d),
            None if got < want => Some(got),
            None if got > want => Some(want),
            None => None,
        };
        if let Some(offset) = offset {
            let lo = offset.saturating_sub(WINDOW);
            f.push(("firstDifferingOffset", num(offset)));
            f.push(("expectedHex", Value::String(hex(&self.expected[lo..(offset + WINDOW).min(want)]))));
            f.push(("actualHex", Value::String(hex(&self.received[lo.min(got)..(offset + WINDOW).min(got)]))));
        }
        Some(object(f))
    }
}

/// Returns the result of case `c` and its status: passed or failed.
pub fn result(c: &Case, o: &Outcome) -> (Value, &'static str) {
    let mut h = Sha256::new();
    for r in &o.conns {
        h.update(&r.received);
    }
    let actual = h.hex();
    let mut status = "passed";
    let mut failure = Value::Null;
    for (j, r) in o.conns.iter().enumerate() {
        if let Some(f) = r.failure(j) {
            status = "failed";
            failure = f;
            break;
        }
    }
    if status == "passed" && actual != c.sha256 {
        status = "failed";
        failure = object(vec![("message", text("the sha256 of the bytes received differs from the manifest's"))]);
    }
    let result = object(vec![
        ("id", text(&c.id)),
        ("status", text(status)),
        ("connections", num(c.connections)),
        ("bytesSent", num(o.conns.iter().map(|r| r.sent).sum::<i64>())),
        ("bytesReceived", num(o.conns.iter().map(|r| r.received.len()).sum::<usize>())),
        ("expectedSha256", text(&c.sha256)),
        ("actualSha256", Value::String(actual)),
        ("durationNs", num((o.duration.as_nanos() as i64).max(1))),
        ("timings", Value::Array(o.conns.iter().map(ConnResult::timing).collect())),
        ("failure", failure),
    ]);
    (result, status)
}

/// Returns the result of a case this client does not run, and why.
pub fn skipped(c: &Case, why: String) -> Value {
    object(vec![
        ("id", text(&c.id)),
        ("status", text("skipped")),
        ("connections", num(0)),
        ("bytesSent", num(0)),
        ("bytesReceived", num(0)),
        ("expectedSha256", text("")),
        ("actualSha256", text("")),
        ("durationNs", num(0)),
        ("timings", Value::Array(Vec::new())),
        ("failure", object(vec![("message", Value::String(why))])),
    ])
}
