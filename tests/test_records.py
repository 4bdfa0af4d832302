"""``auditor.records.record`` behaves as ``@dataclass(frozen=True)`` does, only faster to build."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import field
from functools import cached_property

import pytest

from auditor.models import Finding, PrincipalRow
from auditor.records import cached, record


@record
class Sample:
    name: str
    tags: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    limit: int = field(default=3, kw_only=True)

    @cached_property
    def shout(self) -> str:
        return self.name.upper()


@record
class Pair:
    left: str
    right: int = 0


@dataclasses.dataclass(frozen=True)
class Reference:
    name: str
    tags: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    limit: int = field(default=3, kw_only=True)


def test_fields_defaults_and_factories_match_a_frozen_dataclass() -> None:
    built, reference = Sample("a"), Reference("a")
    assert dataclasses.asdict(built) == dataclasses.asdict(reference)
    assert Sample("a", ("x",), limit=5).limit == 5
    assert Sample("a").notes is not Sample("a").notes  # a fresh value per instance
    with pytest.raises(TypeError):
        Sample("a", (), {}, 5)  # type: ignore[call-arg]  # limit is keyword-only
    with pytest.raises(TypeError):
        Sample()  # type: ignore[call-arg]


def test_frozen_equal_hashable_replaceable_and_picklable() -> None:
    built = Sample("a", ("x",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.name = "b"  # type: ignore[misc]
    assert built == Sample("a", ("x",))
    assert built != Sample("b", ("x",))
    assert hash(Pair("a", 1)) == hash(Pair("a", 1))
    assert len({Pair("a", 1), Pair("a", 1), Pair("a")}) == 2
    assert dataclasses.replace(built, name="b") == Sample("b", ("x",))
    assert pickle.loads(pickle.dumps(built)) == built  # noqa: S301  # our own bytes
    assert built.shout == "A"
    assert "shout" in vars(built)  # cached_property still caches
    assert repr(built) == "Sample(name='a', tags=('x',), notes={}, limit=3)"


def test_unsupported_shapes_are_refused_when_the_class_is_defined() -> None:
    with pytest.raises(TypeError, match="__post_init__"):

        @record
        class WithPostInit:
            name: str

            def __post_init__(self) -> None: ...

    with pytest.raises(TypeError, match="init=False"):

        @record
        class WithoutInit:
            name: str = field(init=False, default="x")


def test_the_models_built_in_bulk_are_records() -> None:
    """The hot records use the direct-store ``__init__`` and keep their dataclass contract."""
    for cls in (Finding, PrincipalRow):
        assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"
        assert "object.__setattr__" not in repr(cls.__init__.__code__.co_names)
        assert dataclasses.is_dataclass(cls)
        assert getattr(cls, "__dataclass_params__").frozen  # noqa: B009


@record
class Counted:
    name: str
    calls: list[str]

    @cached
    def upper(self) -> str:
        """The name in capitals."""
        self.calls.append(self.name)
        return self.name.upper()


def test_cached_computes_once_and_stores_in_the_instance() -> None:
    calls: list[str] = []
    item = Counted("a", calls)
    assert (item.upper, item.upper) == ("A", "A")
    assert calls == ["a"]  # the second read found the stored value
    assert vars(item)["upper"] == "A"
    assert Counted("b", calls).upper == "B"  # per instance, not per class
    assert isinstance(Counted.upper, cached)
    assert Counted.upper.__doc__ == "The name in capitals."
    assert [f.name for f in dataclasses.fields(Counted)] == ["name", "calls"]  # not a field
