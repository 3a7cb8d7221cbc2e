"""The only way WeasyPrint may load anything: data: URIs and the pack's own files.

A plan never sends anything over a network, and a pack (or a value that
somehow became markup) must not make the PDF step read other files on the
machine. Every other URL is refused and stops the render with a clear error.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname


class RefusedURL(Exception):
    """The PDF step asked for something outside the pack."""


def _weasyprint_urls():
    from weasyprint import urls

    return urls


def pack_fetcher(pack_root: Path):
    """A WeasyPrint URL fetcher confined to ``pack_root``."""
    urls = _weasyprint_urls()

    class PackFetcher(urls.URLFetcher):
        def __init__(self):
            # fail_on_errors: a refused URL stops the render instead of a silent gap
            super().__init__(allowed_protocols=("data", "file"), fail_on_errors=True)
            self.root = Path(pack_root).resolve()
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = inside_pack(url, self.root)
                if path is not None:
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
            self.refused.append(url)
            raise RefusedURL(url)

    return PackFetcher()


def inside_pack(url: str, root: Path) -> Path | None:
    """The file a file: URL names, if it is an existing file inside ``root``."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    try:
        path = Path(url2pathname(parts.path)).resolve()
    except (OSError, ValueError):
        return None
    root = Path(root).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None
