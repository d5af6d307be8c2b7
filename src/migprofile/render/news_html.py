"""An article with every checked figure highlighted by its verdict and the evidence beside it.

For editors: `migprofile news check ARTICLE --format html > checked.html` gives one
self-contained page (inline CSS, no script, no external request) that opens offline. The
article's text is untrusted: every character of it is escaped; the verdict's evidence (indicator,
country and partner, year, value, source, edition, cell) is in a numbered note beside each
figure, and in a table at the end.
"""

from __future__ import annotations

from html import escape

from migprofile.news.model import CheckedItem, Verdict
from migprofile.wording import _
from migprofile.wording.i18n import current_language
from migprofile.wording.labels import full_cell, verdict_label

__all__ = ["checked_items_html"]

COLOURS = {
    "consistent": ("#14632D", "#E4F3E8"),
    "differs": ("#9E1C1C", "#FBE8E8"),
    "other year": ("#7A3E00", "#FDEBD9"),
    "different definition": ("#6B4E00", "#FFF3D1"),
    "no data": ("#4A4A4A", "#EEEEEE"),
}

STYLE = (
    "body{font-family:'Liberation Sans',Arial,Helvetica,sans-serif;margin:0 auto;"
    "max-width:60rem;padding:1rem;line-height:1.55;color:#1a1a1a}"
    "h1{color:#0033A0;font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}"
    ".article{white-space:pre-wrap;font-size:1.05rem}"
    "mark{padding:0 .15em;border-bottom:2px solid;border-radius:2px}"
    "sup{font-size:.7em;font-weight:bold}"
    "table{border-collapse:collapse;width:100%;font-size:.9rem;margin-top:1rem}"
    "th,td{border:1px solid #ccc;padding:.3rem .4rem;text-align:left;vertical-align:top}"
    ".box{overflow-x:auto}.legend span{margin-right:1rem;padding:0 .3em}"
    + "".join(
        f".v-{code.replace(' ', '-')}{{color:{fg};background:{bg};border-color:{fg}}}"
        for code, (fg, bg) in COLOURS.items()
    )
)


def _css_class(verdict: str) -> str:
    return "v-" + verdict.replace(" ", "-")


def _who(v: Verdict) -> str:
    if v.geo and v.partner:
        return _("{geo} from {partner}").format(geo=v.geo, partner=v.partner)
    return v.geo or ""


def _evidence(v: Verdict) -> str:
    if v.data_value is None:
        return v.explanation
    return _("{indicator}, {who}, {year}: {value} — {source} {edition}, {cell}").format(
        indicator=v.indicator or "", who=_who(v), year=v.data_year, value=full_cell(v.data_value),
        source=v.source, edition=v.edition, cell=v.cell,
    )  # fmt: skip


def _article(c: CheckedItem, first_note: int) -> tuple[str, list[tuple[int, Verdict]]]:
    """The item's text escaped, each checked figure wrapped in a <mark> with its note number."""
    text = c.item.text
    marks = sorted(
        (v for v in c.verdicts if 0 <= v.figure.start < v.figure.end <= len(text)),
        key=lambda v: v.figure.start,
    )
    out, pos, notes = [], 0, []
    n = first_note
    for v in marks:
        if v.figure.start < pos:
            continue  # overlapping spans: the first one is marked
        out.append(escape(text[pos : v.figure.start]))
        label = verdict_label(v.verdict)
        out.append(
            f'<mark class="{_css_class(v.verdict)}" title="{escape(label)}: '
            f'{escape(_evidence(v))}">{escape(text[v.figure.start : v.figure.end])}</mark>'
            f'<sup><a href="#n{n}" id="r{n}">{n}</a></sup>'
        )
        notes.append((n, v))
        pos = v.figure.end
        n += 1
    out.append(escape(text[pos:]))
    return "".join(out), notes


def checked_items_html(checked: list[CheckedItem]) -> str:
    """One self-contained HTML page for the checked items (see the module docstring)."""
    lang = current_language().replace("_", "-")
    title, heading = _("Figures checked"), _("Figures checked against the data")
    nothing_to_check = _("No figure to check in this item.")
    parts = [
        f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(heading)}</h1>",
        '<p class="legend">'
        + "".join(
            f'<span class="{_css_class(code)}">{escape(verdict_label(code))}</span>'
            for code in COLOURS
        )
        + "</p>",
    ]
    note = 1
    for c in checked:
        body, notes = _article(c, note)
        note += len(notes)
        parts.append(f"<h2>{escape(c.item.title or c.item.origin)}</h2>")
        parts.append(f'<div class="article">{body}</div>')
        if not notes:
            parts.append(f"<p>{escape(nothing_to_check)}</p>")
            continue
        head = (_("#"), _("figure"), _("verdict"), _("indicator"), _("country"),
                _("year in the text"), _("data"), _("evidence"))  # fmt: skip
        rows = []
        for n, v in notes:
            data = full_cell(v.data_value) if v.data_value is not None else ""
            if v.data_value is not None and v.data_year is not None:
                data = _("{value} ({year})").format(value=data, year=v.data_year)
            cells = (
                f'<a href="#r{n}" id="n{n}">{n}</a>',
                escape(v.figure.text),
                f'<span class="{_css_class(v.verdict)}">{escape(verdict_label(v.verdict))}</span>',
                escape(v.indicator or ""),
                escape(_who(v)),
                escape(str(v.figure.year or "")),
                escape(data),
                escape(v.explanation),
            )
            rows.append("<tr>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
        parts.append(
            '<div class="box"><table><thead><tr>'
            + "".join(f"<th>{escape(h)}</th>" for h in head)
            + "</tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table></div>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)
