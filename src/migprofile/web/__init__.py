"""The web portal: a thin, read-only FastAPI face over the library (`create_app`, `serve`)."""

from __future__ import annotations

from pathlib import Path

from migprofile.web.app import create_app

__all__ = ["create_app", "serve"]


def serve(host: str = "127.0.0.1", port: int = 8000, db_path: Path | None = None) -> None:
    """`migprofile serve`: the portal over the store, with the limits and timeouts of
    `web.server`, until interrupted."""
    import uvicorn

    from migprofile.web import server

    uvicorn.Server(server.config(create_app(db_path), host, port)).run()
