"""`authbot kb links [--check]`: every URL in a knowledge folder with file:line, and which are dead or moved.

Checking sends HEAD, then GET when a server refuses HEAD, never follows a redirect (a moved page is
reported with its new location so the YAML can be fixed), and keeps a short timeout and a concurrency
limit so a slow host can't stall the run. Nothing here runs in CI: CI has no network.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import httpx

# Stops at quotes, brackets and `<` so placeholders such as `.../<organization_id>/token` are cut there.
_URL = re.compile(r"https?://[^\s'\"<>()\[\]{}`]+")
_TRAILING = ".,;:!?"


@dataclass(frozen=True, order=True)
class Site:
    file: str
    line: int
    url: str


@dataclass(frozen=True)
class Result:
    url: str
    status: int | None  # None: no answer (network error or timeout)
    detail: str  # the Location of a redirect, or the error

    @property
    def verdict(self) -> str:
        if self.status is None or self.status in (404, 410) or self.status >= 500:
            return "dead"
        if 300 <= self.status < 400:
            return "redirected"
        return "ok" if self.status < 300 else "refused"  # refused: 401/403/405… the host is there


def find_links(directory: Path) -> list[Site]:
    sites = []
    for path in sorted(Path(directory).glob("*.y*ml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in _URL.finditer(line):
                url = match.group().rstrip(_TRAILING)
                if line[match.end():match.end() + 1] == "<":
                    continue  # a URL template, not a page
                sites.append(Site(path.name, number, url))
    return sites


async def _check(client: httpx.AsyncClient, url: str, limit: asyncio.Semaphore) -> Result:
    async with limit:
        try:
            response = await client.head(url)
            if response.status_code >= 400:
                # some servers answer HEAD wrongly; GET decides, and its body is never read
                async with client.stream("GET", url) as streamed:
                    response = streamed
            return Result(url, response.status_code, response.headers.get("location", ""))
        except httpx.HTTPError as error:
            return Result(url, None, type(error).__name__)


async def check_links(urls: list[str], timeout: float = 5.0, concurrency: int = 8) -> list[Result]:
    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(follow_redirects=False, timeout=timeout) as client:
        return list(await asyncio.gather(*(_check(client, url, limit) for url in urls)))


def links_report(directory: Path, check: bool, timeout: float, concurrency: int) -> tuple[list[str], int]:
    """Lines to print and the exit status (1 when a link is dead or redirected)."""
    sites = find_links(directory)
    if not check:
        return [f"{s.file}:{s.line}: {s.url}" for s in sites], 0
    where: dict[str, list[Site]] = defaultdict(list)
    for site in sites:
        where[site.url.split("#", 1)[0]].append(site)
    results = asyncio.run(check_links(sorted(where), timeout, concurrency))
    lines, bad = [], 0
    for result in results:
        if result.verdict == "ok":
            continue
        bad += result.verdict in ("dead", "redirected")
        status = result.status if result.status is not None else "no answer"
        detail = f" -> {result.detail}" if result.detail else ""
        lines += [f"{s.file}:{s.line}: {result.verdict} ({status}{detail}) {s.url}" for s in where[result.url]]
    lines.append(f"{len(results)} URL(s) checked, {bad} dead or redirected")
    return lines, 1 if bad else 0
