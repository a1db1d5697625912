"""Split JQL text into tokens, the way Jira's own lexer does.

The rules follow Jira's grammar: an unquoted string runs until whitespace or one of
`" ' = ! < > ( ) ~ , [ ] | &`; the characters `{ } * / % + ^ $ # @ ? ;` are reserved and must be
quoted; `-` and `.` are ordinary (issue keys, relative dates, versions, property paths); escapes
`\\t \\n \\r \\" \\' \\\\ \\<space> \\uXXXX` work inside and outside quotes; keywords are
case-insensitive. Unquoted reserved words (`select`, `update`, ...) come out as strings; the parser
refuses them where it can also suggest a better fix (a multi-word value that merely contains one).

A token is a tuple `(kind, value, start, end, quoted)`: `kind` is one of the `K_*` names below
(keywords by their lowercase spelling), `value` the decoded text.
"""

from __future__ import annotations

import re

from jiramcp.jql._ast import Span
from jiramcp.jql._errors import JQLSyntaxError

Token = tuple[str, str, int, int, bool]

K_STR = "str"
K_NUM = "num"
K_EOF = "eof"

# Jira's words that must be quoted to be used as values or names (Atlassian's JQL reference,
# "Reserved words"; Jira's JqlStringSupportImpl also reserves "changed").
RESERVED_WORDS: frozenset[str] = frozenset(
    """abort access add after alias all alter and any as asc audit avg before begin between boolean
    break by byte catch cf changed char character check checkpoint collate collation column commit
    connect continue count create current date decimal declare decrement default defaults define
    delete delimiter desc difference distinct divide do double drop else empty encoding end equals
    escape exclusive exec execute exists explain false fetch file field first float for from function
    go goto grant greater group having identified if immediate in increment index initial inner inout
    input insert int integer intersect intersection into is isempty isnull join last left less like
    limit lock long max min minus mode modify modulo more multiply next noaudit not notin nowait null
    number object of on option or order outer output power previous prior privileges public raise raw
    remainder rename resource return returns revoke right row rowid rownum rows select session set
    share size sqrt start strict string subtract sum synonym table then to trans transaction trigger
    true uid union unique update user validate values view when whenever where while with""".split()  # noqa: SIM905
)

# Words the lexer turns into keyword tokens (case-insensitive); `null` is `empty`.
_KEYWORD_WORDS = "and or not in is empty was changed before after from to on during order by asc desc cf"
KEYWORDS: dict[str, str] = {word: word for word in _KEYWORD_WORDS.split()}
KEYWORDS["null"] = "empty"

RESERVED_CHARS = "{}*/%+^$#@?;"
_PUNCT = {"&": "and", "&&": "and", "|": "or", "||": "or"}

# Control characters Jira refuses anywhere outside escapes (its CONTROLCHARS: C0 minus \n \r, DEL,
# C1, and the Unicode non-characters).
_CTRL = r"\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
_WS = " \t\n\r\f"
_WORD_CHAR = rf"""[^{_WS}"'=!<>()~,\[\]|&\\{re.escape(RESERVED_CHARS)}{_CTRL}]"""
# One match per token, leading whitespace included; loops are unrolled (`a*(?:\\.a*)*`) because
# Python's engine is much slower on `(?:a|\\.)+`. Group numbers are the token classes below.
_TOKEN_RE = re.compile(
    rf"""([{_WS}]*)(?:
    ((?:{_WORD_CHAR}|\\[\s\S]){_WORD_CHAR}*(?:\\[\s\S]{_WORD_CHAR}*)*)
    |(!=|!~|>=|<=|&&|\|\||[=~<>!(),\[\]&|])
    |("[^"\\{_CTRL}]*(?:\\[\s\S][^"\\{_CTRL}]*)*"|'[^'\\{_CTRL}]*(?:\\[\s\S][^'\\{_CTRL}]*)*')
    |([^{_WS}]))""",
    re.VERBOSE,
)
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|[tnr\"'\\ ])")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "'": "'", "\\": "\\", " ": " "}
# A chunk of text with no whitespace or structural character: what to wrap in quotes when it
# holds a reserved character.
_CHUNK_CHARS = frozenset(_WS + "\"'=!<>()~,[]|&")


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if len(code) == 5 else _ESCAPES[code]


def decode(raw: str, start: int, text: str) -> str:
    """Resolve the escapes in `raw` (which starts at `start` in `text`); reject unknown ones."""
    if "\\" not in raw:
        return raw
    position = 0
    while True:
        position = raw.find("\\", position)
        if position < 0:
            break
        if not _ESCAPE_RE.match(raw, position):
            at = start + position
            bad = raw[position : position + 2]
            fixed = text[:at] + "\\" + text[at:]
            raise JQLSyntaxError(
                f"Illegal escape sequence {bad!r}: JQL knows \\t \\n \\r \\\" \\' \\\\ \\<space> and "
                "\\uXXXX. To search for a backslash, write it twice.",
                Span(at, at + len(bad)),
                ("escape sequence",),
                fix=fixed,
                replacement="\\" + bad,
            )
        position += 2
    return _ESCAPE_RE.sub(_unescape, raw)


def quote_text(value: str) -> str:
    """Double-quote `value` so Jira reads it back exactly (escapes for `"`, `\\`, control chars)."""
    out = value.replace("\\", "\\\\").replace('"', '\\"')
    if _NEEDS_CONTROL_ESCAPE.search(out):
        out = _NEEDS_CONTROL_ESCAPE.sub(_escape_control, out)
    return f'"{out}"'


_NEEDS_CONTROL_ESCAPE = re.compile(rf"[{_CTRL}]")
_CONTROL_NAMES = {"\t": "\\t"}


def _escape_control(match: re.Match[str]) -> str:
    char = match.group(0)
    return _CONTROL_NAMES.get(char) or f"\\u{ord(char):04x}"


def tokenize(text: str) -> list[Token]:
    """Tokenize `text`; the list ends with an `eof` token. Raises JQLSyntaxError."""
    tokens: list[Token] = []
    append = tokens.append
    keywords = KEYWORDS
    punct = _PUNCT
    end = 0
    # findall hands back plain tuples (one C call for the whole text); positions follow from the
    # lengths because matches are contiguous (only trailing whitespace goes unmatched).
    for space, word, op, quoted, _bad in _TOKEN_RE.findall(text):
        start = end + len(space)
        if word:
            end = start + len(word)
            keyword = keywords.get(word.lower())
            if keyword is not None:
                append((keyword, word, start, end, False))
                continue
            digits = word[1:] if word[0] == "-" else word
            if digits.isdigit() and digits.isascii():
                append((K_NUM, word, start, end, False))
            elif "\\" in word:
                append((K_STR, decode(word, start, text), start, end, False))
            else:
                append((K_STR, word, start, end, False))
        elif op:
            end = start + len(op)
            append((punct.get(op, op), op, start, end, False))
        elif quoted:
            end = start + len(quoted)
            append((K_STR, decode(quoted[1:-1], start + 1, text), start, end, True))
        else:
            _raise_bad_character(text, start)
    append((K_EOF, "", len(text), len(text), False))
    return tokens


def _chunk(text: str, start: int) -> tuple[int, int]:
    """The run of non-space, non-structural characters around `start`."""
    left = start
    while left > 0 and text[left - 1] not in _CHUNK_CHARS:
        left -= 1
    right = start + 1
    while right < len(text) and text[right] not in _CHUNK_CHARS:
        right += 1
    return left, right


def _raise_bad_character(text: str, start: int) -> None:
    char = text[start]
    if char in RESERVED_CHARS:
        left, right = _chunk(text, start)
        replacement = quote_text(text[left:right])
        raise JQLSyntaxError(
            f"The character '{char}' is reserved in JQL: quote the value that contains it ({replacement}).",
            Span(left, right),
            ("quoted string",),
            fix=text[:left] + replacement + text[right:],
            replacement=replacement,
        )
    if char in "\"'":
        _raise_open_quote(text, start, char)
    if char == "\\":
        # A lone backslash at the very end.
        raise JQLSyntaxError(
            "A backslash must be followed by the character it escapes; write \\\\ for a backslash.",
            Span(start, start + 1),
            ("escape sequence",),
            fix=text[:start] + "\\\\" + text[start + 1 :],
            replacement="\\\\",
        )
    raise JQLSyntaxError(
        f"The character {char!r} (U+{ord(char):04X}) is not allowed in JQL outside an escape.",
        Span(start, start + 1),
        (),
        fix=text[:start] + f"\\u{ord(char):04x}" + text[start + 1 :] if ord(char) > 0x20 else None,
        replacement=f"\\u{ord(char):04x}" if ord(char) > 0x20 else None,
    )


def _raise_open_quote(text: str, start: int, char: str) -> None:
    # An apostrophe inside a word ("Won't Fix") is the usual cause: quote the whole value.
    if char == "'" and start > 0 and text[start - 1] not in _CHUNK_CHARS:
        left, _ = _chunk(text, start - 1)
        right = value_run_end(text, start)
        replacement = quote_text(text[left:right])
        raise JQLSyntaxError(
            f"The apostrophe at character {start} opens a quoted string that is never closed; "
            f"to use it inside a value, quote the value: {replacement}.",
            Span(left, right),
            ("quoted string",),
            fix=text[:left] + replacement + text[right:],
            replacement=replacement,
        )
    closing = _find_closing(text, start, char)
    if closing is not None:
        bad = next(i for i in range(start + 1, closing) if _NEEDS_CONTROL_ESCAPE.match(text, i))
        replacement = _escape_control(_NEEDS_CONTROL_ESCAPE.match(text, bad))  # type: ignore[arg-type]
        raise JQLSyntaxError(
            f"Control character U+{ord(text[bad]):04X} is not allowed in a quoted string; write it as {replacement}.",
            Span(bad, bad + 1),
            ("escape sequence",),
            fix=text[:bad] + replacement + text[bad + 1 :],
            replacement=replacement,
        )
    raise JQLSyntaxError(
        f"The string opened with {char} at character {start} is never closed.",
        Span(len(text), len(text)),
        (char,),
        fix=text + char,
        replacement=char,
    )


def _find_closing(text: str, start: int, char: str) -> int | None:
    position = start + 1
    while position < len(text):
        current = text[position]
        if current == "\\":
            position += 2
            continue
        if current == char:
            return position
        position += 1
    return None


_RUN_STOP_RE = re.compile(r"[(),=!<>~|&]|(?i:\b(?:and|or|order\s+by)\b)")


def value_run_end(text: str, start: int) -> int:
    """Where a run of unquoted words starting at `start` ends: at `,`, `)`, an operator, AND, OR,
    ORDER BY or the end, with trailing whitespace dropped."""
    match = _RUN_STOP_RE.search(text, start)
    end = match.start() if match else len(text)
    while end > start and text[end - 1] in _WS:
        end -= 1
    return end
