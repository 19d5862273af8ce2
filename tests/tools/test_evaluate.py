"""`authbot eval` prints the contract's figures and writes one prediction per case."""

from __future__ import annotations

import json
from pathlib import Path

from bot.core.lexicon import LEXICON_FILE
from bot.core.match import EVIDENCE
from bot.tools.evaluate import reliability
from tests.conftest import run_authbot

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"

CASES = """
- id: t1
  text: How do I create a Personal Access Token?
  expect: [pat-create]
- id: t2
  text: how do I bake bread
  expect: []
- id: t3
  text: '{"error":{"type":"authentication","message":"Invalid access token"}}'
  expect: [invalid-access-token]
- id: t4
  text: How do I bake cookies?
  expect: [pat-create]
"""


def test_eval_summary_and_predictions(tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(CASES)
    predictions = tmp_path / "predictions.jsonl"
    result = run_authbot("eval", str(cases), "--predictions", str(predictions), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["cases"] == 4
    assert summary["accuracy"] == 0.75  # t4 expects an answer to an off-topic question: the bot abstains
    assert summary["top1"] == 2 / 3
    assert summary["abstain_precision"] == 0.5 and summary["abstain_recall"] == 1.0
    assert summary["p50_ms"] > 0 and summary["p99_ms"] >= summary["p50_ms"]
    rows = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["t1", "t2", "t3", "t4"]
    assert rows[0]["ranked"][0] == "pat-create" and rows[1]["abstained"] is True
    assert set(rows[2]) == {"id", "ranked", "abstained", "confidence", "evidence", "ms"}
    assert all(0.0 <= r["confidence"] <= 1.0 for r in rows) and rows[0]["confidence"] >= 0.85
    assert 0.0 <= summary["ece"] <= 1.0 and summary["threshold"] == 0.85
    assert summary["precision_at_threshold"] == 1.0  # t1 and t3 are answered confidently and right
    assert summary["coverage_at_threshold"] == 2 / 3  # t4 (answerable by label) gets no answer
    assert sum(b["cases"] for b in summary["reliability"]) == 4
    assert 0.0 <= summary["auto_answer_coverage"] <= summary["coverage_at_threshold"]


def test_reliability_table_and_expected_calibration_error() -> None:
    points = [(0.95, True)] * 9 + [(0.95, False)] + [(0.35, False)] * 6 + [(0.35, True)] * 4
    table, ece = reliability(points)
    assert [(b.low, b.cases, b.accuracy) for b in table] == [(0.3, 10, 0.4), (0.9, 10, 0.9)]
    # |0.4 - 0.35| and |0.9 - 0.95|, each for half of the cases
    assert abs(ece - 0.05) < 1e-9


def test_eval_text_output_and_bad_file(tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(CASES)
    result = run_authbot("eval", str(cases))
    assert "accuracy           0.750" in result.stdout and "wrong              t4" in result.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text("- id: x\n  text: [unclosed\n")
    failed = run_authbot("eval", str(broken))
    assert failed.returncode == 2 and "cannot read cases" in failed.stderr


def test_bench_runs_on_small_generated_bases() -> None:
    result = run_authbot("bench", "--rounds", "2", "--sizes", "60", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    names = ["real", "real/4000-chars", "real/100KB-paste", "real/100KB-one-line", "leak-guard/chat", "generated-60"]
    assert [r["name"] for r in rows] == names
    assert rows[5]["entries"] == 60
    assert all(r["p99_ms"] >= r["p50_ms"] > 0 and r["peak_memory_mib"] > 0 for r in rows)


def test_a_yaml_error_names_the_file_and_line_but_never_shows_the_line(tmp_path: Path) -> None:
    token = "dal:FAKE_eval_yaml_token_0000001"
    broken = tmp_path / "broken.yaml"
    broken.write_text(f"- id: ok\n  text: fine\n- id: x\n  text: Authorization: Bearer {token}\n")
    failed = run_authbot("eval", str(broken))
    assert failed.returncode == 2
    assert failed.stderr.strip() == (
        f"cannot read cases: {broken}:4: invalid YAML (the line is not shown: it may hold a credential)"
    )
    assert "FAKE_eval" not in failed.stdout + failed.stderr


def test_a_case_that_is_not_a_mapping_is_reported_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "cases.yaml"
    broken.write_text("- id: ok\n  text: fine\n  expect: []\n- just text with dal:FAKE_eval_case_token_0000002\n- id: y\n")
    failed = run_authbot("eval", str(broken))
    assert failed.returncode == 2 and "Traceback" not in failed.stderr
    assert failed.stderr.strip().splitlines() == [
        f"cannot read cases: {broken}: case 2 is not a mapping with `id` and `text`",
    ]
    assert "FAKE_eval" not in failed.stdout + failed.stderr


def test_calibrate_reports_cross_validated_figures_and_writes_the_fit(tmp_path: Path) -> None:
    out = tmp_path / "calibration.json"
    result = run_authbot("calibrate", "tests/eval/core.yaml", "tests/eval/extra.yaml", "--folds", "3", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "cross-validated (3 folds)" in result.stdout and " ECE " in result.stdout
    data = json.loads(out.read_text())
    assert len(data["weights"]) == len(data["features"]) == len(data["mean"])
    ranking = json.loads((tmp_path / "_ranking.json").read_text())  # written next to the calibration
    assert set(ranking) == {"bare", "prose"} and all(len(end) == len(EVIDENCE) for end in ranking.values())
    # the learned lexicon: word counts per entry id, never message text
    learned = json.loads((tmp_path / LEXICON_FILE).read_text())
    assert learned and set(learned) <= {entry.stem for entry in KNOWLEDGE.glob("[!_]*.yaml")}
    assert all(isinstance(c, int) and " " not in w for counts in learned.values() for w, c in counts.items())
    assert 0.2 <= data["answer_threshold"] <= 0.8
    missing = run_authbot("calibrate", str(tmp_path / "nope.yaml"), "--out", str(out))
    assert missing.returncode == 2 and "cannot calibrate" in missing.stderr


def test_a_screenshot_case_is_read_with_its_image_text_unless_told_not_to(tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "- id: s1\n  text: getting this error in postman, screenshot attached\n"
        "  image_text: '401 Unauthorized {\"error\":{\"type\":\"authentication\",\"message\":\"Invalid access token\"}}'\n"
        "  expect: [invalid-access-token]\n"
    )
    read = json.loads(run_authbot("eval", str(cases), "--json").stdout)
    unread = json.loads(run_authbot("eval", str(cases), "--json", "--no-images").stdout)
    assert read["accuracy"] == 1.0 and unread["accuracy"] == 0.0


def test_cases_must_say_what_they_expect_with_known_ids_and_no_duplicate_keys(tmp_path: Path) -> None:
    """Issue 13 point 9: a case without `expect` silently meant "abstain", unknown ids passed, and a key
    written twice kept the last value unnoticed."""
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "- id: c1\n  text: How do I create a Personal Access Token?\n  expect: [pat-creat]\n"
        "- id: c2\n  text: how do I bake bread\n"
        "- id: c3\n  text: token expired\n  text: refresh token\n  expect: []\n"
    )
    result = run_authbot("eval", str(cases))
    assert result.returncode == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr
    problems = [line.removeprefix("cannot read cases: ") for line in result.stderr.strip().splitlines()]
    assert f"{cases}:1: case c1 expects unknown entry 'pat-creat'" in problems
    assert any(p.startswith(f"{cases}:4: case c2 has no `expect`") for p in problems), problems
    assert f"{cases}:8: duplicate key 'text' (first at line 7)" in problems


def _on_a_terminal(*args: str) -> str:
    """Output of `authbot ARGS` run on a pseudo-terminal (stdout and stderr both the terminal)."""
    import os
    import pty
    import sys

    from tests.conftest import REPO

    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(REPO)
        os.execv(sys.executable, [sys.executable, "-m", "bot", *args])
    output = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child has exited and closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.waitpid(pid, 0)
    os.close(fd)
    return output.decode(errors="replace")


def test_long_work_shows_progress_on_a_terminal_and_nothing_when_piped() -> None:
    """Issue 13 point 7: `bench` printed nothing for ~13 s, `eval` on large files likewise."""
    for args, label in ((("bench", "--rounds", "1", "--sizes", "200"), "bench ["), (("eval", "tests/eval/core.yaml"), "eval [")):
        shown = _on_a_terminal(*args)
        assert f"\r{label}" in shown and "Traceback" not in shown, shown[-2000:]
        piped = run_authbot(*args)
        assert piped.returncode == 0 and label not in piped.stdout + piped.stderr


def test_calibrate_also_holds_out_each_file_in_turn(tmp_path: Path) -> None:
    """Random folds mix every set's wording into training; a file held out whole is what a new set looks like."""
    out = tmp_path / "calibration.json"
    result = run_authbot(
        "calibrate", "tests/eval/core.yaml", "tests/eval/extra.yaml", "tests/eval/holdout.yaml", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "each file held out (3 files):" in result.stdout
    lines = result.stdout.splitlines()
    held = lines.index("each file held out (3 files):")
    rows = [line.split() for line in lines[held + 1 : held + 5]]
    assert [row[0] for row in rows] == ["core.yaml", "extra.yaml", "holdout.yaml", "all"]
    assert all("accuracy" in row and "ECE" in row for row in rows)
    assert int(rows[-1][1]) == sum(int(row[1]) for row in rows[:-1])  # "all" is the three files together
    ranked = lines.index("ranking, top-1 with each file held out (hand-set → fitted weights and learned words):")
    assert [line.split()[0] for line in lines[ranked + 1 : ranked + 4]] == ["core.yaml", "extra.yaml", "holdout.yaml"]
    one = run_authbot("calibrate", "tests/eval/core.yaml", "--folds", "3", "--out", str(out))
    assert one.returncode == 0 and "each file held out" not in one.stdout  # one file: nothing to hold out
