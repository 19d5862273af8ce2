"""bot/inputs/ocr.py: screenshots we draw ourselves are read well enough to diagnose, tokens in them are
found, and anything that isn't a reasonable PNG, JPEG or WebP is refused before it costs anything."""

from __future__ import annotations

import asyncio
import io
import os
import resource
import statistics
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from bot.core.diagnosis import CredentialKind
from bot.credentials.leaks import leaked_credentials
from bot.inputs import ocr
from bot.inputs.ocr import (
    ImageRejected,
    OcrError,
    OcrTimeout,
    OcrUnavailable,
    clean_ocr_text,
    open_image,
    prepare,
    read_image_text,
    read_image_text_async,
)
from tests.conftest import REPO
from tests.inputs.conftest import FORMATS, image_bytes, ocr_text, requires_fonts, requires_ocr, scene
from tests.inputs.screenshots import editor_env_with_token, encode, fake_token


def squash(text: str) -> str:
    return " ".join(text.split())


# --- what the screenshots say --------------------------------------------------------------------------


@requires_ocr
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_postman_401_panel_gets_the_invalid_access_token_answer(engine, fmt):
    text = ocr_text("postman_401", fmt)
    assert '"message": "Invalid access token"' in squash(text)
    diagnosis = engine.diagnose(text)
    assert not diagnosis.abstained
    assert diagnosis.matches[0].entry_id == "invalid-access-token"
    assert "status.401" in diagnosis.signals.ids
    assert "error.invalid_access_token" in diagnosis.signals.ids


@requires_ocr
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_browser_error_page_gets_the_invalid_request_answer_from_its_address_bar(engine, fmt):
    text = ocr_text("browser_oauth_error", fmt)
    assert "accounts.livechat.com/ooops?oauth_exception=invalid_request" in text
    diagnosis = engine.diagnose(text)
    assert not diagnosis.abstained
    assert diagnosis.matches[0].entry_id == "invalid-request"
    assert "oauth.invalid_request" in diagnosis.signals.ids


@requires_ocr
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_terminal_traceback_is_read_to_its_last_line(engine, fmt):
    text = ocr_text("terminal_traceback", fmt)
    assert "401 Client Error: Unauthorized" in text
    assert "https://api.livechatinc.com/v3.5/agent/action/list_chats" in text
    diagnosis = engine.diagnose(text)
    assert "status.401" in diagnosis.signals.ids
    assert "api.agent-chat" in diagnosis.signals.ids
    # A bare 401 pins no entry: the screenshot gets exactly what its real text gets.
    truth = engine.diagnose(scene("terminal_traceback").truth)
    assert diagnosis.abstained == truth.abstained
    if not truth.abstained:
        assert diagnosis.matches[0].entry_id == truth.matches[0].entry_id


@requires_ocr
@pytest.mark.parametrize("seed", [16, 3, 7])
@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_token_in_a_screenshot_is_found_by_the_leak_guard(engine, seed, fmt):
    # OCR may read a 0 as O or drop a character: the leak guard must act on the credential all the same.
    token = fake_token(seed)
    text = read_image_text(encode(editor_env_with_token(token).image, fmt, **FORMATS[fmt]))
    found = leaked_credentials(text)
    assert any(c.kind is CredentialKind.agent_token and c.region == "dal" for c in found), [c.kind for c in found]
    # And the engine never lets it out: the diagnosis holds it redacted only.
    diagnosis = engine.diagnose(text)
    assert diagnosis.credentials
    for credential in found:
        assert credential.raw not in diagnosis.text


# --- time ----------------------------------------------------------------------------------------------


def _cpu_seconds() -> float:
    """CPU of this process and of the tesseract children it has waited for: unlike wall time, not
    inflated by whatever else the machine runs (the budget is for an idle 2-core host)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@requires_ocr
def test_each_screenshot_is_read_within_two_seconds():
    walls = []
    for name in ("postman_401", "browser_oauth_error", "terminal_traceback", "editor_token"):
        data = image_bytes(name, "JPEG")
        cpu, started = _cpu_seconds(), time.perf_counter()
        read_image_text(data)
        walls.append(time.perf_counter() - started)
        assert _cpu_seconds() - cpu < 2.0, name
    assert statistics.median(walls) < 2.0, walls


@requires_ocr
async def test_the_async_reader_leaves_the_event_loop_free():
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        text = await read_image_text_async(image_bytes("postman_401"))
    finally:
        task.cancel()
    assert "Invalid access token" in text
    assert ticks >= 5  # the loop went on running while the image was read


# --- refusals ------------------------------------------------------------------------------------------


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width`×`height` pixels but carries one row: enough for a header check."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    rows = zlib.compress(b"\x00" * (width + 1))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if any image's pixels are decoded: refusals must come from the header alone."""

    def refuse(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_pillows_own_bomb_guard_is_on_and_raises_on_open():
    # Verified, not assumed: Pillow's process-wide guard is in force, and past twice its limit it refuses
    # at open, from the header. Our lower limit (below) covers the range where Pillow only warns.
    assert Image.MAX_IMAGE_PIXELS is not None and Image.MAX_IMAGE_PIXELS > ocr.MAX_IMAGE_PIXELS
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(png_header(30_000, 30_000)))


def test_a_header_past_pillows_limit_is_refused_as_a_bomb(no_decoding):
    with pytest.raises(ImageRejected, match="too many pixels"):
        open_image(png_header(30_000, 30_000))


def test_a_header_where_pillow_only_warns_is_refused_by_our_limit(no_decoding):
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(ImageRejected, match="pixels"):
        open_image(png_header(10_000, 10_000))


def test_a_real_decompression_bomb_is_refused_before_decoding(no_decoding):
    # 36 M pixels of nothing: a few tens of KB on the wire, 36 MB and seconds of OCR once decoded.
    guard = Image.MAX_IMAGE_PIXELS
    buffer = io.BytesIO()
    Image.new("L", (6_000, 6_000)).save(buffer, format="PNG", optimize=True)
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(ImageRejected, match="6000×6000 pixels"):
        read_image_text(buffer.getvalue())
    assert guard == Image.MAX_IMAGE_PIXELS  # ours is a separate check: the process-wide guard is left alone


def test_oversized_input_is_refused_by_its_length_alone(no_decoding):
    with pytest.raises(ImageRejected, match="limit is 8 MiB"):
        read_image_text(b"\x89PNG" + b"\x00" * ocr.MAX_IMAGE_BYTES)
    with pytest.raises(ImageRejected, match="limit is 1 MiB"):
        read_image_text(b"x" * (2**20 + 1), max_bytes=2**20)


@pytest.mark.parametrize(
    ("fmt", "payload"),
    [
        ("GIF", lambda: encode(Image.new("RGB", (40, 20)), "GIF")),
        ("BMP", lambda: encode(Image.new("RGB", (40, 20)), "BMP")),
        ("TIFF", lambda: encode(Image.new("RGB", (40, 20)), "TIFF")),
        ("text", lambda: b'{"error":{"type":"authentication","message":"Invalid access token"}}'),
        ("pdf", lambda: b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"),
    ],
)
def test_other_formats_are_refused(fmt, payload):
    with pytest.raises(ImageRejected, match="not a PNG, JPEG or WebP image"):
        read_image_text(payload())


def test_empty_and_damaged_images_are_refused():
    with pytest.raises(ImageRejected, match="empty"):
        read_image_text(b"")
    whole = encode(Image.effect_noise((300, 200), 64).convert("RGB"), "PNG")
    with pytest.raises(ImageRejected, match="damaged"):
        open_image(whole[: len(whole) // 2])


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b'{"error":{"message":"Invalid access token"}}',  # a PNG signature over text
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + b"\x00" * 20,  # a PNG header cut short
        b"\xff\xd8\xff\xe0" + b"x" * 50,  # a JPEG marker over junk
        b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 30,  # a WebP header with no picture
    ],
    ids=["png-over-text", "png-cut", "jpeg-junk", "webp-empty"],
)
def test_hostile_headers_are_refused_not_crashed_on(data):
    # Pillow raises many things on crafted files (AttributeError, struct.error, OSError …); a reader in
    # on_message must only ever see ImageRejected.
    with pytest.raises(ImageRejected):
        read_image_text(data)


def test_every_refusal_is_an_ocr_error_with_a_message_for_people():
    with pytest.raises(OcrError) as caught:
        read_image_text(b"GIF89a")
    assert isinstance(caught.value, ValueError)  # ImageRejected is a ValueError too
    assert str(caught.value)


# --- no engine, a stuck engine ---------------------------------------------------------------------------


@pytest.fixture
def fake_tesseract(tmp_path, monkeypatch):
    """Point the module at a script standing in for tesseract; returns a function that writes it."""

    def install(body: str, languages: str = "eng") -> Path:
        script = tmp_path / "tesseract"
        script.write_text(
            "#!/bin/sh\n"
            f'if [ "$1" = "--list-langs" ]; then echo "List of available languages"; echo {languages}; exit 0; fi\n'
            f"{body}\n"
        )
        script.chmod(0o755)
        monkeypatch.setattr(ocr, "TESSERACT", str(script))
        return script

    yield install
    ocr._engine.cache_clear()


@requires_fonts
def test_without_tesseract_reading_raises_ocr_unavailable(monkeypatch):
    monkeypatch.setattr(ocr, "TESSERACT", "authbot-no-such-tesseract")
    assert not ocr.ocr_available()
    with pytest.raises(OcrUnavailable, match="tesseract"):
        read_image_text(image_bytes("postman_401"))
    with pytest.raises(OcrUnavailable):
        asyncio.run(read_image_text_async(image_bytes("postman_401")))


@requires_fonts
def test_a_tesseract_without_english_counts_as_unavailable(fake_tesseract):
    fake_tesseract("exit 1", languages="osd")
    assert not ocr.ocr_available()
    with pytest.raises(OcrUnavailable):
        read_image_text(image_bytes("postman_401"))


@requires_fonts
def test_a_stuck_tesseract_is_killed_at_the_deadline(fake_tesseract):
    fake_tesseract("exec sleep 30")  # exec: the sleeping process is the one the timeout kills
    started = time.monotonic()
    with pytest.raises(OcrTimeout):
        read_image_text(image_bytes("postman_401"), timeout=0.5)
    assert time.monotonic() - started < 3


@requires_fonts
async def test_the_async_reader_times_out_too(fake_tesseract):
    fake_tesseract("exec sleep 30")
    with pytest.raises(OcrTimeout):
        await read_image_text_async(image_bytes("postman_401"), timeout=0.5)


@requires_fonts
def test_a_failing_tesseract_raises_ocr_failed(fake_tesseract):
    fake_tesseract('echo "Error in pixReadStream: Unknown format" >&2; exit 1')
    with pytest.raises(ocr.OcrFailed, match="Unknown format"):
        read_image_text(image_bytes("postman_401"))


@requires_fonts
def test_a_queued_image_times_out_instead_of_waiting_forever(fake_tesseract):
    fake_tesseract("echo read")
    held = []
    while ocr._SLOTS.acquire(blocking=False):  # every slot busy, as under a burst of screenshots
        held.append(True)
    try:
        with pytest.raises(OcrTimeout, match="too many images"):
            read_image_text(image_bytes("postman_401"), timeout=0.3)
    finally:
        for _ in held:
            ocr._SLOTS.release()
    assert read_image_text(image_bytes("postman_401")) == "read"


# --- the pieces ------------------------------------------------------------------------------------------


def test_clean_ocr_text_undoes_tesseracts_habits():
    raw = "‘Authorization: Bearer dal : U89K1D5aQHECbLMQsNcCGctd76L’\n\n\nhttps: //api.livechatinc.com/v3.5\n“ok”  \n"
    assert clean_ocr_text(raw) == (
        "'Authorization: Bearer dal:U89K1D5aQHECbLMQsNcCGctd76L'\nhttps://api.livechatinc.com/v3.5\n\"ok\""
    )
    # Only LiveChat's regions before a token-long body are joined; prose keeps its spaces.
    assert clean_ocr_text("Error : SomethingWentWrongWithTheRequest") == "Error : SomethingWentWrongWithTheRequest"
    assert clean_ocr_text("dal : short") == "dal : short"


def test_prepare_puts_dark_text_on_a_light_background_whatever_the_theme():
    # Postman's red on dark grey: luminance alone leaves ~60 levels between them; the brightest channel more.
    dark = Image.new("RGB", (100, 40), "#212121")
    dark.paste("#eb2013", (10, 10, 50, 30))
    out = prepare(dark)
    background, text = out.getpixel((2, 2)), out.getpixel((60, 40))
    assert background > 200 and background - text > 150
    light = Image.new("RGB", (100, 40), "#ffffff")
    light.paste("#ff5100", (10, 10, 50, 30))  # an orange button on white
    out = prepare(light)
    assert out.getpixel((2, 2)) > 200 and out.getpixel((60, 40)) < 50


def test_transparent_pixels_are_read_as_white():
    rgba = Image.new("RGBA", (60, 30), (0, 0, 0, 0))  # "transparent black", as many tools store it
    rgba.paste((0, 0, 0, 255), (10, 10, 30, 20))
    out = prepare(rgba)
    assert out.getpixel((2, 2)) > 200 and out.getpixel((40, 30)) < 50


def test_small_screenshots_are_enlarged_and_large_ones_shrunk_within_the_budget():
    assert ocr._scale(900, 430) == 2.0
    for size in ((1920, 1080), (3840, 2160), (1440, 9000)):
        width, height = size
        scaled = ocr._scale(width, height)
        assert (width * scaled) * (height * scaled) <= ocr.OCR_PIXEL_BUDGET * 1.01


def test_the_package_has_no_discord_import():
    code = "import sys, bot.inputs.ocr; sys.exit(any(m.split('.')[0] == 'discord' for m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_one_image_at_a_time_leaves_a_core_to_the_event_loop():
    # On the 2-core host: one tesseract at a time, the other core for Discord.
    slots = 0
    while ocr._SLOTS.acquire(blocking=False):
        slots += 1
    for _ in range(slots):
        ocr._SLOTS.release()
    assert slots == max(1, (os.cpu_count() or 2) - 1)


def test_a_png_header_over_garbage_is_rejected_cleanly() -> None:
    """Pillow raised a bare AttributeError on an unknown chunk, which escaped as a crash of on_message."""
    with pytest.raises(ImageRejected):
        open_image(b"\x89PNG\r\n\x1a\nAuthorization: Bearer dal:FAKE_png_garbage_0000001\n")
