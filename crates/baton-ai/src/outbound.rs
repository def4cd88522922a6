//! Outgoing calls that an admin's settings point somewhere: a bot's webhook, an LLM's
//! `base_url`, the embeddings endpoint. Whoever can edit those settings could otherwise make
//! Baton call into its own network (a database's admin port, a cloud's metadata service at
//! 169.254.169.254) and read the answer back through a bot's reply.
//!
//! So, unless `allow_private` is set (tests, and local models on the same machine), every call
//! goes only to public addresses:
//! - a URL whose host is an IP address is checked before anything is sent, whatever way the
//!   address is written (`127.0.0.1`, `2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]` all parse to
//!   the same address);
//! - a host name is resolved by [`PublicOnly`], which drops every non-public address it
//!   resolves to, so a name pointing inside is refused after resolution, at connect time;
//! - a redirect is followed (three at most) only to a URL that passes the same checks.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect;

/// Why an outgoing call was not made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Blocked {
    #[error("the URL is not a valid http(s) URL")]
    InvalidUrl,
    #[error(
        "calls to private, loopback or link-local addresses are not allowed (outbound.allow_private_addresses)"
    )]
    PrivateAddress,
}

/// Whether `ip` is reachable on the public internet: not loopback, private, link-local,
/// unspecified, shared (carrier NAT), multicast, documentation or otherwise reserved. IPv4
/// addresses carried in IPv6 (mapped, compatible, NAT64) are judged as the IPv4 address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let segments = ip.segments();
    // IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
    let embedded = Ipv4Addr::new(
        (segments[6] >> 8) as u8,
        segments[6] as u8,
        (segments[7] >> 8) as u8,
        segments[7] as u8,
    );
    if segments[..6] == [0; 6] || segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return !ip.is_unspecified() && !ip.is_loopback() && is_public_v4(embedded);
    }
    // 6to4 (2002:a.b.c.d::/48) carries an IPv4 address in its prefix.
    if segments[0] == 0x2002 {
        let [a, b] = segments[1].to_be_bytes();
        let [c, d] = segments[2].to_be_bytes();
        return is_public_v4(Ipv4Addr::new(a, b, c, d));
    }
    // Teredo (2001::/32) and local-use NAT64 (64:ff9b:1::/48) tunnel to addresses that cannot
    // be checked here.
    let teredo = segments[0] == 0x2001 && segments[1] == 0;
    let local_nat64 = segments[0] == 0x64 && segments[1] == 0xff9b && segments[2] == 1;
    if teredo || local_nat64 {
        return false;
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (segments[0] & 0xfe00) == 0xfc00 // unique local
        || (segments[0] & 0xffc0) == 0xfe80 // link-local
        || (segments[0] == 0x2001 && segments[1] == 0x0db8)) // documentation
}

/// Checks what can be checked of `url` before it is called: an http(s) URL, and if its host
/// is an address, a public one. Host names are checked after resolution ([`PublicOnly`]).
pub fn check_url(url: &str, allow_private: bool) -> Result<reqwest::Url, Blocked> {
    let parsed = reqwest::Url::parse(url).map_err(|_| Blocked::InvalidUrl)?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Blocked::InvalidUrl);
    }
    // The parser writes every IPv4 form as dotted decimal and IPv6 in brackets.
    let host = parsed.host_str().ok_or(Blocked::InvalidUrl)?;
    let ip = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().ok();
    match ip {
        Some(ip) if !allow_private && !is_public(ip) => Err(Blocked::PrivateAddress),
        _ => Ok(parsed),
    }
}

/// Resolves host names with the system's resolver, keeping only public addresses; a name
/// with none left fails to resolve.
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let resolved: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = resolved.into_iter().filter(|addr| is_public(addr.ip())).collect();
            if public.is_empty() {
                return Err(Box::new(Blocked::PrivateAddress) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// The client for calls the settings point somewhere (see the module's documentation).
#[derive(Debug, Clone)]
pub struct Outbound {
    client: reqwest::Client,
    allow_private: bool,
}

/// The most redirects followed for one call.
const MAX_REDIRECTS: usize = 3;

impl Outbound {
    /// `allow_private`: also call loopback and private addresses (a model on this machine).
    pub fn new(allow_private: bool) -> reqwest::Result<Self> {
        crate::install_tls_provider();
        let redirects = redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.stop()
            } else {
                match check_url(attempt.url().as_str(), allow_private) {
                    Ok(_) => attempt.follow(),
                    Err(blocked) => attempt.error(blocked),
                }
            }
        });
        let mut builder =
            reqwest::Client::builder().connect_timeout(std::time::Duration::from_secs(5)).redirect(redirects);
        if !allow_private {
            // Through a proxy the proxy resolves the name, out of the guard's sight.
            builder = builder.dns_resolver(Arc::new(PublicOnly)).no_proxy();
        }
        Ok(Self { client: builder.build()?, allow_private })
    }

    /// A POST to `url`, if `url` may be called.
    pub fn post(&self, url: &str) -> Result<reqwest::RequestBuilder, Blocked> {
        let url = check_url(url, self.allow_private)?;
        Ok(self.client.post(url))
    }

    /// A GET of `url`, if `url` may be called.
    pub fn get(&self, url: &str) -> Result<reqwest::RequestBuilder, Blocked> {
        let url = check_url(url, self.allow_private)?;
        Ok(self.client.get(url))
    }

    pub fn allows_private(&self) -> bool {
        self.allow_private
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for inside in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "2002:7f00:1::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "64:ff9b:1::a00:1",
            "64:ff9b::a00:1",
            "::7f00:1",
            "2001:db8::1",
        ] {
            assert!(!is_public(inside.parse().unwrap()), "{inside}");
        }
        for outside in ["1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "::ffff:1.1.1.1", "2002:101:101::1"] {
            assert!(is_public(outside.parse().unwrap()), "{outside}");
        }
    }

    #[test]
    fn addresses_are_refused_however_they_are_written() {
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://017700000001/",
            "http://[::1]/",
            "http://[::ffff:7f00:1]/",
            "http://0.0.0.0:80/",
            "https://169.254.169.254/latest/meta-data/",
        ] {
            assert_eq!(check_url(url, false), Err(Blocked::PrivateAddress), "{url}");
            assert!(check_url(url, true).is_ok(), "{url}");
        }
        assert!(check_url("https://api.openai.com/v1", false).is_ok());
        assert_eq!(check_url("file:///etc/passwd", true), Err(Blocked::InvalidUrl));
        assert_eq!(check_url("not a url", true), Err(Blocked::InvalidUrl));
    }

    #[tokio::test]
    async fn names_that_resolve_inside_are_refused_after_resolution() {
        let error = PublicOnly.resolve("localhost".parse().unwrap()).await.err().expect("refused");
        assert!(error.to_string().contains("private"), "{error}");
    }
}
