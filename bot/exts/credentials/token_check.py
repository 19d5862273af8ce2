"""`/token-check`: check a LiveChat token privately.

The token is typed into a modal, never a slash option, so it never appears in the channel or in the
command's visible options. On submit we defer ephemerally at once (the live check may take up to the
HTTP timeout, past Discord's 3 s deadline), inspect offline, check live unless the user unticked it or
settings turn live checks off, and answer ephemerally. One `LiveChecker` (one AsyncClient) per cog.
"""

from __future__ import annotations

import logging
import traceback

import discord
from discord import app_commands
from discord.ext import commands

from bot import metrics
from bot.app import AuthBot
from bot.core.redact import scrub
from bot.credentials.apis import APIS
from bot.credentials.livechat import LiveChecker, Outcome
from bot.credentials.report import TokenReport, check_token
from bot.store import queries
from bot.utils.replies import NO_MENTIONS

log = logging.getLogger(__name__)

COOLDOWN_RATE, COOLDOWN_PER = 5, 600.0  # per user: a live check costs LiveChat a request
EMBED_LIMIT = 4096
COLORS = {
    Outcome.valid: discord.Color.green(),
    Outcome.invalid: discord.Color.red(),
    Outcome.insufficient_scope: discord.Color.orange(),
    Outcome.bad_request: discord.Color.red(),
}
SORRY = "Something went wrong while checking the token. Nothing was stored; please try again later."


def report_embed(report: TokenReport) -> discord.Embed:
    text = report.text(markdown=True)
    if len(text) > EMBED_LIMIT:
        text = text[: EMBED_LIMIT - 1] + "…"
    color = COLORS.get(report.live.outcome, discord.Color.greyple()) if report.live else discord.Color.greyple()
    embed = discord.Embed(title="Token check", description=text, color=color)
    embed.set_footer(text="Only you can see this. I don't store or log the token.")
    return embed


class TokenCheckModal(discord.ui.Modal):
    def __init__(self, cog: TokenCheck) -> None:
        super().__init__(title="Check a LiveChat token", timeout=600)
        self.cog = cog
        self.token = discord.ui.TextInput(
            custom_id="token", style=discord.TextStyle.paragraph, max_length=4000,
            placeholder="dal:… access token, a Basic value, or account_id:PAT",
        )
        self.add_item(discord.ui.Label(text="Token", description="Only you and I see it.", component=self.token))
        self.live: discord.ui.Checkbox | None = None
        if cog.live_enabled:
            self.live = discord.ui.Checkbox(custom_id="live", default=True)
            self.add_item(discord.ui.Label(
                text="Check it live with LiveChat",
                description="Sent only to LiveChat's accounts server. Untick to check offline.",
                component=self.live,
            ))
        self.api = discord.ui.Select(
            custom_id="api", required=False, placeholder="Not sure / not saying",
            options=[discord.SelectOption(label=api.name, value=api.key) for api in APIS.values()],
        )
        self.add_item(discord.ui.Label(text="Which API do you call with it?", component=self.api))
        self.account_id = discord.ui.TextInput(
            custom_id="account_id", required=False, max_length=64, placeholder="b7eff798-f8df-4364-8059-649c35c9ed0c"
        )
        self.add_item(discord.ui.Label(
            text="Account ID (only for a raw PAT)", description="Not secret: the Basic username.",
            component=self.account_id,
        ))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        # First thing, before any work: the callback must reach Discord within 3 s.
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await check_token(
            self.token.value,
            checker=self.cog.checker,
            api=self.api.values[0] if self.api.values else None,
            account_id=self.account_id.value or None,
            live=self.live.value if self.live is not None else True,
            live_enabled=self.cog.live_enabled,
        )
        outcome = report.live.outcome.value if report.live else "offline"
        metrics.LIVE_CHECKS.labels(outcome).inc()
        log.info("token check by user %s: %s, %s", interaction.user.id, report.inspection.kind.value, outcome)
        await interaction.followup.send(embed=report_embed(report), ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        # Tracebacks can repeat the token (it is a local variable in every frame above): redact it all.
        log.error("token check failed:\n%s", scrub("".join(traceback.format_exception(error))))
        if interaction.response.is_done():
            await interaction.followup.send(SORRY, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(SORRY, ephemeral=True, allowed_mentions=NO_MENTIONS)


class TokenCheck(commands.Cog):
    def __init__(self, bot: AuthBot) -> None:
        self.bot = bot
        self.checker: LiveChecker | None = None

    @property
    def live_enabled(self) -> bool:
        return self.bot.settings.live_token_checks

    async def cog_load(self) -> None:
        if self.live_enabled:
            self.checker = LiveChecker(self.bot.settings)

    async def cog_unload(self) -> None:
        if self.checker is not None:
            await self.checker.aclose()

    @app_commands.command(name="token-check", description="Check a LiveChat token privately (it never shows here).")
    @app_commands.checks.cooldown(COOLDOWN_RATE, COOLDOWN_PER)
    async def token_check(self, interaction: discord.Interaction) -> None:
        self.bot.record(queries.count, "command", "token-check")
        await interaction.response.send_modal(TokenCheckModal(self))


async def setup(bot: AuthBot) -> None:
    await bot.add_cog(TokenCheck(bot))
