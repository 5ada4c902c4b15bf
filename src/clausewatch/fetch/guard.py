"""The SSRF guard: which URLs and network addresses the fetcher may contact.

Only http and https URLs without credentials are fetched, and every address a host
resolves to must be a public one. Private, loopback, link-local, multicast, reserved,
unspecified and cloud metadata addresses are rejected unless the host name or the
address is listed in the ``allowed_private_hosts`` setting.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import httpx

from clausewatch.errors import BlockedURLError, ConfigurationError, FetchError
from clausewatch.settings import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = frozenset({"http", "https"})
ALLOW_SETTING = "CLAUSEWATCH_ALLOWED_PRIVATE_HOSTS"

# Instance metadata services hand out cloud credentials. Listing them gives a precise
# message, and Oracle's 192.0.0.192 would otherwise pass as a global address.
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "169.254.169.254",  # AWS, GCP, Azure, DigitalOcean, OpenStack
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
    )
)


@dataclass(frozen=True)
class AllowList:
    """Host names and networks that may be fetched although not public."""

    hosts: frozenset[str]
    networks: tuple[IPNetwork, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> AllowList:
        """Parse ``allowed_private_hosts`` into host names and IP networks."""
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in settings.allowed_private_hosts:
            entry = entry.strip().lower().rstrip(".")
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                if "/" in entry or ":" in entry:
                    raise ConfigurationError(
                        f"invalid entry {entry!r} in {ALLOW_SETTING}: expected a host "
                        "name, an IP address or a CIDR network such as 10.0.0.0/8"
                    ) from None
                hosts.add(entry)
        return cls(frozenset(hosts), tuple(networks))

    def covers_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def covers_address(self, address: IPAddress) -> bool:
        return any(address in network for network in self.networks)


def describe_forbidden(address: IPAddress) -> str | None:
    """Return why an address may not be contacted, or None when it is public."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv6 address can carry an IPv4 one that the network routes to.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return describe_forbidden(embedded)
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "a non-public address"),
    )
    for failed, reason in checks:
        if failed:
            return reason
    return None


def parse_checked_url(url: str) -> httpx.URL:
    """Parse a URL and reject schemes other than http(s), credentials and no host."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        raise BlockedURLError(f"invalid URL {url!r}: {error}") from None
    if parsed.scheme not in ALLOWED_SCHEMES:
        scheme = parsed.scheme or "(none)"
        raise BlockedURLError(
            f"rejected {url!r}: scheme {scheme!r} is not allowed; "
            "only http and https URLs can be fetched"
        )
    if parsed.userinfo:
        raise BlockedURLError(
            f"rejected {parsed.copy_with(userinfo=b'')}: the URL "
            "contains credentials (user:password@); remove them from the URL"
        )
    if not parsed.host:
        raise BlockedURLError(f"rejected {url!r}: the URL has no host")
    return parsed


def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Resolve a host name (or IP literal) to its addresses, blocking."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(
            f"could not resolve host {host!r}: {error}; check the host name"
        ) from None
    addresses: list[IPAddress] = []
    for info in infos:
        # Drop an IPv6 scope id ("fe80::1%eth0"): the address itself decides.
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def check_addresses(
    label: str, host: str, addresses: list[IPAddress], allow: AllowList
) -> None:
    """Raise BlockedURLError if any address is forbidden and not allowed."""
    if allow.covers_host(host):
        return
    for address in addresses:
        reason = describe_forbidden(address)
        if reason is None or allow.covers_address(address):
            continue
        if host.strip("[]") == str(address):
            where, remedy = f"address {address} is {reason}", str(address)
        else:
            where = f"host {host!r} resolves to {address}, {reason}"
            remedy = f"{host} or {address}"
        raise BlockedURLError(
            f"rejected {label}: {where}; "
            f"to fetch it anyway, add {remedy} to {ALLOW_SETTING}"
        )


def resolve_allowed(
    host: str, port: int, allow: AllowList, label: str
) -> list[IPAddress]:
    """Resolve a host and return its addresses once every one of them is allowed."""
    addresses = resolve_host(host, port)
    check_addresses(label, host, addresses, allow)
    return addresses


def check_url_allowed(url: str, settings: Settings) -> None:
    """Raise BlockedURLError unless the fetcher may contact ``url``.

    Raises FetchError when the host name cannot be resolved. The lookup blocks, so
    async code calls this in a thread.
    """
    parsed = parse_checked_url(url)
    allow = AllowList.from_settings(settings)
    resolve_allowed(ascii_host(parsed), effective_port(parsed), allow, url)


def ascii_host(url: httpx.URL) -> str:
    """Return the host as the resolver needs it: IDNA-encoded, IPv6 without brackets."""
    return url.raw_host.decode("ascii")


def effective_port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)
