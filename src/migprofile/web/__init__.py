"""The web portal: a thin, read-only FastAPI face over the library (`create_app`, `serve`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from migprofile.web.app import create_app

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app", "portal_app", "serve"]


def serve(
    host: str = "127.0.0.1", port: int = 8000, db_path: Path | None = None, workers: int = 1
) -> None:
    """`migprofile serve`: the portal over the store, with the limits and timeouts of
    `web.server`, until interrupted; `workers` > 1: that many processes, each its own cache."""
    import uvicorn

    from migprofile.web import server

    if workers > 1:
        server.run_workers("migprofile.web:portal_app", workers, host, port, db_path)
        return
    uvicorn.Server(server.config(create_app(db_path), host, port)).run()


def portal_app() -> FastAPI:
    """One worker's app (uvicorn's factory): the store named by `server.ENV_DB`, if set."""
    import os

    from migprofile.web import server

    db = os.environ.get(server.ENV_DB)
    return create_app(Path(db) if db else None)
