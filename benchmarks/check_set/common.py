"""What every generator module shares: the Case record, the build context and small writers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .people import Person, make_people, official_names

FIXED_TIME = (2022, 6, 30, 12, 0, 0)
FIXED_DT = dt.datetime(2022, 6, 30, 12, 0, 0)


@dataclass(frozen=True)
class Case:
    name: str  # file name inside the output directory
    label: str  # "leak" | "benign"
    tag: str  # class tag
    persons: int | None  # exact number of distinct people disclosed (leaks); None for benign
    description: str

    def __post_init__(self) -> None:
        if self.label not in ("leak", "benign"):
            raise ValueError(self.label)
        if (self.label == "leak") != (self.persons is not None and self.persons > 0):
            raise ValueError(f"{self.name}: a leak has persons > 0, a benign file has None")


class Ctx:
    def __init__(self, out_dir: Path, seed: int):
        self.out = out_dir
        self.seed = seed

    def rng(self, key: str) -> random.Random:
        return random.Random(zlib.crc32(key.encode()) ^ (self.seed * 0x9E3779B1 & 0xFFFFFFFF))

    def people(self, key: str, n: int, origins=None) -> list[Person]:
        return make_people(self.rng("people:" + key), n, origins)

    def officials(self, key: str, n: int) -> list[tuple[str, str]]:
        return official_names(self.rng("officials:" + key), n)

    def path(self, name: str) -> Path:
        return self.out / name


Generator = Callable[[Ctx], Iterable[Case]]
GENERATORS: list[Generator] = []


def register(fn: Generator) -> Generator:
    GENERATORS.append(fn)
    return fn


def leak(name: str, tag: str, persons: int, description: str) -> Case:
    return Case(name, "leak", tag, persons, description)


def benign(name: str, tag: str, description: str) -> Case:
    return Case(name, "benign", tag, None, description)


# ---------------------------------------------------------------- writers

def csv_text(header: list[str] | None, rows: Iterable[Iterable[object]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    if header:
        w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write_zip(path: Path, members: list[tuple[str, bytes | str]], compression: int = zipfile.ZIP_DEFLATED) -> None:
    """A zip with fixed timestamps, members in the order given."""
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = compression
            zf.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def zip_members(path_or_bytes: Path | bytes) -> list[tuple[str, bytes]]:
    src = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    with zipfile.ZipFile(src) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def normalise_zip(path: Path) -> None:
    """Rewrite an OOXML/ODF package with fixed timestamps so the build is byte-stable for a seed."""
    members = zip_members(path)
    first = members[0][0]
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2022-06-30T12:00:00Z", data)
            info = zipfile.ZipInfo(name, FIXED_TIME)
            # ODF wants its mimetype first and stored
            info.compress_type = zipfile.ZIP_STORED if (name == "mimetype" and first == "mimetype") \
                else zipfile.ZIP_DEFLATED
            zf.writestr(info, data)


def patch_zip(path: Path, edit: Callable[[str, bytes], bytes | None], add: list[tuple[str, bytes]] = ()) -> None:
    """Rewrite a package, passing each member through edit (None drops it), then appending `add`."""
    members = zip_members(path)
    out: list[tuple[str, bytes | str]] = []
    for name, data in members:
        new = edit(name, data)
        if new is not None:
            out.append((name, new))
    out.extend(add)
    write_zip(path, out)


def save_openpyxl(wb, path: Path) -> None:
    wb.properties.creator = "Statistics Unit"
    wb.properties.lastModifiedBy = "Statistics Unit"
    wb.properties.created = FIXED_DT
    wb.properties.modified = FIXED_DT
    wb.save(path)
    normalise_zip(path)


def d(x: dt.date, fmt: str = "%Y-%m-%d") -> str:
    return x.strftime(fmt)


def spread(rnd: random.Random, n: int, lo: int = 25, hi: int = 900) -> list[int]:
    return [rnd.randint(lo, hi) for _ in range(n)]


COUNTRIES = ["Mexico", "Guatemala", "Honduras", "El Salvador", "Venezuela", "Colombia", "Haiti", "Cuba",
             "Nicaragua", "Ecuador", "Brazil", "India", "Afghanistan", "Syria", "Eritrea", "Somalia", "Türkiye",
             "Romania", "Russia", "Ukraine", "China", "Peru", "Nigeria", "Ghana"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def encodable_people(ctx: Ctx, key: str, n: int, encoding: str = "cp1252") -> list[Person]:
    """n people whose names, nationality and facility encode in `encoding` (for Latin-1/Windows-1252 files and
    PDFs drawn with the standard fonts)."""
    out: list[Person] = []
    for p in ctx.people(key, n * 4):
        try:
            f"{p.full}{p.nationality}{p.facility}{p.status}".encode(encoding)
        except UnicodeEncodeError:
            continue
        out.append(p)
        if len(out) == n:
            return out
    raise RuntimeError(f"not enough {encoding} people for {key}")


def write_targz(path: Path, members: list[tuple[str, bytes | str]]) -> None:
    """A .tar.gz with fixed member and gzip times."""
    import gzip

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            raw = data.encode("utf-8") if isinstance(data, str) else data
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(raw), 1656590400
            tar.addfile(info, io.BytesIO(raw))
    path.write_bytes(gzip.compress(buf.getvalue(), mtime=0))
