"""Copy the parts of GOV.UK Frontend the workspace uses into the package.

    npm pack govuk-frontend@5          # gives govuk-frontend-5.x.y.tgz
    tar xzf govuk-frontend-5.x.y.tgz   # gives package/
    python tools/vendor_govuk_frontend.py package/

GOV.UK Frontend's code is MIT-licensed. Its typeface, GDS Transport, may only
be used on GOV.UK services, and the crest is the Crown's: neither is copied.
The stylesheet is rewritten to use the system sans-serif instead of the
typeface and to drop every url() to the typeface and the crest, so the
workspace loads nothing GOV.UK-branded and needs no build step at run time.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "birthplan" / "workspace" / "static" / "govuk"


def main(package: str) -> None:
    source = Path(package)
    dist = source / "dist" / "govuk"
    version = json.loads((source / "package.json").read_text(encoding="utf-8"))["version"]
    TARGET.mkdir(parents=True, exist_ok=True)
    css = (dist / "govuk-frontend.min.css").read_text(encoding="utf-8")
    css = re.sub(r"@font-face\{[^}]*\}", "", css)
    css = css.replace("GDS Transport,arial,sans-serif", "arial,sans-serif")
    css = css.replace("font-family:GDS Transport", "font-family:arial,sans-serif")
    css = re.sub(r"url\(/assets/[^)]*\)", "none", css)
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    assert "GDS Transport" not in css and "url(" not in css, "the typeface or an outside file is still used"
    (TARGET / "govuk-frontend.min.css").write_text(css, encoding="utf-8")
    js = (dist / "govuk-frontend.min.js").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S*", "", js)
    (TARGET / "govuk-frontend.min.js").write_text(js, encoding="utf-8")
    (TARGET / "VERSION").write_text(f"govuk-frontend {version} (npm), vendored by tools/vendor_govuk_frontend.py\n",
                                    encoding="utf-8")
    print(f"vendored govuk-frontend {version} into {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1])
