"""Typesetting the meeting pack with Typst (the `typst` package: no browser, no system fonts, no network).

Every document is a fixed template under ledger/templates; what it shows arrives as one JSON value
(`sys.inputs.data`), so text from a ledger is only ever shown, never read as markup. The Chinese font is the
bundled Noto Sans SC (fonts/, SIL Open Font License): it is embedded and subset in every PDF, and is the same on
every machine."""

from __future__ import annotations

import json
import threading
from functools import cache
from pathlib import Path
from typing import Literal

import typst

ROOT = Path(__file__).resolve().parent.parent
FONTS_DIR = ROOT / "fonts"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FONT_FAMILY = "Noto Sans SC"
PNG_PPI = 144  # a page 540 pt (7.5 in) wide becomes 1,080 pixels
_lock = threading.Lock()  # one compilation at a time per process: the compiler keeps state between runs


@cache
def _fonts() -> typst.Fonts:
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(FONTS_DIR)])
    if FONT_FAMILY not in fonts.families():
        raise RuntimeError(f"the bundled font {FONT_FAMILY} is missing from {FONTS_DIR}")
    return fonts


@cache
def _compiler(template: str) -> typst.Compiler:
    return typst.Compiler(
        input=str(TEMPLATES_DIR / template), root=str(TEMPLATES_DIR), font_paths=_fonts(), ignore_system_fonts=True
    )


def render(template: str, data: dict, fmt: Literal["pdf", "png"] = "pdf", ppi: float = PNG_PPI) -> bytes | list[bytes]:
    """The template typeset with `data`: PDF bytes, or PNG bytes per page."""
    payload = json.dumps(data, ensure_ascii=False, default=str)
    with _lock:
        output = _compiler(template).compile(
            format=fmt, ppi=ppi if fmt == "png" else None, sys_inputs={"data": payload}, pdf_tags=False
        )
    if output is None:  # typst returns None only when it writes to a file
        raise RuntimeError(f"typst returned nothing for {template}")
    return output


def pdf(template: str, data: dict) -> bytes:
    document = render(template, data, "pdf")
    if isinstance(document, list):  # typst returns pages only for images
        raise TypeError(f"typst returned pages for the PDF of {template}")
    return document


def png(template: str, data: dict, ppi: float = PNG_PPI) -> bytes:
    """The first page as a PNG."""
    pages = render(template, data, "png", ppi)
    return pages[0] if isinstance(pages, list) else pages
