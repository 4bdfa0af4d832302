"""``fingerprint``: the key every engine cache shares results under.

Equal documents written alike must share it (the copies of one inline policy across users);
documents that differ in any JSON value must not, or one policy's verdict would be handed to
another."""

from __future__ import annotations

import copy
import json
from types import MappingProxyType
from typing import Any

from auditor.policy.analysis import fingerprint

DOC: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["iam:*"],
            "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
        }
    ],
}


def _changed(path: list[Any], value: Any) -> dict[str, Any]:
    other = copy.deepcopy(DOC)
    target: Any = other
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return other


def test_a_copy_of_a_document_shares_its_fingerprint() -> None:
    assert fingerprint(copy.deepcopy(DOC)) == fingerprint(DOC)
    assert fingerprint(json.loads(json.dumps(DOC))) == fingerprint(DOC)


def test_any_changed_value_changes_the_fingerprint() -> None:
    variants = [
        _changed(["Statement", 0, "Effect"], "Deny"),
        _changed(["Statement", 0, "Action"], "iam:*"),  # a string, not a one-item list
        _changed(["Statement", 0, "Condition", "Bool", "aws:MultiFactorAuthPresent"], True),
        _changed(["Statement", 0, "Condition", "Bool"], {"aws:multifactorauthpresent": "true"}),
        _changed(["Version"], "2008-10-17"),
        _changed(["Statement", 0, "Resource"], ["*"]),
    ]
    prints = {fingerprint(v) for v in variants} | {fingerprint(DOC)}
    assert len(prints) == len(variants) + 1


def test_other_document_shapes_are_hashed_by_their_content() -> None:
    """JSON text and read-only mappings go through JSON (as before): equal ones share."""
    text = json.dumps(DOC)
    assert fingerprint(text) == fingerprint(json.dumps(DOC))
    assert fingerprint(MappingProxyType(DOC)) == fingerprint(MappingProxyType(copy.deepcopy(DOC)))
    assert fingerprint(MappingProxyType(_changed(["Version"], "2008-10-17"))) != fingerprint(
        MappingProxyType(DOC)
    )
