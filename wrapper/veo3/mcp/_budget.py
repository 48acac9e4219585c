"""What an agent may spend: nothing without ``--budget``, never past it with one. No I/O here.

Prices are the batch's (``veo3/prices.json``, the same table ``veo3 batch --dry-run`` uses), looked up by
the spec's operationId and the request's JSON body. A call is priced whole before anything is sent: it is
either reserved whole or refused whole. A reservation is kept when the request went out (even when its
reply was lost: the task may exist and be billed) and given back only when nothing was created.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from veo3._spec._validation import ALIASES
from veo3.errors import Veo3Error

if TYPE_CHECKING:  # `veo3 --help` imports this module (the option's env var): keep it light
    from veo3._spec._operations import Operation
    from veo3._spec._prices import PriceTable

__all__ = ["ENV_VAR", "Budget", "BudgetExceededError", "json_body"]

#: The environment variable read when ``--budget`` is not given.
ENV_VAR = "VEO3_MCP_BUDGET"


class BudgetExceededError(Veo3Error):
    """The call would spend more than what is left of the budget: nothing was sent."""


def json_body(op: Operation, keywords: Mapping[str, Any]) -> dict[str, Any]:
    """``keywords`` (the library's names) under the spec's JSON names, as the price table reads them."""
    names = {f.python_name: f.json_name for f in op.request_fields}
    return {names.get(ALIASES.get(k, k), k): v for k, v in keywords.items()}


@dataclass
class Budget:
    """Credits this server may spend (``limit``; ``None``: none, every paid call is a dry run)."""

    prices: PriceTable
    limit: float | None = None
    spent: float = 0.0

    @property
    def dry_run(self) -> bool:
        """True when paid tools only answer with the price."""
        return self.limit is None

    @property
    def remaining(self) -> float | None:
        """Credits left (``None`` in a dry run)."""
        return None if self.limit is None else max(self.limit - self.spent, 0.0)

    def price(self, op: Operation, keywords: Mapping[str, Any]) -> float:
        """Credits one request of ``op`` with these keywords costs."""
        return self.prices.cost(op.operation_id, json_body(op, keywords))

    def reserve(self, credits: float) -> None:
        """Set ``credits`` aside for a call, or refuse it whole (``BudgetExceededError``).

        Synchronous on purpose: no other call can run between the check and the reservation.
        """
        remaining = self.remaining
        assert remaining is not None, "reserve() in a dry run"
        if credits > remaining + 1e-9:
            raise BudgetExceededError(
                f"refused: this call costs {credits:g} credits and {remaining:g} of the budget of "
                f"{self.limit:g} remain; nothing was sent. Make fewer or cheaper videos (e.g. a cheaper model), "
                "or ask the person running this server for a larger --budget."
            )
        self.spent += credits

    def release(self, credits: float) -> None:
        """Give back a reservation whose request created nothing (refused, or never sent)."""
        self.spent = max(self.spent - credits, 0.0)

    def report(self) -> dict[str, Any]:
        """The budget as a result shows it."""
        if self.limit is None:
            return {"dry_run": True, "budget": None, "spent": 0, "remaining": None}
        return {"dry_run": False, "budget": self.limit, "spent": self.spent, "remaining": self.remaining}

    def dry_run_answer(self, credits: float, detail: Mapping[str, Any]) -> dict[str, Any]:
        """What a paid tool answers without a budget: the price, and that nothing was sent."""
        return {
            "sent": False,
            "dry_run": True,
            "credits": credits,
            **detail,
            "message": (
                f"NOT SENT: this would cost {credits:g} credits (prices: {self.prices.path or 'veo3/prices.json'}, "
                f"measured {self.prices.measured or 'unknown'}). This server spends nothing unless started with "
                f"--budget CREDITS (or ${ENV_VAR}); ask the person running it."
            ),
        }
