"""The national data system's codes as readers see them, in the active language.

A code this version does not know (a document stored by a newer one) is shown as written
rather than failing the page that shows it.
"""

from __future__ import annotations

from migprofile.wording.i18n import N_, _

TYPE_LABELS = {
    "census": N_("census"),
    "survey": N_("survey"),
    "register": N_("register"),
    "border_administrative": N_("border or administrative records"),
    "consular": N_("consular records"),
    "central_bank": N_("central bank"),
}

TOPIC_LABELS = {
    "emigration": N_("emigration"),
    "immigration": N_("immigration"),
    "return": N_("return migration"),
    "remittances": N_("remittances"),
    "displacement": N_("displacement"),
    "labour_migration": N_("labour migration"),
}

PERIODICITY_LABELS = {
    "continuous": N_("continuous"),
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
    "annual": N_("annual"),
    "every_5_years": N_("every 5 years"),
    "every_10_years": N_("every 10 years"),
    "irregular": N_("irregular"),
    "one_off": N_("one-off"),
}

ACCESS_LABELS = {
    "open_data": N_("open data"),
    "on_request": N_("on request"),
    "restricted": N_("restricted"),
    "not_available": N_("not available"),
}

BASIS_LABELS = {
    "citizenship": N_("citizenship"),
    "birthplace": N_("country of birth"),
    "both": N_("citizenship and country of birth"),
    "other": N_("other criterion"),
}


def _label(labels: dict[str, str], code: str) -> str:
    text = labels.get(code)
    return _(text) if text is not None else code


def type_label(code: str) -> str:
    """'central_bank' → 'central bank'."""
    return _label(TYPE_LABELS, code)


def topic_label(code: str) -> str:
    """'labour_migration' → 'labour migration'."""
    return _label(TOPIC_LABELS, code)


def periodicity_label(code: str) -> str:
    """'every_10_years' → 'every 10 years'."""
    return _label(PERIODICITY_LABELS, code)


def access_label(code: str) -> str:
    """'on_request' → 'on request'."""
    return _label(ACCESS_LABELS, code)


def basis_label(code: str) -> str:
    """'birthplace' → 'country of birth'."""
    return _label(BASIS_LABELS, code)
