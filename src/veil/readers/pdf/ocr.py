"""OCR of image-only PDF pages with the `tesseract` command (Debian package tesseract-ocr), when it is installed.

Optional by design: without tesseract an image-only page is `unverifiable`, never a pass. The page is rendered with
pdfium and piped to tesseract (never written to disk), under a timeout.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pypdfium2 as pdfium

from veil.readers.limits import LimitExceeded

DPI = 200
TIMEOUT_SECONDS = 60.0
MAX_PIXELS = 60_000_000


def available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_page(page: pdfium.PdfPage, seconds_left: float) -> str:
    """The text tesseract reads on a rendered page. Raises LimitExceeded when it fails or runs out of time."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise LimitExceeded("OCR is not installed")
    width, height = page.get_size()
    scale = DPI / 72
    if width * height * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / max(width * height, 1.0)) ** 0.5
    image = page.render(scale=scale, grayscale=True).to_pil()
    png = io.BytesIO()
    image.save(png, format="PNG")
    try:
        # the page goes through a pipe, never to disk: a rendered page may show personal data
        done = subprocess.run(  # noqa: S603 - fixed executable and arguments
            [exe, "stdin", "stdout", "--psm", "3"],
            input=png.getvalue(), capture_output=True, check=False,
            timeout=max(1.0, min(TIMEOUT_SECONDS, seconds_left)),
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # tesseract's OpenMP threads only slow a shared CPU
        )
    except subprocess.TimeoutExpired as exc:
        raise LimitExceeded("OCR of an image-only page took too long") from exc
    if done.returncode != 0:
        raise LimitExceeded(f"OCR of an image-only page failed (tesseract exit {done.returncode})")
    return done.stdout.decode("utf-8", "replace")
