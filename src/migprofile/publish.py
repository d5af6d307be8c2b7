"""Write profiles to disk in the formats asked for: the library behind `migprofile build`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from migprofile.errors import UsageError
from migprofile.profiles import ProfileBuilder
from migprofile.store import Store
from migprofile.wording import _
from migprofile.wording.i18n import current_language, language, shipped_languages

FORMATS = ("html", "pdf", "md", "json")
# Region profiles built by --all --regions: the region's own groupings first, then the world,
# UN M49 regions and sub-regions and SDG regions.
REGION_TYPES = (
    "grouping",
    "world",
    "m49_region",
    "m49_subregion",
    "m49_intermediate",
    "sdg_region",
)


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(
            _("--format: {bad} not one of {formats}").format(
                bad=", ".join(bad) or repr(text), formats=", ".join(FORMATS)
            )
        )
    return list(dict.fromkeys(formats))


def countries_with_data(store: Store) -> list[str]:
    return store.countries_with_data()


def region_ids(store: Store) -> list[str]:
    """The code-defined regions with members, in REGION_TYPES order."""
    rows = store.builtin_groups()

    def rank(group_type: str) -> int:
        types = group_type.split("+")
        return min((REGION_TYPES.index(t) for t in types if t in REGION_TYPES), default=99)

    ranked = sorted((rank(t), g) for g, t in rows if rank(t) < 99)
    return [g for _, g in ranked]


def publish(
    store: Store,
    geos: list[str],
    formats: list[str],
    out_dir: Path,
    progress: Callable[[int, int, str], None] | None = None,
    languages: list[str] | None = None,
) -> list[Path]:
    """Build each profile once per language and write it in every format asked for.

    One language: its files in `out_dir`; several: each language's in `out_dir/<lang>/`. One
    builder serves every language, so the store is read once (names, charts' data reused).
    """
    langs = languages or [current_language()]
    builder = ProfileBuilder(store)
    written: list[Path] = []
    total = len(geos) * len(langs)
    for k, lang in enumerate(langs):
        target = out_dir / lang if len(langs) > 1 else out_dir
        with language(lang):
            written += _publish_one_language(
                builder, geos, formats, target, progress, offset=k * len(geos), total=total
            )
    return written


def parse_languages(text: str | None) -> list[str]:
    """'ru' or 'en,ru,ro,uk' → the languages, each one migprofile ships (UsageError else)."""
    if text is None or not text.strip():
        return [current_language()]
    langs = [t.strip().replace("-", "_") for t in text.split(",") if t.strip()]
    shipped = shipped_languages()
    bad = [lang for lang in langs if lang not in shipped]
    if bad:
        raise UsageError(
            _("--lang: {bad} not one of {languages} (docs/translating.md: adding one)").format(
                bad=", ".join(bad), languages=", ".join(shipped)
            )
        )
    return list(dict.fromkeys(langs))


def _publish_one_language(
    builder: ProfileBuilder,
    geos: list[str],
    formats: list[str],
    out_dir: Path,
    progress: Callable[[int, int, str], None] | None,
    *,
    offset: int,
    total: int,
) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pdf_profiles = []
    for n, geo in enumerate(geos, 1):
        if progress:
            progress(offset + n, total, geo)
        profile = builder.build(geo)
        stem = out_dir / _file_stem(geo)
        if "json" in formats:
            from migprofile.render.jsonout import render_json

            written.append(_write(stem.with_suffix(".json"), render_json(profile)))
        if "md" in formats:
            from migprofile.render.markdown import render_markdown

            written.append(_write(stem.with_suffix(".md"), render_markdown(profile)))
        if "html" in formats:
            from migprofile.render.html import render_html

            written.append(_write(stem.with_suffix(".html"), render_html(profile)))
        if "pdf" in formats:
            pdf_profiles.append(profile)
    if pdf_profiles:
        from migprofile.render.pdf import render_pdfs

        written += render_pdfs(pdf_profiles, out_dir)
    return written


def _file_stem(geo: str) -> str:
    safe = "".join(c for c in geo if c.isalnum() or c in "-_")
    if not safe:
        raise UsageError(_("GEO: {geo} cannot be a file name").format(geo=repr(geo)))
    return safe


def _write(path: Path, text: str) -> Path:
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
