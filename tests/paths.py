"""Change a request by dotted path ("prior_surgeries.1.spinal_levels"), as the error answers name fields."""

from __future__ import annotations

from typing import Any

DELETE = object()


def changed(request: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *parents, last = path.split(".")
    node: Any = request
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if value is DELETE:
        del node[key]
    else:
        node[key] = value
    return request
