"""Checks on a SPARQL query's text before any parser sees it: size, nesting, operator count, SERVICE.

Why before parsing: Oxigraph's parser and planner recurse over the query, so a 10 KB request of
5,000 nested parentheses or 8,000 UNIONs overflows the stack and kills the whole process (issue 16).
Counting brackets and operators on the token stream is linear and cannot recurse, so it is done
first, in the calling process; the query itself then runs in a worker process
(``graph/sandbox.py``) so whatever slips through costs only that worker.

SERVICE is the only way a read-only query reaches the network (``LOAD`` is an update, refused;
``FROM`` names graphs of the store, never fetched), so a query that names a SERVICE whose host is
not in ``allow_service`` is refused here, with the host it named.

The tokenizer knows just enough SPARQL to tell code from data: comments, the four string forms,
IRIs (``<`` opens an IRI only if an IRIREF follows, else it is the less-than operator), and
``\\uXXXX`` escapes, which SPARQL 1.1 (section 19.2) resolves before parsing, so ``\\u0053ERVICE`` is
SERVICE here as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_QUERY_CHARS = 128 * 1024
MAX_DEPTH = 64
MAX_OPERATORS = 2000

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\")?|'''(?:[^'\\]|\\.|'(?!''))*(?:''')?
               |"(?:[^"\\\n\r]|\\.)*"?|'(?:[^'\\\n\r]|\\.)*'?)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<name>(?:[^\W\d][\w.\-]*)?:(?:[\w:%\-]|\\.|\.(?=[\w:%\-]))*|[^\W\d][\w\-]*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<punct>&&|\|\||!=|<=|>=|\^\^|[{}()\[\]])
  | (?P<op>[/|^*+\-!=<>,;.@a])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
_OPEN, _CLOSE = "({[", ")}]"
# Keywords that each add a node to the query's algebra (or a level to its planner's recursion).
_ALGEBRA_WORDS = {"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE", "EXISTS", "SELECT", "VALUES",
                  "IN", "NOT"}
_OPERATORS = {"/", "|", "^", "*", "+", "-", "!", "=", "<", ">", "&&", "||", "!=", "<=", ">="}


class QueryRefused(ValueError):
    """The query is refused before parsing; ``str()`` is one line for the user."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


def unescape(query: str) -> str:
    """Resolve ``\\uXXXX`` and ``\\UXXXXXXXX`` as SPARQL does before parsing (invalid code points stay)."""
    def one(m: re.Match[str]) -> str:
        cp = int(m.group(1) or m.group(2), 16)
        return chr(cp) if cp <= 0x10FFFF and not 0xD800 <= cp <= 0xDFFF else m.group(0)
    return _ESCAPE.sub(one, query)


def tokens(query: str) -> Iterator[Token]:
    """The query's tokens, comments and white space left out."""
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield Token(kind, m.group(), m.start())


def _line_col(query: str, pos: int) -> str:
    line = query.count("\n", 0, pos) + 1
    return f"line {line}, column {pos - (query.rfind(chr(10), 0, pos) + 1) + 1}"


def _prefixes(toks: list[Token], defaults: dict[str, str]) -> dict[str, str]:
    """``PREFIX p: <iri>`` declarations of the query, over the defaults."""
    found = dict(defaults)
    for i, t in enumerate(toks[:-2]):
        if t.kind == "name" and t.text.upper() == "PREFIX" and toks[i + 1].kind == "name" \
                and toks[i + 2].kind == "iri":
            found[toks[i + 1].text.rstrip(":")] = toks[i + 2].text[1:-1]
    return found


def service_targets(toks: list[Token], defaults: dict[str, str]) -> Iterator[tuple[str | None, Token]]:
    """Each SERVICE of the query: its IRI (None when it is a variable or cannot be resolved) and token."""
    prefixes = None
    for i, t in enumerate(toks):
        if t.kind != "name" or t.text.upper() != "SERVICE":
            continue
        j = i + 1
        if j < len(toks) and toks[j].kind == "name" and toks[j].text.upper() == "SILENT":
            j += 1
        target = toks[j] if j < len(toks) else t
        if target.kind == "iri":
            yield target.text[1:-1], t
        elif target.kind == "name" and ":" in target.text:
            prefixes = prefixes if prefixes is not None else _prefixes(toks, defaults)
            pfx, _, local = target.text.partition(":")
            yield (prefixes[pfx] + local if pfx in prefixes else None), t
        else:
            yield None, t


def _allowed(iri: str, allow: Iterable[str]) -> bool:
    parts = urlsplit(iri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host = parts.hostname.lower()
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for entry in allow:
        want = urlsplit("//" + entry.strip())  # HOST, HOST:PORT, [v6] or [v6]:PORT
        try:
            want_port = want.port
        except ValueError:
            continue
        if (want.hostname or "") == host and want_port in (None, port):
            return True
    return False


def check(query: str, allow_service: Iterable[str] = (), prefixes: dict[str, str] | None = None) -> None:
    """Raise :class:`QueryRefused` unless ``query`` is within the bounds and names only allowed SERVICE hosts."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRefused(f"query refused: {len(query)} characters, over the limit of {MAX_QUERY_CHARS}")
    text = unescape(query)
    toks = list(tokens(text))
    depth, operators = 0, 0
    for t in toks:
        if t.kind == "punct" and t.text in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryRefused(f"query refused: brackets nested over {MAX_DEPTH} deep at "
                                   f"{_line_col(text, t.pos)}")
        elif t.kind == "punct" and t.text in _CLOSE:
            depth = max(0, depth - 1)
        elif (t.kind in ("op", "punct") and t.text in _OPERATORS) or (
                t.kind == "name" and t.text.upper() in _ALGEBRA_WORDS):
            operators += 1
            if operators > MAX_OPERATORS:
                raise QueryRefused(f"query refused: over {MAX_OPERATORS} operators and keywords "
                                   f"(UNION, OPTIONAL, FILTER, /, +, ...) at {_line_col(text, t.pos)}")
    allow = list(allow_service)
    for iri, t in service_targets(toks, prefixes or {}):
        where = _line_col(text, t.pos)
        if iri is None:
            raise QueryRefused(f"query refused: SERVICE at {where} needs a full http(s) IRI, not a variable")
        if not _allowed(iri, allow):
            host = urlsplit(iri).hostname or iri
            hint = (f"allowed: {', '.join(allow)}" if allow
                    else "no SERVICE host is allowed; start with --allow-service HOST to allow one")
            raise QueryRefused(f"query refused: SERVICE <{iri}> at {where}: host {host} is not allowed ({hint})")
