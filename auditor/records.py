"""``record``: a frozen dataclass whose ``__init__`` stores its fields straight into the instance.

A frozen dataclass's generated ``__init__`` calls ``object.__setattr__`` once per field, because
the class's own ``__setattr__`` refuses every assignment. The analyzer builds about 900,000
records for 50,000 users (paths, rows, findings, parsed statements, engine answers), and in
``benchmarks/bench_analyze.py``'s profile those per-field calls were 9 % of the time. Writing
the instance ``__dict__`` is what ``object.__setattr__`` ends up doing for a plain field, minus
the call. Everything else stays the dataclass's own: equality, hashing, ``repr``,
``FrozenInstanceError`` on assignment, ``dataclasses.replace``, pickling and ``cached_property``.

``cached`` is ``functools.cached_property`` without the lock Python 3.11 takes on every first
read (removed in 3.12): records are built and read by one thread, and a value computed twice
would be the same value.

Only what the generated ``__init__`` would do is supported (defaults, default factories,
keyword-only fields); a class that needs ``__post_init__``, ``init=False`` fields or
``__slots__`` is refused at import time rather than built wrongly.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

T = TypeVar("T")

if TYPE_CHECKING:  # typing has it from 3.11; typer already depends on typing_extensions
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_options: Any) -> Callable[[T], T]:
        return lambda decorated: decorated


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T]) -> type[T]:
    """``@dataclass(frozen=True)`` with a direct-store ``__init__`` (see the module docstring)."""
    built = dataclasses.dataclass(frozen=True)(cls)
    built.__init__ = _direct_init(built)  # type: ignore[method-assign]
    return built


def _direct_init(cls: type[Any]) -> Any:
    if "__slots__" in cls.__dict__ or hasattr(cls, "__post_init__"):
        raise TypeError(f"record {cls.__qualname__}: __slots__ and __post_init__ are unsupported")
    namespace: dict[str, Any] = {"_FACTORY": _Factory}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for i, spec in enumerate(dataclasses.fields(cls)):
        if not spec.init:
            raise TypeError(f"record {cls.__qualname__}: init=False fields are unsupported")
        name = spec.name
        parameter = name
        if spec.default is not dataclasses.MISSING:
            namespace[f"_default_{i}"] = spec.default
            parameter = f"{name}=_default_{i}"
        elif spec.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{i}"] = spec.default_factory
            parameter = f"{name}=_FACTORY"
            body.append(f"    if {name} is _FACTORY: {name} = _factory_{i}()")
        (keyword if spec.kw_only else positional).append(parameter)
        body.append(f"    d[{name!r}] = {name}")
    signature = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    source = f"def __init__({signature}) -> None:\n    d = self.__dict__\n" + "\n".join(body)
    # Generated from field names only, as dataclasses itself builds __init__ (_create_fn).
    exec(source, namespace)  # noqa: S102
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init


class _Factory:
    """The default of a field with a default factory: replaced by a fresh value per instance."""


class cached(Generic[T]):
    """A property computed on first read and stored in the instance (see the module docstring)."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> cached[T]: ...

    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type[Any] | None = None) -> T | cached[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value
