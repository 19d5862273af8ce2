"""Discord rendering of an answer's `Sections`: message content plus embeds, always within limits.

The key line goes in the message content as well, because users with link previews turned off
never see embeds. The embed keeps the shared order: what we found in the user's own request
first, then numbered steps, the example as a code block, links, and a runner-up; confidence sits
in the footer. Everything goes in the description (4,096 characters) rather than fields (1,024),
so an answer only spills over when it is genuinely long: it then continues in further embeds, one
per message, because the 6,000-character total applies to all embeds of a message together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import discord

from bot.core.redact import scrub
from bot.render.limits import CONTENT, EMBED_DESCRIPTION, EMBED_TITLE, FOOTER, pack, split_hard, truncate
from bot.render.sections import Sections

MAX_PAGES = 5  # five full embeds is ~20,000 characters: far past any real entry, short of a flood
CUT_NOTICE = "\n\n*…the rest of this answer is too long for Discord; see the links or ask a helper.*"
ANSWER_COLOUR = discord.Colour.blurple()
ABSTAIN_COLOUR = discord.Colour.light_grey()
CLOSE_FENCE = "\n```"
FENCE_BREAK = "`\u200b``"  # stops a ``` inside the example from closing our code block


@dataclass(frozen=True)
class Rendered:
    """One answer: `content` goes with the first embed; each further embed is its own message."""

    content: str
    embeds: tuple[discord.Embed, ...]


def _block(heading: str, lines: list[str]) -> Iterator[str]:
    """A heading glued to its first line (so it never ends a page alone), then the other lines."""
    if not lines:
        return
    yield f"\n**{heading}**\n{lines[0]}"
    yield from lines[1:]


def _code(heading: str, code: str, language: str) -> Iterator[str]:
    code = code.replace("```", FENCE_BREAK)
    overhead = len(f"\n**{heading}**\n```{language}\n\n```")
    for index, chunk in enumerate(split_hard(code, EMBED_DESCRIPTION - overhead)):
        fenced = f"```{language}\n{chunk}\n```"
        yield f"\n**{heading}**\n{fenced}" if index == 0 else fenced


def _pieces(sections: Sections) -> Iterator[str]:
    about = [f"• {finding}" for finding in sections.findings] + [f"ℹ️ {note}" for note in sections.notes]
    yield from _block("About your request", about)
    yield from _block("Steps", [f"{number}. {step}" for number, step in enumerate(sections.steps, 1)])
    if sections.hidden_steps:
        noun = "step" if sections.hidden_steps == 1 else "steps"
        yield f"*… {sections.hidden_steps} more {noun} and the example: **Show all steps** below.*"
    if sections.example_code:
        yield from _code(sections.example_title or "Example", sections.example_code, sections.example_language)
    yield from _block("Links", [f"• [{title}]({url})" for title, url in sections.links])
    yield from _block(
        "Your other questions",
        [f"• “{question}” → **{title}** (`/faq {entry_id}`)" for question, entry_id, title in sections.more]
        + [f"• “{question}”: not an authorization question I can answer" for question in sections.uncovered],
    )
    if sections.runner_up:
        entry_id, title = sections.runner_up
        yield f"\n**Also possible:** {title} (`{entry_id}`)"
    if sections.related:
        yield "\n**See also** (`/faq`): " + ", ".join(f"`{entry_id}`" for entry_id in sections.related)


def _pages(sections: Sections) -> list[str]:
    pages = pack(_pieces(sections), EMBED_DESCRIPTION) or [sections.headline]
    if len(pages) > MAX_PAGES:
        pages = pages[:MAX_PAGES]
        cut = truncate(pages[-1], EMBED_DESCRIPTION - len(CUT_NOTICE) - len(CLOSE_FENCE), marker="")
        if cut.count("```") % 2:  # cut inside the example: close its code block
            cut += CLOSE_FENCE
        pages[-1] = cut + CUT_NOTICE
    return pages


def _footer(sections: Sections, page: int, total: int) -> str:
    # no confidence for an entry someone chose by name (there was no guess) or for an abstain
    parts = [f"Confidence: {sections.confidence}"] if sections.confidence and not sections.abstained else []
    if sections.entry_id:
        parts.append(f"FAQ: {sections.entry_id}")
    if total > 1:
        parts.append(f"Part {page}/{total}")
    return truncate(" · ".join(parts), FOOTER)


def render_sections(sections: Sections, *, mention: str | None = None) -> Rendered:
    """`mention` (e.g. the asker or the helper role) leads the content; only it may ping."""
    pages = _pages(sections)
    colour = ABSTAIN_COLOUR if sections.abstained else ANSWER_COLOUR
    embeds = []
    for number, description in enumerate(pages, 1):
        title = sections.title if number == 1 else f"{sections.title} (continued)"
        # scrub: the last check on the way out (a finding quotes the user's text; it must hold no secret).
        embed = discord.Embed(
            title=truncate(scrub(title), EMBED_TITLE),
            description=truncate(scrub(description), EMBED_DESCRIPTION),
            colour=colour,
        )
        embed.set_footer(text=truncate(scrub(_footer(sections, number, len(pages))), FOOTER))
        embeds.append(embed)
    lead = f"**{sections.title}**\n" if not sections.abstained else ""
    content = scrub(f"{lead}{sections.headline}")
    if mention:
        content = f"{mention} {content}"
    return Rendered(content=truncate(content, CONTENT), embeds=tuple(embeds))
