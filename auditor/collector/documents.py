"""Policy documents as they arrive: decoded dicts, or URL-encoded JSON strings.

IAM sends documents URL-encoded (RFC 3986). boto3 decodes them into dicts and so does the AWS
CLI, but older SDKs, hand-made exports and emulators hand over strings; both are accepted here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from auditor.models import PolicyDocument


class UndecodableDocument(ValueError):
    """The document is neither a JSON object nor a (URL-encoded) JSON string of one."""


def decode_document(raw: Any) -> PolicyDocument:
    """A policy document as a JSON object; raise ``UndecodableDocument`` saying why not."""
    if isinstance(raw, Mapping):
        return dict(raw)
    if not isinstance(raw, str):
        raise UndecodableDocument(f"expected a JSON object, got {type(raw).__name__}")
    for candidate in _candidates(raw):
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, Mapping):
            return dict(value)
        raise UndecodableDocument(f"expected a JSON object, got JSON {type(value).__name__}")
    raise UndecodableDocument("not valid JSON, plain or URL-encoded")


def _candidates(raw: str) -> tuple[str, ...]:
    """Plain JSON first: decoding first would corrupt a literal ``%`` in a plain document."""
    text = raw.strip()
    return (text, unquote(text).strip())
