"""`authbot ask --image FILE` as a real subprocess: the screenshot's text joins the message, goes through
the same redaction, and a bad file or a missing OCR engine ends in one clear line and exit status 2."""

from __future__ import annotations

import json
import os

import pytest

from bot.inputs.ocr import MAX_IMAGE_BYTES
from tests.conftest import run_authbot
from tests.inputs.conftest import image_bytes, requires_fonts, requires_ocr, scene
from tests.inputs.screenshots import fake_token


@pytest.fixture
def screenshot(tmp_path):
    def write(name: str, fmt: str = "PNG") -> str:
        path = tmp_path / f"{name}.{fmt.lower()}"
        path.write_bytes(image_bytes(name, fmt))
        return str(path)

    return write


@requires_ocr
def test_a_screenshot_alone_is_diagnosed(screenshot):
    result = run_authbot("ask", "--image", screenshot("postman_401", "JPEG"), "--json")
    assert result.returncode == 0, result.stderr
    diagnosis = json.loads(result.stdout)
    assert diagnosis["answer"]["entry"] == "invalid-access-token"
    assert "error.invalid_access_token" in diagnosis["signals"]["ids"]
    assert "Read " in result.stderr and "postman_401.jpeg" in result.stderr


@requires_ocr
def test_the_screenshot_is_added_to_the_typed_message(screenshot):
    # The typed words alone say nothing about the error; the OAuth error is only in the screenshot.
    typed = run_authbot("ask", "I get this when users log in, what is wrong?", "--json")
    both = run_authbot("ask", "I get this when users log in, what is wrong?", "--image", screenshot("browser_oauth_error"),
                       "--json")
    assert both.returncode == 0, both.stderr
    assert json.loads(typed.stdout)["answer"]["entry"] != "invalid-request"
    assert json.loads(both.stdout)["answer"]["entry"] == "invalid-request"


@requires_ocr
def test_a_token_in_the_screenshot_never_reaches_the_output(screenshot):
    token = fake_token()
    assert token in scene("editor_token").truth
    result = run_authbot("ask", "--image", screenshot("editor_token"), "--json")
    assert result.returncode == 0, result.stderr
    diagnosis = json.loads(result.stdout)
    assert any(c["kind"] == "agent-access-token" for c in diagnosis["credentials"])
    body = token.split(":", 1)[1]
    for output in (result.stdout, result.stderr):
        assert body[:12] not in output and body[-12:] not in output
    plain = run_authbot("ask", "--image", screenshot("editor_token"))
    assert body[:12] not in plain.stdout and "redacted" in plain.stdout.lower()


def test_neither_text_nor_image_is_a_usage_error():
    result = run_authbot("ask")
    assert result.returncode == 2
    assert "--image FILE" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a\x01\x00\x01\x00", "not a PNG, JPEG or WebP image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_IMAGE_BYTES, "limit is 8 MiB"),
        (b"", "empty"),
    ],
    ids=["gif", "oversized", "empty"],
)
def test_a_file_that_is_not_a_usable_image_is_refused_in_one_line(tmp_path, content, message):
    path = tmp_path / "attachment.png"
    path.write_bytes(content)
    result = run_authbot("ask", "my token fails", "--image", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()  # one line, no traceback
    assert line.startswith(f"authbot ask: {path}: ") and message in line


def test_a_missing_file_is_refused_in_one_line(tmp_path):
    result = run_authbot("ask", "--image", str(tmp_path / "nope.png"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"authbot ask: {tmp_path / 'nope.png'}: No such file or directory"


@requires_fonts
def test_without_tesseract_ask_says_what_to_install(screenshot):
    # PATH without tesseract (the venv's python is called by its full path, so nothing else is needed).
    result = run_authbot("ask", "--image", screenshot("postman_401"), env={"PATH": os.devnull})
    assert result.returncode == 2
    assert "tesseract" in result.stderr and "apt-get install tesseract-ocr" in result.stderr
    assert "Traceback" not in result.stderr
