"""The outlets table (``--sources FILE``): who published an article, and what kind of outlet.

A CSV file (a header row naming the columns) or a TOML file (an array of tables,
``[[outlet]]``) with a row per outlet::

    name,domain,country,owner,lean
    The Guardian,theguardian.com,UK,Guardian Media Group,left

``name`` and ``domain`` are required; ``country``, ``owner`` and ``lean`` are optional.
A bad row (no name, no domain, a domain that is not a host name, a column nobody knows, a
domain given twice) raises ``OutletError`` naming the file and the line.

``OutletTable.name_for`` gives an article's outlet name for display: the table's name when
the article's URL's domain (or a parent domain: ``edition.cnn.com`` is ``cnn.com``) or its
source matches a row (by domain, or by name or domain label with case, spaces and hyphens
ignored: the file ``kestrel-times.txt``, whose source is ``kestrel-times``, is the outlet
"Kestrel Times"), else the URL's domain, else the source unless it looks like a file
name (readers fall back to the file name: ``ap-report.txt``), else "unknown source".
``coverage`` counts a story's outlets by lean and by country.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from newsbrief.errors import NewsbriefError

__all__ = ["Outlet", "OutletError", "OutletTable", "coverage", "domain_of", "read_outlets"]

COLUMNS = ("name", "domain", "country", "owner", "lean")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_FILE_LIKE = re.compile(r"[/\\]|\.(?:txt|md|html?|jsonl?|xml|warc(?:\.gz)?|csv|gz)$", re.I)
UNKNOWN = "unknown source"


class OutletError(NewsbriefError):
    """A sources table that cannot be used: the message names the file and the line."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


@dataclass(frozen=True, slots=True)
class Outlet:
    """One row of the sources table."""

    name: str
    domain: str
    """Host name without ``www.``, lower case (``theguardian.com``)."""
    country: str | None = None
    owner: str | None = None
    lean: str | None = None


def site_of(url: str) -> str | None:
    """The host of a URL, lower case, without port, credentials, a final dot or a leading
    ``www.`` (``https://www.example.co.uk:8080/x`` -> ``example.co.uk``); None when it has
    none. The one place a URL becomes a site: readers name sources by it, fetch compares
    canonical URLs by it, the sources table matches by it."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    host = (host or "").rstrip(".").lower()
    return (host[4:] if host.startswith("www.") else host) or None


def domain_of(url: str | None) -> str | None:
    """The site of an http(s) URL (``site_of``); None for anything else."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme
    except ValueError:
        return None
    return site_of(url) if scheme in ("http", "https") else None


def _norm_domain(value: str) -> str:
    value = value.strip().lower()
    if "://" in value:
        value = domain_of(value) or value
    value = value.rstrip("/").rstrip(".")
    return value[4:] if value.startswith("www.") else value


def _slug(text: str) -> str:
    """Letters and digits only, lower case: "Kestrel Times", "kestrel-times" and the
    ``kestreltimes`` of ``kestreltimes.com`` are one key."""
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def _row(path: str, line: int, row: dict[str, object]) -> Outlet:
    unknown = sorted(k for k in row if k not in COLUMNS)
    if unknown:
        raise OutletError(path, line, f"unknown column {', '.join(unknown)} "
                          f"(columns: {', '.join(COLUMNS)})")
    values: dict[str, str | None] = {}
    for key in COLUMNS:
        raw = row.get(key)
        if raw is not None and not isinstance(raw, str):
            raise OutletError(path, line, f"{key} must be text, got {raw!r}")
        text = (raw or "").strip()
        values[key] = text or None
    name, domain = values["name"], values["domain"]
    if not name:
        raise OutletError(path, line, "no name")
    if not domain:
        raise OutletError(path, line, f"no domain for {name!r}")
    domain = _norm_domain(domain)
    if not _HOST.match(domain):
        raise OutletError(path, line, f"domain {values['domain']!r} is not a host name "
                          "(like example.com)")
    return Outlet(name, domain, values["country"], values["owner"], values["lean"])


def _csv_rows(path: str, text: str) -> list[tuple[int, dict[str, object]]]:
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    out: list[tuple[int, dict[str, object]]] = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [c.strip().lower() for c in cells]
            if "name" not in header or "domain" not in header:
                raise OutletError(path, line, "the first row must name the columns, with "
                                  f"name and domain (columns: {', '.join(COLUMNS)})")
            continue
        if len(cells) > len(header):
            raise OutletError(path, line, f"{len(cells)} cells, the header has {len(header)}")
        out.append((line, dict(zip(header, cells, strict=False))))
    if header is None:
        raise OutletError(path, None, "empty: no header row")
    return out


def _toml_rows(path: str, text: str) -> list[tuple[int, dict[str, object]]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise OutletError(path, int(match.group(1)) if match else None,
                          f"not valid TOML ({exc})") from None
    tables = data.get("outlet")
    if not isinstance(tables, list) or set(data) - {"outlet"}:
        raise OutletError(path, None, "expected only [[outlet]] tables")
    # tomllib keeps no line numbers: the line of each [[outlet]] header, in order
    starts = [n for n, s in enumerate(text.splitlines(), 1) if s.strip() == "[[outlet]]"]
    out = []
    for k, table in enumerate(tables):
        line = starts[k] if k < len(starts) else 0
        if not isinstance(table, dict):
            raise OutletError(path, line, "an outlet must be a table")
        out.append((line, dict(table)))
    return out


def read_outlets(path: str | Path) -> list[Outlet]:
    """The outlets of a CSV or TOML file (by suffix: ``.toml``, else CSV), in file order."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise OutletError(name, None, f"cannot read the sources table ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise OutletError(name, None, "not UTF-8 text") from None
    rows = _toml_rows(name, text) if name.lower().endswith(".toml") else _csv_rows(name, text)
    outlets: list[Outlet] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        outlet = _row(name, line, row)
        if outlet.domain in seen:
            raise OutletError(name, line, f"domain {outlet.domain} is given twice "
                              f"(first on line {seen[outlet.domain]})")
        seen[outlet.domain] = line
        outlets.append(outlet)
    return outlets


class OutletTable:
    """Outlets by domain and by name (case-folded), for naming articles' sources."""

    def __init__(self, outlets: Iterable[Outlet] = ()) -> None:
        self.outlets = list(outlets)
        self._by_domain = {o.domain: o for o in self.outlets}
        self._by_name: dict[str, Outlet] = {}
        for o in self.outlets:  # the first row wins a key two rows share
            for key in (o.domain, _slug(o.domain.split(".")[0]), o.name.casefold(),
                        _slug(o.name)):
                self._by_name.setdefault(key, o)

    def __len__(self) -> int:
        return len(self.outlets)

    def find(self, source: str, url: str | None = None) -> Outlet | None:
        """The row for an article: by its URL's domain (or a parent), else by its source."""
        host = domain_of(url)
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            host = host.partition(".")[2] if host.count(".") > 1 else ""
        for key in (_norm_domain(source), source.strip().casefold(), _slug(source)):
            if key and key in self._by_name:
                return self._by_name[key]
        return None

    def name_for(self, source: str, url: str | None = None) -> str:
        """The outlet's name to show; never a file path."""
        found = self.find(source, url)
        if found is not None:
            return found.name
        host = domain_of(url)
        if host:
            return host
        if source.strip() and not _FILE_LIKE.search(source.strip()):
            return source.strip()
        return UNKNOWN

    def names(self, articles: Iterable[tuple[str, str | None]]) -> list[str]:
        """Distinct outlet names of (source, url) pairs, most articles first, then by name."""
        counts = Counter(self.name_for(s, u) for s, u in articles)
        return [n for n, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))]

    def coverage(self, articles: Iterable[tuple[str, str | None]]) -> str:
        """The story's outlets by kind (see ``coverage``)."""
        pairs = list(articles)
        names = self.names(pairs)
        rows = {self.name_for(s, u): self.find(s, u) for s, u in pairs}
        return coverage(names, [rows[n] for n in names])


def _counts(values: Sequence[str | None]) -> str:
    counted = Counter(v for v in values if v)
    return ", ".join(f"{n} {k}" for k, n in sorted(counted.items(), key=lambda kv: (-kv[1],
                                                                                   kv[0])))


def coverage(names: Sequence[str], rows: Sequence[Outlet | None]) -> str:
    """``3 outlets: 2 left, 1 right; US 2, UK 1``: distinct outlets, then their leans and
    countries where the table gives them ("" for no outlet)."""
    if not names:
        return ""
    text = f"{len(names)} outlet{'s' if len(names) != 1 else ''}"
    leans = _counts([r.lean if r else None for r in rows])
    countries = Counter(r.country for r in rows if r and r.country)
    by_country = ", ".join(f"{c} {n}" for c, n in sorted(countries.items(),
                                                          key=lambda kv: (-kv[1], kv[0])))
    kinds = "; ".join(p for p in (leans, by_country) if p)
    return f"{text}: {kinds}" if kinds else text
