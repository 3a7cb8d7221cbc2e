"""The README's screenshot of the workspace (docs/workspace.png), taken with headless Chromium.

    .venv/bin/python tools/workspace_screenshot.py
"""

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import launch  # noqa: E402
from tests.workspace_browser_session import Server  # noqa: E402

folder = Path(tempfile.mkdtemp())
shutil.copy(REPO / "examples" / "sunderland-full.yaml", folder)
server = Server(folder)
with sync_playwright() as playwright:
    browser = launch(playwright)
    page = browser.new_context(viewport={"width": 1200, "height": 1050}).new_page()
    page.goto(f"{server.base}/?token={server.secrets.access_token}")
    plan = page.query_selector('a[href^="/plan/"]').get_attribute("href")
    page.goto(f"{server.base}{plan}/section/visitors?audience=parent")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(folder / "shot.png"))
    browser.close()
server.stop()
image = Image.open(folder / "shot.png").convert("RGB")
image = image.resize((900, int(image.height * 900 / image.width)), Image.LANCZOS)
image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(REPO / "docs" / "workspace.png", optimize=True)
shutil.rmtree(folder)
