"""`authbot eval FILE`: how well the engine answers labelled cases (the format of tests/eval/*.yaml).

A case is right when its `expect` list is empty and the bot abstained, or the bot answered and its
top entry is in `expect`. Top-1/top-3 are over answerable cases; abstain precision/recall treat
"should abstain" as the positive class.

Calibration: a case's confidence is the top entry's, and the event it predicts is "the top entry is right"
(never, for a case that should get no answer). Expected calibration error (ECE) weighs each of ten equal
confidence bins' |accuracy − mean confidence| by its share of cases. At the threshold, precision is the
share of answers at or above it that are right, coverage the share of answerable cases answered right at or
above it. Auto-answers are what a help channel posts unprompted: the same, and only for messages with
LiveChat-specific evidence (hosts, token shapes, error bodies, API names).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Collection
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml

from bot.core.pipeline import Engine
from bot.frontends.engine_args import add_knowledge_argument, engine_from_args
from bot.knowledge.loader import duplicate_keys
from bot.tools.progress import track


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    expect: tuple[str, ...]
    image_text: str = ""  # what a screenshot in the message shows (the bot reads it with OCR)

    def message(self, *, images: bool = True) -> str:
        """The text the bot reads: the message, and the screenshot's text as OCR appends it."""
        return f"{self.text}\n\n{self.image_text}" if images and self.image_text else self.text


DEFAULT_THRESHOLD = 0.85  # the help channels' default HELP_CHANNEL_THRESHOLD
BINS = 10


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    cases: int
    confidence: float  # mean confidence in the bin
    accuracy: float  # share whose top entry is right


@dataclass(frozen=True)
class Summary:
    cases: int
    accuracy: float
    top1: float
    top3: float
    abstain_precision: float
    abstain_recall: float
    p50_ms: float
    p99_ms: float
    ece: float
    threshold: float
    precision_at_threshold: float  # answers at or above the threshold that are right
    coverage_at_threshold: float  # answerable cases answered right at or above it
    auto_answer_precision: float  # the same, counting only messages with LiveChat-specific evidence
    auto_answer_coverage: float
    reliability: tuple[Bin, ...]
    wrong: tuple[str, ...]


class CasesError(ValueError):
    """A cases file we can't use, described by file, line or case number only: one problem per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_cases(path: Path, entry_ids: Collection[str] | None = None) -> list[Case]:
    """The labelled cases in `path`; with `entry_ids`, every id a case expects must be one of them.

    Strict, because a mistake here measures the wrong thing quietly: a case without `expect` would count
    as "should abstain", a misspelt id as a wrong answer, a repeated key keeps only its last value. Errors
    never quote the file: cases are pasted user messages, and the line PyYAML would show may hold a token.
    """
    try:
        loader = yaml.SafeLoader(path.read_text(encoding="utf-8"))
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else []
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise CasesError([f"{where}: invalid YAML (the line is not shown: it may hold a credential)"]) from None
    except yaml.YAMLError:
        raise CasesError([f"{path}: invalid YAML"]) from None
    except RecursionError:  # PyYAML composes nested collections recursively
        raise CasesError([f"{path}: nested too deeply"]) from None
    if not isinstance(data, list):
        raise CasesError([f"{path}: expected a list of cases"])
    problems = [f"{path}:{line}: {message}" for line, message in duplicate_keys(node)]
    cases = []
    for number, item in enumerate(data, 1):
        if not isinstance(item, dict) or "id" not in item or "text" not in item:
            raise CasesError([*problems, f"{path}: case {number} is not a mapping with `id` and `text`"])
        line = node.value[number - 1].start_mark.line + 1
        if "expect" not in item:
            problems.append(
                f"{path}:{line}: case {item['id']} has no `expect` (write `expect: []` for a message that "
                "should get no answer)"
            )
            continue
        expect = item["expect"] or []
        if not isinstance(expect, list):
            problems.append(f"{path}:{line}: case {item['id']}: `expect` must be a list of entry ids")
            continue
        unknown = [str(e) for e in expect if entry_ids is not None and str(e) not in entry_ids]
        problems += [f"{path}:{line}: case {item['id']} expects unknown entry '{e}'" for e in unknown]
        image_text = str(item.get("image_text") or "")
        cases.append(Case(str(item["id"]), str(item["text"]), tuple(str(e) for e in expect), image_text))
    if problems:
        raise CasesError(problems)
    return cases


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def _percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def reliability(points: list[tuple[float, bool]], bins: int = BINS) -> tuple[tuple[Bin, ...], float]:
    """Reliability table and expected calibration error of (confidence, right) pairs."""
    table, ece = [], 0.0
    for number in range(bins):
        low, high = number / bins, (number + 1) / bins
        inside = [(c, r) for c, r in points if low <= c < high or (number == bins - 1 and c == 1.0)]
        if not inside:
            continue
        confidence = sum(c for c, _ in inside) / len(inside)
        accuracy = sum(r for _, r in inside) / len(inside)
        table.append(Bin(low, high, len(inside), round(confidence, 4), round(accuracy, 4)))
        ece += abs(accuracy - confidence) * len(inside) / len(points)
    return tuple(table), ece


def evaluate(
    engine: Engine,
    cases: list[Case],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    images: bool = True,
    progress: TextIO | None = None,
) -> tuple[Summary, list[dict[str, Any]]]:
    """Score `cases`; `progress`: where to draw a progress bar (only if it is a terminal)."""
    predictions, latencies, wrong = [], [], []
    points: list[tuple[float, bool]] = []
    auto_answered = auto_right = confident = confident_right = 0
    right = top1 = top3 = answerable = 0
    abstained_right = abstained_total = should_abstain = 0
    engine.diagnose("warm-up")  # first call pays for lazy imports and caches
    for case in track(cases, "eval", progress):
        diagnosis = engine.diagnose(case.message(images=images))
        ranked = [m.entry_id for m in diagnosis.matches]
        latencies.append(diagnosis.ms)
        confidence = diagnosis.top.score if diagnosis.top else 0.0
        top_right = bool(ranked) and ranked[0] in case.expect
        points.append((confidence, top_right))
        if not diagnosis.abstained and confidence >= threshold:
            confident += 1
            confident_right += top_right
            if diagnosis.livechat_evidence:
                auto_answered += 1
                auto_right += top_right
        row = {
            "id": case.id, "ranked": ranked, "abstained": diagnosis.abstained, "confidence": round(confidence, 4),
            "evidence": diagnosis.livechat_evidence, "ms": round(diagnosis.ms, 3),
        }
        predictions.append(row)
        if case.expect:
            answerable += 1
            top1 += bool(ranked) and ranked[0] in case.expect and not diagnosis.abstained
            top3 += any(r in case.expect for r in ranked[:3])
            ok = not diagnosis.abstained and bool(ranked) and ranked[0] in case.expect
        else:
            should_abstain += 1
            ok = diagnosis.abstained
        if diagnosis.abstained:
            abstained_total += 1
            abstained_right += not case.expect
        right += ok
        if not ok:
            wrong.append(case.id)
    table, ece = reliability(points)
    summary = Summary(
        cases=len(cases),
        accuracy=_ratio(right, len(cases)),
        top1=_ratio(top1, answerable),
        top3=_ratio(top3, answerable),
        abstain_precision=_ratio(abstained_right, abstained_total),
        abstain_recall=_ratio(abstained_right, should_abstain),
        p50_ms=_percentile(latencies, 50),
        p99_ms=_percentile(latencies, 99),
        ece=ece,
        threshold=threshold,
        precision_at_threshold=_ratio(confident_right, confident),
        coverage_at_threshold=_ratio(confident_right, answerable),
        auto_answer_precision=_ratio(auto_right, auto_answered),
        auto_answer_coverage=_ratio(auto_right, answerable),
        reliability=table,
        wrong=tuple(wrong),
    )
    return summary, predictions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="labelled cases (YAML list of {id, text, expect})")
    parser.add_argument("--predictions", type=Path, help="write one JSON line per case to this file")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument(
        "--threshold", type=float, default=DEFAULT_THRESHOLD,
        help=f"auto-answer threshold for precision and coverage (default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument(
        "--no-images", action="store_true", help="ignore cases' image_text (as if screenshots could not be read)"
    )
    add_knowledge_argument(parser)


def main(args: argparse.Namespace) -> int:
    engine = engine_from_args(args)
    if engine is None:
        return 2
    try:
        cases = load_cases(args.file, engine.kb.entries)
    except CasesError as error:
        for problem in error.problems:
            print(f"cannot read cases: {problem}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError) as error:
        print(f"cannot read cases: {error}", file=sys.stderr)
        return 2
    summary, predictions = evaluate(engine, cases, args.threshold, images=not args.no_images, progress=sys.stderr)
    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as out:
            for row in predictions:
                out.write(json.dumps(row) + "\n")
    if args.json:
        print(json.dumps(asdict(summary), indent=2))
        return 0
    print(f"cases              {summary.cases}")
    print(f"accuracy           {summary.accuracy:.3f}")
    print(f"top-1 (answerable) {summary.top1:.3f}")
    print(f"top-3 (answerable) {summary.top3:.3f}")
    print(f"abstain precision  {summary.abstain_precision:.3f}")
    print(f"abstain recall     {summary.abstain_recall:.3f}")
    print(f"latency p50 / p99  {summary.p50_ms:.2f} ms / {summary.p99_ms:.2f} ms")
    print(f"calibration (ECE)  {summary.ece:.3f}")
    print(
        f"at {summary.threshold:.2f}            precision {summary.precision_at_threshold:.3f}, "
        f"coverage {summary.coverage_at_threshold:.3f} of answerable cases"
    )
    print(
        f"auto-answers       precision {summary.auto_answer_precision:.3f}, "
        f"coverage {summary.auto_answer_coverage:.3f} (with LiveChat evidence, as help channels answer)"
    )
    print("reliability        confidence   cases  mean conf  right")
    for row in summary.reliability:
        span = f"{row.low:.1f}–{row.high:.1f}"
        print(f"                   {span}  {row.cases:7}  {row.confidence:9.3f}  {row.accuracy:.3f}")
    if summary.wrong:
        print(f"wrong              {', '.join(summary.wrong)}")
    return 0
