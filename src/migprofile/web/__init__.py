"""The web portal: a thin, read-only FastAPI face over the library (`create_app`)."""

from __future__ import annotations

from migprofile.web.app import create_app

__all__ = ["create_app"]
