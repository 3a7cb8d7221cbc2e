"""The PDF copy: WeasyPrint, PDF/UA-1, from the same HTML as the HTML copy.

PDF/UA-1 makes WeasyPrint tag the structure (headings, tables, lists),
write /Lang from <html lang> and show the <title> as the window title.
"""

from __future__ import annotations

from dataclasses import dataclass

from birthplan.render.fetcher import pack_fetcher
from birthplan.render.packs import PackError

PDF_VARIANT = "pdf/ua-1"


@dataclass
class LaidOut:
    """A laid-out PDF: its page count is known before any file is written."""

    document: object  # weasyprint.Document
    pages: int

    def pdf_bytes(self) -> bytes:
        from birthplan.render.pdf_tags import install

        install()  # /Scope on header cells, /Lang on parts in another language
        return self.document.write_pdf(pdf_variant=PDF_VARIANT)

    def page_of(self, anchor: str) -> int | None:
        """The page (from 1) on which the element with ``id=anchor`` starts, if any."""
        for number, page in enumerate(self.document.pages, start=1):
            if anchor in page.anchors:
                return number
        return None


def lay_out(html: str, pack) -> LaidOut:
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = pack_fetcher(pack.root)
    try:
        document = HTML(string=html, base_url=(pack.root / "html").as_uri() + "/",
                        url_fetcher=fetcher).render()
    except FatalURLFetchingError:
        refused = ", ".join(fetcher.refused) or "a resource"
        raise PackError(f"{pack.root}: the PDF step refused to load {refused}: a pack may only "
                        "use its own files, never a web address or a file outside the pack.") from None
    return LaidOut(document, len(document.pages))
