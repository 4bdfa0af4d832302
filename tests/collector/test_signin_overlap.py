"""``collect_live`` starts the sign-in lookup once the credentials work, before the long IAM
reads, and joins it after.

LookupEvents is paced at 2 requests per second per region (CloudTrail API reference,
LookupEvents), so read after IAM it would add about a second to every scan; started first, its
waits overlap the IAM reads. The collection's failure must not leave the lookup running.
"""

from __future__ import annotations

from typing import Any

import pytest

import auditor.collector as collector
import auditor.collector.signin_attach as attach
from auditor.collector.signin_attach import SigninRequest
from auditor.config import AuditorConfig, AwsSettings
from auditor.errors import CollectionError
from auditor.pipeline import collect_live


class Pending:
    def __init__(self, events: list[str]) -> None:
        self.events = events

    def cancel(self) -> None:
        self.events.append("cancel")


def _wire(monkeypatch: pytest.MonkeyPatch, events: list[str], collect: Any) -> None:
    monkeypatch.setattr(collector, "build_session", lambda aws: object())
    monkeypatch.setattr(collector, "collect_snapshot", collect)

    def start(*_: Any, **__: Any) -> Pending:
        events.append("start")
        return Pending(events)

    def finish(snapshot: Any, pending: Pending, request: Any, settings: Any) -> Any:
        events.append("finish")
        return ("with sign-ins", snapshot)

    monkeypatch.setattr(attach, "start_live_signins", start)
    monkeypatch.setattr(attach, "finish_live_signins", finish)


def test_sign_ins_start_before_iam_and_finish_after(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []

    def collect(*_: Any, after_identity: Any, **__: Any) -> str:
        events.append("identity")
        after_identity("123456789012")
        events.append("collect")
        return "snapshot"

    _wire(monkeypatch, events, collect)
    result = collect_live(AuditorConfig(), AwsSettings(), signins=SigninRequest())
    assert events == ["identity", "start", "collect", "finish"]
    assert result == ("with sign-ins", "snapshot")


def test_a_failed_collection_cancels_the_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []

    def collect(*_: Any, after_identity: Any, **__: Any) -> str:
        after_identity("123456789012")
        events.append("collect")
        raise CollectionError("iam:GetAccountAuthorizationDetails was denied")

    _wire(monkeypatch, events, collect)
    with pytest.raises(CollectionError):
        collect_live(AuditorConfig(), AwsSettings(), signins=SigninRequest())
    assert events == ["start", "collect", "cancel"]


def test_bad_credentials_make_no_sign_in_call(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []

    def collect(*_: Any, **__: Any) -> str:
        raise CollectionError("sts:GetCallerIdentity: the security token is invalid")

    _wire(monkeypatch, events, collect)
    with pytest.raises(CollectionError):
        collect_live(AuditorConfig(), AwsSettings(), signins=SigninRequest())
    assert events == []
