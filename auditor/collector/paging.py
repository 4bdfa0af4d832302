"""IAM's Marker pagination, followed to the end and checked.

IAM "may return fewer results, even when there are more results available" (API reference,
``MaxItems``), so only ``IsTruncated`` decides whether to continue, never the item count. A
truncated page without a new marker would loop forever or silently stop; both are errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from auditor.errors import CollectionError

PAGE_SIZE = 1000
"""IAM's maximum ``MaxItems``: fewest pages, so fewest calls."""


def iam_pages(
    call: Callable[..., Mapping[str, Any]], operation: str, **params: Any
) -> Iterator[Mapping[str, Any]]:
    """Yield every page of ``call(**params, MaxItems=1000, Marker=...)``."""
    marker: str | None = None
    seen: set[str] = set()
    while True:
        arguments = dict(params, MaxItems=PAGE_SIZE)
        if marker is not None:
            arguments["Marker"] = marker
        page = call(**arguments)
        yield page
        if not page.get("IsTruncated"):
            return
        marker = page.get("Marker")
        if not isinstance(marker, str) or not marker or marker in seen:
            raise CollectionError(
                f"{operation} returned a truncated page without a new Marker; "
                "the listing would be incomplete",
                hint="run again; if it persists, report it",
            )
        seen.add(marker)
