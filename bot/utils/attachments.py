"""Reading the text of small text attachments, for scanners like the leak guard.

Why attachments matter: Discord turns a paste longer than the message limit into a `message.txt`
attachment, and people share logs, `.env` files and JSON responses as files. A credential in one is
as public as one in the message text.

What is read: only files that are text by name or by content type, and only up to
`TEXT_ATTACHMENT_LIMIT` bytes — Discord's reported size is checked *before* downloading, so a big
upload costs nothing, and the bytes are cut at the limit again afterwards in case the size was wrong.
Bytes are decoded as UTF-8 with errors replaced (a stray byte must not hide the rest of the file);
a byte-order mark selects UTF-16, which Windows tools write for logs.

Screenshots (PNG, JPEG, WebP up to 8 MB) are read too, with OCR (bot/inputs/ocr.py, off the event loop):
about one real question in six carries its error only in an image, and a token in a public screenshot is
as exposed as one in text. Without the OCR program installed, images are skipped and the bot runs on.
"""

from __future__ import annotations

import asyncio
import codecs
import logging
from pathlib import PurePosixPath

import discord

from bot.inputs.ocr import MAX_IMAGE_BYTES, OcrError, ocr_available, read_image_text_async

log = logging.getLogger(__name__)

TEXT_ATTACHMENT_LIMIT = 100 * 1024  # bytes: a long paste or a log excerpt, not a whole log archive
READ_TIMEOUT = 10.0  # seconds per file: the CDN is fast; a stuck download must not stall the guard

#: File endings read as text. Discord's `message.txt` for long pastes, logs, configs, HTTP traces (a HAR
#: file is JSON full of headers) and source files, where credentials get pasted or committed.
TEXT_SUFFIXES = frozenset(
    {
        ".txt", ".log", ".json", ".env", ".yaml", ".yml", ".har", ".ini", ".cfg", ".conf", ".toml",
        ".properties", ".xml", ".csv", ".md", ".http", ".sh", ".py", ".js", ".mjs", ".ts", ".php", ".rb",
        ".go", ".java", ".kt", ".cs",
    }
)
#: Content types that are text without saying `text/`.
TEXT_CONTENT_TYPES = frozenset(
    {"application/json", "application/xml", "application/yaml", "application/x-yaml", "application/javascript"}
)


def is_text_attachment(filename: str, content_type: str | None) -> bool:
    """Text by content type (any `text/*`, JSON, YAML, XML) or by file ending, including `.env.local`."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type.startswith("text/") or media_type in TEXT_CONTENT_TYPES:
        return True
    name = PurePosixPath(filename.lower()).name
    # `.env` has no suffix to Python (it is all stem), and `.env.production` has the wrong one.
    if name == ".env" or name.startswith(".env."):
        return True
    return PurePosixPath(name).suffix in TEXT_SUFFIXES


def decode_text(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


async def read_text_attachment(
    attachment: discord.Attachment, *, limit: int = TEXT_ATTACHMENT_LIMIT
) -> str | None:
    """The attachment's text, or None when it is not text, too big, or can't be downloaded.

    Failures are logged by attachment id only: the file name is user text and may hold anything.
    """
    if attachment.size > limit or not is_text_attachment(attachment.filename, attachment.content_type):
        return None
    try:
        async with asyncio.timeout(READ_TIMEOUT):
            data = await attachment.read()
    except discord.HTTPException as error:
        log.warning("attachment %s could not be read: %s %s", attachment.id, error.status, error.code)
        return None
    except TimeoutError:
        log.warning("attachment %s could not be read within %.0f s", attachment.id, READ_TIMEOUT)
        return None
    return decode_text(data[:limit])


IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp"})
IMAGE_CONTENT_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})


def is_image_attachment(attachment: discord.Attachment) -> bool:
    media_type = (attachment.content_type or "").split(";", 1)[0].strip().lower()
    suffix = PurePosixPath(attachment.filename.lower()).suffix
    readable = media_type in IMAGE_CONTENT_TYPES or (not media_type and suffix in IMAGE_SUFFIXES)
    return readable and attachment.size <= MAX_IMAGE_BYTES and ocr_available()


async def read_image_attachment(attachment: discord.Attachment) -> str | None:
    """The text in a screenshot, or None (not an image we read, no OCR here, unreadable, too slow)."""
    if not is_image_attachment(attachment):
        return None
    try:
        async with asyncio.timeout(READ_TIMEOUT):
            data = await attachment.read()
        return await read_image_text_async(data) or None
    except discord.HTTPException as error:
        log.warning("image %s could not be downloaded: %s %s", attachment.id, error.status, error.code)
    except TimeoutError:
        log.warning("image %s could not be downloaded within %.0f s", attachment.id, READ_TIMEOUT)
    except OcrError as error:  # its message says what, never what the image shows
        log.info("image %s not read: %s", attachment.id, error)
    except Exception:  # a reader bug must cost one image, never the guard or the answer
        log.exception("image %s: reading failed unexpectedly", attachment.id)
    return None


async def read_attachment_text(attachment: discord.Attachment) -> str | None:
    """A text file's text or a screenshot's, whichever the attachment is."""
    return await read_text_attachment(attachment) or await read_image_attachment(attachment)


def has_readable_attachments(message: discord.Message) -> bool:
    return any(
        (a.size <= TEXT_ATTACHMENT_LIMIT and is_text_attachment(a.filename, a.content_type)) or is_image_attachment(a)
        for a in message.attachments
    )


async def message_text(message: discord.Message) -> str:
    """What a person reads in a message: its text, then the text of its small text attachments (a paste
    longer than Discord's limit arrives as `message.txt`, with the text box empty or a short note) and of
    its screenshots."""
    parts = [message.content.strip()]
    for attachment in message.attachments:
        text = await read_attachment_text(attachment)
        if text:
            parts.append(text.strip())
    return "\n\n".join(part for part in parts if part)
