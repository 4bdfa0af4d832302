"""Offline reading: CloudTrail's S3 layout of real gzip files, plain JSON, lookup-events output.

Layouts: CloudTrail User Guide, "Finding your CloudTrail log files"
(``AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz`` holding ``{"Records": []}``)
and `aws cloudtrail lookup-events` output (an ``Events`` array of ``CloudTrailEvent`` strings).
"""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from auditor.errors import InputError, UsageError
from auditor.signin import stream
from auditor.signin.files import read_cloudtrail
from auditor.signin.records import SigninKind
from tests.signin.events import ACCOUNT, console_login, ic_signin, other_event

END = datetime(2026, 11, 30, tzinfo=timezone.utc)


def delivery_file(root: Path, region: str, day: str, records: list[dict[str, Any]]) -> Path:
    y, m, d = day.split("-")
    folder = root / "AWSLogs" / ACCOUNT / "CloudTrail" / region / y / m / d
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{ACCOUNT}_CloudTrail_{region}_{y}{m}{d}T0000Z_abc.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        json.dump({"Records": records}, out)
    return path


def test_folder_in_s3_layout_over_several_regions_and_gzip_files(tmp_path: Path) -> None:
    delivery_file(tmp_path, "us-east-1", "2026-11-20", [other_event(), console_login("dana")])
    delivery_file(
        tmp_path, "eu-north-1", "2026-11-21", [console_login("dana", region="eu-north-1")]
    )
    delivery_file(tmp_path, "us-east-1", "2026-11-22", [console_login(identity_type="Root")])
    digest = tmp_path / "AWSLogs" / ACCOUNT / "CloudTrail-Digest" / "x.json.gz"
    digest.parent.mkdir(parents=True)
    digest.write_bytes(b"not read")
    evidence = read_cloudtrail([tmp_path], account_id=ACCOUNT, window_end=END, days=90)
    dana = evidence.find(SigninKind.IAM_USER, "dana")
    assert dana is not None
    assert dana.without_mfa == 2
    assert evidence.find(SigninKind.ROOT, "<root_account>") is not None
    assert evidence.coverage.files_read == 3
    assert evidence.coverage.records_read == 4
    assert evidence.coverage.regions_read == ("eu-north-1", "us-east-1")
    assert evidence.coverage.source == "cloudtrail_files"


def test_plain_json_and_lookup_events_output(tmp_path: Path) -> None:
    plain = tmp_path / "records.json"
    plain.write_text(json.dumps({"Records": ic_signin(("PASSWORD",))}), encoding="utf-8")
    lookup = tmp_path / "lookup.json"
    events = [{"EventId": "1", "CloudTrailEvent": json.dumps(console_login("kim"))}]
    lookup.write_text(json.dumps({"Events": events, "NextToken": "abc"}), encoding="utf-8")
    evidence = read_cloudtrail([plain, lookup], account_id=ACCOUNT, window_end=END, days=90)
    assert evidence.find(SigninKind.IDENTITY_CENTER, "dana") is not None
    assert evidence.find(SigninKind.IAM_USER, "kim") is not None


def test_records_are_read_across_chunk_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream, "CHUNK_CHARS", 37)
    path = delivery_file(
        tmp_path, "us-east-1", "2026-11-20", [console_login(f"u{i}") for i in range(20)]
    )
    evidence = read_cloudtrail([path], account_id=ACCOUNT, window_end=END, days=90)
    assert len(evidence.principals) == 20


def test_a_gzip_file_cut_short_is_an_input_error_naming_it(tmp_path: Path) -> None:
    path = delivery_file(tmp_path, "us-east-1", "2026-11-20", [console_login()] * 50)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=str(path)) as raised:
        read_cloudtrail([tmp_path], account_id=ACCOUNT, window_end=END, days=90)
    assert raised.value.exit_code == 2
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"Records": [{"eventName": "ConsoleLogin"}, {"eventN', "not a complete CloudTrail JSON"),
        ('{"Records": [1, 2]}', "expected an object"),
        ('{"Other": []}', "no Records or Events array"),
        ('{"Records": []} trailing', "unexpected data"),
        ('{"Events": [{"CloudTrailEvent": "{not json"}]}', "CloudTrailEvent is not JSON"),
    ],
)
def test_malformed_files_are_input_errors(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=problem):
        read_cloudtrail([path], account_id=ACCOUNT, window_end=END, days=90)


def test_missing_path_and_empty_folder_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or folder"):
        read_cloudtrail([tmp_path / "nope"], account_id=ACCOUNT, window_end=END, days=90)
    with pytest.raises(InputError, match="no CloudTrail log files"):
        read_cloudtrail([tmp_path], account_id=ACCOUNT, window_end=END, days=90)
