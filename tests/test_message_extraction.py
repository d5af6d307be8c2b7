"""Every face's words reach the translators: Babel's extractor, run as `babel.cfg` says, finds
the messages of the profile builder, the catalogue, the renderers, the portal and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

babel_extract = pytest.importorskip("babel.messages.extract")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def messages() -> dict[str, set[str]]:
    """msgid → the files it was found in, extracted with the repo's own babel.cfg."""
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[str, set[str]] = {}
    for filename, _lineno, message, _comments, _context in babel_extract.extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        for msgid in message if isinstance(message, tuple) else (message,):
            found.setdefault(msgid, set()).add(filename)
    return found


def _files(messages: dict[str, set[str]], msgid: str) -> set[str]:
    assert msgid in messages, f"{msgid!r} is not extracted"
    return messages[msgid]


@pytest.mark.parametrize(
    ("msgid", "where"),
    [
        ("Emigration", "profiles/build.py"),  # a section title (N_)
        ("International migrant stock (immigrants)", "indicators/catalogue.py"),
        ("Key facts", "render/templates/profile.html.j2"),
        ("Skip to the content", "web/templates/base.html.j2"),
        ("Countries and areas by region", "web/templates/home.html.j2"),
    ],
)
def test_each_face_has_its_messages_extracted(messages, msgid, where):
    assert any(f.replace("\\", "/").endswith(where) for f in _files(messages, msgid))


def test_the_cli_and_narrative_are_extracted(messages):
    files = {f.replace("\\", "/") for fs in messages.values() for f in fs}
    for module in ("cli.py", "wording/sentences.py", "wording/labels.py", "news/check.py"):
        assert any(f.endswith(module) for f in files), f"no message extracted from {module}"


def test_many_messages(messages):
    assert len(messages) > 400
