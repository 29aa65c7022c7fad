"""Who is asking: the client address that rate limits count, behind a proxy too.

Behind a reverse proxy (nginx, HAProxy) every request comes from the proxy, so the
limits would count everyone as one client. X-Forwarded-For says who the proxy
served, but anyone can send that header; so it is believed only when the request
came from a proxy named in TRUSTED_PROXIES, and then the client is the nearest
address in it that is not one of those proxies. IPv6 clients are counted by their
/64 network, which one household or phone usually gets whole.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[Network, ...]:
    """ "127.0.0.1, 10.0.0.0/8" -> networks. A bad entry is a clear error at start-up."""
    try:
        return tuple(
            ipaddress.ip_network(p.strip(), strict=False) for p in text.split(",") if p.strip()
        )
    except ValueError as error:
        raise ValueError(f"TRUSTED_PROXIES: {error}") from None


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address: object, proxies: Iterable[Network]) -> bool:
    return any(address in network for network in proxies)


def client_address(peer: str | None, forwarded_for: str, proxies: tuple[Network, ...]) -> str:
    """The client as the rate limits count it: an address, or an IPv6 /64."""
    address = _address(peer or "")
    if address is not None and _trusted(address, proxies):
        for hop in reversed(forwarded_for.split(",")):
            candidate = _address(hop)
            if candidate is None:
                break
            address = candidate
            if not _trusted(candidate, proxies):
                break
    if address is None:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)
