"""A workspace app and a signed-in test client for the workspace tests (no real server)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from birthplan.workspace.app import create_app
from birthplan.workspace.security import CSRF_FIELD, Secrets

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HOST, PORT = "127.0.0.1", 8765
BASE = f"http://{HOST}:{PORT}"


def cases_folder(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    for name in names or ("sunderland-full", "swansea-full", "minimal"):
        shutil.copy(EXAMPLES / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


def make_client(target: Path, schema: dict | None = None, signed_in: bool = True):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette's note about httpx versions
        from starlette.testclient import TestClient

    app_secrets = Secrets()
    app = create_app(target, host=HOST, port=PORT, schema=schema, app_secrets=app_secrets)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette's note about httpx versions
        client = TestClient(app, base_url=BASE, raise_server_exceptions=False)
    if signed_in:
        response = client.get(f"/?token={app_secrets.access_token}", follow_redirects=False)
        assert response.status_code == 303
    client.secrets = app_secrets
    client.workspace = app.workspace
    return client


def plan_id(client, name: str) -> str:
    for ref in client.workspace.plans():
        if ref.path.name == name:
            return ref.id
    raise AssertionError(f"{name} is not served")


def form_fields(html: str) -> dict:
    """The values a browser would post from the page's plan form (text, hidden, checked boxes)."""
    form = re.search(r'<form[^>]*id="plan-form".*?</form>', html, re.S).group(0)
    posted: dict = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = _attr(tag, "name")
        kind = _attr(tag, "type") or "text"
        if name is None:
            continue
        if kind in ("radio", "checkbox") and " checked" not in tag:
            continue
        posted.setdefault(name, []).append(_unescape(_attr(tag, "value") or ""))
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        posted.setdefault(name, []).append(_unescape(body))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        posted.setdefault(name, []).append(_unescape(chosen.group(1)) if chosen else "")
    return posted


def _attr(tag: str, name: str):
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return match.group(1) if match else None


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def post_form(client, url: str, fields: dict, action: str = "check", changes: dict | None = None,
              follow: bool = True):
    """Post ``fields`` (from ``form_fields``) with ``changes`` applied and ``action`` pressed."""
    data = {name: list(values) for name, values in fields.items()}
    for name, value in (changes or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    data["action"] = [action]
    data[CSRF_FIELD] = [data.get(CSRF_FIELD, [""])[0]]
    pairs = [(name, value) for name, values in data.items() for value in values]
    return client.post(url, data=_multi(pairs), follow_redirects=follow)


def _multi(pairs):
    out: dict = {}
    for name, value in pairs:
        out.setdefault(name, []).append(value)
    return out
