"""Where the tests find things outside the package: the shared real corpus beside the project."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
