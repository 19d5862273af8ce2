"""One token check from start to end (inspect offline, then maybe live) and the text both front ends show.

The report holds the `Inspection`, whose raw token is excluded from repr; `lines()` and `to_public()`
only ever use the redacted form. The live check is skipped (with the reason said) when the user opted
out, live checks are off in settings, or the credential has nothing that can be checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.credentials.apis import APIS
from bot.credentials.inspect import Inspection, inspect_token
from bot.credentials.livechat import LiveChecker, LiveResult

SKIPPED_BY_USER = "Live check skipped, as you asked."
SKIPPED_BY_SETTINGS = "Live checks are turned off on this bot."
SKIPPED_BROKEN = "Live check skipped: fix the problems above first."


@dataclass(frozen=True)
class TokenReport:
    inspection: Inspection
    api: str | None
    live: LiveResult | None
    skipped: str | None  # why there was no live check

    def lines(self, *, markdown: bool = False) -> list[str]:
        def heading(text: str) -> str:
            return f"**{text}**" if markdown else text

        inspection = self.inspection
        lines = [f"{heading('What it is:')} {inspection.label} `{inspection.redacted}`"]
        if inspection.account_id:
            lines.append(f"Account ID (the Basic username): `{inspection.account_id}`")
        if self.api in APIS:
            lines.append(f"API you call: {APIS[self.api].name}")
        if inspection.problems:
            lines += ["", heading("Problems with what you pasted:")]
            lines += [f"• {p.message}" for p in inspection.problems]
        if inspection.notes:
            lines += ["", heading("Notes:")]
            lines += [f"• {note}" for note in inspection.notes]
        lines.append("")
        if self.live is not None:
            lines.append(f"{heading('Live check:')} {self.live.message}")
            lines += [d if d.startswith("•") else f"• {d}" for d in self.live.details]
        elif self.skipped:
            lines.append(f"{heading('Live check:')} {self.skipped}")
        return lines

    def text(self, *, markdown: bool = False) -> str:
        return "\n".join(self.lines(markdown=markdown)).strip()

    def to_public(self) -> dict[str, Any]:
        """JSON view for `authbot check-token --json`: no raw value in it."""
        inspection = self.inspection
        live = self.live
        return {
            "kind": inspection.kind.value,
            "redacted": inspection.redacted,
            "region": inspection.region,
            "account_id": inspection.account_id,
            "pasted_scheme": inspection.pasted_scheme,
            "problems": [{"id": p.id, "message": p.message} for p in inspection.problems],
            "notes": list(inspection.notes),
            "api": self.api,
            "live": None if live is None else {
                "outcome": live.outcome.value,
                "message": live.message,
                "details": list(live.details),
                "token_type": live.info.token_type if live.info else None,
                "account_id": live.info.account_id if live.info else None,
                "organization_id": live.info.organization_id if live.info else None,
                "client_id": live.info.client_id if live.info else None,
                "entity_id": live.info.entity_id if live.info else None,
                "expires_in": live.info.expires_in if live.info else None,
                "scopes": list(live.info.scopes) if live.info and live.info.scopes is not None else None,
                "retry_after": live.retry_after,
            },
            "skipped": self.skipped,
        }


async def check_token(
    pasted: str,
    *,
    checker: LiveChecker | None,
    api: str | None = None,
    account_id: str | None = None,
    live: bool = True,
    live_enabled: bool = True,
) -> TokenReport:
    """Inspect `pasted` offline, then check it live unless told not to. `checker=None` means offline."""
    inspection = inspect_token(pasted, account_id=account_id)
    api = api if api in APIS else None
    if not live:
        return TokenReport(inspection, api, None, SKIPPED_BY_USER)
    if not live_enabled or checker is None:
        return TokenReport(inspection, api, None, SKIPPED_BY_SETTINGS)
    if not inspection.token:
        return TokenReport(inspection, api, None, SKIPPED_BROKEN)
    return TokenReport(inspection, api, await checker.check(inspection, api), None)
