"""File names are checked as text: the file's own name, archive members and e-mail attachments, each located
`file name`; a name that is personal data is masked wherever a finding shows it."""

from __future__ import annotations

import io
import random
import tarfile
import zipfile
from email.message import EmailMessage

import pytest
from faker import Faker

from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes
from veil.readers.file_names import name_text, split_extension
from veil.shown_names import masked_name, shown_name, shown_path

BENIGN_TEXT = b"Meeting notes.\n\nThe quarterly figures were reviewed. No action needed.\n"


def leaking_names(seed: int) -> list[str]:
    """Seeded file names that tie a person to an identifier or a protection claim, in several spellings."""
    fake = Faker(["en_US", "es_MX"])
    fake.seed_instance(seed)
    rng = random.Random(seed)
    last, first = fake.last_name().replace(" ", "_"), fake.first_name().replace(" ", "_")
    a_number = f"A{rng.randint(100_000_000, 299_999_999)}"
    return [
        f"{last.upper()}_{first.upper()}_{a_number}_asylum.txt",
        f"{first}{last}-credible-fear-interview.pdf",
        f"{first} {last} asylum application.docx",
        f"{a_number}.pdf",
    ]


def leaking_folder(seed: int) -> str:
    """An archive member whose folder names the person and whose file name names the claim."""
    fake = Faker("es_MX")
    fake.seed_instance(seed)
    return f"cases/{fake.last_name().upper()}_{fake.first_name().upper()}/ASYLUM_DECLARATION.txt"


BENIGN_NAMES = ["detention-statistics-FY2024.csv", "UKVI_IP_Q4_2023.xlsx", "ICE_ERO_Removals_by_Country.xlsx",
                "README.md", "2023-annual-report.pdf", "asylum-statistics-table-1.csv", "roster_template.xlsx",
                "Book-ins by AOR and Month.xlsx"]


@pytest.mark.parametrize(("name", "words"), [
    ("NGUYEN_CITLALI_A523938499_asylum.txt", "Nguyen Citlali A523938499 asylum"),
    ("JoseGarcia-credible-fear-2023-04-01.pdf", "Jose Garcia credible fear 2023-04-01"),
    ("NGUYEN_CITLALI_ASYLUM.pdf", "Nguyen Citlali asylum"),
    ("UKVI_IP_Q4_2023.xlsx", "UKVI IP Q4 2023"),
    ("dir/GARCIA_JOSE/roster.tar.gz", "dir Garcia Jose roster"),
    ("A123-456-789.pdf", "A123-456-789"),
])
def test_a_file_name_reads_as_words(name: str, words: str) -> None:
    assert name_text(name) == words


def test_the_extension_is_kept_apart() -> None:
    assert split_extension("GARCIA_JOSE.tar.gz") == ("GARCIA_JOSE", ".tar.gz")
    assert split_extension(".htaccess") == (".htaccess", "")
    assert masked_name("NGUYEN_CITLALI_A523938499.pdf") == "N*****_C******_A*********.pdf"


@pytest.mark.parametrize("seed", range(3))
def test_a_leaking_file_name_blocks_a_clean_file(seed: int) -> None:
    for name in leaking_names(seed):
        result = check_bytes(BENIGN_TEXT, name)
        assert result.verdict is Verdict.BLOCK, name
        finding = next(f for f in result.findings if f.location == "file name")
        assert finding.kind in (Kind.PERSON_IN_TEXT, Kind.IDENTIFIER_IN_TEXT)


@pytest.mark.parametrize("name", BENIGN_NAMES)
def test_ordinary_file_names_pass(name: str) -> None:
    result = check_bytes(BENIGN_TEXT, name)
    assert result.verdict is Verdict.PASS, [(f.kind, f.message) for f in result.findings]
    assert shown_name(name) == name


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _tar(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


@pytest.mark.parametrize("pack", [_zip, _tar])
@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("which", ["name", "folder"])
def test_archive_member_names_are_checked_and_masked(pack, seed: int, which: str) -> None:  # type: ignore[no-untyped-def]
    leaking = leaking_names(seed)[0] if which == "name" else leaking_folder(seed)
    blob = pack({"statistics.csv": b"country,count\nMexico,120\nHonduras,98\n", leaking: BENIGN_TEXT})
    result = check_bytes(blob, "bundle")
    assert result.verdict is Verdict.BLOCK
    named = [f for f in result.findings if f.location.endswith("› file name")]
    assert named and named[0].location == f"member '{masked_name(leaking)}' › file name"
    shown = " ".join(f"{f.location} {f.message} {' '.join(f.evidence)}" for f in result.findings)
    stem = split_extension(leaking)[0].replace("/", "_")
    assert all(part not in shown for part in stem.split("_") if len(part) > 3 and part.upper() != "ASYLUM")


def test_a_password_protected_member_still_has_its_name_checked() -> None:
    blob = _zip({"GARCIA_JOSE_A123456789.pdf": b"x"})
    # flip the encryption flag of the member (local header and central directory)
    data = bytearray(blob)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + offset] |= 1
    result = check_bytes(bytes(data), "bundle.zip")
    assert result.verdict is Verdict.BLOCK
    assert any(f.kind is Kind.IDENTIFIER_IN_TEXT for f in result.findings)


@pytest.mark.parametrize("seed", range(2))
def test_email_attachment_names_are_checked(seed: int) -> None:
    leaking = leaking_names(seed)[1]
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "office@example.gov", "press@example.gov", "Figures"
    message.set_content("Please find the figures attached.")
    message.add_attachment(BENIGN_TEXT, maintype="text", subtype="plain", filename=leaking)
    result = check_bytes(message.as_bytes(), "mail.eml")
    assert result.verdict is Verdict.BLOCK
    assert any(f.location.startswith("attachment '") and f.location.endswith("› file name")
               and split_extension(leaking)[0] not in f.location for f in result.findings)


def test_shown_name_masks_only_personal_names() -> None:
    assert shown_name("NGUYEN_CITLALI_A523938499_asylum.txt") == "N*****_C******_A*********_a*****.txt"
    assert shown_name("statistics.csv") == "statistics.csv"
    assert shown_path("stats/q3/GARCIA_JOSE_A123456789.pdf") == "stats/q3/G*****_J***_A*********.pdf"
