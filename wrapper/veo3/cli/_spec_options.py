"""Command-line options made from the spec: one ``--kebab-case`` option per optional request field.

``@spec_options(operation_id)`` gives a command one option per optional field of that operation's request
(query parameters and JSON body), named after the library's keyword (``aspect_ratio`` ->
``--aspect-ratio``, ``personGeneration`` would be ``--person-generation``), with the enum's values as
choices, the spec's description, bounds and default as help, plus ``--extra FIELD=VALUE`` for fields the
spec does not know yet. The command receives them as one ``options`` dict of library keywords, so a field
added to the spec reaches the CLI through ``make generate`` alone.

Bounds are not checked here: the library checks every request against the spec and raises
``RequestValidationError`` (exit 2, with a JSON error document under ``--json``) before anything is sent.
"""

# No `from __future__ import annotations`: Typer reads these annotations as objects.
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, TypeVar

import typer

from veo3._spec import _document as _spec
from veo3._spec._validation import ALIASES
from veo3.cli._signature import expand, option

__all__ = ["CliOption", "cli_options", "parse_extra", "spec_options"]

F = TypeVar("F", bound=Callable[..., Any])
_JSON_TYPES: Mapping[str, type] = {"integer": int, "number": float, "boolean": bool, "string": str}


@dataclass(frozen=True)
class CliOption:
    """One request field as a command-line option."""

    field: _spec.RequestField

    @property
    def flags(self) -> tuple[str, ...]:
        """``--kebab-name``, then its aliases (a renamed keyword; an array's singular, ``--image-url``)."""
        names = [self.field.python_name]
        names += [old for old, new in ALIASES.items() if new == self.field.python_name]
        if self._json_type == "array" and self.field.python_name.endswith("s"):
            names.append(self.field.python_name[:-1])
        flags = tuple("--" + name.replace("_", "-") for name in names)
        if self._json_type == "boolean":
            return tuple(f"{flag}/--no-{flag[2:]}" for flag in flags[:1]) + flags[1:]
        return flags

    @property
    def _json_type(self) -> str:
        kind = self.field.schema.get("type", "string")
        if isinstance(kind, list):  # ["number", "null"]: the value's own type
            kind = next((k for k in kind if k != "null"), "string")
        return str(kind)

    @property
    def _values(self) -> Mapping[str, Any]:
        """The schema's own values (an enum's, an array item's enum) as typed on the command line."""
        schema = self.field.schema
        if self._json_type == "array":
            schema = _spec.resolved(schema.get("items", {}))
        return {str(v): v for v in schema.get("enum", ())}

    def annotation(self) -> Any:
        """The Typer annotation: type, option names, help, choices."""
        values = self._values
        item: Any = _JSON_TYPES.get(self._json_type, str)
        if self._json_type == "array":
            item = _JSON_TYPES.get(str(_spec.resolved(self.field.schema.get("items", {})).get("type")), str)
        if values:  # Typer offers an Enum's values as the choices
            item = _choices(self.field.python_name, values)
        python_type: Any = list[item] if self._json_type == "array" else item
        option = typer.Option(
            *self.flags,
            help=self.help(),
            show_default=False,
            hidden=self.field.deprecated,  # still accepted, no longer advertised
        )
        return Annotated[python_type | None, option]

    def help(self) -> str:
        """The spec's description (first sentence), then its values, bounds and default."""
        schema = self.field.schema
        description = " ".join(str(schema.get("description", self.field.json_name)).split())
        first = description.split(". ")[0].rstrip(".") + "."
        parts = [first]
        if "minimum" in schema and "maximum" in schema:
            parts.append(f"From {schema['minimum']} to {schema['maximum']}.")
        elif "minimum" in schema:
            parts.append(f"At least {schema['minimum']}.")
        if "maxItems" in schema:
            parts.append(f"Repeat for several (at most {schema['maxItems']}).")
        if "default" in schema:
            parts.append(f"API default: {schema['default']}.")
        return " ".join(parts)

    def convert(self, value: Any) -> Any:
        """The value as the library takes it (``None``/empty: not given)."""
        if value is None or value == []:
            return None
        if isinstance(value, list):
            return [self._typed(v) for v in value]
        return self._typed(value)

    def _typed(self, value: Any) -> Any:
        text = value.value if isinstance(value, Enum) else value
        return self._values.get(text, text) if isinstance(text, str) else text


def _choices(name: str, values: Mapping[str, Any]) -> Any:
    return Enum(name, {text: text for text in values}, type=str)


def cli_options(operation_id: str) -> tuple[CliOption, ...]:
    """The options for an operation: every optional field of its request, in spec order."""
    return tuple(CliOption(f) for f in _spec.operation(operation_id).request_fields if not f.required)


def parse_extra(items: list[str] | None) -> dict[str, Any]:
    """``--extra FIELD=VALUE`` items as a dict: VALUE read as JSON, else kept as a string."""
    out: dict[str, Any] = {}
    for item in items or ():
        name, sep, raw = item.partition("=")
        if not sep or not name:
            raise typer.BadParameter(f"expected FIELD=VALUE, got {item!r}", param_hint="--extra")
        try:
            out[name] = json.loads(raw)
        except ValueError:
            out[name] = raw
    return out


_EXTRA = Annotated[
    list[str] | None,
    typer.Option(
        "--extra",
        metavar="FIELD=VALUE",
        help="Send a field the spec does not know yet (repeatable; VALUE is read as JSON, else as text).",
        show_default=False,
    ),
]


def spec_options(operation_id: str) -> Callable[[F], F]:
    """Give a command the spec's options for ``operation_id`` in place of its ``options`` parameter."""
    options = cli_options(operation_id)
    has_body = _spec.operation(operation_id).body_schema_ref is not None
    extra_keyword = "extra_body" if has_body else "extra_query"
    parameters = [option(o.field.python_name, o.annotation()) for o in options]
    parameters.append(option("extra", _EXTRA))

    def fold(values: Mapping[str, Any]) -> dict[str, Any]:
        given: dict[str, Any] = {}
        for spec_option in options:
            value = spec_option.convert(values[spec_option.field.python_name])
            if value is not None:
                given[spec_option.field.python_name] = value
        extra = parse_extra(values["extra"])
        if extra:
            given[extra_keyword] = extra
        return given

    return lambda command: expand(command, "options", parameters, fold)
