"""Messages: .txt, .eml with attachments, .docx and .pdf letters, protected people, and bad input."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from faker import Faker

from veil.screen import MemoryRegistry, ProtectedPerson, Recipient, RecipientKind, ScreenKind, screen_message
from veil.screen.registry import parse_any_date

GUATEMALA = Recipient("Ministerio de Relaciones Exteriores de Guatemala", RecipientKind.FOREIGN_GOVERNMENT)

CLEAN_FLIGHT_MESSAGE = """Dear colleagues,

Please find below the details of the removal flight for Thursday, 14 December.

The flight departs at 10:00 with 103 passengers and will land in Guatemala City at 14:30 local time.
All 103 passengers have valid travel documents. Some of them need wheelchair assistance on arrival.
A medical escort will accompany the flight. Please confirm ground transport for 103 people.

Kind regards,
Removal Operations
"""


def _kinds(result) -> set[ScreenKind]:  # type: ignore[no-untyped-def]
    return {f.kind for f in result.findings if f.blocks}


def _registry(seed: int = 3) -> tuple[MemoryRegistry, ProtectedPerson]:
    fake = Faker("es_MX")
    fake.seed_instance(seed)
    person = ProtectedPerson(f"{fake.last_name().upper()}, {fake.first_name()}", "098765432",
                             parse_any_date("1984-07-09"), "Guatemala", "held")
    others = [ProtectedPerson(fake.name(), f"{200000000 + i}", None, "Honduras", "affected") for i in range(20)]
    return MemoryRegistry([person, *others]), person


def test_clean_flight_coordination_message_passes() -> None:
    result = screen_message(CLEAN_FLIGHT_MESSAGE.encode(), "flight.txt", GUATEMALA, _registry()[0])
    assert result.verdict == "pass", [f.to_dict() for f in result.findings]


def test_the_2022_message_is_blocked_with_sentence_and_reason() -> None:
    text = CLEAN_FLIGHT_MESSAGE.replace("A medical escort", "Some of the 103 people on the flight were affected by "
                                        "the leak. A medical escort")
    result = screen_message(text.encode(), "flight.txt", GUATEMALA)
    [finding] = [f for f in result.findings if f.blocks]
    assert finding.kind is ScreenKind.STATUS_DISCLOSURE
    assert finding.sentence == "Some of the 103 people on the flight were affected by the leak."
    assert "data incident" in finding.message and "identified people" in finding.message
    assert "sentence" in finding.location


def test_protected_person_named_in_any_order_blocks_for_foreign_government() -> None:
    registry, person = _registry()
    surname, given = (part.strip() for part in person.name.split(","))
    text = f"Please add {given} {surname.title()} to the list for Thursday."
    result = screen_message(text.encode(), "m.txt", GUATEMALA, registry)
    [finding] = [f for f in result.findings if f.blocks]
    assert finding.kind is ScreenKind.PROTECTED_PERSON
    assert "government of their nationality" in finding.message
    assert surname.title() not in finding.message + finding.sentence and given not in finding.sentence


def test_protected_person_by_a_number_and_court_recipient() -> None:
    registry, _ = _registry()
    text = b"The file for A098-765-432 is attached."
    assert _kinds(screen_message(text, "m.txt", GUATEMALA, registry)) == {ScreenKind.PROTECTED_PERSON}
    court = Recipient("Immigration Court", RecipientKind.COURT)
    assert screen_message(text, "m.txt", court, registry).verdict == "pass"
    assert screen_message(text, "m.txt", None, registry).verdict == "block"  # unknown recipient: fail closed


def _eml(body: str, attachments: list[tuple[str, bytes, str, str]] = (), subject: str = "Flight 123") -> bytes:  # type: ignore[assignment]
    msg = EmailMessage()
    msg["From"] = "ops@example.gov"
    msg["To"] = "consul@example.gob"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 11 Dec 2023 10:00:00 +0000"
    msg.set_content(body)
    for name, data, maintype, subtype in attachments:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def test_eml_body_subject_and_attachments() -> None:
    assert screen_message(_eml(CLEAN_FLIGHT_MESSAGE), "m.eml", GUATEMALA).verdict == "pass"
    subject = _eml(CLEAN_FLIGHT_MESSAGE, subject="Asylum seekers on flight 123: some of them claimed fear")
    assert ScreenKind.STATUS_DISCLOSURE in _kinds(screen_message(subject, "m.eml", GUATEMALA))
    fake = Faker("en_US")
    fake.seed_instance(5)
    roster = "name,a_number,dob\n" + "".join(
        f"{fake.name()},A{fake.random_number(9, fix_len=True)},{fake.date_of_birth().isoformat()}\n" for _ in range(30))
    with_roster = _eml(CLEAN_FLIGHT_MESSAGE, [("manifest.csv", roster.encode(), "text", "csv")])
    result = screen_message(with_roster, "m.eml", GUATEMALA)
    attachment = [f for f in result.findings if f.kind is ScreenKind.ATTACHMENT]
    assert attachment and "manifest.csv" in attachment[0].location


def test_statement_inside_an_attached_letter_blocks() -> None:
    letter = b"Several of these individuals requested asylum before the flight."
    result = screen_message(_eml("See the attached note.", [("note.txt", letter, "text", "plain")]), "m.eml",
                            GUATEMALA)
    finding = [f for f in result.findings if f.kind is ScreenKind.STATUS_DISCLOSURE]
    assert finding and "note.txt" in finding[0].location


def _docx(paragraphs: list[str], raw_body: str = "") -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs) + raw_body
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"<w:body>{body}</w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", document)
    return buf.getvalue()


def test_docx_letter() -> None:
    clean = _docx(["Estimado cónsul:", "El vuelo sale a las 10:00 con 103 pasajeros."])
    assert screen_message(clean, "carta.docx", GUATEMALA).verdict == "pass"
    leaking = _docx(["Estimado cónsul:", "Algunos de los 103 pasajeros solicitaron asilo."])
    assert ScreenKind.STATUS_DISCLOSURE in _kinds(screen_message(leaking, "carta.docx", GUATEMALA))


def test_pdf_letter() -> None:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.drawString(72, 720, "The flight departs at 10:00 with 103 passengers.")
    pdf.drawString(72, 700, "A few of them expressed fear of returning.")
    pdf.save()
    assert ScreenKind.STATUS_DISCLOSURE in _kinds(screen_message(buf.getvalue(), "letter.pdf", GUATEMALA))


@pytest.mark.parametrize(("blob", "name", "verdict"), [
    (b"", "empty.txt", "pass"),
    (b"   \n", "blank.eml", "pass"),
    (b"\x00\x01\x02\xff" * 100, "binary.txt", "block"),
    (b"\x00\x01\x02\xff" * 100, "binary.bin", "block"),
    (b"PK\x03\x04garbage", "broken.docx", "block"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "broken.msg", "block"),
    (b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF", "broken.pdf", "block"),
    # A part whose headers run into its body: its bounds and encoding are not what the message says (fail closed).
    (b"From: a\nTo: b\nSubject: c\nContent-Type: multipart/mixed; boundary=x\n\n--x\nbroken", "bad.eml", "block"),
    (b"From: a\nTo: b\nSubject: c\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\nbroken", "open.eml", "pass"),
])
def test_bad_input_gets_a_clear_verdict(blob: bytes, name: str, verdict: str) -> None:
    result = screen_message(blob, name, GUATEMALA)
    assert result.verdict == verdict
    assert all(f.message for f in result.findings)


def test_huge_message_is_refused_without_reading() -> None:
    from dataclasses import replace

    from veil.screen.policy import default_screen_policy

    policy = default_screen_policy()
    small = replace(policy, limits=replace(policy.limits, max_message_bytes=1000))
    result = screen_message(b"a" * 2000, "big.txt", GUATEMALA, policy=small)
    assert result.verdict == "block" and "larger than" in result.findings[0].message


def test_long_message_is_screened_in_bounded_time() -> None:
    import time

    text = (CLEAN_FLIGHT_MESSAGE * 400 + "\nSome of them claimed fear.\n").encode()
    started = time.process_time()
    result = screen_message(text, "long.txt", GUATEMALA)
    assert result.verdict == "block"
    assert time.process_time() - started < 30


def test_innocent_sentences_in_sequence_do_not_block() -> None:
    """The context rule (a quantity after a sentence about people) must not fire on ordinary sequences."""
    import csv
    import random
    from pathlib import Path

    with (Path(__file__).parent / "data" / "sentences.tsv").open(encoding="utf-8", newline="") as fh:
        innocent = [r["sentence"] for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
                    if r["label"] == "innocent"]
    rng = random.Random(3)
    text = " ".join(rng.choice(innocent).rstrip(".") + f" (reference {i})." for i in range(600))
    result = screen_message(text.encode(), "thread.txt", GUATEMALA)
    assert result.verdict == "pass", [f.sentence for f in result.findings][:3]


def test_a_foreign_government_is_never_entitled_to_its_own_nationals(tmp_path: Path) -> None:
    from veil.screen.policy import load_screen_policy

    lax = tmp_path / "lax.yaml"  # a lax policy file
    lax.write_text("recipients:\n  foreign-government:\n    may_know: true\n")
    policy = load_screen_policy(lax)
    registry, _ = _registry()
    text = b"The file for A098-765-432 is attached."
    assert screen_message(text, "m.txt", GUATEMALA, registry, policy).verdict == "block"
    other = Recipient("Embassy of Canada", RecipientKind.FOREIGN_GOVERNMENT)
    assert screen_message(text, "m.txt", other, registry, policy).verdict == "pass"


def test_disclosure_hidden_in_a_tracked_deletion_still_blocks() -> None:
    body = ('<w:p><w:r><w:t>El vuelo sale a las 10:00.</w:t></w:r></w:p>'
            '<w:p><w:del w:id="1" w:author="x" w:date="2023-01-01T00:00:00Z"><w:r><w:delText>Algunos de ellos '
            'solicitaron asilo.</w:delText></w:r></w:del></w:p>')
    blob = _docx([], raw_body=body)
    result = screen_message(blob, "carta.docx", GUATEMALA)
    [finding] = [f for f in result.findings if f.kind is ScreenKind.STATUS_DISCLOSURE]
    assert finding.visible is False
    assert result.to_dict()["findings"][0]["visible"] is False
