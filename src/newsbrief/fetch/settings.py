"""Every limit of fetching, with its default, checked once when the record is made."""

from __future__ import annotations

from dataclasses import dataclass

from newsbrief.errors import SettingsError

__all__ = ["DEFAULT_USER_AGENT", "FetchSettings"]

DEFAULT_USER_AGENT = "newsbrief/0.1 (+https://github.com/newsbrief/newsbrief)"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How politely, how long and how much newsbrief fetches (docs/fetch.md lists them)."""

    delay: float = 1.0
    """Seconds between two requests to one host (a robots.txt Crawl-delay, up to
    ``max_crawl_delay``, lengthens it): one request per host per second, the common
    courtesy of crawlers."""
    concurrency: int = 4
    """Requests in flight at once, all hosts together."""
    timeout: float = 15.0
    """Seconds to connect, and seconds to wait for each read of the response."""
    retries: int = 2
    """Further tries after a 429, a 5xx or a refused connection (not after a timeout: a
    slow server stays slow)."""
    backoff: float = 1.0
    """Seconds before the first retry when the server names none (Retry-After); doubled
    each time."""
    max_retry_after: float = 120.0
    """A Retry-After longer than this is not waited for: the fetch fails (rate-limited)."""
    max_redirects: int = 5
    """Redirects followed for one URL (browsers allow 20; news pages need one or two)."""
    max_bytes: int = 5_000_000
    """Largest response body, after gzip is undone (a long article page is ~0.5 MB)."""
    max_crawl_delay: float = 30.0
    """The longest robots.txt Crawl-delay honoured."""
    max_items: int = 100
    """Items taken from one feed per pass (feeds list 10 to 50)."""
    robots: bool = True
    """Read and obey each host's robots.txt."""
    user_agent: str = DEFAULT_USER_AGENT
    max_hosts: int = 1024
    """Hosts whose robots.txt and timing are remembered (least recently used forgotten)."""

    def __post_init__(self) -> None:
        for name in ("delay", "backoff", "max_retry_after", "max_crawl_delay"):
            if getattr(self, name) < 0:
                raise SettingsError(f"fetch {name} must be at least 0, got {getattr(self, name)}")
        if self.timeout <= 0:
            raise SettingsError(f"fetch timeout must be above 0 seconds, got {self.timeout}")
        for name in ("concurrency", "max_bytes", "max_items", "max_hosts"):
            if getattr(self, name) < 1:
                raise SettingsError(f"fetch {name} must be at least 1, got {getattr(self, name)}")
        for name in ("retries", "max_redirects"):
            if getattr(self, name) < 0:
                raise SettingsError(f"fetch {name} must be at least 0, got {getattr(self, name)}")
        if not self.user_agent.strip():
            raise SettingsError("fetch user_agent must not be empty")
