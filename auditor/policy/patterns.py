"""Wildcard matching for actions and resources, and the set reasoning between patterns.

IAM patterns know two wildcards, ``*`` (any run of characters) and ``?`` (one character).
Action names are case-insensitive, resource ARNs case-sensitive (IAM User Guide, "IAM JSON
policy elements: Action" and "... Resource"). Resources may hold policy variables such as
``${aws:username}`` ("IAM policy elements: Variables and tags"), resolved from the request
context when it supplies them and unknown (never guessed) when it does not.

Besides matching a name, the engine asks two questions about *patterns*, so that a statement
can be analysed once instead of per action or per resource: is every string matched by one
pattern matched by another (``contains``), and might two patterns share a string
(``may_overlap``). Both answer conservatively: ``contains`` says True only when it is sure,
``may_overlap`` says False only when it is sure, so a Deny is never credited with covering
more than it does.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

VARIABLE = re.compile(r"\$\{([^}]*)\}")
SPECIAL = {"*": "*", "?": "?", "$": "$"}
_SELF_SCOPED = re.compile(r"arn:[^:]*:iam::[^:]*:(?:user|mfa)/(?:.*/)?\$\{(?i:aws:username)\}")

Lookup = Callable[[str], "str | None"]
"""Resolves a lower-case context key to its single value, ``ABSENT`` when the key is known to
be absent from the request, or None when it is not supplied (unknown)."""
ABSENT = "\x00absent\x00"
"""What a ``Lookup`` returns for a key known to be absent. A variable naming it has no value:
"IAM policy elements: Variables and tags", Policy variables with no value."""
_NEVER = "(?!)"


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


@functools.lru_cache(maxsize=65_536)
def compile_glob(pattern: str, ignore_case: bool = False) -> re.Pattern[str]:
    """A regex (use ``fullmatch``) for an IAM wildcard pattern; ``*`` may cross ``:``."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def glob_match(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    if pattern == "*":
        return True
    if not has_wildcard(pattern):
        return pattern.lower() == text.lower() if ignore_case else pattern == text
    return compile_glob(pattern, ignore_case).fullmatch(text) is not None


def substitute(pattern: str, lookup: Lookup) -> str | None:
    """Resolve ``${key}`` variables into a regex source; None when one is not supplied.

    ``${*}``, ``${?}`` and ``${$}`` stand for the literal characters; ``${key, 'default'}``
    uses the default when the key is absent.
    """
    out: list[str] = []
    position = 0
    for found in VARIABLE.finditer(pattern):
        out.append(_glob_source(pattern[position : found.start()]))
        position = found.end()
        value = resolve_variable(found.group(1), lookup)
        if value is None:
            return None
        if value == ABSENT:
            return _NEVER  # a Resource with a valueless variable matches no resource
        out.append(re.escape(value))
    out.append(_glob_source(pattern[position:]))
    return "".join(out)


def substitute_text(text: str, lookup: Lookup) -> str | None:
    """Like ``substitute`` but returns plain text (for condition values); ``ABSENT`` when a
    variable has no value."""
    out: list[str] = []
    position = 0
    for found in VARIABLE.finditer(text):
        out.append(text[position : found.start()])
        position = found.end()
        value = resolve_variable(found.group(1), lookup)
        if value is None or value == ABSENT:
            return value
        out.append(value)
    out.append(text[position:])
    return "".join(out)


def resolve_variable(inner: str, lookup: Lookup) -> str | None:
    inner = inner.strip()
    if inner in SPECIAL:
        return SPECIAL[inner]
    name, _, default = inner.partition(",")
    value = lookup(name.strip().lower())
    default = default.strip()
    if (
        (value is None or value == ABSENT)
        and len(default) >= 2
        and default[0] == default[-1] == "'"
    ):
        value = default[1:-1]
    return value


def _glob_source(text: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)


def resource_match(pattern: str, resource: str, lookup: Lookup, variables: bool) -> bool | None:
    """Does a policy resource pattern match a concrete resource? None: a variable is unknown."""
    if not variables or "${" not in pattern:
        return glob_match(pattern, resource)
    source = substitute(pattern, lookup)
    if source is None:
        return None
    return re.fullmatch(source, resource, re.DOTALL) is not None


@functools.lru_cache(maxsize=65_536)
def contains(inner: str, outer: str, ignore_case: bool = False) -> bool:
    """True only if every string matched by ``inner`` is matched by ``outer``.

    A sufficient test: ``inner``'s ``*`` may only be absorbed by ``outer``'s ``*``, its ``?``
    by ``outer``'s ``?`` or ``*``, a variable token (see ``contains_vars``) by ``*`` or the
    same token. Plain ``${...}`` text is compared as literal text.
    """
    if outer == "*":
        return True
    if ignore_case:
        inner, outer = inner.lower(), outer.lower()
    if not has_wildcard(outer):
        return inner == outer
    if not has_wildcard(inner) and not any(map(_is_token, inner)):
        return glob_match(outer, inner)
    rows, cols = len(inner), len(outer)
    # reach[i] is True when inner[:i] can be covered by the outer prefix processed so far.
    reach = [True] + [False] * rows
    for j in range(cols):
        symbol = outer[j]
        nxt = [False] * (rows + 1)
        if symbol == "*":
            running = False
            for i in range(rows + 1):
                running = running or reach[i]
                nxt[i] = running
        else:
            for i in range(rows):
                if not reach[i]:
                    continue
                char = inner[i]
                if char == "*":
                    continue
                if (symbol == "?" and not _is_token(char)) or (char == symbol and char != "?"):
                    nxt[i + 1] = True
        reach = nxt
    return reach[rows]


TOKENS = (0xE000, 0xF8FF)
"""Private-use characters that ``variables.tokenize`` puts in place of policy variables."""


def _is_token(char: str) -> bool:
    return TOKENS[0] <= ord(char) <= TOKENS[1]


def may_overlap(first: str, second: str) -> bool:
    """False only when the two patterns certainly match no common string."""
    a, b = VARIABLE.sub("*", first), VARIABLE.sub("*", second)
    if not has_wildcard(a) and not has_wildcard(b):
        return a == b
    if not has_wildcard(a):
        return glob_match(b, a)
    if not has_wildcard(b):
        return glob_match(a, b)
    prefix_a, prefix_b = _literal_prefix(a), _literal_prefix(b)
    if not (prefix_a.startswith(prefix_b) or prefix_b.startswith(prefix_a)):
        return False
    suffix_a, suffix_b = _literal_prefix(a[::-1]), _literal_prefix(b[::-1])
    return suffix_a.startswith(suffix_b) or suffix_b.startswith(suffix_a)


def _literal_prefix(text: str) -> str:
    for index, char in enumerate(text):
        if char in "*?":
            return text[:index]
    return text


def is_self_scoped(resource: str) -> bool:
    """``arn:aws:iam::*:user/${aws:username}`` and the like: the caller's own user or device."""
    return _SELF_SCOPED.fullmatch(resource) is not None
