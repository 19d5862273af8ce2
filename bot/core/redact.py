"""Step 1: find credentials and replace them with a redacted form before anything else sees the text.

The text is normalised first (normalize.py: invisible characters, look-alikes, escapes, wrapped lines),
the detectors (detectors.py) read the normalised text, and each hit is mapped back to the span of the
*original* text it came from. That span is what gets replaced, so a token hidden with a zero-width space or
written as `dal%253A…` disappears whole, and the rest of the message reads as the person wrote it.

A redacted form names the kind and shows at most 4 characters of the secret (its last 4), and none when
the secret is shorter than 20 characters. A region prefix (`dal:`) is not secret and stays visible.
"""

from __future__ import annotations

import re

from bot.core.detectors import REGION_TOKEN, Hit, base64_text, detect, random_runs
from bot.core.diagnosis import Credential, CredentialKind
from bot.core.normalize import normalize
from bot.core.secret_shapes import EMAIL, UUID

# The token shapes and decoders inspect.py and the live check share with redaction.
__all__ = [
    "EMAIL", "REGION_TOKEN", "UUID", "base64_text", "find_credentials", "redact", "redact_text", "redacted_form",
    "scrub",
]

#: Secrets shorter than this show no characters at all in their redacted form.
MIN_LENGTH_FOR_TAIL = 20


def redacted_form(kind: CredentialKind, value: str, prefix_len: int = 0) -> str:
    """`[kind prefix…tail]`: the non-secret prefix (`dal:`), then the last 4 characters of long secrets."""
    prefix, secret = value[:prefix_len], value[prefix_len:]
    tail = secret[-4:] if len(secret) >= MIN_LENGTH_FOR_TAIL else ""
    shown = f"{prefix}…{tail}" if prefix or tail else "…"
    return f"[{kind.value} {shown}]"


def _prefix_len(hit: Hit, value: str) -> int:
    if hit.region and value.lower().startswith(hit.region):
        rest = value[len(hit.region) :]
        return len(hit.region) + (3 if rest[:3].lower() == "%3a" else 1)
    return 0


def _credential(hit: Hit, normalized_text: str, original: str, span: tuple[int, int]) -> Credential:
    value = normalized_text[hit.start : hit.end]
    written = original[span[0] : span[1]].lower()
    return Credential(
        kind=hit.kind,
        redacted=redacted_form(hit.kind, value, _prefix_len(hit, value)),
        start=span[0],
        end=span[1],
        raw=value,
        scheme=hit.scheme,
        region=hit.region,
        account_id=hit.account_id,
        percent_encoded=hit.region is not None and ("%3a" in written or "%253a" in written),
        source=hit.source,
    )


# Our own redacted forms (`[agent-access-token dal:…ab12]`; NFKC turns the ellipsis into three dots) are
# never matched again, so redacting twice changes nothing.
_MARKER = re.compile(
    r"\[(?:" + "|".join(re.escape(kind.value) for kind in CredentialKind) + r") [^\]\n]{0,40}\]"
)


def _outside_markers(text: str, hits: list[Hit]) -> list[Hit]:
    if "[" not in text:
        return hits
    markers = [m.span() for m in _MARKER.finditer(text)]
    return [h for h in hits if not any(h.start < end and start < h.end for start, end in markers)]


def find_credentials(text: str) -> list[Credential]:
    """Every credential in `text`, with `start`/`end` spans of `text` itself (not of its normalised form)."""
    normalized = normalize(text)
    credentials = []
    for hit in _outside_markers(normalized.text, detect(normalized.text)):
        span = normalized.span(hit.start, hit.end)
        if span[1] > span[0]:
            credentials.append(_credential(hit, normalized.text, text, span))
    return credentials


def redact(text: str, credentials: list[Credential] | None = None) -> tuple[str, list[Credential]]:
    """Return the text with every credential replaced by its redacted form, and the credentials."""
    if credentials is None:
        credentials = find_credentials(text)
    parts: list[str] = []
    cursor = 0
    for credential in credentials:
        if credential.start < cursor:
            continue  # two hits that map into one original escape: the first already covers it
        parts.append(text[cursor : credential.start])
        parts.append(credential.redacted)
        cursor = credential.end
    parts.append(text[cursor:])
    return "".join(parts), credentials


def redact_text(text: str) -> str:
    """Convenience for logs and exception messages: the redacted text only."""
    return redact(text)[0]


#: The egress check masks random-looking runs from this length on, context or not.
EGRESS_MIN_RUN = 20


def scrub(text: str) -> str:
    """The last check on anything that leaves the process: replies, embeds, DMs, log lines, stored rows, CSV
    cells, exception text. Everything the detectors find is redacted, and so is any random-looking run of
    EGRESS_MIN_RUN characters or more that is not a known-safe shape (ids, hashes, words, paths).
    Idempotent: redacted forms are never matched again."""
    redacted = redact_text(text)
    normalized = normalize(redacted)
    runs = [normalized.span(h.start, h.end) for h in random_runs(normalized.text, min_length=EGRESS_MIN_RUN)]
    if not runs:
        return redacted
    parts, cursor = [], 0
    for start, end in runs:
        parts += [redacted[cursor:start], redacted_form(CredentialKind.unknown_secret, redacted[start:end])]
        cursor = end
    return "".join(parts) + redacted[cursor:]
