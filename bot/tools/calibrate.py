"""`authbot calibrate FILE…`: fit the ranking weights and the confidence model on labelled cases.

    authbot calibrate tests/eval/core.yaml tests/eval/extra.yaml … --out knowledge/_calibration.json

First the ranker's evidence weights (bot/tools/rank_fit.py): top-1 with each file held out whole, with the
hand-set and with the fitted weights, then the fit on all cases goes to `_ranking.json` next to the
calibration. Then the confidence model (bot/core/confidence.py), on the features of the newly ranked
engine. Each case gives the features of the engine's top entry (computed without any calibration) and a label:
1 when that entry is right, 0 otherwise (always 0 for a case that should get no answer). The command first
reports k-fold cross-validated figures (accuracy, expected calibration error, precision and coverage at the
auto-answer threshold), so the fit is judged on cases it did not see; with several files, the same figures
with each file held out whole in turn (closer to how a new set of messages fares). Then it fits on all
cases and writes the weights with the abstain threshold that maximised out-of-fold accuracy. Never pass a sealed set.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bot.core import lexicon
from bot.core.confidence import CALIBRATION_FILE, fit
from bot.core.match import RANKING_FILE, Matcher, Query, RankWeights
from bot.core.pipeline import Engine
from bot.frontends.engine_args import add_knowledge_argument
from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR, KnowledgeBase, KnowledgeError, load_knowledge
from bot.tools import rank_fit
from bot.tools.evaluate import DEFAULT_THRESHOLD, Case, CasesError, load_cases, reliability

# Not below 0.5: below it an answer is more likely wrong than right, and "I don't know" is better (with
# the held-out files 0.45 was chosen once, for a few tenths of a point of accuracy, by letting through
# declines the model put at 0.45-0.5). The engine caps messages with no LiveChat or auth words at 0.3.
THRESHOLDS = np.round(np.arange(0.5, 0.81, 0.025), 3)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", type=Path, nargs="+", help="labelled case files (the `authbot eval` format)")
    parser.add_argument("--out", type=Path, help=f"where to write the fit (default: KNOWLEDGE_DIR/{CALIBRATION_FILE})")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    # 3.0: the best calibration error when each of our case files is held out in turn (1.0: 0.027, 3.0: 0.021)
    parser.add_argument("--l2", type=float, default=3.0, help="L2 penalty on the weights (default 3.0)")
    parser.add_argument("--seed", type=int, default=7, help="fold assignment seed")
    # 0.01: six weights on ~1,000 cases need little penalty; 0.01 ranked best with each file held out
    # (top-1 0.883, against 0.878 at 0.1, 0.857 at 1.0 and 0.849 for the hand-set weights)
    parser.add_argument("--rank-l2", type=float, default=0.01, help="L2 penalty on the ranking weights (default 0.01)")
    add_knowledge_argument(parser)


def dataset(engine: Engine, cases: list[Case]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, label (top entry right) and answerable flag per case."""
    rows, labels, answerable = [], [], []
    for case in cases:
        diagnosis = engine.diagnose(case.message())
        if not diagnosis.features:
            continue  # no entry matched at all: the engine abstains whatever the model says
        rows.append(diagnosis.features)
        labels.append(bool(diagnosis.top and diagnosis.top.entry_id in case.expect))
        answerable.append(bool(case.expect))
    return np.asarray(rows, dtype=float), np.asarray(labels, dtype=float), np.asarray(answerable, dtype=bool)


def accuracy(p: np.ndarray, y: np.ndarray, answerable: np.ndarray, threshold: float | np.ndarray) -> float:
    """Right = answered and the top is right, or abstained on a case that should get no answer."""
    answered = p >= threshold
    return float(np.mean(np.where(answered, y == 1, ~answerable)))


def best_threshold(p: np.ndarray, y: np.ndarray, answerable: np.ndarray) -> float:
    scores = [accuracy(p, y, answerable, t) for t in THRESHOLDS]
    return float(THRESHOLDS[int(np.argmax(scores))])


def out_of_fold(
    x: np.ndarray, y: np.ndarray, answerable: np.ndarray, folds: list[np.ndarray], l2: float
) -> tuple[np.ndarray, np.ndarray]:
    """For each fold (indexes held out), probabilities from a fit on the other cases, and the threshold
    chosen on those other cases, applied to the held-out ones."""
    p = np.zeros(len(y))
    threshold = np.zeros(len(y))
    for held in folds:
        train = np.setdiff1d(np.arange(len(y)), held)
        model = fit(x[train], y[train], l2=l2)
        train_p = np.asarray([model.probability(row) for row in x[train]])
        threshold[held] = best_threshold(train_p, y[train], answerable[train])
        p[held] = [model.probability(row) for row in x[held]]
    return p, threshold


def random_folds(cases: int, folds: int, seed: int) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(cases)
    return [order[fold::folds] for fold in range(folds)]


def file_folds(sizes: list[int]) -> list[np.ndarray]:
    """Each file held out whole. Random folds put every set's wording into training; a file held out whole
    is closer to what a new set of messages looks like."""
    bounds = np.cumsum([0, *sizes])
    return [np.arange(start, end) for start, end in zip(bounds[:-1], bounds[1:], strict=True)]


def figures(p: np.ndarray, y: np.ndarray, answerable: np.ndarray, threshold: np.ndarray) -> str:
    _, ece = reliability(list(zip(p.tolist(), (y == 1).tolist(), strict=True)))
    auto = p >= DEFAULT_THRESHOLD
    precision = float(y[auto].mean()) if auto.any() else 1.0
    coverage = float((auto & (y == 1)).sum() / max(1, answerable.sum()))
    return (
        f"accuracy {accuracy(p, y, answerable, threshold):.3f}  ECE {ece:.3f}  "
        f"at {DEFAULT_THRESHOLD:.2f}: precision {precision:.3f}, coverage {coverage:.3f}"
    )


@dataclass
class _Labelled:
    """The case files as the ranker sees them: each case's query and labels, per file."""

    kb: KnowledgeBase
    queries: list[list[Query]]
    expects: list[list[tuple[str, ...]]]

    def counts(self, groups: Iterable[int]) -> dict[str, Counter[str]]:
        """The learned lexicon's word counts from the given groups' cases."""
        return lexicon.count_cases(
            (query.all_words, expect)
            for g in groups
            for query, expect in zip(self.queries[g], self.expects[g], strict=True)
        )

    def others(self, *excluded: int) -> list[int]:
        return [g for g in range(len(self.queries)) if g not in excluded]

    def stacked(self, groups: list[int], excluded: tuple[int, ...] = ()) -> tuple[np.ndarray, ...]:
        """Choice sets of the groups, each group's learned evidence from a lexicon that never saw it (nor
        the excluded groups): in-sample posteriors are over-confident, and weights fitted on them would
        trust the learned evidence more than it deserves on new messages (stacking)."""
        parts = []
        for g in groups:
            matcher = Matcher(self.kb, RankWeights(), self.counts(self.others(g, *excluded)))
            parts.append(rank_fit.choice_sets(matcher, self.queries[g], self.expects[g]))
        return rank_fit.stack(parts)


def _groups(files: list[tuple[Path, list[Case]]], folds: int, seed: int) -> tuple[str, list[str], list[list[Case]]]:
    """Files as the stacking groups; a single file is split into random folds instead."""
    if len(files) > 1:
        return "file", [path.name for path, _ in files], [cases for _, cases in files]
    cases = files[0][1]
    order = random_folds(len(cases), folds, seed)
    return "fold", [f"fold {i + 1}" for i in range(len(order))], [[cases[i] for i in sorted(fold)] for fold in order]


def labelled_groups(kb: KnowledgeBase, groups: list[list[Case]]) -> _Labelled:
    """Each case prepared once, for the ranking fit and the confidence features alike."""
    base = replace(kb, directory=None)
    engine = Engine(base, ranking=RankWeights(), case_counts=None)
    return _Labelled(
        base,
        [[engine.query(case.message()) for case in cases] for cases in groups],
        [[case.expect for case in cases] for cases in groups],
    )


def fit_ranking(
    labelled: _Labelled, unit: str, names: list[str], l2: float
) -> tuple[RankWeights, dict[str, Counter[str]]]:
    """Ranking weights and the learned lexicon fitted on all groups, after reporting top-1 with each group
    held out (the hand-set weights without learned evidence, against the fit without that group)."""
    base = labelled.kb
    hand_set = Matcher(base, RankWeights(), case_counts=None)
    if len(names) > 1:
        print(f"ranking, top-1 with each {unit} held out (hand-set → fitted weights and learned words):")
        for held, name in enumerate(names):
            train = labelled.others(held)
            weights = rank_fit.fit(*labelled.stacked(train, excluded=(held,)), l2=l2)
            fitted = Matcher(base, weights, labelled.counts(train))
            before = rank_fit.top1(hand_set, labelled.queries[held], labelled.expects[held])
            after = rank_fit.top1(fitted, labelled.queries[held], labelled.expects[held])
            print(f"  {name:<24} {before:.3f} → {after:.3f}")
    everything = labelled.others()
    weights = rank_fit.fit(*labelled.stacked(everything), l2=l2)
    counts = labelled.counts(everything)
    all_queries = [q for part in labelled.queries for q in part]
    all_expects = [e for part in labelled.expects for e in part]
    fitted_top1 = rank_fit.top1(Matcher(base, weights, counts), all_queries, all_expects)
    print(f"ranking weights fitted (top-1 on all cases, in sample {fitted_top1:.3f})")
    return weights, counts


def confidence_dataset(
    labelled: _Labelled, weights: RankWeights, groups: list[list[Case]]
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The confidence model's features per group, each from an engine whose learned lexicon never saw that
    group, so the features look like those of a new message. Features come from the uncalibrated engine:
    the model must not be fitted on its own output."""
    parts = []
    for held, cases in enumerate(groups):
        engine = Engine(labelled.kb, ranking=weights, case_counts=labelled.counts(labelled.others(held)))
        parts.append(dataset(engine, cases))
    return parts


def main(args: argparse.Namespace) -> int:
    directory = args.knowledge or DEFAULT_KNOWLEDGE_DIR
    try:
        kb = load_knowledge(directory)
        files = [(path, load_cases(path)) for path in args.files]
    except (KnowledgeError, CasesError, OSError) as error:
        print(f"cannot calibrate: {error}", file=sys.stderr)
        return 2
    out = args.out or Path(directory) / CALIBRATION_FILE
    unit, names, groups = _groups(files, args.folds, args.seed)
    labelled = labelled_groups(kb, groups)
    weights, counts = fit_ranking(labelled, unit, names, args.rank_l2)
    (out.parent / RANKING_FILE).write_text(weights.to_json(), encoding="utf-8")
    lexicon.save_counts(out.parent / lexicon.LEXICON_FILE, counts)
    print(f"wrote {out.parent / RANKING_FILE} and {out.parent / lexicon.LEXICON_FILE}")
    group_parts = confidence_dataset(labelled, weights, groups)
    # back to files for the per-file report (a single file was split into folds)
    parts = group_parts if len(files) > 1 else [tuple(np.concatenate(k) for k in zip(*group_parts, strict=True))]
    x = np.vstack([part[0] for part in parts])
    y = np.concatenate([part[1] for part in parts])
    answerable = np.concatenate([part[2] for part in parts])
    p, thresholds = out_of_fold(x, y, answerable, random_folds(len(y), args.folds, args.seed), args.l2)
    print(f"cases with a candidate  {len(y)} (of {sum(len(cases) for _, cases in files)})")
    print(f"cross-validated ({args.folds} folds):")
    print(f"  {figures(p, y, answerable, thresholds)}")
    if len(parts) > 1:
        p, thresholds = out_of_fold(x, y, answerable, file_folds([len(part[1]) for part in parts]), args.l2)
        print(f"each file held out ({len(parts)} files):")
        start = 0
        for (path, _), part in zip(files, parts, strict=True):
            end = start + len(part[1])
            part_figures = figures(p[start:end], part[1], part[2], thresholds[start:end])
            print(f"  {path.name:<24} {len(part[1]):>4}  {part_figures}")
            start = end
        print(f"  {'all':<24} {len(y):>4}  {figures(p, y, answerable, thresholds)}")
    model = fit(x, y, l2=args.l2)
    # The abstain threshold is chosen on out-of-fold probabilities (each file held out, when there are
    # several), not on the fit's own: in-sample probabilities are over-confident, and a threshold chosen
    # on them answers too much on messages the fit has not seen.
    model = replace(model, answer_threshold=best_threshold(p, y, answerable))
    out.write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {out} (abstain below {model.answer_threshold:.3f})")
    return 0
