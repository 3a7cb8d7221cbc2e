"""The browser harness itself: Chromium starts, axe-core runs, reflow is measured.

Other tests rely on ``axe_violations`` returning [] meaning "accessible", so this
proves it does find a real violation and measures sideways scrolling.
"""

from tests.browser import axe_violations, horizontal_overflow, open_page

BAD_PAGE = "<!doctype html><html><head><title>t</title></head><body><main><img src='x.png'></main></body></html>"
WIDE_PAGE = ("<!doctype html><html lang='en'><head><title>t</title></head>"
             "<body><main><div style='width:600px'>wide</div></main></body></html>")


def test_axe_finds_a_missing_language_and_alt_text(browser, tmp_path):
    page_file = tmp_path / "bad.html"
    page_file.write_text(BAD_PAGE, encoding="utf-8")
    found = {v["id"] for v in axe_violations(open_page(browser, page_file))}
    assert {"html-has-lang", "image-alt"} <= found


def test_sideways_scrolling_is_measured_at_320_px(browser, tmp_path):
    page_file = tmp_path / "wide.html"
    page_file.write_text(WIDE_PAGE, encoding="utf-8")
    assert horizontal_overflow(open_page(browser, page_file, width=320)) > 200
    assert horizontal_overflow(open_page(browser, page_file, width=1280)) == 0
