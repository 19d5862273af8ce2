"""Gap clusters as lines: size, nearest entry, a redacted and escaped representative."""

from __future__ import annotations

from bot.learning.clusters import Cluster
from bot.render.gaps import cluster_lines

FAKE = "dal:FAKE_test_token_000000000000"


def test_lines_show_size_nearest_entry_and_a_redacted_escaped_representative():
    clusters = [
        Cluster(4, f"my **token** {FAKE} is\nrefused " + "again " * 40, "invalid-access-token", 0.412, (0, 1, 2, 3)),
        Cluster(1, "pizza?", None, 0.0, (4,)),
    ]

    big, small = cluster_lines(clusters, escape=lambda s: s.replace("*", "\\*"), preview=60)

    assert big.startswith("4 questions · nearest invalid-access-token (0.41) · “my \\*\\*token\\*\\* [agent-access-token")
    assert FAKE not in big and big.endswith("…”") and "\n" not in big
    assert small == "1 question · no entry near · “pizza?”"
