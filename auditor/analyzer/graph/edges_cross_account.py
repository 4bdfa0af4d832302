"""Other AWS accounts, both ways: who outside may assume our roles, whose roles we may assume.

Inbound: a trust naming another account (its root, a bare id, one of its users or roles) or
``*`` lets that account's principals in when their own account allows them too ("Cross-account
policy evaluation logic"): this account's only MFA check is the trust policy's condition (IAM
User Guide, "Scenario: MFA protection for cross-account delegation"), and the rest is decided
there (``other_account``). Outbound: an identity policy allowing ``sts:AssumeRole`` on another
account's role ARN is an edge to that terminal; what the role may do there is unknown here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.analyzer.graph.identity import AssumeKey, allowed_gates, assume_statements
from auditor.analyzer.graph.inputs import GraphInputs
from auditor.analyzer.graph.records import Edge, EdgeBundle
from auditor.analyzer.graph.trustees import ACCOUNT_ID, ARN_ACCOUNT, trustee_place
from auditor.models import MfaDecidedBy, MfaEnforcement

_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}):role/.+")


def edges(inputs: GraphInputs) -> Iterator[Edge | EdgeBundle]:
    account = inputs.account_id
    for entry in inputs.trust_index.other:
        if trustee_place(entry.principal, account) not in ("outside", "anyone"):
            continue
        other = _account_of(entry.principal)
        if other is None or entry.gate is MfaEnforcement.NOT_APPLICABLE:
            continue
        source = "account:*" if other == "*" else f"account:{other}"
        whom = "any AWS account" if other == "*" else f"account {other}"
        reason = f"{entry.role.name}'s trust policy lets {whom} in ({entry.principal})"
        yield Edge(
            source,
            f"role:{entry.role.name}",
            "cross_account",
            reason,
            entry.gate,
            MfaDecidedBy.OTHER_ACCOUNT,
        )
    yield from _outbound(inputs)


def _account_of(label: str) -> str | None:
    if label == "*" or label.startswith("everyone except "):
        return "*"
    if ACCOUNT_ID.fullmatch(label):
        return label
    match = ARN_ACCOUNT.fullmatch(label)
    return match.group(1) if match else None


def _outbound(inputs: GraphInputs) -> Iterator[EdgeBundle]:
    groups: dict[tuple[object, ...], list[str]] = {}
    keys: dict[tuple[object, ...], AssumeKey] = {}
    for source, key in inputs.assume_keys.items():
        if key is not None:
            groups.setdefault(key.ident, []).append(source)
            keys[key.ident] = key
    for ident, sources in groups.items():
        key = keys[ident]
        targets = sorted(
            {
                resource
                for statement in assume_statements(inputs, key)
                if statement.is_allow and not statement.not_resource
                for resource in statement.resources
                if (m := _ROLE_ARN.fullmatch(resource)) and m.group(1) != inputs.account_id
            }
        )
        if not targets:
            continue
        edges = tuple(
            Edge(
                "",
                f"external_role:{arn}",
                "cross_account",
                f"the identity policy allows sts:AssumeRole on {arn} (another account)",
                gate,
                MfaDecidedBy.OTHER_ACCOUNT,
            )
            for arn, gate in allowed_gates(inputs, key, targets).items()
        )
        if edges:
            yield EdgeBundle(tuple(sources), edges)
