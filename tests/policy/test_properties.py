"""Property tests over generated policies (hypothesis).

IAM User Guide, "Policy evaluation logic": an explicit Deny overrides any Allow, an Allow
overrides the implicit deny, and nothing depends on the order of statements or policies.
Hence: adding a Deny never turns a denied request into an allowed one; adding an Allow never
turns an allowed request into a denied one; shuffling never changes a decision. Decisions are
ranked denied < conditional < allowed, and the properties are checked on that order.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.policy import Decision, NamedPolicy, PolicyEngine, RequestContext
from auditor.policy.actions import SELF_SERVICE_ACTIONS

RANK = {Decision.DENIED: 0, Decision.CONDITIONAL: 1, Decision.ALLOWED: 2}
ACTION_PATTERNS = [
    "*",
    "iam:*",
    "iam:Create*",
    "iam:PassRole",
    "iam:CreateAccessKey",
    "s3:*",
    "s3:Delete*",
    "sts:AssumeRole",
    "ec2:RunInstances",
    "iam:?assRole",
]
QUERIES = [
    "iam:PassRole",
    "iam:CreateAccessKey",
    "s3:DeleteObject",
    "sts:AssumeRole",
    "ec2:RunInstances",
    "iam:AttachUserPolicy",
]
RESOURCES = [
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/x",
    "arn:aws:s3:::*",
    "arn:aws:iam::*:user/${aws:username}",
    "arn:aws:iam::123456789012:user/alice",
]
QUERY_RESOURCES = ["*", "arn:aws:s3:::b/x", "arn:aws:iam::123456789012:user/alice"]
CONDITIONS: list[dict[str, Any] | None] = [
    None,
    {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
    {"Bool": {"aws:MultiFactorAuthPresent": "false"}},
    {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}},
    {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    {"Null": {"aws:MultiFactorAuthPresent": "true"}},
    {"Null": {"aws:MultiFactorAuthAge": "false"}},
    {"NumericLessThan": {"aws:MultiFactorAuthAge": "300"}},
    {"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "3600"}},
    {"StringEquals": {"aws:SourceVpc": "vpc-1"}},
    {"StringNotEquals": {"aws:username": "alice"}},
]

statements = st.builds(
    lambda effect, action_key, actions, resource_key, resources, condition: {
        "Effect": effect,
        action_key: actions,
        resource_key: resources,
        **({"Condition": condition} if condition else {}),
    },
    st.sampled_from(["Allow", "Deny"]),
    st.sampled_from(["Action", "Action", "NotAction"]),
    st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=3),
    st.sampled_from(["Resource", "Resource", "NotResource"]),
    st.lists(st.sampled_from(RESOURCES), min_size=1, max_size=2),
    st.sampled_from(CONDITIONS),
)
policy_sets = st.lists(st.lists(statements, min_size=1, max_size=4), min_size=1, max_size=3)
queries = st.tuples(
    st.sampled_from(QUERIES),
    st.sampled_from(QUERY_RESOURCES),
    st.sampled_from(
        [{}, {"aws:username": "alice"}, {"aws:username": "bob", "aws:SourceVpc": "vpc-1"}]
    ),
)
PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def as_policies(sets: list[list[dict[str, Any]]]) -> list[NamedPolicy]:
    return [
        NamedPolicy(f"p{i}", {"Version": "2012-10-17", "Statement": s}) for i, s in enumerate(sets)
    ]


def ranks(
    engine: PolicyEngine, sets: list[list[dict[str, Any]]], query: tuple[str, str, dict[str, str]]
) -> tuple[int, ...]:
    action, resource, extra = query
    explained = engine.explain(as_policies(sets), action, resource, extra)
    return tuple(RANK[explained.decisions[c]] for c in RequestContext)


@PROPERTY
@given(sets=policy_sets, extra=statements, query=queries, where=st.integers(0, 10))
def test_adding_a_deny_never_allows_more(
    engine: PolicyEngine,
    sets: list[list[dict[str, Any]]],
    extra: dict[str, Any],
    query: tuple[str, str, dict[str, str]],
    where: int,
) -> None:
    added = [list(s) for s in sets]
    added[where % len(added)].append({**extra, "Effect": "Deny"})
    before, after = ranks(engine, sets, query), ranks(engine, added, query)
    assert all(a <= b for a, b in zip(after, before, strict=True)), (before, after)
    verdict_before = engine.assess_principal(as_policies(sets)).verdict.rank
    assert engine.assess_principal(as_policies(added)).verdict.rank <= verdict_before


@PROPERTY
@given(sets=policy_sets, extra=statements, query=queries)
def test_adding_an_allow_never_denies_more(
    engine: PolicyEngine,
    sets: list[list[dict[str, Any]]],
    extra: dict[str, Any],
    query: tuple[str, str, dict[str, str]],
) -> None:
    added = [*sets, [{**extra, "Effect": "Allow"}]]
    before, after = ranks(engine, sets, query), ranks(engine, added, query)
    assert all(a >= b for a, b in zip(after, before, strict=True)), (before, after)
    verdict_before = engine.assess_principal(as_policies(sets)).verdict.rank
    assert engine.assess_principal(as_policies(added)).verdict.rank >= verdict_before


@PROPERTY
@given(sets=policy_sets, query=queries, data=st.data())
def test_statement_and_policy_order_never_matter(
    engine: PolicyEngine,
    sets: list[list[dict[str, Any]]],
    query: tuple[str, str, dict[str, str]],
    data: st.DataObject,
) -> None:
    shuffled = [data.draw(st.permutations(s)) for s in data.draw(st.permutations(sets))]
    assert ranks(engine, sets, query) == ranks(engine, shuffled, query)
    original = engine.assess_principal(as_policies(sets))
    reordered = engine.assess_principal(as_policies(shuffled))
    assert original.verdict is reordered.verdict
    assert per_action(original.actions) == per_action(reordered.actions)


def per_action(groups: Any) -> dict[str, Any]:
    """Verdict per action (groups may split differently when policy names move)."""
    return {name: group.verdict for group in groups for name in group.actions}


@PROPERTY
@given(sets=policy_sets)
def test_grouped_assessment_agrees_with_direct_evaluation(
    engine: PolicyEngine, sets: list[list[dict[str, Any]]]
) -> None:
    # assess_principal decides groups of actions with precomputed conditions; explain decides
    # one action directly. Outside self-service grants they must agree action by action.
    policies = as_policies(sets)
    for group in engine.assess_principal(policies).actions:
        for action in group.actions[:3]:
            if action.lower() in SELF_SERVICE_ACTIONS:
                continue
            direct = engine.explain(policies, action)
            assert direct.decisions == group.decisions, action
            assert direct.verdict is group.verdict, action


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "Version",
                    "Statement",
                    "Effect",
                    "Action",
                    "NotAction",
                    "Resource",
                    "NotResource",
                    "Condition",
                    "Sid",
                    "Bool",
                    "aws:MultiFactorAuthPresent",
                    "x",
                ]
            )
            | st.text(max_size=5),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@PROPERTY
@given(document=json_values)
def test_arbitrary_documents_never_crash(engine: PolicyEngine, document: Any) -> None:
    # Bad input gives a named PolicyError (recorded in errors), never another exception.
    assessment = engine.assess_principal([NamedPolicy("fuzz", document)])
    if assessment.errors:
        assert assessment.errors[0].startswith("policy fuzz")
        assert assessment.verdict.value == "n/a"


statement_like = st.fixed_dictionaries(
    {"Effect": st.sampled_from(["Allow", "Deny"]) | json_values},
    optional={
        "Action": st.sampled_from(["*", "iam:*", ["s3:Get*"]]) | json_values,
        "NotAction": json_values,
        "Resource": st.sampled_from(["*", ["arn:aws:s3:::b/*"]]) | json_values,
        "Condition": st.dictionaries(
            st.sampled_from(["Bool", "NumericLessThan", "Null", "ForAnyValue:StringLike", "Weird"]),
            st.dictionaries(
                st.sampled_from(["aws:MultiFactorAuthAge", "aws:SourceIp"]), json_values, max_size=2
            ),
            max_size=2,
        )
        | json_values,
        "Sid": json_values,
    },
)


@PROPERTY
@given(statement_list=st.lists(statement_like, min_size=1, max_size=3))
def test_nearly_valid_documents_never_crash(
    engine: PolicyEngine, statement_list: list[Any]
) -> None:
    document = {"Version": "2012-10-17", "Statement": statement_list}
    assessment = engine.assess_principal([NamedPolicy("fuzz", document)])
    assert all(error.startswith("policy fuzz") for error in assessment.errors)
    if assessment.errors:
        assert assessment.verdict.value == "n/a"  # the only policy was not evaluated
