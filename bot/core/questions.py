"""Step 2b: the separate questions in one message ("1) how do I page list_chats? 2) can the token last 30
days?"), so each authorization question gets its entry and the rest are named as not covered.

Real messages bundle questions: about one in eight of those measured (tests/eval/REAL_SHAPED_PATTERNS.md).
A question is a list item or a sentence ending in "?"; code blocks and log lines are context, not questions.
"""

from __future__ import annotations

import re

MAX_QUESTIONS = 6
_FENCE = re.compile(r"```.*?(?:```|$)", re.S)
_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•]|\(\d{1,2}\)|[a-z]\))\s+(?=\S)", re.M)
_SENTENCE_END = re.compile(r"(?<=[?])\s+|(?<=[.!])\s+(?=[A-Z])")
_QUESTION_WORDS = re.compile(
    r"^(?:how|can|could|is|are|does|do|did|what|why|where|when|which|should|would|will|any(?:one)?|is there)\b",
    re.I,
)


def _is_question(sentence: str) -> bool:
    sentence = sentence.strip()
    return sentence.endswith("?") or bool(_QUESTION_WORDS.match(sentence))


def split_questions(text: str) -> list[str]:
    """The questions in `text`, in order: list items that ask something, and "?" sentences in prose.
    Fewer than two means the message is one question (the caller then reads it whole)."""
    prose = _FENCE.sub("\n", text)
    items = [part for part in _ITEM.split(prose) if part.strip()]
    questions: list[str] = []
    for item in items:
        sentences = [s.strip() for s in _SENTENCE_END.split(" ".join(item.split())) if s.strip()]
        if len(items) > 1 and any(_is_question(s) for s in sentences):
            questions.append(" ".join(sentences))  # a list item keeps its own context
            continue
        context: list[str] = []  # statements before a question belong to it ("My PAT gives 401. Why?")
        for sentence in sentences:
            if _is_question(sentence) and len(sentence) >= 12:
                questions.append(" ".join([*context, sentence]))
                context = []
            else:
                context.append(sentence)
    return questions[:MAX_QUESTIONS]


def excerpt(question: str, limit: int = 90) -> str:
    """How a question is quoted back: one line, shortened at a word."""
    line = " ".join(question.split())
    if len(line) <= limit:
        return line
    return line[: line.rfind(" ", 0, limit - 1) if " " in line[:limit] else limit - 1] + "…"
