"""Measure OCR engines on the generated screenshots: key strings read exactly, and time per image.

    python -m tests.inputs.measure_ocr            # the engines importable in this Python
    python -m tests.inputs.measure_ocr --json     # one JSON object per engine

Per engine: key strings read exactly (error strings, URLs, the token), screenshots whose OCR text gets the
same diagnosis as their real text, screenshots with a token where the leak guard still finds it, and time.
Engines: "tesseract" is what the bot runs (bot.inputs.ocr: our preprocessing, the binary through a pipe);
"tesseract-plain" is the same binary on plain luminance at 1x, to show what the preprocessing buys;
"tesserocr" and "rapidocr" are measured when installed (they are not dependencies: install them in a
scratch venv and run this with PYTHONPATH pointing at the repository). Every scene is encoded as PNG,
JPEG (quality 80) and WebP (quality 80); each image is read 3 times after one warm-up call, and the
numbers are wall-clock seconds on whatever else the machine is doing, so run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from collections.abc import Callable

from PIL import Image, ImageOps

from bot.core.pipeline import Engine
from bot.credentials.leaks import leaked_credentials
from bot.inputs import ocr
from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR, load_knowledge
from tests.inputs.screenshots import SCENES, encode

FORMATS: tuple[tuple[str, dict[str, object]], ...] = (("PNG", {}), ("JPEG", {"quality": 80}), ("WEBP", {"quality": 80}))


def squash(text: str) -> str:
    return " ".join(text.split())


def tesseract_plain(data: bytes) -> str:
    with ocr.open_image(data) as image:
        gray = ImageOps.grayscale(image.convert("RGB"))
    return ocr._run_tesseract(gray, deadline=time.monotonic() + 30)


def make_tesserocr() -> Callable[[bytes], str]:
    import tesserocr  # type: ignore[import-not-found]

    api = tesserocr.PyTessBaseAPI(path="/usr/share/tesseract-ocr/5/tessdata", lang="eng")

    def run(data: bytes) -> str:
        with ocr.open_image(data) as image:
            api.SetImage(ocr.prepare(image))
        return ocr.clean_ocr_text(api.GetUTF8Text())

    return run


def make_rapidocr() -> Callable[[bytes], str]:
    import numpy as np
    from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-not-found]

    engine = RapidOCR()

    def run(data: bytes) -> str:
        with ocr.open_image(data) as image:
            pixels = np.asarray(image.convert("RGB"))[:, :, ::-1]  # it expects OpenCV's BGR
        boxes, _ = engine(pixels)
        # It returns boxes, not lines: group boxes whose centres share a row, left to right.
        rows: list[tuple[float, float, list[tuple[float, str]]]] = []
        for box, text, _score in sorted(boxes or [], key=lambda b: b[0][0][1]):
            middle, height = (box[0][1] + box[2][1]) / 2, box[2][1] - box[0][1]
            if rows and abs(rows[-1][0] - middle) < max(rows[-1][1], height) / 2:
                rows[-1][2].append((box[0][0], text))
            else:
                rows.append((middle, height, [(box[0][0], text)]))
        return "\n".join(" ".join(text for _, text in sorted(parts)) for _, _, parts in rows)

    return run


def engines() -> dict[str, Callable[[bytes], str]]:
    found: dict[str, Callable[[bytes], str]] = {}
    if ocr.ocr_available():
        found["tesseract"] = ocr.read_image_text
        found["tesseract-plain"] = tesseract_plain
    for name, make in (("tesserocr", make_tesserocr), ("rapidocr", make_rapidocr)):
        with contextlib.suppress(ImportError):  # not installed: not measured
            found[name] = make()
    return found


def same_diagnosis(engine: Engine, ocr_text: str, truth: str) -> bool:
    """The OCR text gets what the screenshot's real text gets: the same entry, or the same abstention."""
    got, expected = engine.diagnose(ocr_text), engine.diagnose(truth)
    if expected.abstained:
        return got.abstained
    return not got.abstained and got.matches[0].entry_id == expected.matches[0].entry_id


def measure(name: str, read: Callable[[bytes], str], engine: Engine, rounds: int = 3) -> dict[str, object]:
    times: list[float] = []
    keys_found = keys_total = diagnosed = images = leaks_found = leaks_total = 0
    misses: list[str] = []
    first_call = None
    for scene_name, scene in SCENES.items():
        made = scene()
        for fmt, options in FORMATS:
            data = encode(made.image, fmt, **options)
            started = time.perf_counter()
            text = read(data)  # warm-up (the first call also pays for loading models)
            first_call = first_call if first_call is not None else time.perf_counter() - started
            for _ in range(rounds):
                started = time.perf_counter()
                text = read(data)
                times.append(time.perf_counter() - started)
            if leaked_credentials(made.truth):  # a token on screen, no question: judged by the leak guard alone
                leaks_total += 1
                leaks_found += bool(leaked_credentials(text))
            else:
                images += 1
                if same_diagnosis(engine, text, made.truth):
                    diagnosed += 1
                else:
                    misses.append(f"{scene_name}/{fmt}: diagnosis differs from the real text's")
            for key in made.keys:
                keys_total += 1
                if squash(key) in squash(text):
                    keys_found += 1
                else:
                    misses.append(f"{scene_name}/{fmt}: {key}")
    return {
        "engine": name,
        "keys": f"{keys_found}/{keys_total}",
        "diagnosis": f"{diagnosed}/{images}",
        "leak_found": f"{leaks_found}/{leaks_total}",
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "first_call_s": round(first_call or 0.0, 3),
        "misses": misses,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    Image.init()
    engine = Engine(load_knowledge(DEFAULT_KNOWLEDGE_DIR))
    found = engines()
    if not found:
        print("no OCR engine importable here", file=sys.stderr)
        return 1
    for name, read in found.items():
        result = measure(name, read, engine, args.rounds)
        if args.json:
            print(json.dumps(result))
        else:
            print(
                f"{name:16} keys {result['keys']:>6}  diagnosis {result['diagnosis']:>6}  "
                f"leak found {result['leak_found']}  median {result['median_s']:.2f} s  "
                f"max {result['max_s']:.2f} s  first call {result['first_call_s']:.2f} s"
            )
            for miss in result["misses"]:  # type: ignore[attr-defined]
                print(f"{'':16} missed {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
