"""Secure by default: each attack on the workspace is tried here, and each must fail.

The workspace holds special category data on a shared laptop. A web page in
the same browser, another user of the machine, or a request with a forged
Host header must get nothing and change nothing.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

import pytest

from birthplan.workspace.security import CSRF_FIELD, SESSION_COOKIE
from tests.workspace_client import cases_folder, form_fields, make_client, plan_id, post_form

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def folder(tmp_path):
    return cases_folder(tmp_path, "sunderland-full", "minimal")


@pytest.fixture
def client(folder):
    return make_client(folder)


def _pages(client) -> list[str]:
    pid = plan_id(client, "sunderland-full.yaml")
    return ["/", f"/plan/{pid}/section/wishes", f"/plan/{pid}/section/visitors", f"/plan/{pid}/review",
            f"/plan/{pid}/documents", f"/plan/{pid}/history", f"/plan/{pid}/preview/parent",
            "/new/sunderland", "/static/workspace.js", "/static/govuk/govuk-frontend.min.css"]


def test_every_request_without_the_session_cookie_is_refused(folder):
    signed_in = make_client(folder)
    stranger = make_client(folder, signed_in=False)
    for url in _pages(signed_in):
        response = stranger.get(url, follow_redirects=False)
        assert response.status_code == 403, url
        assert "Kayleigh" not in response.text and "TFC-2027" not in response.text, url
    pid = plan_id(signed_in, "sunderland-full.yaml")
    response = stranger.post(f"/plan/{pid}/section/wishes", data={"action": "save"})
    assert response.status_code == 403


def test_the_access_token_works_once_and_becomes_an_httponly_strict_cookie(folder):
    client = make_client(folder, signed_in=False)
    token = client.secrets.access_token
    assert client.get("/?token=wrong-token", follow_redirects=False).status_code == 403
    first = client.get(f"/?token={token}", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/"  # the token leaves the address bar and history
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert token not in cookie
    # Someone else who later finds the link (browser history, a shoulder) cannot use it.
    other = make_client(folder, signed_in=False)
    other.secrets = client.secrets
    client.cookies.clear()
    assert client.get(f"/?token={token}", follow_redirects=False).status_code == 403


def test_a_forged_host_header_is_refused(client):
    """DNS rebinding: a page on attacker.example resolving to 127.0.0.1 sends its own Host."""
    for host in ("attacker.example", "attacker.example:8765", "127.0.0.1:9999", "localhost.attacker.example:8765"):
        response = client.get("/", headers={"host": host})
        assert response.status_code == 421, host
        assert "TFC-2027" not in response.text
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200


def test_a_post_without_the_csrf_token_changes_nothing(client, folder):
    pid = plan_id(client, "sunderland-full.yaml")
    url = f"/plan/{pid}/section/wishes"
    before = (folder / "sunderland-full.yaml").read_bytes()
    fields = form_fields(client.get(url).text)
    for token in (None, "", "forged"):
        changes = {"wishes.feeding": "Changed by another site", CSRF_FIELD: token}
        data = {k: v for k, v in fields.items() if k != CSRF_FIELD}
        data.update({"wishes.feeding": ["Changed by another site"], "action": ["save"]})
        if token is not None:
            data[CSRF_FIELD] = [token]
        response = client.post(url, data=data, follow_redirects=False)
        assert response.status_code == 403, changes
    assert (folder / "sunderland-full.yaml").read_bytes() == before
    assert client.workspace.drafts == {}
    for target in (f"/plan/{pid}/review", f"/plan/{pid}/history", "/new/sunderland", f"/plan/{pid}/live/wishes"):
        assert client.post(target, data={"recipient": "x", "case_reference": "X-1"}).status_code == 403, target
    assert not (folder / "X-1.yaml").exists()


def test_a_post_from_another_origin_is_refused_even_with_the_token(client, folder):
    pid = plan_id(client, "sunderland-full.yaml")
    url = f"/plan/{pid}/section/wishes"
    fields = form_fields(client.get(url).text)
    before = (folder / "sunderland-full.yaml").read_bytes()
    data = {**fields, "wishes.feeding": ["Changed"], "action": ["save"]}
    response = client.post(url, data=data, headers={"origin": "http://attacker.example"}, follow_redirects=False)
    assert response.status_code == 403
    assert (folder / "sunderland-full.yaml").read_bytes() == before


def test_state_never_changes_on_get_and_other_methods_are_refused(client, folder):
    pid = plan_id(client, "sunderland-full.yaml")
    before = (folder / "sunderland-full.yaml").read_bytes()
    client.get(f"/plan/{pid}/section/wishes?action=save&wishes.feeding=Changed")
    client.get(f"/plan/{pid}/review?date.day=1&date.month=2&date.year=2027&type=core_group&attendees=A,b")
    assert (folder / "sunderland-full.yaml").read_bytes() == before
    assert not (folder / "sunderland-full.yaml.history").exists()
    for method in ("PUT", "DELETE", "PATCH", "OPTIONS"):
        assert client.request(method, f"/plan/{pid}/section/wishes").status_code == 405, method


def test_every_response_forbids_caching_inline_script_and_outside_requests(client):
    for url in _pages(client) + ["/no-such-page"]:
        response = client.get(url)
        assert response.headers["cache-control"] == "no-store", url
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"  # never to another site
        policy = response.headers["content-security-policy"]
        directives = dict((d.split(" ", 1) + [""])[:2] for d in policy.split("; "))
        assert directives["default-src"] == "'none'", url
        assert "unsafe-inline" not in directives.get("script-src", "'none'"), url
        assert "http" not in policy and "*" not in policy, url  # nothing from elsewhere
        if "/preview/" in url:
            assert "sandbox" in directives and "script-src" not in directives  # no script at all
        else:
            assert directives["frame-ancestors"] == "'none'" and response.headers["x-frame-options"] == "DENY"
    refused = make_client(client.workspace.root, signed_in=False).get("/")
    assert refused.headers["cache-control"] == "no-store"


def test_pages_have_no_inline_script_and_load_nothing_from_elsewhere(client):
    for url in _pages(client):
        response = client.get(url)
        if "text/html" not in response.headers["content-type"] or "/preview/" in url:
            continue
        html = response.text
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert not re.search(r"""(src|href|action)=["'](https?:)?//""", html), url


def test_paths_outside_the_folder_and_symlinks_out_of_it_are_refused(tmp_path, folder):
    secret = tmp_path / "elsewhere.yaml"
    secret.write_text((folder / "minimal.yaml").read_text().replace("Jo Example", "Outside Person"))
    (folder / "linked.yaml").symlink_to(secret)
    (folder / "linked-folder").symlink_to(tmp_path, target_is_directory=True)
    client = make_client(folder)
    served = {ref.path.name for ref in client.workspace.plans()}
    assert served == {"sunderland-full.yaml", "minimal.yaml"}
    home = client.get("/").text
    assert "linked" not in home and "Outside Person" not in home
    for url in ("/static/../../../pyproject.toml", "/static/%2e%2e/%2e%2e/cli.py", "/static/..%2f..%2fcli.py",
                "/plan/..%2f..%2felsewhere.yaml/section/people", "/plan/elsewhere.yaml/section/people",
                "/logo/..%2f..%2fsunderland.svg", "/new/..%2fsunderland"):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert "Outside Person" not in response.text and "[project]" not in response.text
    # A plan swapped for a symlink after the server started is refused too.
    target = folder / "minimal.yaml"
    pid = plan_id(client, "minimal.yaml")
    target.unlink()
    target.symlink_to(secret)
    response = client.get(f"/plan/{pid}/section/people")
    assert response.status_code == 404
    assert "Outside Person" not in response.text


def test_nothing_logged_quotes_the_plan_or_the_token(client, caplog):
    caplog.set_level(logging.DEBUG)
    pid = plan_id(client, "sunderland-full.yaml")
    url = f"/plan/{pid}/section/people"
    fields = form_fields(client.get(url).text)
    post_form(client, url, fields, "check", {"people.mother.nhs_number": "12345"})
    client.post(f"/plan/{pid}/live/people", data={**fields, "people.mother.name": "Typed Secret"},
                headers={"x-csrf-token": client.secrets.csrf})
    client.get(f"/plan/{pid}/preview/professional")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ("Kayleigh", "Typed Secret", "Lee Carver", client.secrets.access_token, client.secrets.session):
        assert secret not in logged


def test_an_unexpected_error_shows_a_plain_page_and_logs_no_details(client, caplog, monkeypatch):
    from birthplan.workspace import preview

    def broken(*args, **kwargs):
        raise RuntimeError("Kayleigh Ashworth said something private")

    monkeypatch.setattr(preview, "check", broken)
    caplog.set_level(logging.DEBUG)
    pid = plan_id(client, "sunderland-full.yaml")
    response = client.get(f"/plan/{pid}/section/people")
    assert response.status_code == 500
    assert "Kayleigh" not in response.text and "Traceback" not in response.text
    assert "Kayleigh" not in "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records)


def test_serve_listens_on_loopback_logs_no_addresses_and_warns_for_another_host(monkeypatch, tmp_path, capsys):
    import uvicorn

    from birthplan.workspace import serve

    from birthplan.workspace.documents import Renderer

    monkeypatch.setattr(Renderer, "start", lambda self: None)  # no document workers in this test
    folder = cases_folder(tmp_path, "minimal")
    calls = []

    def run(server, sockets):  # what uvicorn would serve: its settings and the socket it is given
        calls.append({"host": server.config.host, "access_log": server.config.access_log,
                      "log_level": server.config.log_level, "listening": sockets[0].getsockname()})

    monkeypatch.setattr(uvicorn.Server, "run", run)
    lines = []
    previous_umask = os.umask(0o022)
    serve(folder, port=0, echo=lambda text, err=False: lines.append((text, err)))
    options = calls[-1]
    assert options["host"] == "127.0.0.1" and options["access_log"] is False
    assert options["log_level"] == "warning"
    host, port = options["listening"]
    assert host == "127.0.0.1" and port > 0
    # the address printed is the one listened on (port 0 chose a free one)
    assert re.search(rf"http://127\.0\.0\.1:{port}/\?token=\S{{40,}}", lines[0][0])
    assert not any(err for _, err in lines)
    assert os.umask(previous_umask) == 0o077  # serve made every new file owner-only
    lines.clear()
    serve(folder, host="0.0.0.0", port=0, echo=lambda text, err=False: lines.append((text, err)))
    assert calls[-1]["host"] == "0.0.0.0" and calls[-1]["listening"][0] == "0.0.0.0"
    os.umask(previous_umask)
    assert any(err and "warning" in text for text, err in lines)


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGKILL"])
def test_a_kill_of_serve_after_a_download_leaves_no_process_behind(tmp_path, signal_name):
    """A `kill` (SIGTERM: a service manager, a user) used to reach only the server, and its
    fork server and document workers, which hold the engines, kept running after it; a
    `kill -9` (or a crash) left them running for ever. Nothing is left now.

    The server runs in a session of its own, which every process it starts (resource tracker,
    fork server, workers, and any helper they run) shares; a download of every copy makes sure
    the workers exist (they rendered it). No sleeps: the test waits for what it checks."""
    import signal
    import subprocess
    import sys
    import time

    import httpx

    shutil.copy(EXAMPLES / "minimal.yaml", tmp_path / "minimal.yaml")
    server = subprocess.Popen([sys.executable, "-m", "birthplan.cli", "serve", str(tmp_path), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    try:
        address = re.search(r"http://\S+", server.stdout.readline()).group(0)
        with httpx.Client(base_url=address.split("/?")[0], timeout=120) as browser:
            # serve listens before it shows the address: the link works at once (the answer
            # waits while the fork server loads the engines), it is never refused.
            signed_in = browser.get(address)  # the one-time link: the session cookie
            assert signed_in.status_code == 303  # to the plans, with the cookie
            plan = re.search(r'href="(/plan/[0-9a-f]+)"', browser.get("/").text).group(1)
            download = browser.get(f"{plan}/download-all?language=en")
        assert download.status_code == 200 and download.content.startswith(b"PK"), download.text[:300]
        family = _session(server.pid)
        # the server, the resource tracker, the fork server and at least one worker
        assert len(family) >= 4, _describe(family)

        kill = getattr(signal, signal_name)
        server.send_signal(kill)
        assert server.wait(timeout=60) == (128 + kill if kill == signal.SIGTERM else -kill)
        # What is left ends on its own once the server has gone (the fork server and the
        # tracker when the last process holding their pipes exits): a deadline, not a sleep.
        deadline = time.monotonic() + 30
        while _session(server.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _session(server.pid), "left running after the server stopped: " + _describe(family)
    finally:
        for pid in _session(server.pid):  # never leave them behind, whatever happened
            os.kill(pid, signal.SIGKILL)
        server.wait()


def _session(session_id: int) -> list[int]:
    """The live processes (not zombies) of a session, read from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session_id and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def _describe(pids: list[int]) -> str:
    """What each process is (its command line), for a failing assertion."""
    lines = []
    for pid in pids:
        try:
            lines.append(f"{pid}: " + Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:120].decode())
        except OSError:
            lines.append(f"{pid}: (gone)")
    return "\n".join(lines)
