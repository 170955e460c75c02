"""Response headers on every answer: Content-Security-Policy, framing, sniffing, referrer,
HSTS over HTTPS, and ``Cache-Control: no-store`` on everything but static assets.

The CSP allows scripts from this server only, plus inline ``<script nonce>`` blocks carrying
the request's nonce: Flask-AppBuilder's templates already write ``nonce="{{ baselib.get_nonce() }}"``,
which calls the ``csp_nonce()`` context function registered here (Flask-Talisman's name).
Inline event handlers (``onclick=``) are blocked; ours live in ``core/static/jiguan.js``.
Styles keep ``'unsafe-inline'``: FAB's templates and widgets (and Bootstrap 3's and select2's
scripts) write ``style=`` attributes throughout, which no nonce can cover; a style cannot run
code. ``CSP_EXTRA_SOURCES`` adds sources per directive for a deployment that needs them.
"""

from __future__ import annotations

import secrets

from flask import Flask, current_app, g, request

#: The policy before the nonce and the deployment's extra sources (``CSP_EXTRA_SOURCES``).
BASE_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def csp_nonce() -> str:
    """The request's nonce for inline ``<script>`` blocks (one per request, 128 random bits)."""
    if "jiguan_csp_nonce" not in g:
        g.jiguan_csp_nonce = secrets.token_urlsafe(16)
    return g.jiguan_csp_nonce


def content_security_policy(nonce: str | None) -> str:
    policy = {name: list(sources) for name, sources in BASE_POLICY.items()}
    for name, sources in (current_app.config.get("CSP_EXTRA_SOURCES") or {}).items():
        policy.setdefault(name, []).extend(s for s in sources if s not in policy.get(name, []))
    if nonce:
        policy["script-src"].append(f"'nonce-{nonce}'")
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


def _is_static() -> bool:
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static") or endpoint == "SwaggerView.asset"


def set_security_headers(response):
    """After every request: the headers an outside tester looks for (docs/security.md)."""
    headers = response.headers
    # the nonce only if the page asked for one: a page without inline script gets none
    headers.setdefault("Content-Security-Policy", content_security_policy(g.get("jiguan_csp_nonce")))
    headers.setdefault("X-Frame-Options", "DENY")  # and frame-ancestors 'none': no framing at all
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", current_app.config.get("REFERRER_POLICY", "same-origin"))
    max_age = current_app.config.get("HSTS_MAX_AGE") or 0
    if current_app.config.get("HSTS_ENABLED") and request.is_secure and max_age:
        headers.setdefault("Strict-Transport-Security", f"max-age={int(max_age)}; includeSubDomains")
    if not _is_static():
        # pages, API answers and downloads hold the user's data: never kept by a browser or proxy
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
        headers.pop("Expires", None)
        headers.pop("ETag", None)
        headers.pop("Last-Modified", None)
    return response


def init_headers(app: Flask) -> None:
    # a global, not a context processor: FAB renders its widgets (list, search, form) outside
    # the request's template context, and they carry inline scripts too
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(set_security_headers)
