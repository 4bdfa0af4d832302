"""AWS service principals and service-linked roles: not a human path.

A trust naming ``{"Service": "lambda.amazonaws.com"}`` lets that service assume the role for a
resource it runs; no person signs in on that hop, so there is no MFA to ask for. A
service-linked role (path ``/aws-service-role/``) can be assumed only by its service (IAM User
Guide, "Using service-linked roles"), whatever else its trust policy seems to say.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.analyzer.graph.inputs import GraphInputs, is_service_linked
from auditor.analyzer.graph.records import Edge
from auditor.models import MfaDecidedBy, MfaEnforcement


def edges(inputs: GraphInputs) -> Iterator[Edge]:
    for entry in inputs.trust_index.other:
        if not entry.principal.startswith("Service:"):
            continue
        service = entry.principal.removeprefix("Service:")
        role = entry.role
        linked = " (service-linked role)" if is_service_linked(role) else ""
        yield Edge(
            f"service:{service}",
            f"role:{role.name}",
            "service",
            f"{role.name}{linked} trusts the AWS service {service}",
            MfaEnforcement.NOT_APPLICABLE,
            MfaDecidedBy.NOT_HUMAN,
        )
