"""``findings.ocsf.json`` and ``findings.asff.json``: valid, complete, and stable across runs.

OCSF is validated with py-ocsf-models (the models Prowler's JSON-OCSF output is built with): each
object must load as a ``DetectionFinding`` and dump back to itself, so no field is unknown to
the model or of the wrong type. ASFF is validated by botocore against Security Hub's own service
model for ``BatchImportFindings`` (required members and types), and against the list in the
Security Hub User Guide, "Required top-level ASFF attributes".
"""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.session import get_session
from botocore.validate import ParamValidator

from auditor.errors import UsageError
from auditor.models import AuditResult, FindingStatus
from auditor.reporter import DEFAULT_FORMATS, ReportFormat, parse_formats, write_reports
from auditor.reporter.asff import asff_findings
from auditor.reporter.interchange import default_rules, finding_uid
from auditor.reporter.ocsf import ocsf_findings

from .conftest import GENERATED

ocsf_models = pytest.importorskip("py_ocsf_models.events.findings.detection_finding")

# Security Hub User Guide, "Required top-level ASFF attributes".
ASFF_REQUIRED = {
    "AwsAccountId",
    "CreatedAt",
    "Description",
    "GeneratorId",
    "Id",
    "ProductArn",
    "Resources",
    "SchemaVersion",
    "Severity",
    "Title",
    "Types",
    "UpdatedAt",
}


def test_ocsf_objects_are_valid_detection_findings(sample_result: AuditResult) -> None:
    objects = ocsf_findings(sample_result, generated_at=GENERATED, rules=default_rules())
    assert len(objects) == len(sample_result.findings) > 0
    for item in objects:
        model = ocsf_models.DetectionFinding.model_validate(item)
        dumped = json.loads(model.model_dump_json(exclude_none=True))
        assert _normalised(dumped) == _normalised(item)
        assert item["class_uid"] == 2004
        assert item["type_uid"] == 200401
        assert item["cloud"]["account"]["uid"] == sample_result.account_id
    by_status = {f.status: o for f, o in zip(sample_result.findings, objects, strict=True)}
    assert by_status[FindingStatus.OPEN]["status_code"] == "FAIL"
    assert by_status[FindingStatus.EXEMPTED]["status"] == "Suppressed"
    assert by_status[FindingStatus.UNKNOWN]["status_code"] == "UNKNOWN"


def _normalised(value: Any) -> Any:
    """Timestamps compared as instants (pydantic writes ``Z`` or ``+00:00`` by version)."""
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in value.items() if v not in ({}, [], "")}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    if isinstance(value, str) and value.endswith("Z") and "T" in value:
        return value[:-1] + "+00:00"
    return value


def test_asff_findings_pass_security_hubs_own_input_validation(
    sample_result: AuditResult,
) -> None:
    findings = asff_findings(sample_result, generated_at=GENERATED, rules=default_rules())
    assert findings
    for item in findings:
        assert set(item) >= ASFF_REQUIRED
    model = get_session().get_service_model("securityhub")
    shape = model.operation_model("BatchImportFindings").input_shape
    report = ParamValidator().validate({"Findings": findings}, shape)
    assert not report.has_errors(), report.generate_report()


def test_ids_are_stable_across_runs_and_distinct(sample_result: AuditResult) -> None:
    later = GENERATED + timedelta(days=7)
    first = asff_findings(sample_result, generated_at=GENERATED, rules=default_rules())
    second = asff_findings(sample_result, generated_at=later, rules=default_rules())
    assert [f["Id"] for f in first] == [f["Id"] for f in second]
    assert len({f["Id"] for f in first}) == len({f.key for f in sample_result.findings})
    moved = dataclasses.replace(sample_result.findings[0], detail="reworded", title="retitled")
    assert finding_uid(moved) == finding_uid(sample_result.findings[0])
    ocsf = ocsf_findings(sample_result, generated_at=later, rules=default_rules())
    assert [o["finding_info"]["uid"] for o in ocsf] == [f["Id"] for f in first]


def test_asff_workflow_follows_the_finding_status(sample_result: AuditResult) -> None:
    findings = asff_findings(sample_result, generated_at=GENERATED, rules=default_rules())
    states = {
        f.status: (a["Compliance"]["Status"], a["Workflow"]["Status"])
        for f, a in zip(sample_result.findings, findings, strict=True)
    }
    assert states[FindingStatus.OPEN] == ("FAILED", "NEW")
    assert states[FindingStatus.EXEMPTED] == ("FAILED", "SUPPRESSED")
    assert states[FindingStatus.UNKNOWN] == ("NOT_AVAILABLE", "NEW")


def test_write_reports_writes_only_the_chosen_formats(
    sample_result: AuditResult, tmp_path: Path
) -> None:
    formats = parse_formats("ocsf, asff,json")
    paths = write_reports(sample_result, tmp_path, generated_at=GENERATED, formats=formats)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["findings.asff.json", "findings.json", "findings.ocsf.json"]
    assert sorted(p.name for p in paths.all()) == names
    asff = json.loads((tmp_path / "findings.asff.json").read_text(encoding="utf-8"))
    assert len(asff) == len(sample_result.findings)
    default = write_reports(sample_result, tmp_path / "d", generated_at=GENERATED)
    assert default.formats == DEFAULT_FORMATS
    assert ReportFormat.OCSF not in {f for f in DEFAULT_FORMATS}
    assert default.ocsf_json is None


def test_unknown_formats_are_all_named_at_once() -> None:
    with pytest.raises(UsageError) as raised:
        parse_formats("html,pdf,xml")
    assert "'pdf', 'xml'" in raised.value.message
    assert raised.value.hint is not None
    with pytest.raises(UsageError):
        parse_formats(" , ")
