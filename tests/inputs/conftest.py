"""Shared by the screenshot tests: OCR once per (scene, format), and a skip that CI may not take."""

from __future__ import annotations

import os
from functools import cache

import pytest

from bot.inputs.ocr import ocr_available, read_image_text
from tests.inputs.screenshots import SCENES, Scene, encode, fonts_available

#: Locally a missing tesseract or font skips these tests; in CI (.ci/run installs both) it fails them, so a
#: broken install step can't pass as "skipped".
_IN_CI = bool(os.environ.get("CI"))
requires_ocr = pytest.mark.skipif(
    not _IN_CI and not (ocr_available() and fonts_available()),
    reason="tesseract-ocr, tesseract-ocr-eng or fonts-dejavu-core is not installed (.ci/run installs them)",
)
requires_fonts = pytest.mark.skipif(
    not _IN_CI and not fonts_available(), reason="fonts-dejavu-core is not installed (.ci/run installs it)"
)

FORMATS: dict[str, dict[str, object]] = {"PNG": {}, "JPEG": {"quality": 80}, "WEBP": {"quality": 80}}


@cache
def scene(name: str) -> Scene:
    return SCENES[name]()


@cache
def image_bytes(name: str, fmt: str = "PNG") -> bytes:
    return encode(scene(name).image, fmt, **FORMATS[fmt])


@cache
def ocr_text(name: str, fmt: str = "PNG") -> str:
    """Each screenshot is read once per session: several tests look at the same text."""
    return read_image_text(image_bytes(name, fmt))
