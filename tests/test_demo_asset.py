"""tests/assets/demo_snapshot.json must stay what the demo collects today.

The analyzer's and reporters' golden tests read that file instead of starting moto; this test is
what keeps it honest. Timestamps and the ids moto invents (AIDA…, AGPA…) differ on every run and
are masked. So are the versions and documents of AWS-managed policies: moto ships its own copy of
them and updates it between releases (ReadOnlyAccess v182 → v190 between moto 5.2.1 and 5.2.5);
which AWS-managed policies are attached, and everything the demo itself seeds, must match.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from auditor.config import AuditorConfig
from auditor.pipeline import collect_demo
from auditor.snapshot_io import load_snapshot, to_jsonable

ASSET = Path(__file__).resolve().parent / "assets" / "demo_snapshot.json"
REGENERATE = "mfa-auditor collect --demo --out tests/assets/demo_snapshot.json"
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
_MOTO_IDS = {
    "user_id",
    "group_id",
    "role_id",
    "policy_id",
    "tool_version",
    # moto's Identity Center instance and identity store are created with random ids.
    "instance_arn",
    "identity_store_id",
    "permission_set_arn",
    "principal_id",
    "member_ids",
}
_SSO_ARN = re.compile(r"^arn:aws:sso:::")


def _masked(value: Any, key: str = "") -> Any:
    if key in _MOTO_IDS:
        return "<id>"
    if isinstance(value, dict):
        if value.get("is_aws_managed") is True:
            value = {**value, "document": "<moto's copy>", "default_version_id": "<moto's copy>"}
        return {k: _masked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, str) and _TIMESTAMP.match(value):
        return "<time>"
    if isinstance(value, str) and _SSO_ARN.match(value):
        return "<sso arn>"
    return value


def test_demo_asset_matches_a_fresh_demo_collection() -> None:
    saved = _masked(to_jsonable(load_snapshot(ASSET)))
    fresh = _masked(to_jsonable(collect_demo(AuditorConfig())[0]))
    for section in fresh:
        assert saved[section] == fresh[section], (
            f"tests/assets/demo_snapshot.json is stale in {section!r}; regenerate with: "
            f"{REGENERATE}"
        )
    assert json.loads(ASSET.read_text(encoding="utf-8"))["source"] == "demo"
