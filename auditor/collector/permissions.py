"""The least-privilege IAM policy that lets mfa-auditor run, shipped as package data.

The JSON file is the single source: the README quotes it, operators attach it, and a test checks
it grants exactly the IAM operations on the read-only guard's allow-list, so the two cannot drift.
``sts:GetCallerIdentity`` needs no permission and is therefore not listed.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

POLICY_FILE_NAME = "required_iam_policy.json"


def _load() -> dict[str, Any]:
    text = resources.files("auditor.collector").joinpath(POLICY_FILE_NAME).read_text("utf-8")
    policy: dict[str, Any] = json.loads(text)
    return policy


REQUIRED_IAM_POLICY: dict[str, Any] = _load()
"""The policy document, e.g. for ``aws iam create-policy --policy-document``."""
