"""Who owns an IP address: the network owner (an organisation, by its autonomous system) a claw-back letter goes to.

Offline only, never a network call. Sources, first found wins:
    a file the user names (argument, or the VEIL_IP_NETWORKS environment variable):
        *.mmdb                 a MaxMind GeoLite2-ASN / GeoIP2-ISP database (read with `maxminddb`)
        *.tsv, *.tsv.gz        an ip2asn table (iptoasn.com): range_start, range_end, AS number, country, AS name
    the dataset that ships inside the `geoip2fast` package (GeoLite2 country + ASN, IPv4 and IPv6; its date is in
    `Network.source`: the older it is, the more owners have moved)
An address no source knows is grouped by its /24 (IPv4) or /48 (IPv6) network, and said to be of unknown owner:
someone must look the owner up (WHOIS) before a letter can be addressed. Private and reserved addresses (a proxy,
the organisation's own network) belong to nobody outside.
"""

from __future__ import annotations

import bisect
import gzip
import ipaddress
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from veil.errors import VeilError

ENV_FILE = "VEIL_IP_NETWORKS"
UNKNOWN = "unknown owner"
PRIVATE = "private or reserved address"


class NetworkDataError(VeilError):
    """A network-owner file that cannot be read. The message names the file, never an address."""


@dataclass(frozen=True)
class Network:
    owner: str  # the organisation (AS name), UNKNOWN or PRIVATE
    asn: str  # "AS15169", "" when the source does not say
    cidr: str  # the network the address is in (the /24 or /48 when the owner is unknown)
    source: str  # where the answer came from

    @property
    def known(self) -> bool:
        """Whether a letter can be addressed to the owner."""
        return self.owner not in (UNKNOWN, PRIVATE)


Lookup = Callable[[str], Network | None]


def prefix_network(ip: str) -> Network:
    """The /24 or /48 an address is in, owner unknown (or private when the address is)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return Network(UNKNOWN, "", ip, "not an IP address")
    length = 24 if address.version == 4 else 48
    cidr = str(ipaddress.ip_network(f"{address}/{length}", strict=False))
    if not address.is_global:
        return Network(PRIVATE, "", cidr, "address range")
    return Network(UNKNOWN, "", cidr, f"/{length} of the address")


class Directory:
    """IP -> Network with a per-address cache; `lookup` is the source, None when it does not know the address."""

    def __init__(self, lookup: Lookup | None, name: str) -> None:
        self._lookup = lookup
        self.name = name
        self._cache: dict[str, Network] = {}

    def network(self, ip: str) -> Network:
        found = self._cache.get(ip)
        if found is None:
            fallback = prefix_network(ip)
            found = fallback if fallback.owner == PRIVATE or self._lookup is None else \
                (self._lookup(ip) or fallback)
            self._cache[ip] = found
        return found


def directory(path: str | Path | None = None) -> Directory:
    """The network-owner directory: the named file, else $VEIL_IP_NETWORKS, else the shipped geoip2fast data."""
    chosen = path or os.environ.get(ENV_FILE) or None
    return _load(str(chosen) if chosen else "")


@lru_cache(maxsize=4)
def _load(path: str) -> Directory:
    if not path:
        return _geoip2fast()
    p = Path(path)
    if not p.is_file():
        raise NetworkDataError(f"the network-owner file {p.name} does not exist")
    if p.suffix == ".mmdb":
        return _mmdb(p)
    return _ip2asn(p)


def _geoip2fast() -> Directory:
    try:
        from geoip2fast import GeoIP2Fast

        data = GeoIP2Fast(geoip2fast_data_file="geoip2fast-asn-ipv6.dat.gz", verbose=False)
        info = data.get_database_info().get("source_info", "")
    except Exception:  # noqa: BLE001 - a missing or broken dataset: owners unknown, grouped by prefix
        return Directory(None, "no network-owner data (grouped by /24 and /48)")
    source = f"geoip2fast {info.rsplit('-', 1)[-1] if info else ''}".strip()

    def lookup(ip: str) -> Network | None:
        found = data.lookup(ip)
        if not found.asn_name or found.is_private:
            return None
        return Network(found.asn_name, "", found.asn_cidr, source)

    return Directory(lookup, source)


def _mmdb(path: Path) -> Directory:
    import maxminddb

    try:
        reader = maxminddb.open_database(str(path))
    except (OSError, ValueError) as exc:
        raise NetworkDataError(f"cannot read the network-owner file {path.name} ({type(exc).__name__})") from None

    def lookup(ip: str) -> Network | None:
        record, length = reader.get_with_prefix_len(ip)
        if not isinstance(record, dict):
            return None
        owner = record.get("autonomous_system_organization") or record.get("organization") or record.get("isp")
        if not owner:
            return None
        number = record.get("autonomous_system_number")
        cidr = str(ipaddress.ip_network(f"{ip}/{length}", strict=False))
        return Network(str(owner), f"AS{number}" if number else "", cidr, path.name)

    return Directory(lookup, path.name)


def _ip2asn(path: Path) -> Directory:
    """An ip2asn TSV (plain or gzip): sorted ranges, looked up by bisection. AS 0 ("Not routed") is no owner."""
    starts: dict[int, list[int]] = {4: [], 6: []}
    rows: dict[int, list[tuple[int, str, str]]] = {4: [], 6: []}
    try:
        opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
            for number, line in enumerate(fh, start=1):
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 5 or parts[2] in ("0", ""):
                    continue
                try:
                    first, last = ipaddress.ip_address(parts[0]), ipaddress.ip_address(parts[1])
                except ValueError:
                    raise NetworkDataError(f"line {number} of {path.name} is not an ip2asn range") from None
                starts[first.version].append(int(first))
                rows[first.version].append((int(last), f"AS{parts[2]}", parts[4].strip()))
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise NetworkDataError(f"cannot read the network-owner file {path.name} ({type(exc).__name__})") from None
    for version in (4, 6):  # the files are sorted; a hand-made one may not be
        order = sorted(range(len(starts[version])), key=starts[version].__getitem__)
        starts[version] = [starts[version][i] for i in order]
        rows[version] = [rows[version][i] for i in order]

    def lookup(ip: str) -> Network | None:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None
        value = int(address)
        i = bisect.bisect_right(starts[address.version], value) - 1
        if i < 0 or value > rows[address.version][i][0]:
            return None
        last, asn, owner = rows[address.version][i]
        first = ipaddress.ip_address(starts[address.version][i])
        nets = ipaddress.summarize_address_range(first, ipaddress.ip_address(last))
        return Network(owner or asn, asn, ", ".join(str(n) for n in nets), path.name)

    return Directory(lookup, path.name)
