"""One parameter of a Typer command that stands for several options: the mechanism behind ``@spec_options``
(the spec's request fields) and ``@session_options`` (the options every API command shares).

Typer reads a command's options from its signature (``inspect.signature``, which honours ``__signature__``).
``expand`` shows Typer the options in place of one parameter and, on each call, folds the values given for
them back into that one parameter, so a command body never repeats a list of options.
"""

# No `from __future__ import annotations`: Typer reads these annotations as objects.
import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
KEYWORD = inspect.Parameter.KEYWORD_ONLY


def option(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    """A keyword-only option parameter."""
    return inspect.Parameter(name, KEYWORD, default=default, annotation=annotation)


def expand(
    command: F, parameter: str, options: Sequence[inspect.Parameter], fold: Callable[[Mapping[str, Any]], Any]
) -> F:
    """``command`` with its ``parameter`` shown to Typer as ``options``; ``fold(their values)`` fills it."""
    signature = inspect.signature(command)
    own = [p for p in signature.parameters.values() if p.name != parameter]
    clash = {o.name for o in options} & {p.name for p in own}
    if clash:
        raise TypeError(f"{command.__name__}: options {sorted(clash)} clash with the command's own parameters")
    at = list(signature.parameters).index(parameter)
    parameters = [p.replace(kind=KEYWORD) if p.default is not p.empty else p for p in own]
    parameters[at:at] = options
    names = [o.name for o in options]

    @functools.wraps(command)
    def run(**kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in names}
        return command(**kwargs, **{parameter: fold(values)})

    positional = [p for p in parameters if p.kind is not KEYWORD]  # Python's rule: positional ones first
    ordered = positional + [p for p in parameters if p.kind is KEYWORD]
    run.__signature__ = signature.replace(parameters=ordered)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    return run  # type: ignore[return-value]
