// SPDX-License-Identifier: Apache-2.0
// Linux abstract socket names (@name): std has them from rustc 1.70 (SocketAddrExt), so the build decides.

//! Abstract names are std's only from rustc 1.70 (`std::os::linux::net::SocketAddrExt`), and the client must
//! also build with Debian bookworm's rustc 1.63. build-rust looks at the rustc it builds with and passes
//! `--cfg uds_abstract` from 1.70 on, and the rustc's version as `UDS_RUSTC_VERSION`: the client declares what
//! it was built with (`-capabilities`), and the harness takes that declaration, never a guess.

use std::io;
use std::os::unix::net::{UnixDatagram, UnixStream};

/// True if this build can use abstract names.
pub const SUPPORTED: bool = cfg!(uds_abstract);

/// The rustc that built this client, as build-rust saw it.
pub const RUSTC: &str = match option_env!("UDS_RUSTC_VERSION") {
    Some(v) => v,
    None => "a rustc build-rust did not name",
};

/// Why this build has no abstract names (when it has none).
pub fn why_not() -> String {
    format!("abstract names need rustc 1.70 or later (std::os::linux::net::SocketAddrExt); this client was built with {RUSTC}")
}

#[cfg(uds_abstract)]
fn addr(name: &str) -> io::Result<std::os::unix::net::SocketAddr> {
    use std::os::linux::net::SocketAddrExt;
    std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())
}

#[cfg(not(uds_abstract))]
fn addr(_name: &str) -> io::Result<std::convert::Infallible> {
    Err(io::Error::new(io::ErrorKind::Other, why_not()))
}

/// Connects a stream socket to the abstract name `name` (without its '@').
pub fn connect_stream(name: &str) -> io::Result<UnixStream> {
    #[cfg(uds_abstract)]
    return UnixStream::connect_addr(&addr(name)?);
    #[cfg(not(uds_abstract))]
    match addr(name)? {}
}

/// Binds a datagram socket to the abstract name `name`.
pub fn bind_datagram(name: &str) -> io::Result<UnixDatagram> {
    #[cfg(uds_abstract)]
    return UnixDatagram::bind_addr(&addr(name)?);
    #[cfg(not(uds_abstract))]
    match addr(name)? {}
}

/// Connects datagram socket `sock` to the abstract name `name`.
pub fn connect_datagram(sock: &UnixDatagram, name: &str) -> io::Result<()> {
    #[cfg(uds_abstract)]
    return sock.connect_addr(&addr(name)?);
    #[cfg(not(uds_abstract))]
    {
        let _ = sock;
        match addr(name)? {}
    }
}
