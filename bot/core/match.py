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

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.diagnosis import Match, Signals
from bot.core.tokens import split_prose, stem, without_redactions, words
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Entry

# BM25 parameters; b is low because phrasing lists differ a lot in length between entries.
K1, B = 1.2, 0.4
CANDIDATES = 24
MAX_CORRECTIONS = 40
# Field weights in the BM25 document: keywords and error strings say more than a phrasing word.
FIELD_WEIGHTS = {"title": 2.0, "question": 2.0, "phrasings": 1.0, "keywords": 2.5, "error_strings": 2.0}


@dataclass(frozen=True)
class Thresholds:
    """Decision knobs, tuned on our own labelled cases (tests/eval/) and checked on dev.yaml."""

    answer: float = 0.45  # below this top confidence the engine abstains
    near_tie: float = 0.05  # top two raw evidence sums within this margin are a near tie
    offtopic_ceiling: float = 0.3  # confidence cap for messages with no LiveChat/auth vocabulary


@dataclass
class Query:
    """A message prepared once for every scorer."""

    full: str  # redacted text without redaction markers, lower-case
    prose: str  # what the user wrote outside code fences, lower-case
    prose_words: list[str]
    all_words: list[str]
    signals: Signals


def _normalise(text: str, synonyms: dict[str, str]) -> str:
    text = without_redactions(text).lower()
    for word, canonical in synonyms.items():
        text = re.sub(rf"\b{re.escape(word)}\b", canonical, text)
    return text


class Matcher:
    """Index of a knowledge base; `rank` scores a prepared query against it."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.entries: list[Entry] = list(kb.entries.values())
        self.synonyms = {k.lower(): v.lower() for k, v in kb.vocabulary.synonyms.items()}
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._lengths: list[float] = []
        self._phrases: list[list[str]] = []
        self._errors: list[list[str]] = []
        self._keywords: list[list[str]] = []
        for index, entry in enumerate(self.entries):
            counts: Counter[str] = Counter()
            for field, weight in FIELD_WEIGHTS.items():
                value = getattr(entry, field)
                for text in [value] if isinstance(value, str) else value:
                    for word in words(_normalise(text, self.synonyms)):
                        counts[word] += weight
            for word, tf in counts.items():
                self._postings[word].append((index, tf))
            self._lengths.append(sum(counts.values()))
            phrases = [entry.title, entry.question, *entry.phrasings]
            self._phrases.append([" ".join(words(_normalise(p, self.synonyms))) for p in phrases])
            self._errors.append([e.lower() for e in entry.error_strings if len(e) >= 6])
            self._keywords.append(sorted({_normalise(k, self.synonyms) for k in entry.keywords}))
        keyword_df = Counter(k for keywords in self._keywords for k in set(keywords))
        # A keyword many entries share ("personal access token") says little about which one fits.
        self._keyword_weight = {k: 1 / df for k, df in keyword_df.items()}
        total = len(self.entries) or 1
        self._avg_length = sum(self._lengths) / total if self._lengths else 1.0
        self._idf = {
            word: math.log(1 + (total - len(posting) + 0.5) / (len(posting) + 0.5))
            for word, posting in self._postings.items()
        }
        self._max_idf = max(self._idf.values(), default=1.0)
        self._vocabulary = list(self._postings)
        self._corrections: dict[str, str | None] = {}

    # -- query preparation ---------------------------------------------------------------------

    def prepare(self, redacted_text: str, signals: Signals) -> Query:
        full = _normalise(redacted_text, self.synonyms)
        prose, _ = split_prose(full)
        if len(prose.strip()) < 3:
            prose = full
        return Query(
            full=full,
            prose=prose[:600],
            prose_words=self._corrected(words(prose))[:80],
            all_words=self._corrected(words(full)),
            signals=signals,
        )

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
                found = process.extractOne(token, self._vocabulary, scorer=fuzz.ratio, score_cutoff=82)
                self._corrections[token] = found[0] if found else None
            out.append(self._corrections[token] or token)
        return out

    # -- scoring -------------------------------------------------------------------------------

    def _bm25(self, query_words: list[str]) -> tuple[dict[int, float], float]:
        """BM25 per entry, and the query's own best possible score (for an absolute 0..1 scale)."""
        scores: dict[int, float] = defaultdict(float)
        unique = set(query_words)
        for word in unique:
            idf = self._idf.get(word)
            if idf is None:
                continue
            for index, tf in self._postings[word]:
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * self._lengths[index] / self._avg_length))
                scores[index] += idf * norm
        # A document where every query word appears twice at average length scores idf * 1.375 per word;
        # unknown words count at the highest idf, so off-topic words pull the absolute score down.
        ceiling = sum(self._idf.get(w, self._max_idf) for w in unique if not w.isdigit()) * 1.375 or 1.0
        return scores, ceiling

    def coverage(self, query_words: list[str]) -> float:
        """Share of the query's informative words that the knowledge base knows at all."""
        unique = {w for w in query_words if not w.isdigit()}
        if not unique:
            return 0.0
        known = sum(self._idf.get(w, 0.0) for w in unique)
        total = sum(self._idf.get(w, self._max_idf) for w in unique)
        return known / total

    def _phrase_similarity(self, index: int, prose: str) -> float:
        if not prose:
            return 0.0
        best = process.extractOne(prose, self._phrases[index], scorer=fuzz.token_sort_ratio)
        best_set = process.extractOne(prose, self._phrases[index], scorer=fuzz.token_set_ratio)
        sort_score = best[1] if best else 0.0
        set_score = best_set[1] if best_set else 0.0
        # token_set_ratio alone gives 100 to any subset ("token"), so it only counts half.
        return (0.55 * sort_score + 0.45 * set_score) / 100

    def _error_match(self, index: int, full: str) -> float:
        best = 0.0
        for error in self._errors[index]:
            if error in full:
                return 1.0
            if len(error) >= 12:
                score = fuzz.partial_ratio(error, full, score_cutoff=88)
                best = max(best, score / 100)
        return best

    def _keyword_hits(self, index: int, query: Query) -> float:
        keywords = self._keywords[index]
        if not keywords:
            return 0.0
        joined = " ".join(query.all_words)
        hits = 0.0
        for keyword in keywords:
            stemmed = " ".join(stem(w) for w in keyword.split())
            if keyword in query.full or (stemmed and stemmed in joined):
                hits += self._keyword_weight[keyword]
        return min(1.0, hits / 2)

    def _signal_boost(self, entry: Entry, signals: Signals) -> tuple[float, tuple[str, ...]]:
        matched = tuple(s for s in entry.signals if s in signals.ids)
        return min(1.0, sum(entry.signals[s] for s in matched)), matched

    def rank(self, query: Query, limit: int = 5) -> list[Match]:
        lexical, ceiling = self._bm25(query.all_words)
        prose_lexical, prose_ceiling = self._bm25(query.prose_words)
        boosts = {i: self._signal_boost(e, query.signals) for i, e in enumerate(self.entries)} if len(
            self.entries
        ) <= 500 else {}
        candidates = sorted(lexical, key=lexical.__getitem__, reverse=True)[:CANDIDATES]
        candidates += [i for i, (boost, _) in boosts.items() if boost > 0 and i not in candidates]
        best_lexical = max(lexical.values(), default=0.0) or 1.0
        best_prose = max(prose_lexical.values(), default=0.0) or 1.0
        matches = []
        for index in candidates:
            entry = self.entries[index]
            boost, matched = boosts.get(index) or self._signal_boost(entry, query.signals)
            relative = max(lexical.get(index, 0.0) / best_lexical, prose_lexical.get(index, 0.0) / best_prose)
            absolute = min(1.0, max(lexical.get(index, 0.0) / ceiling, prose_lexical.get(index, 0.0) / prose_ceiling))
            phrase = self._phrase_similarity(index, " ".join(query.prose_words))
            error = self._error_match(index, query.full)
            keywords = self._keyword_hits(index, query)
            text_score = 0.25 * relative + 0.2 * absolute + 0.35 * phrase + 0.2 * keywords
            raw = text_score + 0.45 * error + 0.55 * boost
            reasons = tuple(f"signal:{s}" for s in matched) + (("error-string",) if error >= 0.88 else ())
            matches.append(Match(entry.id, _calibrate(raw), text_score, boost, raw, reasons))
        matches.sort(key=lambda m: m.score, reverse=True)
        return matches[:limit]

    # -- lookup for autocomplete and /faq ----------------------------------------------------------

    def search(self, text: str, limit: int = 25) -> list[Entry]:
        """Entries whose id, title or question fit a few typed characters (for autocomplete)."""
        text = text.strip().lower()
        if not text:
            return self.entries[:limit]
        choices = {i: f"{e.id} {e.title} {e.question}".lower() for i, e in enumerate(self.entries)}
        found = process.extract(text, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=45)
        return [self.entries[index] for _, _, index in found]


def _calibrate(raw: float) -> float:
    """Squash the raw evidence sum into [0, 1]; 0.5 sits where dev cases turn from wrong to right."""
    return 1 / (1 + math.exp(-7.0 * (raw - 0.55)))
