"""``report.html``: one self-contained file from jinja2 templates, escaped by default.

Account data is untrusted (tag values and policy names can hold anything), so the environment
autoescapes and uses ``StrictUndefined`` (a template typo fails the run instead of printing an
empty cell). CSS and JS are read from ``static/`` and inlined; a Content-Security-Policy allows
only those exact inline blocks (by SHA-256) and no network at all, so even a bug in escaping
could neither run a script nor fetch anything from another host.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from importlib import resources

import jinja2
from markupsafe import Markup, escape

from auditor.errors import ReportError
from auditor.reporter import html_view
from auditor.reporter.enforcement import enforcement_levels
from auditor.reporter.exposed import exposed
from auditor.reporter.html_data import page_data, script_json
from auditor.reporter.notes import notes
from auditor.reporter.report_data import ReportData

INVISIBLE_CLASS = r"[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]"
"""Characters that render as nothing, or reorder the text around them: shown as visible codes,
never applied, because a right-to-left override can make ``evil\u202etxt.exe`` read as something
harmless and a zero-width or invisible character can make two different names look equal. Soft
hyphen (U+00AD), Arabic letter mark, Mongolian vowel separator (U+180E), zero-width spaces and
joiners, directional marks, embeddings and overrides (U+202A–E), word joiner and the invisible
operators (U+2060–2064), isolates (U+2066–9) and the byte-order mark. ``report.js`` uses the same
class, written the same way (a test compares them)."""
INVISIBLE = re.compile(INVISIBLE_CLASS)


DISPLAY_LIMIT = 300
"""Characters of a name shown in the page (prose such as notes allows more, policy JSON is
shown whole); the CSV and JSON files keep every character.

Browsers lay out a 20,000-character unbreakable string very slowly, and IAM names are far
shorter (64 to 128 characters), so anything longer is hostile or broken data."""

KEEP_FRACTION = 0.8
"""A cut keeps this share of the limit, so it always hides a fifth of the limit or more: text
just over the limit is never cut by a handful of characters."""


def shorten(text: str, limit: int | None) -> str:
    """``text`` whole up to ``limit`` characters; longer, cut near ``KEEP_FRACTION`` of the
    limit (at a space when one is close) and followed by how many characters were left out."""
    if limit is None or len(text) <= limit:
        return text
    keep = int(limit * KEEP_FRACTION)
    space = text.rfind(" ", 0, keep)
    if space > keep * 0.9:
        keep = space
    return f"{text[:keep]}… ({len(text) - keep} more characters)"


def reveal(value: object, limit: int | None = DISPLAY_LIMIT) -> Markup:
    """Escape ``value``, shorten it (``shorten``), and show invisible characters as
    ``U+XXXX`` badges."""
    escaped = str(escape(shorten(str(value), limit)))
    return Markup(  # noqa: S704 - the text was escaped above; only our badge markup is added
        INVISIBLE.sub(
            lambda match: (
                f'<span class="ctl" title="invisible character">U+{ord(match.group()):04X}</span>'
            ),
            escaped,
        )
    )


def reveal_plain(value: object, limit: int | None = DISPLAY_LIMIT) -> str:
    """``reveal`` for places that cannot hold markup (``<title>``, attributes): ``[U+XXXX]``."""
    text = shorten(str(value), limit)
    return INVISIBLE.sub(lambda match: f"[U+{ord(match.group()):04X}]", text)


@lru_cache(maxsize=2)
def template_environment(package: str) -> jinja2.Environment:
    """The jinja2 environment for ``package``'s ``templates/``: autoescape, ``StrictUndefined``
    and the ``reveal`` filters (also the organization summary's, so both pages show names alike)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["reveal"] = reveal
    env.filters["reveal_plain"] = reveal_plain
    return env


def environment() -> jinja2.Environment:
    return template_environment("auditor.reporter")


@lru_cache(maxsize=4)
def static_text(name: str) -> str:
    return resources.files("auditor.reporter").joinpath("static").joinpath(name).read_text("utf-8")


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(css: str, js: str) -> str:
    return "; ".join(
        (
            "default-src 'none'",
            f"style-src {csp_hash(css)}",
            f"script-src {csp_hash(js)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )


def render_html(data: ReportData) -> str:
    css, js = static_text("report.css"), static_text("report.js")
    cards = html_view.cards(data)
    anchors = {card["arn"]: card["anchor"] for card in cards}
    try:
        return (
            environment()
            .get_template("report.html.j2")
            .render(
                header=html_view.header(data),
                completeness=html_view.completeness(data.result),
                exposed=exposed(data.result.principals, anchors),
                notes=notes(data.result),
                summary=html_view.summary(data),
                cards=cards,
                diff=data.diff,
                rule_outcomes=list(data.result.rule_outcomes),
                changes=html_view.changes(data),
                enforcement_levels=enforcement_levels(),
                css=Markup(css),  # noqa: S704 - our own stylesheet from the package
                js=Markup(js),  # noqa: S704 - our own script from the package
                csp=content_security_policy(css, js),
                data_json=Markup(script_json(page_data(data))),  # noqa: S704 - escaped by script_json
            )
        )
    except jinja2.TemplateError as error:
        raise ReportError(f"cannot render report.html: {error}") from None
