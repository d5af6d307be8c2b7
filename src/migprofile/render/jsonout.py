"""JSON: the profile object itself, every figure with its citation."""

from __future__ import annotations

import json

from migprofile.profiles.model import Profile


def render_json(profile: Profile) -> str:
    return json.dumps(profile.to_dict(), ensure_ascii=False, indent=1, allow_nan=False)
