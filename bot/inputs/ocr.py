"""Text from screenshots: Debian's tesseract, fed through a pipe, with the image checked first.

Why tesseract, called as a program (numbers in the README, "Screenshots"): on our generated screenshots it
reads the error strings, URLs and tokens that matter in 0.3–0.5 s per image on one core, and costs 24 MB
of Debian packages. The ONNX alternative (rapidocr-onnxruntime, models in the wheel) took 2–8 s per image
here, glued English words together ("Therequestismissing…") and weighs ~380 MB with onnxruntime and OpenCV.
We run the `tesseract` binary ourselves instead of through pytesseract because pytesseract writes each
image to a temporary file (a screenshot may hold a token: it must not land on disk) and gives no way to
set the child's environment (OMP_THREAD_LIMIT, below). A separate process also means a hung or crashing
OCR is killed at its deadline without touching the bot.

Everything here is synchronous and blocking except `read_image_text_async`, which runs it in a worker
thread so the event loop keeps serving Discord while an image is read.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import shutil
import subprocess
import threading
import time
from functools import cache

from PIL import Image, ImageChops, ImageOps, ImageStat, UnidentifiedImageError

from bot.core.detectors import KNOWN_REGIONS

#: The issue's limit for attachments we read (Discord lets people upload more; we don't OCR it).
MAX_IMAGE_BYTES = 8 * 1024 * 1024
#: Pixels we agree to decode. A 6K display's full screenshot is 20 M pixels; more is a bomb, or nothing a
#: person could read either. Pillow's own guard (Image.MAX_IMAGE_PIXELS, ~89 M warns, ~179 M raises) is far
#: higher and process-wide, so we check our own limit and leave the global alone.
MAX_IMAGE_PIXELS = 25_000_000
#: Formats people paste screenshots in. Only these decoders are tried, so a TIFF or a PSD never reaches
#: a Pillow plugin at all.
FORMATS = ("PNG", "JPEG", "WEBP")
#: What tesseract is given at most. Time grows with pixels (~0.3 s per million on one core here), so a
#: large screenshot is shrunk to this and a small one enlarged up to it (see `_scale`).
OCR_PIXEL_BUDGET = 3_000_000
#: Per image, decoding included. Generous next to the ~0.5 s an image takes, so a busy machine still
#: finishes; a pathological image (or a wedged tesseract) is killed here.
DEFAULT_TIMEOUT_SECONDS = 6.0
#: The tesseract program (a module attribute so tests can point it at nothing).
TESSERACT = "tesseract"
#: Images read at once. Leave a core to the event loop: on the 2-core host this is 1, and a burst of
#: screenshots queues (within each one's timeout) instead of starving Discord's heartbeat.
_SLOTS = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) - 1))


class OcrError(Exception):
    """Base class: the image's text could not be read. The message is safe to show to the user."""


class ImageRejected(OcrError, ValueError):
    """Not an image we read: another format, too many bytes, too many pixels (a decompression bomb), or
    data that does not decode."""


class OcrUnavailable(OcrError):
    """No OCR engine on this machine (tesseract or its English data is missing). The bot keeps running
    without screenshots."""


class OcrTimeout(OcrError, TimeoutError):
    """Reading took longer than the deadline; the tesseract process was killed."""


class OcrFailed(OcrError):
    """Tesseract ran and failed on this image."""


@cache
def _engine(binary: str) -> str | None:
    """The path of a tesseract that has English, or None. Checked once per process (a fork and ~20 ms)."""
    path = shutil.which(binary)
    if path is None:
        return None
    try:
        listed = subprocess.run([path, "--list-langs"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    # tesseract 4 prints the list on stderr, 5 on stdout.
    languages = {line.strip() for line in (listed.stdout + listed.stderr).splitlines()}
    return path if "eng" in languages else None


def ocr_available() -> bool:
    """Whether screenshots can be read here (front ends use it to say so once, instead of per image)."""
    return _engine(TESSERACT) is not None


def _require_engine() -> str:
    binary = _engine(TESSERACT)
    if binary is None:
        raise OcrUnavailable(
            "screenshots can't be read here: tesseract with English is not installed "
            "(Debian: apt-get install tesseract-ocr tesseract-ocr-eng)"
        )
    return binary


def _check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise ImageRejected(f"the image is {len(data) / 2**20:.1f} MiB; the limit is {max_bytes / 2**20:.0f} MiB")
    if not data:
        raise ImageRejected("the file is empty")


def open_image(data: bytes, *, max_bytes: int = MAX_IMAGE_BYTES) -> Image.Image:
    """Decode `data` as a PNG, JPEG or WebP image within the limits, or raise ImageRejected.

    Order matters: size in bytes, then the header (format and dimensions, no pixels decoded yet), and only
    then the pixels, so a bomb is refused before it costs memory.
    """
    _check_size(data, max_bytes)
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own guard read the header first; we never decode such an image.
        raise ImageRejected("the image is too large to read (too many pixels)") from error
    except UnidentifiedImageError as error:
        raise ImageRejected("not a PNG, JPEG or WebP image") from error
    except Exception as error:  # noqa: BLE001 - a hostile header makes Pillow raise almost anything
        # (AttributeError on an unknown PNG chunk, struct.error, IndexError …): all mean "not an image we read".
        raise ImageRejected("the image data is damaged and could not be decoded") from error
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise ImageRejected(f"the image is {width}×{height} pixels; the limit is {MAX_IMAGE_PIXELS:,} pixels")
    try:
        image.load()
    except Exception as error:  # noqa: BLE001 - as above: damaged pixel data raises OSError mostly, but
        # EOFError, struct.error or IndexError from a crafted file mean the same thing.
        raise ImageRejected("the image data is damaged and could not be decoded") from error
    return image


def _scale(width: int, height: int) -> float:
    """Enlarge small screenshots up to 2× (a 1x screenshot's 13 px UI text is below the ~20 px letters
    tesseract reads best) and shrink large ones, both to stay within OCR_PIXEL_BUDGET."""
    return max(0.25, min(2.0, (OCR_PIXEL_BUDGET / (width * height)) ** 0.5))


def prepare(image: Image.Image) -> Image.Image:
    """A grayscale image with dark text on a light background, the input tesseract's binarizer expects.

    Screenshots are coloured text on a flat background. Plain luminance loses some colours (Postman's red
    "401 Unauthorized" on its dark grey is only ~60 levels apart), so we take the channel that keeps text
    and background furthest apart: on a dark theme the brightest channel of each pixel (inverted
    afterwards), on a light theme the darkest.
    """
    image = ImageOps.exif_transpose(image)  # phone photos of a screen come rotated
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent pixels are often stored black: put them on white, as every viewer shows them.
        rgba = image.convert("RGBA")
        backdrop = Image.new("RGBA", rgba.size, "white")
        image = Image.alpha_composite(backdrop, rgba)
    red, green, blue = image.convert("RGB").split()
    dark = ImageStat.Stat(image.convert("L")).mean[0] < 128
    if dark:
        gray = ImageOps.invert(ImageChops.lighter(ImageChops.lighter(red, green), blue))
    else:
        gray = ImageChops.darker(ImageChops.darker(red, green), blue)
    factor = _scale(*gray.size)
    if abs(factor - 1.0) > 0.05:
        size = (max(1, round(gray.width * factor)), max(1, round(gray.height * factor)))
        gray = gray.resize(size, Image.Resampling.LANCZOS)
    return gray


#: Typographic quotes tesseract reads where screenshots of code and JSON have straight ones.
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"'})
#: "https: //host": a space tesseract puts after the colon of a URL scheme.
_SCHEME_GAP = re.compile(r"\b(https?):\s*/\s*/", re.IGNORECASE)
#: "dal : AbC…": spaces it puts around the colon of a region token. Only LiveChat's regions, and only
#: before a long token body, so "Error : Something" stays as written.
_REGION_GAP = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, KNOWN_REGIONS), key=len, reverse=True)) + r")[ \t]*:[ \t]*"
    r"(?=[A-Za-z0-9_-]{20,})",
    re.IGNORECASE,
)


def clean_ocr_text(text: str) -> str:
    """Undo tesseract's habits that would hide evidence from the detectors; drop its blank lines."""
    text = text.translate(_QUOTES)
    text = _SCHEME_GAP.sub(r"\1://", text)
    text = _REGION_GAP.sub(r"\1:", text)
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def _run_tesseract(image: Image.Image, *, deadline: float) -> str:
    binary = _require_engine()
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")  # uncompressed PGM: nothing to encode, leptonica reads it from stdin
    # OMP_THREAD_LIMIT=1: tesseract's OpenMP threads spin-wait, and on 2 cores that made every image 2–3×
    # slower (0.7–1.3 s instead of 0.3–0.4 s) while taking the core the event loop needs.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    # --psm 3: automatic page layout (panels, columns); --dpi: a screen's 96 dpi, so tesseract does not
    # guess one from a file that carries none.
    command = [binary, "stdin", "stdout", "-l", "eng", "--psm", "3", "--dpi", "96"]
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise OcrTimeout("reading the image took too long")
    try:
        done = subprocess.run(command, input=buffer.getvalue(), capture_output=True, timeout=remaining, env=env)
    except subprocess.TimeoutExpired as error:  # subprocess.run has killed it
        raise OcrTimeout("reading the image took too long") from error
    except OSError as error:  # removed or not executable since it was found
        _engine.cache_clear()
        raise OcrUnavailable(f"tesseract could not be started: {error.strerror}") from error
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrFailed(f"tesseract failed ({reason[-1] if reason else f'exit {done.returncode}'})")
    return done.stdout.decode("utf-8", "replace")


def read_image_text(
    data: bytes, *, max_bytes: int = MAX_IMAGE_BYTES, timeout: float = DEFAULT_TIMEOUT_SECONDS
) -> str:
    """The text in a PNG, JPEG or WebP screenshot ("" when there is none). Blocking: see the async wrapper.

    Raises ImageRejected (format, size, bomb, damaged data), OcrUnavailable, OcrTimeout or OcrFailed, all
    OcrError. The text is raw: it may hold a credential, and the engine redacts it like any message.
    """
    deadline = time.monotonic() + timeout
    # Cheap refusals first, outside the slot: a non-image never waits behind someone's screenshot.
    _check_size(data, max_bytes)
    _require_engine()
    if not _SLOTS.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise OcrTimeout("too many images are being read; try again in a moment")
    try:
        with open_image(data, max_bytes=max_bytes) as image:
            prepared = prepare(image)
        return clean_ocr_text(_run_tesseract(prepared, deadline=deadline))
    finally:
        _SLOTS.release()


async def read_image_text_async(
    data: bytes, *, max_bytes: int = MAX_IMAGE_BYTES, timeout: float = DEFAULT_TIMEOUT_SECONDS
) -> str:
    """`read_image_text` in a worker thread, so the event loop keeps running; same exceptions.

    The thread enforces `timeout` itself (it kills tesseract); the outer wait is a backstop a little
    later, for time spent where nothing can be killed (decoding), so the caller never waits much longer.
    """
    work = asyncio.to_thread(read_image_text, data, max_bytes=max_bytes, timeout=timeout)
    try:
        return await asyncio.wait_for(work, timeout + 1.0)
    except TimeoutError as error:
        if isinstance(error, OcrTimeout):
            raise
        raise OcrTimeout("reading the image took too long") from error
