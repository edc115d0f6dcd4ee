// SPDX-License-Identifier: Apache-2.0
// interop-client (Rust): the Rust conformance client, an independent implementation of the fixtures.

//! Runs the echo cases of the shared manifest against one server and prints one JSON report on stdout, with
//! the same command line, report, failure kinds and exit statuses as the Go reference's interop-client
//! (go-reference/cmd/interop-client), which the harness drives the same way:
//!
//! ```text
//! interop-client -unix ADDR | -tcp HOST:PORT | -datagram ADDR -manifest fixtures/manifest.json [-case ID,...] [-timeout-scale 1.0] [-eof-timeout 2s]
//! interop-client -manifest fixtures/manifest.json -payload ID [-connection J]
//! interop-client -capabilities
//! ```
//!
//! Standard library only; builds with rustc 1.63 (Debian bookworm's). Of the sockets beyond streams, std has
//! SOCK_DGRAM (UnixDatagram), abstract names only from rustc 1.70 (decided when it is built, see abstract_name),
//! and neither SOCK_SEQPACKET nor stable descriptor passing: `-capabilities` declares which. Exit status: 0 every
//! case run passed, 1 a case failed, 2 bad usage, a bad manifest or payload, or an unknown case ID.

// uds_abstract is build-rust's (abstract_name); the lint that would name it unexpected is unknown to rustc 1.63.
#![allow(unknown_lints)]
#![allow(unexpected_cfgs)]

mod abstract_name;
mod conn;
mod datagram;
mod fixture;
mod json;
mod report;
mod run;
mod sha256;

use fixture::{Case, Manifest, KIND_ECHO};
use json::Value;
use std::collections::HashSet;
use std::io::{self, Write};
use std::process::exit;
use std::time::Duration;

const NAME: &str = "interop-client";
const CLIENT: &str = "rust-interop-client";
// Cargo's package version; "devel" when built by rustc alone.
const VERSION: &str = match option_env!("CARGO_PKG_VERSION") {
    Some(v) => v,
    None => "devel",
};

/// Why this client passes no descriptors.
pub const NO_FDPASS: &str = "Rust's std has no stable descriptor passing (SCM_RIGHTS ancillary data is unstable)";
/// Why this client has no seqpacket sockets.
const NO_SEQPACKET: &str = "Rust's std has no SOCK_SEQPACKET socket";

/// Returns the word of ready lines and reports for a network as Go names it: unixgram is datagram.
pub fn kind(network: &str) -> &str {
    match network {
        "unixgram" => "datagram",
        "unixpacket" => "seqpacket",
        other => other,
    }
}

const EXIT_OK: i32 = 0;
const EXIT_FAILURE: i32 = 1;
const EXIT_USAGE: i32 = 2;

const USAGE: &str = "Usage:
  interop-client -unix ADDR | -tcp HOST:PORT | -datagram ADDR -manifest MANIFEST [-case ID,...] [-timeout-scale 1.0] [-eof-timeout 2s]
  interop-client -manifest MANIFEST -payload ID [-connection J]
  interop-client -capabilities
  interop-client -version

Runs the manifest's echo cases (the plain stream ones, in manifest order, or
those named by -case) against the server and prints one JSON report on stdout.
Cases of other kinds named by -case, for another kind of socket, or passing
descriptors, are reported as skipped. ADDR is a socket path or an abstract
@name (when built with rustc 1.70 or later). With -capabilities, prints what
this build can do beyond stream sockets, and the rustc that decided it, as
JSON. A connection that has its
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
  -tcp host:port
    \tconnect to TCP host:port
  -timeout-scale factor
    \tmultiply every case's timeoutMs, and -eof-timeout, by factor (default 1)
  -unix ADDR
    \tconnect to the socket file path or abstract @name
  -version
    \tprint the version and exit
";

/// Returns an I/O error's cause in Go's words: the C library's text, lower-case, e.g. "connection refused".
pub fn strerror(e: &io::Error) -> String {
    let text = e.to_string();
    let text = match text.find(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().collect::<String>() + chars.as_str(),
        None => text,
    }
}

/// The flags, their values, and which of them were given.
struct Options {
    endpoints: Vec<(String, String)>,
    manifest: String,
    cases: String,
    scale: f64,
    eof_timeout: f64, // seconds
    payload: String,
    connection: i64,
    version: bool,
    capabilities: bool,
    given: HashSet<String>,
}

enum Parsed {
    Run(Options),
    Help,
}

const VALUED: &[&str] = &["unix", "tcp", "datagram", "manifest", "case", "timeout-scale", "eof-timeout", "payload", "connection"];

/// Parses args as Go's flag package would.
fn parse_args(args: &[String]) -> Result<Parsed, String> {
    let mut o = Options {
        endpoints: Vec::new(),
        manifest: String::new(),
        cases: String::new(),
        scale: 1.0,
        eof_timeout: 2.0,
        payload: String::new(),
        connection: 0,
        version: false,
        capabilities: false,
        given: HashSet::new(),
    };
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg.len() < 2 || !arg.starts_with('-') {
            return Err(format!("unexpected argument {}", json::quote(arg)));
        }
        if arg == "--" {
            if i < args.len() {
                return Err(format!("unexpected argument {}", json::quote(&args[i])));
            }
            break;
        }
        let name = arg.strip_prefix("--").unwrap_or(&arg[1..]);
        if name.is_empty() || name.starts_with('-') || name.starts_with('=') {
            return Err(format!("bad flag syntax: {arg}"));
        }
        let (name, mut value) = match name.find('=') {
            Some(eq) => (&name[..eq], Some(name[eq + 1..].to_string())),
            None => (name, None),
        };
        if name == "version" || name == "capabilities" {
            let on = match value.as_deref().map(|v| v.to_lowercase()) {
                None => true,
                Some(v) if v == "1" || v == "t" || v == "true" => true,
                Some(v) if v == "0" || v == "f" || v == "false" => false,
                Some(v) => return Err(format!("invalid boolean value {} for -{name}: parse error", json::quote(&v))),
            };
            if name == "version" {
                o.version = on;
            } else {
                o.capabilities = on;
            }
            o.given.insert(name.to_string());
            continue;
        }
        if name == "h" || name == "help" {
            return Ok(Parsed::Help);
        }
        if !VALUED.contains(&name) {
            return Err(format!("flag provided but not defined: -{name}"));
        }
        if value.is_none() {
            if i >= args.len() {
                return Err(format!("flag needs an argument: -{name}"));
            }
            value = Some(args[i].clone());
            i += 1;
        }
        let value = value.unwrap_or_default();
        set(&mut o, name, &value)
            .map_err(|e| format!("invalid value {} for flag -{name}: {e}", json::quote(&value)))?;
        o.given.insert(name.to_string());
    }
    Ok(Parsed::Run(o))
}

fn set(o: &mut Options, name: &str, value: &str) -> Result<(), String> {
    match name {
        "unix" | "tcp" | "datagram" => {
            if value.is_empty() || value == "@" {
                return Err("empty address".to_string());
            }
            if name == "tcp" {
                split_host_port(value)?;
            }
            let network = if name == "datagram" { "unixgram" } else { name };
            o.endpoints.push((network.to_string(), value.to_string()));
        }
        "manifest" => o.manifest = value.to_string(),
        "case" => o.cases = value.to_string(),
        "payload" => o.payload = value.to_string(),
        "timeout-scale" => o.scale = value.parse::<f64>().map_err(|_| "parse error".to_string())?,
        "eof-timeout" => o.eof_timeout = parse_duration(value).ok_or_else(|| "parse error".to_string())?,
        "connection" => o.connection = value.parse::<i64>().map_err(|_| "parse error".to_string())?,
        _ => return Err("unknown flag".to_string()),
    }
    Ok(())
}

/// Checks address as Go's net.SplitHostPort does: host:port, an IPv6 host in brackets.
fn split_host_port(address: &str) -> Result<(), String> {
    if let Some(rest) = address.strip_prefix('[') {
        let end = rest.find(']').ok_or_else(|| format!("address {address}: missing ']' in address"))?;
        if !rest[end + 1..].starts_with(':') {
            return Err(format!("address {address}: missing port in address"));
        }
        return Ok(());
    }
    let colon = address.rfind(':').ok_or_else(|| format!("address {address}: missing port in address"))?;
    if address[..colon].contains(':') {
        return Err(format!("address {address}: too many colons in address"));
    }
    Ok(())
}

/// Returns Go's time.ParseDuration of text in seconds, e.g. "2s", "1.5s", "200ms", "1m30s".
fn parse_duration(text: &str) -> Option<f64> {
    let (sign, mut s) = match text.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, text.strip_prefix('+').unwrap_or(text)),
    };
    if s == "0" {
        return Some(0.0);
    }
    if s.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !s.is_empty() {
        let digits = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
        let number = &s[..digits];
        if number.is_empty() || number == "." {
            return None;
        }
        let value: f64 = if number.ends_with('.') { number[..number.len() - 1].parse().ok()? } else { number.parse().ok()? };
        s = &s[digits..];
        let units = [("ns", 1e-9), ("us", 1e-6), ("\u{b5}s", 1e-6), ("\u{3bc}s", 1e-6), ("ms", 1e-3), ("s", 1.0), ("m", 60.0), ("h", 3600.0)];
        // the longest unit that matches: "ms" before "m", "ns" before "s"
        let (unit, size) = units
            .iter()
            .filter(|(u, _)| s.starts_with(u))
            .max_by_key(|(u, _)| u.len())?;
        total += value * size;
        s = &s[unit.len()..];
    }
    Some(sign * total)
}

/// Formats a duration in seconds as Go prints one in messages: 0s, 200ms, 2s.
fn format_duration(seconds: f64) -> String {
    if seconds == 0.0 {
        return "0s".to_string();
    }
    for (unit, size) in [("s", 1.0), ("ms", 1e-3), ("\u{b5}s", 1e-6), ("ns", 1e-9)] {
        if seconds.abs() >= size {
            return format!("{}{unit}", seconds / size);
        }
    }
    format!("{}ns", seconds * 1e9)
}

fn go_float(x: f64) -> String {
    if x.is_nan() {
        "NaN".to_string()
    } else if x.is_infinite() {
        if x > 0.0 { "+Inf" } else { "-Inf" }.to_string()
    } else {
        format!("{x}")
    }
}

/// Returns the cases named in `list`, in its order and without repeats, or every plain stream echo case (no
/// message socket, abstract name or descriptors) in manifest order.
fn select_cases<'a>(m: &'a Manifest, list: &str) -> Result<Vec<&'a Case>, String> {
    if list.trim().is_empty() {
        return Ok(m.cases.iter().filter(|c| c.is_plain_stream()).collect());
    }
    let mut seen = HashSet::new();
    let mut cases = Vec::new();
    for id in list.split(',').map(str::trim) {
        if id.is_empty() || !seen.insert(id) {
            continue;
        }
        match m.case(id) {
            Some(c) => cases.push(c),
            None => return Err(format!("unknown case ID {}: manifest {} has no such case", json::quote(id), m.path)),
        }
    }
    Ok(cases)
}

fn usage(msg: &str) -> i32 {
    eprintln!("{NAME}: {msg} (see {NAME} -help)");
    EXIT_USAGE
}

fn fail(msg: &str) -> i32 {
    eprintln!("{NAME}: {msg}");
    EXIT_USAGE
}

fn write_out(bytes: &[u8]) -> i32 {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("{NAME}: writing to stdout: {}", strerror(&e));
            EXIT_FAILURE
        }
    }
}

/// With -payload: writes the payload of one connection of a case.
fn write_payload(o: &Options) -> i32 {
    let m = match Manifest::load(&o.manifest) {
        Ok(m) => m,
        Err(e) => return fail(&e),
    };
    let c = match m.case(&o.payload) {
        Some(c) => c,
        None => {
            return fail(&format!("unknown case ID {}: manifest {} has no such case", json::quote(&o.payload), o.manifest))
        }
    };
    if c.kind != KIND_ECHO {
        return fail(&format!("case {} is of kind {}, which has no payload", c.id, c.kind));
    }
    let payloads = match m.verified_payloads(c) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    if o.connection < 0 || o.connection >= c.connections {
        return fail(&m.payload(c, o.connection).err().unwrap_or_default());
    }
    write_out(&payloads[o.connection as usize])
}

fn run(args: &[String]) -> i32 {
    let o = match parse_args(args) {
        Ok(Parsed::Help) => return write_out(USAGE.as_bytes()),
        Ok(Parsed::Run(o)) => o,
        Err(e) => return usage(&e),
    };
    if o.version {
        return write_out(format!("{NAME} {VERSION}\n").as_bytes());
    }
    if o.capabilities {
        return write_out(format!("{}\n", json::pretty(&capabilities())).as_bytes());
    }
    if o.manifest.is_empty() {
        return usage("-manifest is required");
    }
    if o.given.contains("payload") {
        if !o.endpoints.is_empty() || ["case", "timeout-scale", "eof-timeout"].iter().any(|f| o.given.contains(*f)) {
            return usage("-payload takes only -manifest and -connection");
        }
        return write_payload(&o);
    }
    if o.given.contains("connection") {
        return usage("-connection needs -payload");
    }
    match o.endpoints.len() {
        0 => return usage("one of -unix or -tcp is required"),
        1 => {}
        n => {
            let (a, b) = (&o.endpoints[0], &o.endpoints[1]);
            return usage(&format!(
                "got {n} addresses ({}:{} and {}:{}); want exactly one -unix or -tcp",
                kind(&a.0), a.1, kind(&b.0), b.1
            ));
        }
    }
    if !(o.scale > 0.0) || o.scale.is_infinite() {
        return usage(&format!("-timeout-scale {}: want a number more than 0", go_float(o.scale)));
    }
    if !(o.eof_timeout > 0.0) {
        return usage(&format!("-eof-timeout {}: want a duration more than 0", format_duration(o.eof_timeout)));
    }
    let m = match Manifest::load(&o.manifest) {
        Ok(m) => m,
        Err(e) => return fail(&e),
    };
    let cases = match select_cases(&m, &o.cases) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    // Only the selected cases: verifying all would generate every big payload again in each one-case run.
    let mut payloads = Vec::new();
    for c in &cases {
        if c.kind == KIND_ECHO {
            match m.verified_payloads(c) {
                Ok(p) => payloads.push(p),
                Err(e) => return fail(&e),
            }
        } else {
            payloads.push(Vec::new());
        }
    }

    let (network, address) = o.endpoints[0].clone();
    let runner = run::Runner {
        network: network.clone(),
        address: address.clone(),
        scale: o.scale,
        eof_wait: Duration::from_secs_f64(o.eof_timeout * o.scale),
    };
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let mut results = Vec::new();
    for (c, p) in cases.iter().zip(&payloads) {
        let why = if c.kind == KIND_ECHO {
            c.unfit(&network, &address, CLIENT)
        } else {
            Some(format!("kind {} is run by the harness", c.kind))
        };
        if let Some(why) = why {
            skipped += 1;
            results.push(report::skipped(c, why));
        } else {
            let (result, status) = report::result(c, &runner.run(c, p));
            if status == "passed" {
                passed += 1;
            } else {
                failed += 1;
            }
            results.push(result);
        }
    }
    let count = |n: i32| Value::Number(n.to_string());
    let doc = Value::Object(vec![
        ("client".to_string(), Value::String(CLIENT.to_string())),
        ("version".to_string(), Value::String(VERSION.to_string())),
        ("network".to_string(), Value::String(network)),
        ("address".to_string(), Value::String(address)),
        ("results".to_string(), Value::Array(results)),
        (
            "summary".to_string(),
            Value::Object(vec![
                ("passed".to_string(), count(passed)),
                ("failed".to_string(), count(failed)),
                ("skipped".to_string(), count(skipped)),
            ]),
        ),
    ]);
    if write_out(format!("{}\n", json::pretty(&doc)).as_bytes()) != EXIT_OK {
        return EXIT_FAILURE;
    }
    if failed > 0 {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}

/// What this build can do beyond stream sockets on paths and TCP, and what decided it, for -capabilities.
fn capabilities() -> Value {
    let text = |s: &str| Value::String(s.to_string());
    let mut supports = vec![text("datagram")];
    let mut lacks = vec![("seqpacket".to_string(), text(NO_SEQPACKET))];
    if abstract_name::SUPPORTED {
        supports.push(text("abstract"));
    } else {
        lacks.push(("abstract".to_string(), Value::String(abstract_name::why_not())));
    }
    lacks.push(("fdpass".to_string(), text(NO_FDPASS)));
    let decided = format!(
        "built with {}: abstract names {} (std has them from rustc 1.70)",
        abstract_name::RUSTC,
        if abstract_name::SUPPORTED { "yes" } else { "no" }
    );
    Value::Object(vec![
        ("client".to_string(), text(CLIENT)),
        ("version".to_string(), text(VERSION)),
        ("supports".to_string(), Value::Array(supports)),
        ("lacks".to_string(), Value::Object(lacks)),
        ("decidedBy".to_string(), Value::String(decided)),
    ])
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    exit(run(&args));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_go_reads_them() {
        assert_eq!(parse_duration("2s"), Some(2.0));
        assert_eq!(parse_duration("200ms"), Some(0.2));
        assert_eq!(parse_duration("1m30s"), Some(90.0));
        assert_eq!(parse_duration("0"), Some(0.0));
        for bad in ["", "2", "s", "1.5x", "-"] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn flags_parse_as_gos_flag_package_parses_them() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        match parse_args(&args(&["--unix", "/x", "-timeout-scale=0.5", "-case", "a,b"])) {
            Ok(Parsed::Run(o)) => {
                assert_eq!(o.endpoints, vec![("unix".to_string(), "/x".to_string())]);
                assert_eq!(o.scale, 0.5);
                assert_eq!(o.cases, "a,b");
            }
            _ => panic!("not parsed"),
        }
        assert!(matches!(parse_args(&args(&["-help"])), Ok(Parsed::Help)));
        assert_eq!(parse_args(&args(&["-unix"])).err().unwrap(), "flag needs an argument: -unix");
        assert_eq!(parse_args(&args(&["x"])).err().unwrap(), "unexpected argument \"x\"");
    }

    #[test]
    fn a_datagram_address_is_a_unixgram_endpoint_path_or_abstract_name() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        match parse_args(&args(&["-datagram", "@echo", "-capabilities=false"])) {
            Ok(Parsed::Run(o)) => {
                assert_eq!(o.endpoints, vec![("unixgram".to_string(), "@echo".to_string())]);
                assert!(!o.capabilities);
            }
            _ => panic!("not parsed"),
        }
        assert_eq!(parse_args(&args(&["-datagram", "@"])).err().unwrap(), "invalid value \"@\" for flag -datagram: empty address");
        assert_eq!(parse_args(&args(&["-seqpacket", "/x"])).err().unwrap(), "flag provided but not defined: -seqpacket");
    }

    #[test]
    fn capabilities_declare_what_std_has_as_this_build_decided() {
        let text = json::pretty(&capabilities());
        assert!(text.contains("\"seqpacket\": \"Rust's std has no SOCK_SEQPACKET socket\""), "{text}");
        assert!(text.contains("\"fdpass\""), "{text}");
        assert_eq!(text.contains("\"abstract\": \"abstract names need rustc 1.70"), !abstract_name::SUPPORTED, "{text}");
        assert!(text.contains(abstract_name::RUSTC), "{text}");
    }
}
