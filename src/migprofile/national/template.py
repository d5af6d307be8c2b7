"""An empty, commented national data system file for one country (`migprofile national
template`): every field with a comment saying what goes in it and which values are allowed.

It is refused by `parse_national_system` until the required fields of its source block
(name, institution, type, topics) are filled: an untouched template is never stored.
"""

from __future__ import annotations

import json
import re
import textwrap

from migprofile.national.model import ACCESS_KINDS, BASES, PERIODICITIES, SOURCE_TYPES, TOPICS
from migprofile.wording.i18n import _

_PLAIN_CODE = re.compile(r"^[A-Za-z]{3}$")


# Comment lines are wrapped to this width (the file is read in an editor).
WIDTH = 92


def _comment(text: str, indent: int = 0) -> str:
    pad = " " * indent
    lines = [
        wrapped
        for line in text.splitlines() or [""]
        for wrapped in textwrap.wrap(line, WIDTH - indent - 2, break_long_words=False) or [""]
    ]
    return "".join(f"{pad}# {line}".rstrip() + "\n" for line in lines)


def _one_of(codes: tuple[str, ...]) -> str:
    return _("One of: {codes}.").format(codes=", ".join(codes))


def template(geo_code: str, geo_name: str) -> str:
    """The template's YAML text for `geo_code` (written as its `country`), `geo_name` in its
    heading comment."""
    name = " ".join(str(geo_name).split())
    code = geo_code if _PLAIN_CODE.match(geo_code) else json.dumps(geo_code)
    required = _("(required)")
    parts = [
        _comment(
            _("National migration data system of {name} ({code})").format(name=name, code=geo_code)
        ),
        _comment(_("Fill in the fields, then store the file with: migprofile national add FILE")),
        _comment(
            _(
                "The format is described in docs/national-data-system.md. Leave an optional "
                "field empty when it does not apply; put text that holds ': ' or ' #' in quotes."
            )
        ),
        "\n",
        _comment(_("The country: its ISO3 code or a name the store knows.") + " " + required),
        f"country: {code}\n",
        _comment(_("Who compiled this list (a person or an office).")),
        "compiled_by:\n",
        _comment(_("When the list was last checked: YYYY-MM-DD.")),
        "updated:\n",
        _comment(_("Notes on the data system as a whole.")),
        "notes:\n",
        "\n",
        _comment(
            _(
                "The national sources of migration data: one block per source, starting with "
                "'- '. Copy the block below for each further source."
            )
        ),
        "sources:\n",
        "  -\n",
        _comment(
            _("The source's name, e.g. a census, a survey or a register.") + " " + required, 4
        ),
        "    name:\n",
        _comment(_("The institution that produces it.") + " " + required, 4),
        "    institution:\n",
        _comment(_one_of(SOURCE_TYPES) + " " + required, 4),
        "    type:\n",
        _comment(_("Who is covered (free text)."), 4),
        "    population:\n",
        _comment(_("How the source defines a migrant."), 4),
        "    definitions:\n",
        _comment(
            _(
                "How long a person must live in the country to count as a usual resident, "
                'e.g. "12 months".'
            ),
            6,
        ),
        "      usual_residence:\n",
        _comment(
            _("Who counts as a migrant: by citizenship, by country of birth, both, or other.")
            + " "
            + _one_of(BASES),
            6,
        ),
        "      basis:\n",
        _comment(_("Any other definition worth knowing (free text)."), 6),
        "      other:\n",
        _comment(_("How often it is produced.") + " " + _one_of(PERIODICITIES), 4),
        "    periodicity:\n",
        _comment(_("Date of the latest release: YYYY-MM-DD, YYYY-MM or YYYY."), 4),
        "    latest_release:\n",
        _comment(_("Date the latest data refer to: YYYY-MM-DD, YYYY-MM or YYYY."), 4),
        "    reference_date:\n",
        _comment(
            _("What it measures, one or more of: {codes}; e.g. [emigration, remittances].").format(
                codes=", ".join(TOPICS)
            )
            + " "
            + required,
            4,
        ),
        "    topics: []\n",
        _comment(_("How users can get the data."), 4),
        "    access:\n",
        _comment(_one_of(ACCESS_KINDS), 6),
        "      kind:\n",
        _comment(_("Where the data are published (an http or https address)."), 6),
        "      url:\n",
        _comment(_("Anything else about access, e.g. how to request the data."), 6),
        "      note:\n",
        _comment(
            _(
                "Known issues, one per line starting with '- ', e.g. a change in a definition "
                "between two rounds that leaves some people out of the count."
            ),
            4,
        ),
        "    known_issues: []\n",
    ]
    return "".join(parts)
