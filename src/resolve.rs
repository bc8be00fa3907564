//! Name resolution for fetching a musician's link from this computer: a name is looked up, and
//! only its public addresses are kept. A name whose every answer is on this computer or the
//! local network (`printer.lan`, `fritz.box`, `nas.home.arpa`, `localhost.localdomain`) fails to
//! resolve, so nothing is fetched from it, on the first request or on any redirect.
//!
//! The system's resolver ([`SystemResolver`]) is the default; tests give their own, which maps
//! names to 127.0.0.1, through [`crate::preflight::LinkClient::with_resolver`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why a name was not resolved: every address it has is on this computer or the local network.
pub const LOCAL_NAME: &str = "the name leads to this computer or the local network";

/// How long a look-up made to decide whether to hold a link may take.
const LOOKUP_TIME: Duration = Duration::from_secs(3);

/// The system's resolver (`getaddrinfo`, through tokio), as reqwest uses by default.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// A resolver that keeps only the public answers of the one it wraps, and fails with
/// [`LOCAL_NAME`] when there are none.
#[derive(Clone)]
pub struct PublicOnly(pub Arc<dyn Resolve>);

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let answers = self.0.resolve(name);
        Box::pin(async move {
            let public: Vec<SocketAddr> = answers
                .await?
                .filter(|addr| !is_local_ip(addr.ip()))
                .collect();
            if public.is_empty() {
                return Err(LOCAL_NAME.into());
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// True when every address `host` resolves to is on this computer or the local network. A name
/// that cannot be resolved in time (offline, unknown) is not called local: nothing shows it is.
pub async fn resolves_only_locally(resolver: &dyn Resolve, host: &str) -> bool {
    let Ok(name) = Name::from_str(host) else {
        return false;
    };
    match tokio::time::timeout(LOOKUP_TIME, resolver.resolve(name)).await {
        Ok(Ok(addrs)) => {
            let addrs: Vec<SocketAddr> = addrs.collect();
            !addrs.is_empty() && addrs.iter().all(|addr| is_local_ip(addr.ip()))
        }
        _ => false,
    }
}

/// True for an address that is not on the public internet: loopback, private, shared
/// (carrier-grade NAT), link-local, unique-local, unspecified, multicast, broadcast or
/// documentation.
pub fn is_local_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_local_ipv4(ip),
        IpAddr::V6(ip) => is_local_ipv6(ip),
    }
}

/// See [`is_local_ip`].
pub fn is_local_ipv4(ip: Ipv4Addr) -> bool {
    let [first, second, third, _] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        // Documentation (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24).
        || matches!((first, second, third), (192, 0, 2) | (198, 51, 100) | (203, 0, 113))
        // "This network" (0.0.0.0/8) and shared address space (carrier-grade NAT), 100.64.0.0/10.
        || first == 0
        || (first == 100 && (second & 0xc0) == 64)
        // Benchmarking (198.18.0.0/15), IETF protocol assignments (192.0.0.0/24), reserved (240/4).
        || (first == 198 && (second & 0xfe) == 18)
        || (first == 192 && second == 0 && third == 0)
        || first >= 240
}

/// See [`is_local_ip`].
pub fn is_local_ipv6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // Unique local (fc00::/7), link-local (fe80::/10), documentation (2001:db8::/32).
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        || ip.to_ipv4_mapped().is_some_and(is_local_ipv4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_count_as_public() {
        for local in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.178.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.251",
            "192.0.2.10",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "ff02::fb",
            "2001:db8::1",
            "::ffff:192.168.1.1",
        ] {
            assert!(is_local_ip(local.parse().unwrap()), "{local}");
        }
        for public in ["93.184.216.34", "8.8.8.8", "100.128.0.1", "2606:4700::1111"] {
            assert!(!is_local_ip(public.parse().unwrap()), "{public}");
        }
    }

    /// Answers every name with the addresses given.
    struct Fixed(Vec<IpAddr>);

    impl Resolve for Fixed {
        fn resolve(&self, _: Name) -> Resolving {
            let addrs: Vec<SocketAddr> = self.0.iter().map(|ip| SocketAddr::new(*ip, 0)).collect();
            Box::pin(async move { Ok(Box::new(addrs.into_iter()) as Addrs) })
        }
    }

    #[tokio::test]
    async fn local_answers_are_dropped_and_a_name_with_only_those_fails() {
        let local: IpAddr = "192.168.1.1".parse().unwrap();
        let public: IpAddr = "93.184.216.34".parse().unwrap();
        let name = || Name::from_str("printer.lan").unwrap();

        let only_local = PublicOnly(Arc::new(Fixed(vec![local])));
        let error = only_local.resolve(name()).await.err().unwrap();
        assert_eq!(error.to_string(), LOCAL_NAME);
        assert!(resolves_only_locally(&Fixed(vec![local]), "printer.lan").await);

        let mixed = PublicOnly(Arc::new(Fixed(vec![local, public])));
        let kept: Vec<_> = mixed.resolve(name()).await.unwrap().collect();
        assert_eq!(kept, [SocketAddr::new(public, 0)]);
        assert!(!resolves_only_locally(&Fixed(vec![local, public]), "mixed.example").await);
        assert!(!resolves_only_locally(&Fixed(vec![]), "unknown.example").await);
    }
}
