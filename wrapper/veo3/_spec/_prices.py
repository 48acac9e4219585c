"""The price table: credits each paid request costs, read from one data file (``veo3/prices.json``).

kie publishes no machine-readable price list, so the default table holds third-party measurements
(sources and date inside the file). ``veo3 batch --dry-run`` estimates a run's cost from it, a real
batch run keeps its spending under the balance with it, and the simulator charges from it. A table
names operations by the spec's ``operationId``; ``by`` names the request body field (a JSON name
from the spec) whose value selects the price, and a request that omits that field is priced at the
spec's default for it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from veo3.errors import ConfigurationError

from . import _document as _spec

__all__ = ["Price", "PriceTable", "default_prices", "load_prices"]


@dataclass(frozen=True)
class Price:
    """What one operation costs: ``flat`` credits, or ``by_value[body[by]]``."""

    flat: float | None = None
    by: str | None = None
    by_value: Mapping[str, float] = field(default_factory=dict)

    def cost(self, operation_id: str, body: Mapping[str, Any]) -> float:
        """Credits for one request with this JSON ``body`` (an unknown value costs the dearest known one)."""
        if self.by is None:
            return self.flat or 0.0
        value = body.get(self.by)
        if value is None:
            value = _body_default(operation_id, self.by)
        if value in self.by_value:
            return self.by_value[value]
        # A value the table does not know (a new model): estimating high never lets a run overspend.
        return max(self.by_value.values(), default=self.flat or 0.0)


@dataclass(frozen=True)
class PriceTable:
    """Credits per paid operation (``operationId`` -> ``Price``), and where the figures come from."""

    operations: Mapping[str, Price]
    measured: str = ""
    sources: tuple[str, ...] = ()
    path: str = ""

    def cost(self, operation_id: str, body: Mapping[str, Any] | None = None) -> float:
        """Credits one request of ``operation_id`` with this JSON ``body`` costs (0 if not in the table)."""
        price = self.operations.get(operation_id)
        return 0.0 if price is None else price.cost(operation_id, body or {})


def _body_default(operation_id: str, name: str) -> Any:
    """The spec's default for body field ``name`` of ``operation_id``."""
    fields = _spec.operation(operation_id).request_fields
    return next((f.schema.get("default") for f in fields if f.json_name == name and f.location == "body"), None)


def _parse(document: Any, origin: str) -> PriceTable:
    if not isinstance(document, dict) or not isinstance(document.get("operations"), dict):
        raise ConfigurationError(f"{origin}: a price table is a JSON object with an 'operations' object")
    known = {op.operation_id for op in _spec.iter_operations()}
    operations: dict[str, Price] = {}
    for op_id, entry in document["operations"].items():
        if op_id not in known:
            raise ConfigurationError(f"{origin}: {op_id!r} is not an operationId of the spec")
        if not isinstance(entry, dict):
            raise ConfigurationError(f"{origin}: {op_id}: give {{'price': N}} or {{'by': FIELD, 'prices': {{...}}}}")
        if "by" in entry:
            prices = entry.get("prices")
            if (
                not isinstance(entry["by"], str)
                or not isinstance(prices, dict)
                or not all(_is_number(v) for v in prices.values())
            ):
                raise ConfigurationError(f"{origin}: {op_id}: 'by' needs a field name and 'prices' numbers")
            operations[op_id] = Price(by=entry["by"], by_value={str(k): float(v) for k, v in prices.items()})
        elif _is_number(entry.get("price")):
            operations[op_id] = Price(flat=float(entry["price"]))
        else:
            raise ConfigurationError(f"{origin}: {op_id}: 'price' must be a number")
    sources = tuple(str(s.get("name", s)) if isinstance(s, dict) else str(s) for s in document.get("sources", []))
    return PriceTable(operations, str(document.get("measured", "")), sources, origin)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


@cache
def default_prices() -> PriceTable:
    """The packaged table (``veo3/prices.json``)."""
    resource = files("veo3").joinpath("prices.json")
    return _parse(json.loads(resource.read_text(encoding="utf-8")), "veo3/prices.json")


def load_prices(path: str | Path | None = None) -> PriceTable:
    """The table in ``path`` (same format as ``veo3/prices.json``), or the packaged one."""
    if path is None:
        return default_prices()
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read the price table {path}: {exc}") from exc
    return _parse(document, str(path))
