"""Breaking and non-breaking changes between two versions of the OpenAPI spec (``veo3 spec-diff``).

Updating ``openapi/veo3-api.json`` (and then ``make generate``) should be a reviewed step: this package
lists what changed for a *client* of the API, each change with a stable rule id and classified as
breaking or not, so the review starts from "seeds maximum lowered from 99999 to 50000
(request-property-max-decreased, breaking)" rather than from a JSON diff. ``make spec-gate`` (part of
``make test``) fails on a breaking change since the release baseline that the ignore file does not accept.

Why a small hand-written differ and not a library: the tool that does this well, oasdiff, is written in Go
and is not on PyPI (adding it would mean a Go toolchain or a downloaded binary in ``make``, against the
fresh-clone rule); the Python packages that exist (``openapi-spec-diff``, ``openapispecdiff``,
``impoasdiff``) are abandoned, predate OpenAPI 3.1 (``type`` lists, ``anyOf`` with ``null`` instead of
``nullable``) and know nothing of callbacks. The rule ids follow oasdiff's naming.

How changes are classified (the *client's* point of view; the table, one row per kind of change with
its level for requests and for responses, is :mod:`veo3.spec_diff._rules`). Each change has a level,
as in oasdiff: ``breaking`` (ERR), ``warn`` (WARN: some clients may fail) or ``info``.

- **Requests** (bodies and parameters the client sends): anything that makes a previously valid request
  invalid is breaking — an operation removed (unless it was deprecated and its ``x-sunset`` date, if any,
  has passed), a required field or parameter added, an optional one made required, a field removed from
  a closed object, an enum value removed, a bound tightened (``maximum`` lowered, ``minLength``
  raised…), a type narrowed, ``null`` no longer accepted, a ``pattern``/``format``/``multipleOf`` added,
  ``additionalProperties`` closed, a security requirement or scope added, an ``anyOf``/``oneOf``
  alternative removed. Warnings: a bound set where there was none (it usually documents a limit the
  server already had), a ``pattern`` changed, a parameter or open-object field removed (the server
  ignores it from now on). A parameter's ``default`` added, removed or changed is breaking (it is what
  the server does when the parameter is left out); a body field's default is info.
- **Responses and callbacks** (bodies the client receives; a callback's or webhook's request body is
  received by the client's receiver, so it follows the response rules and ids): anything a client may
  not be ready to read is breaking — a required field or header removed, a field that was always
  present no longer required, a field made nullable, a type widened, an alternative added, a bound
  widened (``minimum`` lowered, ``maximum`` raised, ``maxLength`` removed…: clients sized for the old
  range meet values outside it), a ``format`` removed or changed, a 2xx status or a media type removed.
  Warnings: an optional field or header removed. Info: an error status removed (clients no longer meet
  it), bounds and patterns tightened. *Enum widening in a response is breaking* (oasdiff: WARN):
  clients with closed enums (most generators, hand-written ``match`` statements) fail on the new value,
  even though ``veo3``'s own generated enums are open. The exception is the envelope's in-band ``code``:
  new documented codes are info (``response-in-band-code-added``), because ``code`` is the error channel
  every client must already handle generically.
- **Operations**: an ``operationId`` change is breaking (the generated function and module names
  change); a deprecation is info, and its ``x-sunset`` date is checked (invalid, dropped, or brought
  forward into the past: breaking).

``$ref`` chains are followed, also through cycles (a schema that contains itself is compared once per
path); ``allOf`` members are merged keyword by keyword so every member's constraints hold (the tighter
bound wins, enums and types intersect, a property named twice keeps both schemas), so moving a schema
into a component or splitting it into an ``allOf`` is no change; ``anyOf``/``oneOf`` branches are paired
by structure, not position, so reordering them is no change either; response headers are compared like
parameters. Measured on oasdiff's own checker fixtures (``scripts/spec_diff_oasdiff.py``), the verdicts
match oasdiff's except where the rule table says we judge stricter on purpose.

Accepted breaks live in an ignore file (``openapi/spec-diff-ignore.json``): each entry names a rule id,
a location and a reason; a listed change is still reported, marked accepted, and an entry that matches
no change is reported as stale. The same file's ``levels`` move rule ids to another level for the
project, each with a reason (:func:`load_level_overrides`). The one front door is the
``veo3 spec-diff OLD NEW`` command (``python -m veo3.spec_diff`` runs the same command): exit 0 when no
breaking change is left unaccepted (warnings are printed; ``--fail-on warn`` makes them fail too), 1
otherwise, 2 on a usage error, an unreadable file or a failure of the differ itself (never 1, which a
gate reads as "breaking").
"""

from __future__ import annotations

from veo3.spec_diff._differ import Change, diff_specs
from veo3.spec_diff._files import IGNORE_FILE, load_ignore_file, load_level_overrides, load_spec_file
from veo3.spec_diff._report import (
    AcceptedBreak,
    Entry,
    Report,
    render_markdown,
    render_text,
    report_document,
    stale_warnings,
    triage,
)
from veo3.spec_diff._rules import LEVELS, Level

__all__ = [
    "IGNORE_FILE",
    "LEVELS",
    "AcceptedBreak",
    "Change",
    "Entry",
    "Level",
    "Report",
    "diff_specs",
    "load_ignore_file",
    "load_level_overrides",
    "load_spec_file",
    "render_markdown",
    "render_text",
    "report_document",
    "stale_warnings",
    "triage",
]
