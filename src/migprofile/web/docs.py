"""`/api/docs`: Swagger UI from the `swagger-ui-bundle` package, served by the portal itself.

No CDN: the script, the style sheet and the icon come from the installed package under
`/api/docs/assets/`; the page starts Swagger UI with a script of ours (`docs-init.js`), so the
page's CSP needs no inline script (`app.DOCS_CSP`). ReDoc is disabled: no Python package
ships its assets.

swagger-ui-bundle ships Swagger UI 4.15, which reads OpenAPI 3.0 only: the viewer is given
the same document labelled 3.0.3 (`/api/docs/openapi.json`); `/api/openapi.json` stays the
canonical 3.1 document.
"""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle  # type: ignore[import-untyped]
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

router = APIRouter(prefix="/api/docs", include_in_schema=False)

ASSETS = Path(swagger_ui_bundle.swagger_ui_path)
MEDIA = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
}
INIT = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/docs/openapi.json",
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
  });
});
"""
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>migprofile API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
<link rel="icon" href="/api/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/docs-init.js"></script>
</body>
</html>
"""
ASSET_CACHE = "public, max-age=86400"


@router.get("")
def docs_page() -> HTMLResponse:
    return HTMLResponse(PAGE)


@router.get("/openapi.json")
def docs_openapi(request: Request) -> dict:
    return {**request.app.openapi(), "openapi": "3.0.3"}


@router.get("/assets/{name}")
def docs_asset(name: str) -> Response:
    if name == "docs-init.js":
        return Response(
            INIT, media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": ASSET_CACHE},
        )  # fmt: skip
    if name not in MEDIA:
        return Response(b"", status_code=404)
    return Response(
        (ASSETS / name).read_bytes(),
        media_type=MEDIA[name],
        headers={"Cache-Control": ASSET_CACHE},
    )
