"""URLs as newsbrief keeps them: normalised, tracking parameters dropped, canonical.

A page reached by two links (a feed's link with ``utm_source=rss``, a redirect, a
``link rel=canonical``) is kept as one URL, so it is fetched and stored once.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

from newsbrief.outlets import site_of

__all__ = ["canonical_url", "host_of", "normalize_url"]

TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid|"
    r"_ga|_gl|_hsenc|_hsmi|mkt_tok|ocid|cmpid|smid|ncid|sr_share|at_medium|at_campaign)$",
    re.IGNORECASE,
)
"""Query parameters that say how a reader arrived, never which page: Google Analytics'
``utm_*``, the click ids of Facebook, Google, Microsoft and Yandex, Mailchimp, HubSpot,
Marketo, and the share/campaign tags of large news sites (``smid``, ``ocid``, ...)."""

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """``url`` with scheme and host in lower case, the default port, the fragment and
    tracking parameters dropped, and an empty path made ``/``. Raises ``ValueError``
    for a URL that is not absolute http(s)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    host = parts.hostname.lower()
    if ":" in host:  # IPv6
        host = f"[{host}]"
    port = parts.port  # ValueError for a port out of range
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        netloc = parts.username + (f":{parts.password}" if parts.password else "") + "@" + netloc
    # the other parameters are kept as written: a server may tell apart what
    # decoding and encoding again would make alike
    query = "&".join(p for p in parts.query.split("&")
                     if p and not TRACKING.match(unquote_plus(p.split("=", 1)[0])))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def host_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL: the unit of politeness and of robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower().split('@')[-1]}"


def canonical_url(html: str, page_url: str) -> str:
    """The page's own name for itself: ``link rel=canonical``, else ``og:url``, else the
    URL it was fetched from (after redirects), resolved and normalised. A canonical
    that is not http(s) (or not a URL), or that names another host than the one that
    answered (``www.`` aside), is ignored: a page cannot rename itself onto another
    site."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(
            html.encode("utf-8", "surrogatepass"),
            parser=lxml.html.HTMLParser(encoding="utf-8"),
        )
    except (ValueError, lxml.etree.ParserError):
        root = None
    found: list[str] = []
    if root is not None:
        found += root.xpath("//link[contains(concat(' ', normalize-space("
                            "translate(@rel, 'CANONICAL', 'canonical')), ' '), ' canonical ')]"
                            "/@href")
        found += root.xpath("//meta[@property='og:url' or @name='og:url']/@content")
    for href in found:
        try:
            url = normalize_url(urljoin(page_url, str(href).strip()))
        except ValueError:
            continue
        if _site(url) == _site(page_url):
            return url
    return normalize_url(page_url)


def _site(url: str) -> str:
    """The site of ``url`` (``outlets.site_of``), "" when it has none."""
    return site_of(url) or ""
