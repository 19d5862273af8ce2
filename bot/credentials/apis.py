"""Which token each LiveChat API takes, and the scopes it needs — ONLY where the research says so.

Source: ../shared/research/livechat-auth.md sections 1, 4 and 6. Where the research is silent about
scopes (Agent Chat, Configuration, Reports) `scope_note` is None and the report says we can't tell.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiInfo:
    key: str
    name: str
    accepts: frozenset[str]  # token types it takes: "agent", "customer", "pat"
    scope_note: str | None  # a sourced statement about scopes, or None when we can't tell
    required_scopes: frozenset[str] = frozenset()  # scopes we can check an agent token for


APIS: dict[str, ApiInfo] = {
    api.key: api
    for api in (
        ApiInfo("agent-chat", "Agent Chat API", frozenset({"agent", "pat"}), None),
        ApiInfo(
            "customer-chat",
            "Customer Chat API",
            frozenset({"customer"}),
            "The Customer Chat API takes a customer access token. To create customer tokens from your "
            "backend (the `agent_token` grant), your agent token needs the `customers:own` scope.",
            frozenset({"customers:own"}),
        ),
        ApiInfo("configuration", "Configuration API", frozenset({"agent", "pat"}), None),
        ApiInfo("reports", "Reports API", frozenset({"agent", "pat"}), None),
        ApiInfo(
            "global-accounts",
            "Global Accounts API",
            frozenset({"agent", "pat"}),
            "`GET /v2/accounts/me` takes a PAT (Basic) or a Bearer token with the `accounts--my:ro` scope.",
            frozenset({"accounts--my:ro"}),
        ),
        ApiInfo(
            "helpdesk",
            "HelpDesk API",
            frozenset({"agent", "pat"}),
            "HelpDesk's docs say to create the PAT with the `accounts--my:ro` scope.",
        ),
    )
}

#: What to call a token type in a sentence.
TYPE_NAMES = {"agent": "an agent token", "customer": "a customer token", "pat": "a Personal Access Token"}
