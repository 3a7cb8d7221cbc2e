"""The workspace's guard: every request passes through here first.

The workspace holds special category data on what may be a shared council
laptop, so it is locked down by default:

* the Host header must name the address the server listens on (a web page
  elsewhere cannot reach it through DNS rebinding);
* a request needs the session cookie, which only the one-time access token
  printed by ``birthplan serve`` can obtain (the token works once; the cookie
  is HttpOnly and SameSite=Strict, so another site's page never sends it);
* only GET, HEAD and POST; every POST must carry the session's CSRF token
  (checked by ``require_csrf``) and, when the browser sends one, our Origin;
* every response says: no caching, no sniffing, no referrer to other sites, no framing by
  others, and a Content-Security-Policy that allows only this server's own
  scripts, styles and images (no inline script, nothing from outside);
* an unexpected error becomes a plain page; its details are never logged,
  because they could quote the plan.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

log = logging.getLogger("birthplan.workspace")

SESSION_COOKIE = "birthplan_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
TOKEN_PARAMETER = "token"

PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "font-src 'self'; connect-src 'self'; form-action 'self'; frame-src 'self'; "
               "frame-ancestors 'none'; base-uri 'none'")
# A preview is a rendered copy: one self-contained page with its own <style> and
# data: images. It is shown sandboxed (no script at all) inside our own page.
PREVIEW_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
                  "frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox")
PREVIEW_MARK = "x-birthplan-preview"  # a route sets this header to get the preview policy

COMMON_HEADERS = [
    (b"cache-control", b"no-store"),
    (b"pragma", b"no-cache"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make browsers send "Origin: null"
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


class Secrets:
    """The run's access token (one use), its session cookie value and CSRF token."""

    def __init__(self):
        self.access_token = secrets.token_urlsafe(32)
        self.session = secrets.token_urlsafe(32)
        self.csrf = secrets.token_urlsafe(32)
        self.token_used = False

    def redeem(self, token: str) -> bool:
        if self.token_used or not hmac.compare_digest(token.encode(), self.access_token.encode()):
            return False
        self.token_used = True
        return True

    def is_session(self, value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(value.encode(), self.session.encode())

    def is_csrf(self, value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(str(value).encode(), self.csrf.encode())


class CsrfError(Exception):
    """A POST without this session's CSRF token."""


def require_csrf(app_secrets: Secrets, form, headers) -> None:
    if not (app_secrets.is_csrf(form.get(CSRF_FIELD)) or app_secrets.is_csrf(headers.get(CSRF_HEADER))):
        raise CsrfError()


class Guard:
    """ASGI middleware enforcing the rules in this module's docstring."""

    def __init__(self, app, app_secrets: Secrets, allowed_hosts: set[str], forbidden_page, error_page):
        self.app = app
        self.secrets = app_secrets
        self.allowed_hosts = {h.lower() for h in allowed_hosts}
        self.origins = {f"http://{h}" for h in self.allowed_hosts}
        self.forbidden_page = forbidden_page  # () -> bytes (HTML)
        self.error_page = error_page

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self.app(scope, receive, send)
        if scope["type"] != "http":  # no websockets
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
        if headers.get("host", "").lower() not in self.allowed_hosts:
            return await _plain(send, 421, b"This server only answers to the address it printed.")
        method = scope["method"]
        if method not in ("GET", "HEAD", "POST"):
            return await _plain(send, 405, b"Method not allowed.", extra=[(b"allow", b"GET, HEAD, POST")])
        if method == "POST" and "origin" in headers and headers["origin"].lower() not in self.origins:
            return await _plain(send, 403, b"Cross-site requests are refused.")
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is simply no cookie
            cookie = SimpleCookie()
        session = cookie[SESSION_COOKIE].value if SESSION_COOKIE in cookie else None
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        token = (query.get(TOKEN_PARAMETER) or [""])[0]
        if token and method == "GET":
            if self.secrets.is_session(session) or self.secrets.redeem(token):
                # Swap the token for the cookie, and drop it from the address bar and history.
                set_cookie = (f"{SESSION_COOKIE}={self.secrets.session}; HttpOnly; SameSite=Strict; "
                              "Path=/").encode()
                return await _plain(send, 303, b"", extra=[(b"location", scope["path"].encode() or b"/"),
                                                           (b"set-cookie", set_cookie)])
        if not self.secrets.is_session(session):
            return await _plain(send, 403, self.forbidden_page(), html=True)
        await self._call_app(scope, receive, send)

    async def _call_app(self, scope, receive, send):
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = dict(message)
                raw = [(k, v) for k, v in message.get("headers", []) if k.lower() != PREVIEW_MARK.encode()]
                preview = any(k.lower() == PREVIEW_MARK.encode() for k, _ in message.get("headers", []))
                policy = PREVIEW_POLICY if preview else PAGE_POLICY
                frame = b"SAMEORIGIN" if preview else b"DENY"
                message["headers"] = raw + COMMON_HEADERS + [
                    (b"content-security-policy", policy.encode()), (b"x-frame-options", frame)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as err:  # noqa: BLE001 - never let details (which may quote the plan) out
            log.error("workspace: internal error (%s) on a %s request", type(err).__name__, scope["method"])
            if not started:
                await _plain(send, 500, self.error_page(), html=True)


async def _plain(send, status: int, body: bytes, extra=(), html: bool = False):
    kind = b"text/html; charset=utf-8" if html else b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())] + list(extra)
    headers += COMMON_HEADERS + [(b"content-security-policy", PAGE_POLICY.encode()), (b"x-frame-options", b"DENY")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
