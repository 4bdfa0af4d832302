"""Typed access to the demo YAML that reports ``file: key: problem`` and nothing vaguer.

The checks mirror what IAM itself would refuse (name characters, paths, tag values, two access
keys per user), so a data file that loads here also seeds into moto, and would into real IAM.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from auditor.demo.model import AWS_MANAGED_POLICY_PREFIX
from auditor.errors import InputError, escape_controls
from auditor.models import InlinePolicy, PolicyDocument

_NAME = re.compile(r"^[\w+=,.@-]+$")
_PATH = re.compile(r"^/(?:[\x21-\x7e]*/)?$")
_TAG_TEXT = re.compile(r"^[\w\s.:/=+@-]*$")
_KEY_STATUS = {"active": True, "inactive": False}


class Reader:
    """Validators bound to one data file, so every error starts with its name."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def error(self, key: str, problem: str) -> InputError:
        """``file: key: problem`` on one line, whatever characters the file's keys hold."""
        return InputError(escape_controls(f"{self.origin}: {key}: {problem}"))

    def mapping(
        self,
        data: Any,
        key: str,
        allowed: set[str] | None,
        required: set[str] | frozenset[str] = frozenset(),
    ) -> Mapping[str, Any]:
        """``data`` as a mapping with string keys; ``allowed=None`` accepts any key."""
        if not isinstance(data, Mapping):
            raise self.error(key, f"must be a mapping, got {_kind(data)}")
        for name in data:
            full = f"{key}.{name}" if key != "<top level>" else str(name)
            if not isinstance(name, str):
                raise self.error(full, "keys must be strings")
            if allowed is not None and name not in allowed:
                raise self.error(full, f"unknown key (allowed: {', '.join(sorted(allowed))})")
        missing = sorted(required - set(data))
        if missing:
            prefix = f"{key}." if key != "<top level>" else ""
            raise self.error(f"{prefix}{missing[0]}", "is required")
        return data

    def sequence(self, data: Any, key: str) -> list[Any]:
        if not isinstance(data, list):
            raise self.error(key, f"must be a list, got {_kind(data)}")
        return data

    def str_list(self, data: Any, key: str) -> list[str]:
        items = self.sequence(data, key)
        for index, item in enumerate(items):
            if not isinstance(item, str) or not item:
                raise self.error(f"{key}[{index}]", "must be a non-empty string")
        return items

    def name(self, value: Any, key: str, max_length: int) -> str:
        """An IAM name: letters, digits and ``+=,.@_-``, as IAM's API reference allows."""
        if not isinstance(value, str) or not _NAME.match(value) or len(value) > max_length:
            raise self.error(key, f"{value!r} is not a valid IAM name (max {max_length} chars)")
        return value

    def path(self, value: Any, key: str) -> str:
        if value is None:
            return "/"
        if not isinstance(value, str) or not _PATH.match(value) or len(value) > 512:
            raise self.error(key, f"{value!r} is not an IAM path such as /service/")
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str):
            raise self.error(key, f"must be a string, got {_kind(value)}")
        return value

    def flag(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, got {value!r}")
        return value

    def key_statuses(self, value: Any, key: str) -> tuple[bool, ...]:
        """``[active, inactive]`` → ``(True, False)``; IAM allows two keys per user."""
        statuses = self.str_list(value, key)
        if len(statuses) > 2:
            raise self.error(key, "IAM allows at most two access keys")
        for index, status in enumerate(statuses):
            if status not in _KEY_STATUS:
                raise self.error(f"{key}[{index}]", f"{status!r} is not active or inactive")
        return tuple(_KEY_STATUS[status] for status in statuses)

    def tags(self, value: Any, key: str) -> dict[str, str]:
        section = self.mapping({} if value is None else value, key, None)
        if len(section) > 50:
            raise self.error(key, "IAM allows at most 50 tags")
        tags = {}
        for name, raw in section.items():
            if isinstance(raw, bool) or not isinstance(raw, (str, int)):
                raise self.error(f"{key}.{name}", "a tag value must be a string")
            text = str(raw)
            if not (0 < len(name) <= 128 and len(text) <= 256):
                raise self.error(f"{key}.{name}", "tag keys are 1-128 and values 0-256 chars")
            if not (_TAG_TEXT.match(name) and _TAG_TEXT.match(text)):
                raise self.error(f"{key}.{name}", f"{text!r} has characters IAM tags refuse")
            tags[name] = text
        return tags

    def attach(self, value: Any, key: str, policy_names: set[str]) -> tuple[str, ...]:
        """AWS-managed policy ARNs, or names of policies defined under ``policies:``."""
        references = self.str_list([] if value is None else value, key)
        for index, reference in enumerate(references):
            if references.index(reference) != index:
                raise self.error(f"{key}[{index}]", f"{reference!r} is attached twice")
            if not (reference.startswith(AWS_MANAGED_POLICY_PREFIX) or reference in policy_names):
                raise self.error(
                    f"{key}[{index}]",
                    f"{reference!r} is neither an AWS-managed policy ARN "
                    f"({AWS_MANAGED_POLICY_PREFIX}...) nor a policy defined under policies",
                )
        return tuple(references)

    def inline(self, value: Any, key: str) -> tuple[InlinePolicy, ...]:
        section = self.mapping({} if value is None else value, key, None)
        return tuple(
            InlinePolicy(
                name=self.name(name, f"{key}.{name}", 128),
                document=self.document(document, f"{key}.{name}"),
            )
            for name, document in section.items()
        )

    def document(self, value: Any, key: str) -> PolicyDocument:
        """A policy document's outline (the policy engine owns its meaning), as plain JSON."""
        document = self.mapping(value, key, {"Version", "Id", "Statement"}, {"Statement"})
        if document.get("Version", "2012-10-17") not in ("2012-10-17", "2008-10-17"):
            raise self.error(f"{key}.Version", f"{document['Version']!r} is not an IAM version")
        statements = document["Statement"]
        listed = statements if isinstance(statements, list) else [statements]
        if not listed:
            raise self.error(f"{key}.Statement", "must hold at least one statement")
        for index, statement in enumerate(listed):
            where = f"{key}.Statement[{index}]"
            item = self.mapping(statement, where, None, {"Effect"})
            if item["Effect"] not in ("Allow", "Deny"):
                raise self.error(f"{where}.Effect", f"{item['Effect']!r} is not Allow or Deny")
            if ("Action" in item) == ("NotAction" in item):
                raise self.error(where, "needs exactly one of Action and NotAction")
        try:
            plain: dict[str, Any] = json.loads(json.dumps(document))
        except (TypeError, ValueError):
            raise self.error(key, "must hold only strings, numbers, lists and mappings") from None
        return plain


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__
