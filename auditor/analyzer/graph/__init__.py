"""The access graph: who can act as whom, behind which MFA gate, built once per snapshot.

Nodes are IAM users, groups, roles and root, plus terminals for outside parties: other AWS
accounts (and their roles), SAML and OIDC providers, Identity Center and AWS services
(``records.NodeKind``). Edges ("can act as") carry a human reason, the MFA gate the policy
engine computes for the hop in the four request contexts, and ``MfaDecidedBy`` when MFA on the
hop is decided outside IAM. ``query.AccessModel`` wraps the graph with its reach index
(``reach``): a principal's own effective permissions plus everything every reachable node can
do, each path with its gate, cycles handled and chains followed to any depth.

Layout: ``assessed`` and ``permissions`` (the nodes' own permissions: the engine's answer per
group, user and role, and each role's trust policy, computed once), ``trustees`` (a trust
policy's principal labels, classified once for the trust index and the role rules), ``records``
(plain records), ``inputs`` (what edge modules read, including the trust index keyed by the
principals each trust policy names), ``identity`` (does a caller's identity policy allow
``sts:AssumeRole`` on a role), one ``edges_*`` module per edge kind, ``build`` (the registry and
the graph), ``reach`` and ``query`` (the questions rules and rows ask), ``summaries`` (the user
and group tables and the holders' cards, read from the node permissions) and ``explain``
(``mfa-auditor explain --principal``). The rules and rows get IAM's answers only from this
package (``AnalysisContext.privilege`` is ``permissions.PrivilegeIndex``, ``.access`` is
``query.AccessModel``); beside it, only the report notes (unknown actions, inert grants) and
Identity Center's permission sets (``auditor.analyzer.identity_center``) ask the engine.

Adding an edge kind (the Identity Center issue will: Identity Center user → group →
permission set → ``AWSReservedSSO_…`` role):

1. Write ``edges_<kind>.py`` with ``edges(inputs: GraphInputs) -> Iterator[Edge | EdgeBundle]``.
   Sources and targets are node keys ``<kind>:<name>`` (``records.node_key``); give each edge a
   reason a reviewer reads ("alice is assigned permission set Admin in 111111111111"), the gate
   (``MfaEnforcement``; ``unknown`` when decided outside IAM) and ``decided_by``.
2. New terminal node kinds go in ``records.NodeKind`` (and ``TERMINALS`` when nothing leaves
   them), e.g. ``IDENTITY_CENTER_USER``, ``IDENTITY_CENTER_GROUP``, ``PERMISSION_SET``.
   Data the snapshot does not hold yet goes on ``Snapshot`` (see the preamble's rule) and is
   read from ``inputs.snapshot``.
3. Append the function to ``build.EDGE_MODULES`` (a plain list). Roles reached from the new
   terminals then get ``Entry.decided_by`` from the edges' ``decided_by``, and their principals'
   rows and the ``role_mfa_decided_by_idp`` finding follow without further changes; a row for a
   new principal kind is built in ``auditor.analyzer.exposure`` from ``AccessModel`` paths.
"""

from __future__ import annotations

from auditor.analyzer.graph.build import EDGE_MODULES, AccessGraph, build_graph
from auditor.analyzer.graph.records import Edge, EdgeBundle, Node, NodeKind

__all__ = ["EDGE_MODULES", "AccessGraph", "Edge", "EdgeBundle", "Node", "NodeKind", "build_graph"]
