"""Text search for `~` and `!~`: a small, honest approximation of Jira's Lucene matching.

What it does, as Jira Cloud documents for text fields: terms are case-insensitive; several
terms must all occur (AND), in any order; `"\\"a phrase\\""` must occur as consecutive words;
`*` at the end of a term matches any suffix (`auth*`); `?` is read as `*` at the end of the term,
as Jira Cloud does. Words are runs of letters and digits. A light English plural folding
(`bugs`→`bug`, `queries`→`query`, `boxes`→`box`) stands in for Jira's stemmer.

Limits: no full stemming (`authenticating` does not match `authenticate`), no stop words,
no leading or inner wildcards. Lucene operators inside the search string (`AND`, `OR`, `NOT`,
`+`, `-`, `&&`, `||`, parentheses) raise `JqlEvaluationError` rather than being guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from jiramcp.sandbox._jql_errors import JqlEvaluationError

__all__ = ["TextQuery", "adf_text", "compile_text_query", "tokenize"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_QUERY_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
# Lucene reads these only in capitals; lowercase `or` is an ordinary word.
_LUCENE_OPERATORS = frozenset({"AND", "OR", "NOT", "&&", "||", "!"})


def _fold(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=32768)
def tokenize(text: str) -> tuple[str, ...]:
    """Lowercased, plural-folded words of a text."""
    return tuple(_fold(word) for word in _WORD.findall(text.lower()))


def adf_text(node: Any) -> str:
    """Plain text of an ADF document (text nodes, mentions, emoji, dates, links' text), or a plain string."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node
    parts: list[str] = []
    _collect(node, parts)
    return " ".join(parts)


def _collect(node: Any, parts: list[str]) -> None:
    if isinstance(node, list):
        for child in node:
            _collect(child, parts)
        return
    if not isinstance(node, Mapping):
        return
    kind = node.get("type")
    if kind == "text":
        parts.append(str(node.get("text", "")))
    elif kind in ("mention", "emoji", "status"):
        attrs = node.get("attrs") or {}
        parts.append(str(attrs.get("text") or attrs.get("shortName") or ""))
    elif kind == "inlineCard":
        parts.append(str((node.get("attrs") or {}).get("url", "")))
    _collect(node.get("content"), parts)


class TextQuery:
    """A compiled `~` operand: all terms must match one text (any of the field's texts)."""

    def __init__(self, terms: tuple[tuple[str, ...], ...], prefixes: tuple[str, ...]) -> None:
        self._phrases = terms
        self._prefixes = prefixes

    def matches(self, texts: Iterable[str]) -> bool:
        """True if every term occurs in the union of the words of `texts`."""
        words: list[str] = []
        sequences: list[tuple[str, ...]] = []
        for text in texts:
            tokens = tokenize(text)
            words.extend(tokens)
            sequences.append(tokens)
        vocabulary = set(words)
        for prefix in self._prefixes:
            if not any(word.startswith(prefix) for word in vocabulary):
                return False
        for phrase in self._phrases:
            if len(phrase) == 1:
                if phrase[0] not in vocabulary:
                    return False
            elif not any(_contains_run(tokens, phrase) for tokens in sequences):
                return False
        return True


def _contains_run(tokens: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    width = len(phrase)
    return any(tokens[i : i + width] == phrase for i in range(len(tokens) - width + 1))


@lru_cache(maxsize=1024)
def compile_text_query(text: str) -> TextQuery:
    """Compile a `~` search string; raise `JqlEvaluationError` for what the sandbox cannot match."""
    phrases: list[tuple[str, ...]] = []
    prefixes: list[str] = []
    for match in _QUERY_TOKEN.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            tokens = tokenize(phrase)
            if tokens:
                phrases.append(tokens)
            continue
        if word in _LUCENE_OPERATORS or word.startswith(("+", "-", "(")) or word.endswith(")"):
            raise JqlEvaluationError(
                f"The sandbox cannot evaluate the text search operator in '{text}' "
                "(only terms, quoted phrases and a trailing * are supported)."
            )
        wildcard = word.endswith(("*", "?"))
        core = word.rstrip("*?")
        if "*" in core or "?" in core or (wildcard and not core):
            raise JqlEvaluationError(
                f"The sandbox cannot evaluate the wildcard in '{word}' (only a trailing * is supported)."
            )
        if wildcard:
            # A prefix is not folded: `bug*` must also match `bugs`.
            prefixes.extend(w for w in _WORD.findall(core.lower()))
        else:
            phrases.extend((token,) for token in tokenize(core))
    if not phrases and not prefixes:
        raise JqlEvaluationError(f"The sandbox cannot evaluate an empty text search '{text}'.")
    return TextQuery(tuple(phrases), tuple(prefixes))
