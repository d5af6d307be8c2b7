"""Reading and checking a national data system file (YAML, docs/national-data-system.md).

Every problem is one line naming the file and the field path (`sources[2].latest_release`);
a file with several problems is refused with the first one and the count of the others.
Dates stay the text the user wrote (YAML's own date conversion is switched off), so a bad
date is reported as written rather than as a Python exception.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import yaml

from migprofile.errors import ParseError
from migprofile.national.model import (
    ACCESS_KINDS,
    BASES,
    PERIODICITIES,
    SOURCE_TYPES,
    TOPICS,
    Access,
    AccessKind,
    Basis,
    Definitions,
    NationalSource,
    NationalSystem,
    Periodicity,
    SourceType,
    Topic,
)
from migprofile.wording.i18n import N_, _, ngettext

# A data system lists a handful of sources: anything larger is not such a file.
MAX_FILE_BYTES = 1_000_000

TOP_FIELDS = ("country", "compiled_by", "updated", "notes", "sources")
SOURCE_FIELDS = (
    "name",
    "institution",
    "type",
    "population",
    "definitions",
    "periodicity",
    "latest_release",
    "reference_date",
    "topics",
    "access",
    "known_issues",
)
DEFINITION_FIELDS = ("usual_residence", "basis", "other")
ACCESS_FIELDS = ("kind", "url", "note")

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

_KIND_NAMES = {
    "mapping": N_("a mapping"),
    "list": N_("a list"),
    "bool": N_("true/false"),
    "number": N_("a number"),
    "text": N_("text"),
    "empty": N_("nothing"),
}


class NationalSystemError(ParseError):
    """A file (or stored document) that does not match the format: the message is the first
    problem (and how many more); `problems` holds every one, each 'field.path: what'."""

    def __init__(self, origin: str, message: str, problems: Sequence[str]):
        super().__init__(origin, message)
        self.problems = tuple(problems)


class _YamlProblem(Exception):
    """A problem the loader finds (a duplicate key, an alias), with its 1-based line."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _Loader(yaml.SafeLoader):
    """yaml.safe_load's loader, stricter: no duplicate keys, no aliases (they would let a
    small file expand to a huge one), dates kept as the text written."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _YamlProblem(
                event.start_mark.line + 1,
                _("aliases (*{name}) are not used in this format").format(name=event.anchor),
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                    seen.add(key)
                except TypeError:  # an unhashable key: the constructor's own error says so
                    continue
                if duplicate:
                    raise _YamlProblem(
                        key_node.start_mark.line + 1,
                        _("the field {field} is given twice").format(field=repr(key)),
                    )
        return super().construct_mapping(node, deep=deep)


def _keep_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _keep_text)


def parse_national_system(path: str | Path) -> NationalSystem:
    """A national data system file → NationalSystem, or a ParseError naming the file and the
    field at fault (one line)."""
    return system_from_data(load_yaml(path), str(path))


def load_yaml(path: str | Path) -> Any:
    """The file's YAML as plain Python values (dict, list, str, int...), or a ParseError."""
    origin = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise ParseError(
                origin,
                _("{size} bytes: a national data system file is limited to {limit} bytes").format(
                    size=f"{size:,}", limit=f"{MAX_FILE_BYTES:,}"
                ),
            )
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ParseError(
            origin, _("cannot read it ({why})").format(why=exc.strerror or exc)
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            origin, _("not UTF-8 text (byte {offset})").format(offset=exc.start)
        ) from None
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: safe_load's rules
    except _YamlProblem as exc:
        raise ParseError(
            origin, _("line {line}: {problem}").format(line=exc.line, problem=exc.message)
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or str(exc).splitlines()[0]
        if mark is None:
            raise ParseError(
                origin, _("not valid YAML ({problem})").format(problem=problem)
            ) from None
        raise ParseError(
            origin,
            _("line {line}, column {column}: not valid YAML ({problem})").format(
                line=mark.line + 1, column=mark.column + 1, problem=problem
            ),
        ) from None
    except yaml.YAMLError as exc:  # e.g. a control character the reader refuses
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ParseError(origin, _("not valid YAML ({problem})").format(problem=detail)) from None
    except RecursionError:
        raise ParseError(origin, _("not valid YAML (nested too deeply)")) from None
    if data is None:
        raise ParseError(
            origin,
            _("empty file: expected the fields country and sources (see {doc})").format(
                doc="docs/national-data-system.md"
            ),
        )
    return data


def system_from_data(data: Any, origin: str) -> NationalSystem:
    """Plain values (a loaded YAML file or a stored JSON document) → NationalSystem; every
    problem found, reported as the first one plus how many more (ParseError naming `origin`)."""
    problems = _Problems()
    system = _system(data, problems)
    if problems.lines or system is None:
        first = problems.lines[0] if problems.lines else _("not a national data system")
        more = len(problems.lines) - 1
        if more:
            first = ngettext(
                "{problem} ({n} more problem in the file)",
                "{problem} ({n} more problems in the file)",
                more,
            ).format(problem=first, n=more)
        raise NationalSystemError(origin, first, problems.lines)
    return system


class _Problems:
    """The problems found so far, each 'field.path: what is wrong'."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{where}: {message}" if where else message)


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        key = "mapping"
    elif isinstance(value, list | tuple):
        key = "list"
    elif isinstance(value, bool):
        key = "bool"
    elif isinstance(value, int | float):
        key = "number"
    elif value is None:
        key = "empty"
    else:
        key = "text"
    return _(_KIND_NAMES[key])


def _join(where: str, field: str) -> str:
    return f"{where}.{field}" if where else field


def _did_you_mean(value: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(allowed), n=1, cutoff=0.6)
    return _(" (did you mean {suggestion}?)").format(suggestion=close[0]) if close else ""


def _fields(
    value: Any,
    where: str,
    allowed: Sequence[str],
    required: Sequence[str],
    p: _Problems,
) -> dict[str, Any] | None:
    """A mapping of fields: unknown ones and missing required ones are problems."""
    if not isinstance(value, Mapping):
        p.add(where, _("must be a mapping of fields, not {kind}").format(kind=_kind(value)))
        return None
    for key in value:
        if key not in allowed:
            hint = _did_you_mean(key, allowed) if isinstance(key, str) else ""
            p.add(where, _("unknown field {field}").format(field=repr(key)) + hint)
    for key in required:
        if key not in value:
            p.add(where, _("missing field {field}").format(field=repr(key)))
    return {k: v for k, v in value.items() if k in allowed}


def _text(
    fields: Mapping[str, Any], key: str, where: str, p: _Problems, *, required: bool = False
) -> str | None:
    if key not in fields:
        return None
    return _text_value(fields[key], _join(where, key), p, required=required)


def _text_value(value: Any, at: str, p: _Problems, *, required: bool = False) -> str | None:
    """Free text (a bare number is taken as written); empty is absent, or a problem when
    the field is required."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value is not None and not isinstance(value, str):
        p.add(at, _("must be text, not {kind} (put it in quotes)").format(kind=_kind(value)))
        return None
    text = (value or "").strip()
    if not text:
        if required:
            p.add(at, _("empty: this field is required"))
        return None
    return text


def _normal(code: str) -> str:
    """'Border/administrative', 'central bank', 'every 5 years' → their codes' spelling."""
    return re.sub(r"[\s/-]+", "_", code.strip().lower())


def _code(
    fields: Mapping[str, Any],
    key: str,
    where: str,
    allowed: Sequence[str],
    p: _Problems,
    *,
    required: bool = False,
) -> str | None:
    if key not in fields:
        return None
    return _one_code(fields[key], _join(where, key), allowed, p, required=required)


def _one_code(
    value: Any, at: str, allowed: Sequence[str], p: _Problems, *, required: bool = False
) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            p.add(
                at,
                _("empty: this field is required (one of {allowed})").format(
                    allowed=", ".join(allowed)
                ),
            )
        return None
    if not isinstance(value, str):
        p.add(
            at,
            _("must be one of {allowed}, not {kind}").format(
                allowed=", ".join(allowed), kind=_kind(value)
            ),
        )
        return None
    code = _normal(value)
    if code in allowed:
        return code
    p.add(
        at,
        _("{value} is not one of {allowed}").format(value=repr(value), allowed=", ".join(allowed))
        + _did_you_mean(code, allowed),
    )
    return None


def _date(
    fields: Mapping[str, Any], key: str, where: str, p: _Problems, *, partial: bool = True
) -> str | None:
    """A date as written: YYYY-MM-DD, or also YYYY-MM and YYYY when `partial`."""
    if key not in fields or fields[key] is None:
        return None
    value = fields[key]
    at = _join(where, key)
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    m = (_PARTIAL_DATE if partial else _FULL_DATE).match(text)
    if m is not None:
        year, month, day = (int(g) if g else 1 for g in m.groups())
        try:
            dt.date(year, month, day)
        except ValueError:
            m = None
    if m is None:
        shown = repr(value) if isinstance(value, str) else str(value)
        message = (
            _("{value} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
            if partial
            else _("{value} is not a date (YYYY-MM-DD)")
        )
        p.add(at, message.format(value=shown))
        return None
    return text


def _url(fields: Mapping[str, Any], key: str, where: str, p: _Problems) -> str | None:
    text = _text(fields, key, where, p)
    if text is None:
        return None
    try:
        parts = urlsplit(text)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok or any(c.isspace() for c in text):
        p.add(_join(where, key), _("{value} is not an http(s) URL").format(value=repr(text)))
        return None
    return text


def _present(value: Any) -> bool:
    """A block whose fields are all empty (as the template leaves them) is not given."""
    if value is None:
        return False
    if isinstance(value, Mapping):
        return any(v is not None for v in value.values())
    return True


def _system(data: Any, p: _Problems) -> NationalSystem | None:
    if not isinstance(data, Mapping):
        p.add(
            "",
            _("the top level must be a mapping of fields (country, sources, …), not {kind}").format(
                kind=_kind(data)
            ),
        )
        return None
    fields = _fields(data, "", TOP_FIELDS, ("country", "sources"), p) or {}
    country = _text(fields, "country", "", p, required=True)
    compiled_by = _text(fields, "compiled_by", "", p)
    updated = _date(fields, "updated", "", p, partial=False)
    notes = _text(fields, "notes", "", p)
    sources = _sources(fields.get("sources"), p) if "sources" in fields else ()
    if country is None or sources is None:
        return None
    return NationalSystem(
        country=country,
        sources=sources,
        compiled_by=compiled_by,
        updated=updated,
        notes=notes,
    )


def _sources(value: Any, p: _Problems) -> tuple[NationalSource, ...] | None:
    if not isinstance(value, list):
        p.add("sources", _("must be a list of sources, not {kind}").format(kind=_kind(value)))
        return None
    if not value:
        p.add("sources", _("empty list: give at least one source"))
        return None
    out: list[NationalSource] = []
    seen: dict[tuple[str, str], int] = {}
    for i, item in enumerate(value):
        where = f"sources[{i}]"
        source = _source(item, where, p)
        if source is None:
            continue
        key = (source.name.casefold(), source.institution.casefold())
        if key in seen:
            p.add(
                where,
                _("same name and institution as sources[{index}]").format(index=seen[key]),
            )
        seen.setdefault(key, i)
        out.append(source)
    return tuple(out) if len(out) == len(value) else None


def _source(value: Any, where: str, p: _Problems) -> NationalSource | None:
    before = len(p.lines)
    fields = _fields(value, where, SOURCE_FIELDS, ("name", "institution", "type", "topics"), p)
    if fields is None:
        return None
    name = _text(fields, "name", where, p, required=True)
    institution = _text(fields, "institution", where, p, required=True)
    kind = _code(fields, "type", where, SOURCE_TYPES, p, required=True)
    population = _text(fields, "population", where, p)
    definitions = _definitions(fields.get("definitions"), _join(where, "definitions"), p)
    periodicity = _code(fields, "periodicity", where, PERIODICITIES, p)
    latest_release = _date(fields, "latest_release", where, p)
    reference_date = _date(fields, "reference_date", where, p)
    topics = _topics(fields, where, p)
    access = _access(fields.get("access"), _join(where, "access"), p)
    known_issues = _text_list(fields, "known_issues", where, p)
    if len(p.lines) > before or name is None or institution is None or kind is None:
        return None
    return NationalSource(
        name=name,
        institution=institution,
        type=cast(SourceType, kind),
        topics=cast(tuple[Topic, ...], topics),
        population=population,
        definitions=definitions,
        periodicity=cast(Periodicity | None, periodicity),
        latest_release=latest_release,
        reference_date=reference_date,
        access=access,
        known_issues=known_issues,
    )


def _definitions(value: Any, where: str, p: _Problems) -> Definitions | None:
    if not _present(value):
        return None
    fields = _fields(value, where, DEFINITION_FIELDS, (), p)
    if fields is None:
        return None
    return Definitions(
        usual_residence=_text(fields, "usual_residence", where, p),
        basis=cast(Basis | None, _code(fields, "basis", where, BASES, p)),
        other=_text(fields, "other", where, p),
    )


def _access(value: Any, where: str, p: _Problems) -> Access | None:
    if not _present(value):
        return None
    fields = _fields(value, where, ACCESS_FIELDS, ("kind",), p)
    if fields is None:
        return None
    kind = _code(fields, "kind", where, ACCESS_KINDS, p, required=True)
    url = _url(fields, "url", where, p)
    note = _text(fields, "note", where, p)
    if kind is None:
        return None
    return Access(kind=cast(AccessKind, kind), url=url, note=note)


def _topics(fields: Mapping[str, Any], where: str, p: _Problems) -> tuple[str, ...]:
    at = _join(where, "topics")
    if "topics" not in fields:
        return ()
    value = fields["topics"]
    if isinstance(value, str):  # one topic written without the list dash
        value = [value]
    if value is None or value == []:
        p.add(
            at,
            _("empty list: give at least one of {allowed}").format(allowed=", ".join(TOPICS)),
        )
        return ()
    if not isinstance(value, list):
        p.add(at, _("must be a list of topics, not {kind}").format(kind=_kind(value)))
        return ()
    topics: list[str] = []
    for i, item in enumerate(value):
        code = _one_code(item, f"{at}[{i}]", TOPICS, p, required=True)
        if code is None:
            continue
        if code in topics:
            p.add(f"{at}[{i}]", _("{value} is listed twice").format(value=repr(code)))
            continue
        topics.append(code)
    return tuple(topics)


def _text_list(fields: Mapping[str, Any], key: str, where: str, p: _Problems) -> tuple[str, ...]:
    at = _join(where, key)
    value = fields.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        p.add(
            at,
            _("must be a list (each item on a line starting with '- '), not {kind}").format(
                kind=_kind(value)
            ),
        )
        return ()
    items: list[str] = []
    for i, item in enumerate(value):
        text = _text_value(item, f"{at}[{i}]", p, required=True)
        if text is not None:
            items.append(text)
    return tuple(items)
