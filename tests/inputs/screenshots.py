"""Screenshots made here, so OCR tests need no binary fixtures: what developers really post, drawn with
Pillow and Debian's DejaVu fonts (fonts-dejavu-core; .ci/run installs it when missing).

Each scene mimics a real tool at 1x scale (no retina doubling, which would make OCR easy): a Postman-like
response panel in the dark theme, a browser on LiveChat's /ooops page with the OAuth error in the address
bar, a terminal with a Python traceback, and an editor showing a `.env` with a (fake) token.
`SCENES` maps a name to a Scene: the image, the text a reader sees in it, and the strings OCR must get right.
"""

from __future__ import annotations

import io
import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SANS = FONT_DIR / "DejaVuSans.ttf"
SANS_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
MONO = FONT_DIR / "DejaVuSansMono.ttf"

#: `dal:` + 27 base64url characters: the shape of a LiveChat access token. Made up, marked nowhere as a
#: sample, so the leak guard must treat it as real.
FAKE_TOKEN_ALPHABET = string.ascii_letters + string.digits + "-_"


@dataclass(frozen=True)
class Scene:
    image: Image.Image
    truth: str  # the text a person reads in it (measurement compares OCR with this)
    keys: tuple[str, ...]  # the strings that carry the diagnosis: OCR must get these exactly


def fonts_available() -> bool:
    return all(path.is_file() for path in (SANS, SANS_BOLD, MONO))


@cache
def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def fake_token(seed: int = 16) -> str:
    rng = random.Random(seed)
    return "dal:" + "".join(rng.choice(FAKE_TOKEN_ALPHABET) for _ in range(27))


def encode(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


API_URL = "api.livechatinc.com/v3.5/agent/action/list_chats"


def postman_401() -> Scene:
    """Postman's response pane, dark theme: the request line, the status bar, the pretty-printed body."""
    image = Image.new("RGB", (900, 430), "#212121")
    draw = ImageDraw.Draw(image)
    ui, mono, bold = font(SANS, 13), font(MONO, 13), font(SANS_BOLD, 13)
    draw.rectangle((0, 0, 900, 44), fill="#2b2b2b")
    draw.rounded_rectangle((12, 8, 640, 36), 4, fill="#1a1a1a", outline="#3c3c3c")
    draw.text((22, 14), "POST", font=bold, fill="#ffb400")
    draw.text((72, 14), "https://api.livechatinc.com/v3.5/agent/action/list_chats", font=ui, fill="#e6e6e6")
    draw.rounded_rectangle((652, 8, 730, 36), 4, fill="#097bed")
    draw.text((672, 14), "Send", font=bold, fill="#ffffff")
    tabs = ["Params", "Authorization", "Headers (9)", "Body", "Pre-request Script", "Tests", "Settings"]
    x = 14
    for tab in tabs:
        draw.text((x, 56), tab, font=ui, fill="#a6a6a6" if tab != "Authorization" else "#ffffff")
        x += int(draw.textlength(tab, font=ui)) + 22
    draw.line((0, 84, 900, 84), fill="#3c3c3c")
    x = 14
    for tab in ["Body", "Cookies", "Headers (7)", "Test Results"]:
        draw.text((x, 96), tab, font=ui, fill="#ffffff" if tab == "Body" else "#a6a6a6")
        x += int(draw.textlength(tab, font=ui)) + 22
    draw.text((500, 96), "Status:", font=ui, fill="#a6a6a6")
    draw.text((552, 96), "401 Unauthorized", font=ui, fill="#eb2013")
    draw.text((680, 96), "Time: 187 ms   Size: 412 B", font=ui, fill="#a6a6a6")
    x = 14
    for tab in ["Pretty", "Raw", "Preview", "Visualize"]:
        draw.text((x, 130), tab, font=ui, fill="#ffffff" if tab == "Pretty" else "#a6a6a6")
        x += int(draw.textlength(tab, font=ui)) + 22
    draw.text((x + 10, 130), "JSON", font=ui, fill="#a6a6a6")
    lines = [
        [("{", "#e6e6e6")],
        [("    ", ""), ('"error"', "#9cdcfe"), (": {", "#e6e6e6")],
        [("        ", ""), ('"type"', "#9cdcfe"), (": ", "#e6e6e6"), ('"authentication"', "#ce9178"), (",", "#e6e6e6")],
        [("        ", ""), ('"message"', "#9cdcfe"), (": ", "#e6e6e6"), ('"Invalid access token"', "#ce9178")],
        [("    }", "#e6e6e6")],
        [("}", "#e6e6e6")],
    ]
    y = 168
    for number, parts in enumerate(lines, 1):
        draw.text((16, y), f"{number:>2}", font=mono, fill="#6b6b6b")
        x = 52
        for text, color in parts:
            if color:
                draw.text((x, y), text, font=mono, fill=color)
            x += int(draw.textlength(text, font=mono))
        y += 22
    truth = (
        "POST https://api.livechatinc.com/v3.5/agent/action/list_chats\nStatus: 401 Unauthorized\n"
        '{\n    "error": {\n        "type": "authentication",\n        "message": "Invalid access token"\n    }\n}'
    )
    keys = ("401 Unauthorized", '"type": "authentication"', '"message": "Invalid access token"', API_URL)
    return Scene(image, truth, keys)


OOOPS_URL = (
    "https://accounts.livechat.com/ooops?oauth_exception=invalid_request"
    "&client_id=3b4f6e0c2a9d41f7b1c0e8d2a6f5c913&redirect_uri=https://app.example.com/callback/"
)


def browser_oauth_error() -> Scene:
    """A browser window on accounts.livechat.com/ooops: tab strip, address bar with the redirect URL, page."""
    image = Image.new("RGB", (1280, 520), "#ffffff")
    draw = ImageDraw.Draw(image)
    ui = font(SANS, 13)
    draw.rectangle((0, 0, 1280, 36), fill="#dee1e6")
    draw.rounded_rectangle((8, 6, 250, 40), 8, fill="#ffffff")
    draw.text((20, 14), "LiveChat Accounts", font=ui, fill="#3c4043")
    draw.rectangle((0, 36, 1280, 76), fill="#ffffff")
    draw.text((14, 46), "←   →   ⟳", font=font(SANS, 15), fill="#5f6368")
    draw.rounded_rectangle((96, 42, 1266, 70), 14, fill="#f1f3f4")
    draw.text((116, 49), OOOPS_URL, font=ui, fill="#202124")
    draw.line((0, 77, 1280, 77), fill="#dadce0")
    draw.text((80, 150), "Oops! Something went wrong", font=font(SANS_BOLD, 28), fill="#111111")
    body = [
        "The request is missing a required parameter, includes an invalid parameter value,",
        "includes a parameter more than once, or is otherwise malformed.",
    ]
    for i, line in enumerate(body):
        draw.text((80, 210 + 26 * i), line, font=font(SANS, 16), fill="#424242")
    draw.text((80, 290), "Error code: invalid_request", font=font(SANS, 14), fill="#757575")
    draw.rounded_rectangle((80, 340, 240, 380), 6, fill="#ff5100")
    draw.text((106, 350), "Back to login", font=font(SANS_BOLD, 15), fill="#ffffff")
    truth = f"{OOOPS_URL}\nOops! Something went wrong\n" + " ".join(body) + "\nError code: invalid_request"
    keys = (
        "accounts.livechat.com/ooops?oauth_exception=invalid_request",
        "redirect_uri=https://app.example.com/callback/",
        "missing a required parameter",
    )
    return Scene(image, truth, keys)


TRACEBACK = [
    "$ python sync_chats.py",
    "Traceback (most recent call last):",
    '  File "/home/dev/support/sync_chats.py", line 31, in <module>',
    "    chats = list_chats(session)",
    '  File "/home/dev/support/sync_chats.py", line 18, in list_chats',
    "    response.raise_for_status()",
    '  File "/usr/lib/python3/dist-packages/requests/models.py", line 1021, in raise_for_status',
    "    raise HTTPError(http_error_msg, response=self)",
    "requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url:",
    "https://api.livechatinc.com/v3.5/agent/action/list_chats",
]


def terminal_traceback() -> Scene:
    """A terminal (dark, 14 px monospace) whose last lines are requests' 401 HTTPError."""
    mono = font(MONO, 14)
    image = Image.new("RGB", (860, 60 + 20 * len(TRACEBACK)), "#300a24")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 860, 28), fill="#3c3b37")
    draw.text((340, 6), "dev@box: ~/support", font=font(SANS_BOLD, 13), fill="#dfdbd2")
    for i, line in enumerate(TRACEBACK):
        color = "#8ae234" if line.startswith("$") else "#ffffff"
        draw.text((10, 40 + 20 * i), line, font=mono, fill=color)
    keys = ("401 Client Error: Unauthorized", "https://" + API_URL, "raise_for_status")
    return Scene(image, "\n".join(TRACEBACK), keys)


def editor_env_with_token(token: str | None = None) -> Scene:
    """An editor (light theme, 15 px monospace) showing a .env and a curl line that hold an access token."""
    token = token or fake_token()
    lines = [
        "# .env for the chat exporter",
        "LIVECHAT_REGION=dal",
        f"LIVECHAT_ACCESS_TOKEN={token}",
        "",
        "curl -X POST https://api.livechatinc.com/v3.5/agent/action/list_chats \\",
        f"  -H 'Authorization: Bearer {token}' \\",
        "  -H 'Content-Type: application/json' -d '{}'",
    ]
    mono = font(MONO, 15)
    image = Image.new("RGB", (900, 60 + 24 * len(lines)), "#fafafa")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 900, 30), fill="#e8e8e8")
    draw.text((12, 7), ".env — exporter", font=font(SANS, 13), fill="#333333")
    for i, line in enumerate(lines):
        draw.text((12, 42 + 24 * i), f"{i + 1:>2}", font=mono, fill="#9e9e9e")
        draw.text((50, 42 + 24 * i), line, font=mono, fill="#6a737d" if line.startswith("#") else "#24292e")
    return Scene(image, "\n".join(lines), (token, f"Bearer {token}"))


SCENES: dict[str, Callable[[], Scene]] = {
    "postman_401": postman_401,
    "browser_oauth_error": browser_oauth_error,
    "terminal_traceback": terminal_traceback,
    "editor_token": editor_env_with_token,
}


if __name__ == "__main__":  # write them out to look at: python -m tests.inputs.screenshots OUTDIR
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for name, scene in SCENES.items():
        scene().image.save(out / f"{name}.png")
