"""The access graph's plain records: nodes, edges, and bundles of edges shared by many sources.

Node keys are ``<kind>:<name>`` (``user:dana``, ``role:Deploy``, ``group:Admins``, ``root``,
``account:210987654321``, ``saml:Okta``, ``oidc:token.actions.githubusercontent.com``,
``service:ec2.amazonaws.com``, ``identity_center``), the same strings ``AccessPath.hops`` uses.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from auditor.models import MfaDecidedBy, MfaEnforcement
from auditor.records import record


class NodeKind(str, enum.Enum):
    USER = "user"
    GROUP = "group"
    ROLE = "role"
    ROOT = "root"
    ACCOUNT = "account"
    """Another AWS account (or ``*``, any account): a terminal, its MFA is its own business."""
    EXTERNAL_ROLE = "external_role"
    """A role of another account that a principal here may assume: a terminal."""
    SAML = "saml"
    OIDC = "oidc"
    IDENTITY_CENTER = "identity_center"
    SERVICE = "service"
    IDENTITY_CENTER_USER = "identity_center_user"
    IDENTITY_CENTER_GROUP = "identity_center_group"
    PERMISSION_SET = "permission_set"
    """Identity Center's own principals (``edges_identity_center``): users reach permission sets
    directly or through groups, and a set reaches its ``AWSReservedSSO_`` role."""


TERMINALS = frozenset(
    {
        NodeKind.ACCOUNT,
        NodeKind.EXTERNAL_ROLE,
        NodeKind.SAML,
        NodeKind.OIDC,
        NodeKind.IDENTITY_CENTER,
        NodeKind.SERVICE,
    }
)


@record
class Node:
    key: str
    kind: NodeKind
    name: str
    arn: str = ""


def node_key(kind: NodeKind, name: str = "") -> str:
    return kind.value if not name else f"{kind.value}:{name}"


@record
class Edge:
    """``source`` can act as ``target`` ("can act as"), for ``reason``, behind ``gate``.

    ``gate`` is the policy engine's verdict for the hop in the four request contexts (the
    better of the trust policy's and the caller's identity policy's: MFA proven at either
    suffices); ``decided_by`` says when MFA on this hop is decided outside IAM, in which case
    ``gate`` is ``unknown`` or ``n/a`` and means nothing. Membership edges carry ``n/a``: being
    a member is not a request.
    """

    source: str
    target: str
    kind: str
    """The edge module's name, e.g. ``membership``, ``assume_role``, ``saml``."""
    reason: str
    gate: MfaEnforcement
    decided_by: MfaDecidedBy = MfaDecidedBy.IAM


@dataclass(frozen=True)
class EdgeBundle:
    """The same edges for many sources (users sharing the policies that allow
    ``sts:AssumeRole``): stored once, so 5,000 admins × 2,000 roles is not ten million edges.
    Its edges' ``source`` is ``""``; ``AccessGraph.out`` names the real source."""

    sources: tuple[str, ...]
    edges: tuple[Edge, ...]


RANK = {gate: gate.rank for gate in MfaEnforcement}


def best(gates: Iterable[MfaEnforcement]) -> MfaEnforcement:
    """The strongest gate of a path: MFA demanded at any hop must be shown to walk it."""
    return min(gates, key=RANK.__getitem__, default=MfaEnforcement.NOT_APPLICABLE)
