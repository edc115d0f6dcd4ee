// SPDX-License-Identifier: Apache-2.0
// The manifest: reading fixtures/manifest.json, checking its echo cases, and producing their payloads.

use crate::json::{self, Value};
use crate::sha256::Sha256;
use std::path::{Path, PathBuf};

/// The kind of the cases an echo client can run on its own.
pub const KIND_ECHO: &str = "echo";

/// The most descriptors one message of a case may carry.
const MAX_FDS: i64 = 8;

/// One case of the manifest; the echo fields with Go's zero values where absent.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub kind: String,
    has_payload: bool,
    file: String,
    generate: Option<Generate>,
    pub size: i64,
    pub sha256: String,
    pub chunk_size: i64,
    pub pause_micros: i64,
    pub connections: i64,
    pub half_close: bool,
    pub barrier: bool,
    /// The kind of socket: "stream" (also when empty), "seqpacket" or "datagram".
    pub socket: String,
    address: String,
    /// Descriptors that go with one write (SCM_RIGHTS), with the first or the last (fds_with).
    pub fds: i64,
    fds_with: String,
    pub timeout_ms: i64,
}

#[derive(Debug, Clone)]
struct Generate {
    algorithm: String,
    seed: u64,
    size: i64,
}

/// The list of cases and where its payload files live.
pub struct Manifest {
    pub path: String,
    pub cases: Vec<Case>,
}

// The fields of the manifest with their JSON types, each spelt exactly: a misspelt field is an error, as in the
// Go client.
const TOP_FIELDS: &[(&str, &str)] = &[("schemaVersion", "number"), ("description", "string"), ("cases", "array")];
const CASE_FIELDS: &[(&str, &str)] = &[
    ("id", "string"),
    ("kind", "string"),
    ("title", "string"),
    ("requirement", "string"),
    ("payload", "object"),
    ("size", "number"),
    ("sha256", "string"),
    ("chunkSize", "number"),
    ("pauseMicros", "number"),
    ("connections", "number"),
    ("halfClose", "bool"),
    ("barrier", "bool"),
    ("socket", "string"),
    ("address", "string"),
    ("fds", "number"),
    ("fdsWith", "string"),
    ("timeoutMs", "number"),
    ("level", "string"),
    ("tags", "array"),
    ("scenario", "string"),
    ("params", "object"),
    ("transports", "array"),
];
const PAYLOAD_FIELDS: &[(&str, &str)] = &[("file", "string"), ("generate", "object")];
const GENERATE_FIELDS: &[(&str, &str)] = &[("algorithm", "string"), ("seed", "number"), ("size", "number")];

fn check_fields(v: &Value, fields: &[(&str, &str)]) -> Result<(), String> {
    let members = match v {
        Value::Object(m) => m,
        other => return Err(format!("json: cannot unmarshal {} into an object", other.type_name())),
    };
    for (key, value) in members {
        let want = match fields.iter().find(|(name, _)| name == key) {
            Some((_, t)) => *t,
            None => return Err(format!("json: unknown field {}", json::quote(key))),
        };
        if *value != Value::Null && value.type_name() != want {
            return Err(format!("json: cannot unmarshal {} into field {} of type {}", value.type_name(), key, want));
        }
    }
    Ok(())
}

fn int(v: Option<&Value>, field: &str) -> Result<i64, String> {
    match v {
        None | Some(Value::Null) => Ok(0),
        Some(Value::Number(text)) => {
            text.parse::<i64>().map_err(|_| format!("json: cannot unmarshal number {text} into field {field} of type int"))
        }
        Some(other) => Err(format!("json: cannot unmarshal {} into field {field} of type int", other.type_name())),
    }
}

fn string(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

fn boolean(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true)))
}

impl Case {
    fn from_json(raw: &Value) -> Result<Case, String> {
        check_fields(raw, CASE_FIELDS)?;
        let payload = raw.get("payload").filter(|p| **p != Value::Null);
        let mut file = String::new();
        let mut generate = None;
        if let Some(p) = payload {
            check_fields(p, PAYLOAD_FIELDS)?;
            file = string(p.get("file"));
            if let Some(g) = p.get("generate").filter(|g| **g != Value::Null) {
                check_fields(g, GENERATE_FIELDS)?;
                let seed = match g.get("seed") {
                    None | Some(Value::Null) => 0,
                    Some(Value::Number(text)) => text.parse::<u64>().map_err(|_| {
                        format!("json: cannot unmarshal number {text} into field seed of type uint64")
                    })?,
                    Some(other) => return Err(format!("json: cannot unmarshal {} into field seed", other.type_name())),
                };
                generate = Some(Generate { algorithm: string(g.get("algorithm")), seed, size: int(g.get("size"), "size")? });
            }
        }
        Ok(Case {
            id: string(raw.get("id")),
            kind: string(raw.get("kind")),
            has_payload: payload.is_some(),
            file,
            generate,
            size: int(raw.get("size"), "size")?,
            sha256: string(raw.get("sha256")),
            chunk_size: int(raw.get("chunkSize"), "chunkSize")?,
            pause_micros: int(raw.get("pauseMicros"), "pauseMicros")?,
            connections: int(raw.get("connections"), "connections")?,
            half_close: boolean(raw.get("halfClose")),
            barrier: boolean(raw.get("barrier")),
            socket: string(raw.get("socket")),
            address: string(raw.get("address")),
            fds: int(raw.get("fds"), "fds")?,
            fds_with: string(raw.get("fdsWith")),
            timeout_ms: int(raw.get("timeoutMs"), "timeoutMs")?,
        })
    }

    /// Returns the network the case runs on, as Go names it: unix, unixpacket or unixgram.
    pub fn network(&self) -> &'static str {
        match self.socket.as_str() {
            "seqpacket" => "unixpacket",
            "datagram" => "unixgram",
            _ => "unix",
        }
    }

    /// Returns true for an echo case on a stream socket on a path (or TCP), without descriptors.
    pub fn is_plain_stream(&self) -> bool {
        self.kind == KIND_ECHO && self.network() == "unix" && self.address != "abstract" && self.fds == 0
    }

    /// Returns why this echo case cannot run on the endpoint, or None: another kind of socket than the case's (a
    /// stream case without descriptors runs on unix and tcp alike), or descriptors to pass, which the standard
    /// library cannot (-capabilities declares it), as the Go client skips a case for another kind of socket.
    pub fn unfit(&self, network: &str, address: &str, client: &str) -> Option<String> {
        let want = self.network();
        if network != want && !(want == "unix" && network == "tcp" && self.fds == 0) {
            let socket = if self.socket.is_empty() { "stream" } else { self.socket.as_str() };
            return Some(format!("case {} runs on a {socket} socket; the endpoint is {}:{address}", self.id, crate::kind(network)));
        }
        if self.fds > 0 {
            return Some(format!("case {} passes descriptors, which {client} does not: {}", self.id, crate::NO_FDPASS));
        }
        None
    }

    /// Returns why this echo case cannot run, or None.
    fn problem(&self) -> Option<String> {
        if !self.has_payload || self.file.is_empty() == self.generate.is_none() {
            return Some("payload must have exactly one of file and generate".to_string());
        }
        if self.size < 0 {
            return Some(format!("size {} is negative", self.size));
        }
        if self.connections < 1 {
            return Some(format!("connections {}; want at least 1", self.connections));
        }
        if self.chunk_size < 0 || self.pause_micros < 0 {
            return Some("chunkSize and pauseMicros must not be negative".to_string());
        }
        if self.timeout_ms <= 0 {
            return Some(format!("timeoutMs {}; want more than 0", self.timeout_ms));
        }
        if self.sha256.len() != 64 || !self.sha256.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Some(format!("sha256 {} is not 64 lower-case hex digits", json::quote(&self.sha256)));
        }
        if !self.file.is_empty() && self.connections != 1 {
            return Some(format!("a file payload needs 1 connection, not {}", self.connections));
        }
        if self.barrier && self.connections < 2 {
            return Some(format!("barrier needs at least 2 connections, not {}", self.connections));
        }
        if !["", "stream", "seqpacket", "datagram"].contains(&self.socket.as_str()) {
            return Some(format!("socket {}; want stream, seqpacket or datagram", json::quote(&self.socket)));
        }
        if !["", "path", "abstract"].contains(&self.address.as_str()) {
            return Some(format!("address {}; want path or abstract", json::quote(&self.address)));
        }
        if self.fds < 0 || self.fds > MAX_FDS {
            return Some(format!("fds {}; want 0 to {MAX_FDS}", self.fds));
        }
        if !["", "first", "last"].contains(&self.fds_with.as_str()) {
            return Some(format!("fdsWith {}; want first or last", json::quote(&self.fds_with)));
        }
        let messages = self.socket == "seqpacket" || self.socket == "datagram";
        if messages && (self.chunk_size <= 0 || self.barrier) {
            return Some(format!("a {} case needs a chunkSize (its message size) and no barrier", self.socket));
        }
        if self.socket == "datagram" && (self.half_close || self.fds > 0) {
            return Some("a datagram case has no half-close and no descriptors".to_string());
        }
        if let Some(g) = &self.generate {
            if g.algorithm != "splitmix64" {
                return Some(format!("unknown payload algorithm {}", json::quote(&g.algorithm)));
            }
            if g.size != self.size {
                return Some(format!("generate.size {} differs from size {}", g.size, self.size));
            }
        }
        None
    }
}

impl Manifest {
    /// Reads and checks the manifest at `path`: the shape of every case, not the payloads (see `verified_payloads`).
    pub fn load(path: &str) -> Result<Manifest, String> {
        let text = std::fs::read(path).map_err(|e| format!("open {path}: {}", crate::strerror(&e)))?;
        let text = String::from_utf8(text).map_err(|_| format!("manifest {path}: invalid UTF-8"))?;
        let doc = json::parse(&text).map_err(|e| format!("manifest {path}: {e}"))?;
        check_fields(&doc, TOP_FIELDS).map_err(|e| format!("manifest {path}: {e}"))?;
        let mut cases = Vec::new();
        if let Some(Value::Array(raw)) = doc.get("cases") {
            for (i, c) in raw.iter().enumerate() {
                let c = Case::from_json(c).map_err(|e| {
                    let id = string(c.get("id"));
                    format!("manifest {path}: case {}: {e}", if id.is_empty() { i.to_string() } else { id })
                })?;
                cases.push(c);
            }
        }
        let version = int(doc.get("schemaVersion"), "schemaVersion").map_err(|e| format!("manifest {path}: {e}"))?;
        if version != 1 {
            return Err(format!("manifest {path}: schemaVersion {version}; want 1"));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, c) in cases.iter().enumerate() {
            if c.id.is_empty() {
                return Err(format!("manifest {path}: case {i} has no id"));
            }
            if !seen.insert(c.id.clone()) {
                return Err(format!("manifest {path}: case {} appears twice", c.id));
            }
            if c.kind.is_empty() {
                return Err(format!("manifest {path}: case {} has no kind", c.id));
            }
            if c.kind == KIND_ECHO {
                if let Some(problem) = c.problem() {
                    return Err(format!("manifest {path}: case {}: {problem}", c.id));
                }
            }
        }
        Ok(Manifest { path: path.to_string(), cases })
    }

    /// Returns the case with the given id, or None.
    pub fn case(&self, id: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.id == id)
    }

    fn source(&self, c: &Case) -> String {
        match &c.generate {
            Some(g) => format!("{} seed {}", g.algorithm, g.seed),
            None => c.file.clone(),
        }
    }

    /// Returns the bytes that connection `j` of echo case `c` sends.
    pub fn payload(&self, c: &Case, j: i64) -> Result<Vec<u8>, String> {
        if c.kind != KIND_ECHO {
            return Err(format!("case {}: kind {} has no payload", c.id, c.kind));
        }
        if j < 0 || j >= c.connections {
            return Err(format!("case {}: no connection {j} (it has {})", c.id, c.connections));
        }
        if let Some(g) = &c.generate {
            return Ok(splitmix64(g.seed.wrapping_add(j as u64), g.size as usize));
        }
        let name: PathBuf = if Path::new(&c.file).is_absolute() {
            PathBuf::from(&c.file)
        } else {
            Path::new(&self.path).parent().unwrap_or_else(|| Path::new("")).join(&c.file)
        };
        std::fs::read(&name).map_err(|e| format!("case {}: open {}: {}", c.id, name.display(), crate::strerror(&e)))
    }

    /// Returns every connection's payload of echo case `c`, checked against the manifest's size and sha256.
    pub fn verified_payloads(&self, c: &Case) -> Result<Vec<Vec<u8>>, String> {
        let mut h = Sha256::new();
        let mut payloads = Vec::new();
        for j in 0..c.connections {
            let p = self.payload(c, j).map_err(|e| format!("manifest {}: {e}", self.path))?;
            if p.len() as i64 != c.size {
                return Err(format!(
                    "manifest {}: case {}: {}: connection {j} payload is {} bytes; manifest says {}",
                    self.path,
                    c.id,
                    self.source(c),
                    p.len(),
                    c.size
                ));
            }
            h.update(&p);
            payloads.push(p);
        }
        let sum = h.hex();
        if sum != c.sha256 {
            return Err(format!(
                "manifest {}: case {}: {}: sha256 is {sum}; manifest says {}",
                self.path,
                c.id,
                self.source(c),
                c.sha256
            ));
        }
        Ok(payloads)
    }
}

/// Returns `size` bytes: the little-endian 8-byte outputs of SplitMix64 started at state `seed`, cut to size.
/// Arithmetic wraps modulo 2^64.
pub fn splitmix64(seed: u64, size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity((size + 7) / 8 * 8);
    let mut state = seed;
    while out.len() < size {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        out.extend_from_slice(&z.to_le_bytes());
    }
    out.truncate(size);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_vectors() {
        // Vigna's splitmix64.c from state 0: first output 0xe220a8397b1dcdaf, little-endian here.
        assert_eq!(crate::sha256::hex(&splitmix64(0, 16)), "afcd1d7b39a820e2f465b9a16a9e786e");
        assert_eq!(crate::sha256::hex(&splitmix64(1, 8)), "c15c0289ec2d0a91");
        assert_eq!(splitmix64(0, 5), splitmix64(0, 16)[..5].to_vec());
        assert!(splitmix64(7, 0).is_empty());
    }

    #[test]
    fn the_shared_manifest_loads_and_its_payloads_verify() {
        let path = "../../fixtures/manifest.json"; // tests run in the package's directory
        let m = Manifest::load(path).expect("load the manifest");
        for c in m.cases.iter().filter(|c| c.kind == KIND_ECHO && c.size <= 1 << 20) {
            m.verified_payloads(c).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
