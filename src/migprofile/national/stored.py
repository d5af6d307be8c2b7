"""A national data system as the store keeps it: the checked document as JSON, read back
through the same checks as a file (a document stored by another version is refused clearly
rather than misread)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from migprofile.errors import ParseError
from migprofile.national.model import NationalSystem
from migprofile.national.parse import system_from_data
from migprofile.wording.i18n import _


def to_json(system: NationalSystem) -> str:
    """The document as the store keeps it (the fields of the YAML format, lists for tuples)."""
    return json.dumps(_drop_empty(asdict(system)), ensure_ascii=False, sort_keys=True)


def from_json(text: str, *, origin: str = "stored document") -> NationalSystem:
    """A stored document back as dataclasses, checked as a file is (ParseError naming
    `origin` when it does not match this version's format)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ParseError(origin, _("not valid JSON ({why})").format(why=exc)) from None
    return system_from_data(data, origin)


def _drop_empty(value: Any) -> Any:
    """None fields left out: the JSON reads like the YAML a user writes."""
    if isinstance(value, dict):
        return {k: _drop_empty(v) for k, v in value.items() if v is not None and v != ()}
    if isinstance(value, list | tuple):
        return [_drop_empty(v) for v in value]
    return value
