"""The Discord renderer: order of the sections, and Discord's limits for any input."""

from __future__ import annotations

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.answer import entry_answer
from bot.render.embed import CUT_NOTICE, MAX_PAGES, render_sections
from bot.render.limits import pack, split_hard, truncate
from bot.render.sections import Sections, answer_sections


def sections(**changes) -> Sections:
    base = dict(
        title="I get the error",
        headline="The key line.",
        findings=("Your token is a PAT used as Bearer.",),
        steps=("Do this.", "Then that."),
        example_title="Request",
        example_code="curl https://example.com",
        example_language="shell",
        links=(("Docs", "https://platform.text.com/docs/"),),
        confidence="high (0.91)",
        runner_up=("other-entry", "Other entry"),
        related=("related-entry",),
        notes=("Your message was cut.",),
        entry_id="some-entry",
        abstained=False,
    )
    base.update(changes)
    return Sections(**base)


def assert_within_limits(rendered) -> None:
    assert len(rendered.content) <= 2000
    assert 1 <= len(rendered.embeds) <= MAX_PAGES
    for embed in rendered.embeds:
        assert len(embed.title or "") <= 256
        assert len(embed.description or "") <= 4096
        assert len(embed.footer.text or "") <= 2048
        assert len(embed) <= 6000  # discord.py's own count of the embed's characters


def test_order_findings_steps_example_links_runner_up():
    rendered = render_sections(sections())
    text = rendered.embeds[0].description
    order = ["About your request", "Steps", "```shell", "Links", "Also possible"]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert text.startswith("**About your request**\n• Your token is a PAT")
    assert "1. Do this.\n2. Then that." in text
    assert "ℹ️ Your message was cut." in text
    assert "• [Docs](https://platform.text.com/docs/)" in text


def test_key_line_in_content_and_confidence_in_footer():
    rendered = render_sections(sections(), mention="<@42>")
    assert rendered.content == "<@42> **I get the error**\nThe key line."
    assert rendered.embeds[0].footer.text == "Confidence: high (0.91) · FAQ: some-entry"
    assert rendered.embeds[0].colour == discord.Colour.blurple()


def test_abstain_has_no_confidence_and_a_grey_embed():
    rendered = render_sections(sections(abstained=True, entry_id=None, runner_up=None))
    assert rendered.embeds[0].footer.text is None or "Confidence" not in rendered.embeds[0].footer.text
    assert rendered.content == "The key line."
    assert rendered.embeds[0].colour == discord.Colour.light_grey()


def test_related_entries_are_listed():
    description = "".join(embed.description for embed in render_sections(sections()).embeds)
    assert "**See also** (`/faq`): `related-entry`" in description


def test_chosen_entries_show_no_confidence(kb):
    rendered = render_sections(answer_sections(entry_answer(kb, "pat-create")))
    assert rendered.embeds[0].footer.text == "FAQ: pat-create"


def test_long_answer_splits_into_pages_at_line_boundaries():
    steps = tuple(f"Step {n}: " + "word " * 150 for n in range(20))
    rendered = render_sections(sections(steps=steps))
    assert len(rendered.embeds) > 1
    assert_within_limits(rendered)
    joined = "\n".join(e.description for e in rendered.embeds)
    assert all(f"{n + 1}. Step {n}:" in joined for n in range(20))  # nothing lost
    assert rendered.embeds[1].title == "I get the error (continued)"
    assert rendered.embeds[-1].footer.text.endswith(f"Part {len(rendered.embeds)}/{len(rendered.embeds)}")


def test_huge_code_example_is_split_into_balanced_code_blocks():
    code = "\n".join(f"echo line {n} ``` not a fence" for n in range(600))
    rendered = render_sections(sections(example_code=code))
    assert_within_limits(rendered)
    for embed in rendered.embeds:
        assert embed.description.count("```") % 2 == 0


def test_beyond_the_page_cap_the_answer_is_cut_with_a_notice():
    rendered = render_sections(sections(steps=tuple("x " * 2000 for _ in range(20))))
    assert len(rendered.embeds) == MAX_PAGES
    assert rendered.embeds[-1].description.endswith(CUT_NOTICE.strip())
    assert_within_limits(rendered)


def test_over_long_title_and_headline_are_truncated():
    rendered = render_sections(sections(title="T" * 400, headline="H" * 3000), mention="<@1>")
    assert len(rendered.embeds[0].title) == 256 and rendered.embeds[0].title.endswith("…")
    assert len(rendered.content) == 2000


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=3000)


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(min_size=1, max_size=400),
    headline=text,
    findings=st.lists(text, max_size=5),
    steps=st.lists(text, min_size=1, max_size=8),
    code=st.one_of(st.none(), text),
    links=st.lists(st.tuples(st.text(min_size=1, max_size=100), st.just("https://x.test/a")), max_size=40),
    notes=st.lists(text, max_size=3),
)
def test_any_sections_stay_within_discord_limits(title, headline, findings, steps, code, links, notes):
    rendered = render_sections(
        sections(
            title=title,
            headline=headline,
            findings=tuple(findings),
            steps=tuple(steps),
            example_code=code,
            links=tuple(links),
            notes=tuple(notes),
        ),
        mention="<@123456789012345678>",
    )
    assert_within_limits(rendered)


@given(st.lists(st.text(max_size=300), max_size=30), st.integers(min_value=5, max_value=200))
def test_pack_never_exceeds_the_limit_and_keeps_every_character(pieces, limit):
    pages = pack(pieces, limit)
    assert all(len(page) <= limit for page in pages)
    squash = lambda s: "".join(s.split())  # noqa: E731 - separators and page edges are whitespace
    assert squash("".join(pages)) == squash("".join(pieces))


def test_truncate_and_split_hard():
    assert truncate("abcdef", 4) == "abc…"
    assert truncate("abc", 4) == "abc"
    assert split_hard("aaaa\nbb", 3) == ["aaa", "a", "bb"]


def test_other_questions_are_listed_with_their_entries_and_the_uncovered_ones_named():
    rendered = render_sections(
        sections(more=(("can the token last 30 days?", "token-lifetime-limits", "How long tokens last"),),
                 uncovered=("how do I get the next page?",))
    )
    description = rendered.embeds[0].description
    assert "**Your other questions**" in description
    assert "“can the token last 30 days?” → **How long tokens last** (`/faq token-lifetime-limits`)" in description
    assert "“how do I get the next page?”: not an authorization question I can answer" in description
    assert_within_limits(rendered)
