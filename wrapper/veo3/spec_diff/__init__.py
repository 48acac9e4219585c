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

How changes are classified (the *client's* point of view; the table is :mod:`veo3.spec_diff._rules`):

- **Requests** (bodies and parameters the client sends): anything that makes a previously valid request
  invalid is breaking — an operation removed, a required field or parameter added, an optional one made
  required, a field removed, an enum value removed, a bound tightened (``maximum`` lowered, ``minLength``
  raised…), a type narrowed, ``null`` no longer accepted, a ``pattern``/``format``/``multipleOf`` added or
  changed (a new regex is not provably looser), ``additionalProperties`` closed, a security requirement
  added, an ``anyOf``/``oneOf`` alternative removed. The reverse changes are non-breaking (a pattern
  removed is a loosening). A parameter's ``default`` added, removed or changed is breaking (it is what
  the server does when the parameter is left out; oasdiff rates it so too); a body field's default is
  listed, non-breaking (generated models send their default explicitly).
- **Responses and callbacks** (bodies the client receives; a callback's request body is received by the
  client's receiver, so it follows the response rules and ids): anything a client may not be ready to
  read is breaking — a field or header removed, a field or header that was always present no longer
  required, a field made nullable, a type widened, an alternative added, a ``format`` removed or changed
  (clients parse ``date-time`` and friends by it), a status or media type removed. *Enum widening in a
  response is classified breaking*: clients with closed enums (most generators, and hand-written
  ``match`` statements) fail on the new value, even though ``veo3``'s own generated enums are open and
  keep unknown values. The exception is the envelope's in-band ``code``: new documented codes are
  non-breaking (``response-in-band-code-added``), because ``code`` is the error channel every client must
  already handle generically (``veo3`` maps an unknown code to a plain ``APIError``); they are still
  listed so a reviewer can decide whether the code deserves its own error class. Bounds, patterns and
  formats added or tightened in a response are non-breaking (clients rarely validate responses; the
  change is listed for those that do).
- **Operations**: an ``operationId`` change is breaking (``api-operation-id-changed``: the generated
  function and module names change); deprecation and version changes are listed.

``$ref`` chains are followed and ``allOf`` members are merged, so moving a schema into a component or
splitting it into an ``allOf`` is no change; ``anyOf``/``oneOf`` branches are paired by structure, not
position, so reordering them is no change either; response headers are compared like parameters.

Accepted breaks live in an ignore file (``openapi/spec-diff-ignore.json``): each entry names a rule id,
a location and a reason; a listed change is still reported, marked accepted, and an entry that matches
no change is reported as stale. The one front door is the ``veo3 spec-diff OLD NEW`` command
(``python -m veo3.spec_diff`` runs the same command): exit 0 when no breaking change is left unaccepted,
1 otherwise, 2 on a usage error or an unreadable file.
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
