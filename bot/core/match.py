"""Step 3: rank knowledge entries for a message and turn the scores into a calibrated confidence.

Three kinds of evidence, each with the rapidfuzz scorer that suits it:
- lexical: BM25 over every entry's words (title, question, phrasings, keywords, error strings), with
  typo correction of unknown query words against the index vocabulary (`fuzz.ratio`);
- phrase similarity: the user's prose against each phrasing (`fuzz.token_set_ratio` and
  `token_sort_ratio` on stop-word-free text), which rewards paraphrases;
- pasted errors: each error string inside the whole paste (`fuzz.partial_ratio`), for long logs;
plus the entry's own weights for the signals found in the text (knowledge/*.yaml `signals`).
BM25 picks the candidates, so the slower fuzzy scorers only see a few entries even at 10,000.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from bot.core.diagnosis import Match, Signals
from bot.core.lexicon import Lexicon, load_counts
from bot.core.tokens import split_prose, stem, without_redactions, words
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Entry

# BM25 parameters; b is low because phrasing lists differ a lot in length between entries.
K1, B = 1.2, 0.4
CANDIDATES = 8  # by BM25, plus the entries the signals point at; 6, 8 and 10 rank every case set alike
FINDING_FACTOR = 1.5
CAUSE_MARGIN = 0.02  # how far a specific cause is placed above the generic entry it explains
BOOST_CAP = 1.6  # several independent signals may add up past one decisive signal
MAX_CORRECTIONS = 40
CORRECTION_MEMORY = 50_000  # typo corrections remembered; a running bot meets new words forever
RANKING_FILE = "_ranking.json"
# Field weights in the BM25 document: keywords and error strings say more than a phrasing word.
FIELD_WEIGHTS = {"title": 2.0, "question": 2.0, "phrasings": 1.0, "keywords": 2.5, "error_strings": 2.0}


@dataclass(frozen=True)
class Thresholds:
    """Decision knobs, tuned on our own labelled cases (tests/eval/) and checked on dev.yaml."""

    answer: float = 0.45  # below this top confidence the engine abstains
    near_tie: float = 0.05  # top two raw evidence sums within this margin are a near tie
    offtopic_ceiling: float = 0.3  # confidence cap for messages with no LiveChat/auth vocabulary


# The kinds of evidence an entry gets for a message, in the order of Candidate.evidence:
EVIDENCE = (
    "relative",  # BM25 relative to the best entry for this message
    "absolute",  # BM25 relative to the best this message could score
    "phrase",  # closest phrasing (rapidfuzz)
    "keywords",  # the entry's keywords in the message
    "error",  # one of the entry's error strings pasted
    "signals",  # the entry's weights for the signals found (capped at BOOST_CAP)
    "learned",  # the posterior of the word model learned from labelled messages (bot/core/lexicon.py)
)
TEXT_EVIDENCE = 4  # the first four are about wording: the `text` confidence feature sums them
HAND_SET = (0.25, 0.2, 0.35, 0.2, 0.45, 0.55, 0.0)  # the weights before any fit (no learned evidence)
PROSE_WORDS = 25  # from this many words of prose on, a message counts as all prose


@dataclass(frozen=True)
class RankWeights:
    """How much each kind of evidence adds to an entry's score, for a bare paste (no prose: an error body,
    a log) and for a message of PROSE_WORDS words of prose or more, blended linearly in between. The
    two differ because phrasing similarity means little on a pasted JSON body and much on a described
    symptom. `authbot calibrate` fits them on labelled cases (bot/tools/rank_fit.py) and writes them next
    to the knowledge, because they belong to that knowledge base's phrasings and signals."""

    bare: tuple[float, ...] = HAND_SET
    prose: tuple[float, ...] = HAND_SET

    def at(self, prose_words: int) -> np.ndarray:
        share = min(1.0, prose_words / PROSE_WORDS)
        return (1 - share) * np.asarray(self.bare) + share * np.asarray(self.prose)

    def to_json(self) -> str:
        data = {name: dict(zip(EVIDENCE, getattr(self, name), strict=True)) for name in ("bare", "prose")}
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def load(cls, directory: Path | None) -> RankWeights:
        """The weights fitted for a knowledge folder, or the hand-set ones (no file, or an unreadable
        one: ranking must keep working with a knowledge folder that was never fitted)."""
        if directory is None:
            return cls()
        try:
            data = json.loads((Path(directory) / RANKING_FILE).read_text(encoding="utf-8"))
            # a kind of evidence the file predates counts for nothing, as in the hand-set weights
            return cls(*(tuple(float(data[name].get(kind, 0.0)) for kind in EVIDENCE) for name in ("bare", "prose")))
        except (OSError, ValueError, KeyError, TypeError):
            return cls()


@dataclass(frozen=True)
class Candidate:
    """One entry's evidence for a message, before weighting (what `calibrate` fits the weights on)."""

    index: int
    evidence: np.ndarray  # in EVIDENCE order
    boost: float
    matched: tuple[str, ...]


@dataclass
class Query:
    """A message prepared once for every scorer."""

    full: str  # redacted text without redaction markers, lower-case
    prose_words: list[str]
    all_words: list[str]
    signals: Signals


class _Synonyms:
    """All synonyms in one regex pass (a pass per synonym cost more than the rest of the query)."""

    def __init__(self, synonyms: dict[str, str]) -> None:
        self.table = {k.lower(): v.lower() for k, v in synonyms.items()}
        words = sorted(self.table, key=len, reverse=True)
        self.pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b") if words else None

    def __call__(self, text: str) -> str:
        text = without_redactions(text).lower()
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self.table[m.group(0)], text)


class Matcher:
    """Index of a knowledge base; `rank` scores a prepared query against it."""

    def __init__(
        self, kb: KnowledgeBase, weights: RankWeights | None = None, case_counts: dict[str, Counter[str]] | None = None
    ) -> None:
        """`case_counts`: the labelled messages' words per entry for the learned evidence (default: the
        knowledge folder's `_lexicon.json`; without one there is no learned evidence)."""
        self.kb = kb
        self.weights = weights if weights is not None else RankWeights.load(kb.directory)
        self.entries: list[Entry] = list(kb.entries.values())
        self.normalise = _Synonyms(kb.vocabulary.synonyms)
        counts = case_counts if case_counts is not None else load_counts(kb.directory)
        self.lexicon = Lexicon.build(self.entries, self.normalise, counts) if counts is not None else None
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._lengths: list[float] = []
        self._phrases: list[list[str]] = []
        self._sorted_phrases: list[list[str]] = []
        self._signal_index: dict[str, list[int]] = defaultdict(list)
        self._errors: list[list[tuple[str, frozenset[str]]]] = []
        self._keywords: list[list[str]] = []
        for index, entry in enumerate(self.entries):
            counts: Counter[str] = Counter()
            for field, weight in FIELD_WEIGHTS.items():
                value = getattr(entry, field)
                for text in [value] if isinstance(value, str) else value:
                    for word in words(self.normalise(text)):
                        counts[word] += weight
            for word, tf in counts.items():
                self._postings[word].append((index, tf))
            self._lengths.append(sum(counts.values()))
            phrases = [entry.title, entry.question, *entry.phrasings]
            phrase_words = [words(self.normalise(p)) for p in phrases]
            self._phrases.append([" ".join(w) for w in phrase_words])
            # token_sort_ratio is ratio() on sorted words: sort once here instead of on every query
            self._sorted_phrases.append([" ".join(sorted(w)) for w in phrase_words])
            self._errors.append(
                [(e.lower(), frozenset(words(e))) for e in entry.error_strings if len(e) >= 6]
            )
            keywords = sorted({self.normalise(k) for k in entry.keywords})
            self._keywords.append([(k, " ".join(stem(w) for w in k.split())) for k in keywords])
            for signal in entry.signals:
                self._signal_index[signal].append(index)
        keyword_df = Counter(k for keywords in self._keywords for k, _ in keywords)
        # A keyword many entries share ("personal access token") says little about which one fits.
        self._keyword_weight = {k: 1 / df for k, df in keyword_df.items()}
        total = len(self.entries) or 1
        self._avg_length = sum(self._lengths) / total if self._lengths else 1.0
        self._idf = {
            word: math.log(1 + (total - len(posting) + 0.5) / (len(posting) + 0.5))
            for word, posting in self._postings.items()
        }
        self._max_idf = max(self._idf.values(), default=1.0)
        # BM25's per-posting term weight depends only on the entry, so it is computed once here and a
        # query is a few vectorised adds, even at 10,000 entries.
        self._weights: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for word, posting in self._postings.items():
            indexes = np.fromiter((i for i, _ in posting), dtype=np.int32, count=len(posting))
            tfs = np.fromiter((tf for _, tf in posting), dtype=np.float64, count=len(posting))
            lengths = np.asarray([self._lengths[i] for i in indexes], dtype=np.float64)
            norm = tfs * (K1 + 1) / (tfs + K1 * (1 - B + B * lengths / self._avg_length))
            self._weights[word] = (indexes, norm * self._idf[word])
        self._vocabulary = list(self._postings)
        self._corrections: dict[str, str | None] = {}

    # -- query preparation ---------------------------------------------------------------------

    def prepare(self, redacted_text: str, signals: Signals) -> Query:
        full = self.normalise(redacted_text)
        prose, code = split_prose(full)
        if len(prose.strip()) < 3:
            prose, code = full, ""
        # Only prose is typo-corrected: pasted code and logs are full of ids that are not words.
        prose_words = self._corrected(words(prose))
        return Query(
            full=full,
            prose_words=prose_words[:80],
            all_words=prose_words + words(code),
            signals=signals,
        )

    def knows(self, text: str) -> bool:
        """Whether every word of `text` is one this community uses: the knowledge base's words, the labelled
        messages' (the learned lexicon), stop words, or a typo of one of them ("custmer")."""
        learned = self.lexicon.postings if self.lexicon is not None else {}
        return all(w in self._idf or w in learned for w in self._corrected(words(self.normalise(text))))

    def _corrected(self, tokens: list[str]) -> list[str]:
        """Map misspelt words to index words ('acces' → 'access'); unknown words stay as they are."""
        out, budget = [], MAX_CORRECTIONS
        for token in tokens:
            if token in self._idf or len(token) < 4 or not token.isalpha():
                out.append(token)
                continue
            if token not in self._corrections:
                if budget <= 0:
                    out.append(token)
                    continue
                budget -= 1
                if len(self._corrections) >= CORRECTION_MEMORY:
                    self._corrections.clear()
                found = process.extractOne(token, self._vocabulary, scorer=fuzz.ratio, score_cutoff=82)
                self._corrections[token] = found[0] if found else None
            out.append(self._corrections[token] or token)
        return out

    # -- scoring -------------------------------------------------------------------------------

    def _bm25(self, query_words: list[str]) -> tuple[np.ndarray, float]:
        """BM25 per entry, and the query's own best possible score (for an absolute 0..1 scale)."""
        scores = np.zeros(len(self.entries))
        unique = set(query_words)
        for word in unique:
            weights = self._weights.get(word)
            if weights is not None:
                scores[weights[0]] += weights[1]
        # A document where every query word appears twice at average length scores idf * 1.375 per word;
        # unknown words count at the highest idf, so off-topic words pull the absolute score down.
        ceiling = sum(self._idf.get(w, self._max_idf) for w in unique if not w.isdigit()) * 1.375 or 1.0
        return scores, ceiling

    def _phrase_similarity(self, candidates: list[int], prose_words: list[str]) -> dict[int, float]:
        """Best phrasing similarity per candidate, with one rapidfuzz call per scorer."""
        if not prose_words:
            return {}
        candidates = [i for i in candidates if self._phrases[i]]
        if not candidates:
            return {}
        prose, prose_sorted = " ".join(prose_words), " ".join(sorted(prose_words))
        # cdist scores the whole candidate block in C; reduceat then takes each entry's best phrasing.
        starts = np.cumsum([0] + [len(self._phrases[i]) for i in candidates[:-1]])
        sorted_phrases = [p for i in candidates for p in self._sorted_phrases[i]]
        phrases = [p for i in candidates for p in self._phrases[i]]
        sort_scores = process.cdist([prose_sorted], sorted_phrases, scorer=fuzz.ratio, dtype=np.float32)[0]
        set_scores = process.cdist([prose], phrases, scorer=fuzz.token_set_ratio, dtype=np.float32)[0]
        sort_best = np.maximum.reduceat(sort_scores, starts)
        set_best = np.maximum.reduceat(set_scores, starts)
        # token_set_ratio alone gives 100 to any subset ("token"), so it only counts half.
        combined = (0.55 * sort_best + 0.45 * set_best) / 100
        return dict(zip(candidates, combined.tolist(), strict=True))

    def _error_match(self, index: int, full: str, query_words: set[str]) -> float:
        """1.0 when an error string is in the paste; a typo-tolerant partial match otherwise."""
        best = 0.0
        for error, error_words in self._errors[index]:
            if error in full:
                return 1.0
            # partial_ratio over a 4,000-character paste is the costliest scorer: only run it when
            # most of the error's words are there at all.
            if len(error) >= 12 and len(error_words & query_words) * 2 >= len(error_words):
                score = fuzz.partial_ratio(error, full, score_cutoff=88)
                best = max(best, score / 100)
        return best

    def _keyword_hits(self, index: int, full: str, joined_words: str) -> float:
        hits = 0.0
        for keyword, stemmed in self._keywords[index]:
            if keyword in full or (stemmed and stemmed in joined_words):
                hits += self._keyword_weight[keyword]
        return min(1.0, hits / 2)

    def _signal_boost(self, entry: Entry, signals: Signals) -> tuple[float, tuple[str, ...]]:
        matched = tuple(s for s in entry.signals if s in signals.ids)
        # A finding is a fact about this very request, the most specific evidence there is.
        boost = sum(entry.signals[s] * (FINDING_FACTOR if s.startswith("finding.") else 1.0) for s in matched)
        return min(BOOST_CAP, boost), matched

    def _signalled(self, signals: Signals, exclude: set[int]) -> list[int]:
        """Entries the signals point at, strongest boost first (bounded: shared signals fan out)."""
        boosts: dict[int, float] = defaultdict(float)
        for signal in signals.ids:
            for index in self._signal_index.get(signal, ()):
                if index not in exclude:
                    boosts[index] += self.entries[index].signals[signal]
        return sorted(boosts, key=lambda i: (-boosts[i], i))[:CANDIDATES]

    def candidates(self, query: Query) -> list[Candidate]:
        """The entries worth scoring for this query, each with its unweighted evidence."""
        lexical, ceiling = self._bm25(query.all_words)
        if query.prose_words == query.all_words:  # no code block: the same words, the same scores
            prose_lexical, prose_ceiling = lexical, ceiling
        else:
            prose_lexical, prose_ceiling = self._bm25(query.prose_words)
        indexes = _top_indexes(lexical + prose_lexical, CANDIDATES)
        indexes += self._signalled(query.signals, exclude=set(indexes))
        best_lexical = float(lexical.max(initial=0.0)) or 1.0
        best_prose = float(prose_lexical.max(initial=0.0)) or 1.0
        phrase_scores = self._phrase_similarity(indexes, query.prose_words)
        joined_words = " ".join(query.all_words)
        query_word_set = set(query.all_words)
        learned = self.lexicon.posterior(query_word_set) if self.lexicon is not None else None
        out = []
        for index in indexes:
            boost, matched = self._signal_boost(self.entries[index], query.signals)
            evidence = np.array([
                max(lexical[index] / best_lexical, prose_lexical[index] / best_prose),
                min(1.0, max(lexical[index] / ceiling, prose_lexical[index] / prose_ceiling)),
                phrase_scores.get(index, 0.0),
                self._keyword_hits(index, query.full, joined_words),
                self._error_match(index, query.full, query_word_set),
                boost,
                float(learned[index]) if learned is not None else 0.0,
            ])
            out.append(Candidate(index, evidence, boost, matched))
        return out

    def rank(self, query: Query, limit: int = 5) -> list[Match]:
        matches = []
        weights = self.weights.at(len(query.prose_words))
        for candidate in self.candidates(query):
            weighted = candidate.evidence * weights
            text_score = float(weighted[:TEXT_EVIDENCE].sum())
            raw = float(weighted.sum())
            error = candidate.evidence[4]
            reasons = tuple(f"signal:{s}" for s in candidate.matched) + (("error-string",) if error >= 0.88 else ())
            entry_id = self.entries[candidate.index].id
            matches.append(Match(entry_id, _calibrate(raw), text_score, candidate.boost, raw, reasons))
        matches = self._causes_first(matches, query.signals)
        matches.sort(key=lambda m: m.score, reverse=True)
        return matches[:limit]

    def _causes_first(self, matches: list[Match], signals: Signals) -> list[Match]:
        """An entry that `explains` a generic one goes just above it when its evidence is in the message:
        the generic symptom ("Invalid access token") scores high on the pasted error, the cause (a PAT sent
        with Bearer) is what the user needs. Knowledge declares the relation; no per-case rule here."""
        raw = {m.entry_id: m.raw for m in matches}
        promoted = []
        for match in matches:
            entry = self.kb.entries[match.entry_id]
            # every generic entry this one explains here (the reasons name them: the confidence's lead is
            # measured over the alternatives, not over them), and the ones it must be lifted above
            explained = [
                r.entry for r in entry.explains
                if r.entry in raw and not signals.ids.isdisjoint(r.when) and signals.ids.isdisjoint(r.unless)
            ]
            ahead = [g for g in explained if raw[g] >= match.raw]
            if explained:
                reasons = (*match.reasons, *(f"explains:{g}" for g in explained))
                lifted = max([match.raw, *(raw[g] + CAUSE_MARGIN for g in ahead)])
                match = replace(match, raw=lifted, score=_calibrate(lifted), reasons=reasons)
            promoted.append(match)
        return promoted

    # -- lookup for autocomplete and /faq ----------------------------------------------------------

    def search(self, text: str, limit: int = 25) -> list[Entry]:
        """Entries for what someone is typing (autocomplete, /faq): an id prefix, a few words, a question.

        Each field is scored on its own (`partial_ratio` for ids, `token_set_ratio` for titles, questions
        and phrasings), and for a few words the BM25 index adds its own ranking, so "refresh customer
        token" finds customer-token-refresh even though no single field reads like that.
        """
        text = text.strip().lower()
        if not text:
            return self.entries[:limit]
        best: dict[int, float] = defaultdict(float)
        for index, entry in enumerate(self.entries):
            best[index] = max(
                fuzz.partial_ratio(text, entry.id.replace("-", " ")) if len(text) >= 2 else 0.0,
                fuzz.partial_ratio(text, entry.id),
                fuzz.token_set_ratio(text, entry.title.lower()),
                fuzz.token_set_ratio(text, entry.question.lower()),
                max((fuzz.token_set_ratio(text, p.lower()) for p in entry.phrasings[:6]), default=0.0),
            ) / 100
        query_words = self._corrected(words(self.normalise(text)))
        if len(query_words) >= 2:
            scores, _ = self._bm25(query_words)
            top = float(scores.max(initial=0.0)) or 1.0
            for index in _top_indexes(scores, limit):
                best[index] += 0.6 * float(scores[index]) / top
        ranked = sorted((i for i in best if best[i] >= 0.45), key=lambda i: (-best[i], self.entries[i].id))
        return [self.entries[i] for i in ranked[:limit]]


def _top_indexes(scores: np.ndarray, count: int) -> list[int]:
    """Indexes of the `count` highest positive scores, best first."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) > count:
        positive = positive[np.argpartition(-scores[positive], count)[:count]]
    return sorted(positive.tolist(), key=lambda i: -scores[i])


def _calibrate(raw: float) -> float:
    """Squash the raw evidence sum into [0, 1]; 0.5 sits where dev cases turn from wrong to right."""
    return 1 / (1 + math.exp(-7.0 * (raw - 0.47)))
