"""E-mail reader: headers, bodies (HTML through the HTML reader), attachments and attached messages, .msg."""

from __future__ import annotations

import pytest

from support.doc_factory import make_eml, make_msg, read_units, unreadable, where_is

EML_EXPECTED = {
    "subject": ("email headers", "email-header"),
    "plain-body": ("body 1 (text/plain) line 3", "visible"),
    "html-body": ("body 2 (text/html) › html paragraph 1", "visible"),
    "html-hidden": ("body 2 (text/html) › html element div (hidden: display:none)", "markup-hidden"),
    "attachment": ("attachment 'roster.csv' › ", "attachment"),
    "nested-body": ("attached message 2 › body 1 (text/plain) line 1", "attachment"),
    "nested-attachment": ("attached message 2 › attachment 'inner_roster.csv' › ", "attachment"),
}


@pytest.fixture(scope="module")
def eml() -> tuple[list, dict[str, str]]:
    blob, secrets = make_eml(seed=21)
    return read_units(blob, "case.eml"), secrets


@pytest.mark.parametrize("vector", sorted(EML_EXPECTED))
def test_eml_hiding_places(eml, vector: str) -> None:
    units, secrets = eml
    location, visibility = EML_EXPECTED[vector]
    hits = where_is(units, secrets[vector])
    assert any(loc.startswith(location) and vis == visibility for loc, vis in hits), hits


@pytest.mark.parametrize("vector", ["from", "to"])
def test_eml_address_names_are_headers(eml, vector: str) -> None:
    units, secrets = eml
    assert ("email headers", "email-header") in where_is(units, secrets[vector].rsplit(" ", 1)[0])


def test_eml_reads_cleanly(eml) -> None:
    assert unreadable(eml[0]) == []


def test_msg_hiding_places() -> None:
    blob, secrets = make_msg(seed=22)
    units = read_units(blob, "case.msg")
    assert unreadable(units) == []
    assert ("email headers", "email-header") in where_is(units, secrets["subject"])
    assert ("email headers", "email-header") in where_is(units, secrets["sender"].rsplit(" ", 1)[0])
    assert ("body (text/plain) line 1", "visible") in where_is(units, secrets["body"])
    hits = where_is(units, secrets["attachment"])
    assert any(loc.startswith("attachment 'clients.csv' › ") and vis == "attachment" for loc, vis in hits)


def test_broken_msg_is_unreadable() -> None:
    blob, _ = make_msg(seed=23)
    bad = unreadable(read_units(blob[:2048], "cut.msg"))
    assert bad and bad[0].reason


def test_headers_without_body_and_bad_charset() -> None:
    blob = (b"From: A <a@example.org>\r\nTo: b@example.org\r\nSubject: hi\r\nDate: Tue, 05 Mar 2024 10:00:00 +0000\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\nCaf\xe9 notes\r\n")
    units = read_units(blob, "odd.eml")
    assert unreadable(units) == []
    assert any("notes" in getattr(u, "text", "") for u in units)


def test_attachment_with_hostile_name_and_deep_nesting_is_bounded() -> None:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "nest"
    msg.set_content("top")
    blob = msg.as_bytes()
    for _ in range(8):
        outer = EmailMessage()
        outer["From"], outer["To"], outer["Subject"] = "a@example.org", "b@example.org", "fwd"
        outer.set_content("fwd")
        outer.add_attachment(blob, maintype="application", subtype="octet-stream", filename="../../x.eml")
        blob = outer.as_bytes()
    units = read_units(blob, "deep.eml")
    assert any("nested deeper" in u.reason for u in unreadable(units))


def test_end_to_end_the_hidden_people_block() -> None:
    from support.doc_factory import make_eml, verdict

    assert verdict(make_eml(seed=99)[0], "m.eml") == "block"


@pytest.mark.parametrize("index", range(8))
def test_damaged_input_fails_closed_with_a_reason(index: int) -> None:
    from support.doc_factory import assert_fails_closed, make_eml, mutations

    blob = mutations(make_eml(seed=5)[0], seed=index, count=index + 1)[index]
    assert_fails_closed(blob, "x.eml")


def test_other_headers_are_metadata_and_transport_headers_are_skipped() -> None:
    blob = (b"From: a@example.org\r\nTo: b@example.org\r\nSubject: hi\r\nDate: Tue, 05 Mar 2024 10:00:00 +0000\r\n"
            b"Received: from mx.example.org by mx2\r\nX-Client-Name: Ana Ruiz A123456789\r\n\r\nbody\r\n")
    units = read_units(blob, "h.eml")
    assert where_is(units, "Ana Ruiz A123456789") == [("email other headers", "metadata")]
    assert not where_is(units, "mx.example.org")


def test_signature_is_a_notice_and_encrypted_part_is_unreadable() -> None:
    from email.message import EmailMessage

    from veil.readers.units import Notice

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "signed"
    msg.set_content("Signed body")
    msg.add_attachment(b"\x30\x82\x01\x00" * 20, maintype="application", subtype="pkcs7-signature",
                       filename="smime.p7s")
    units = read_units(msg.as_bytes(), "s.eml")
    assert unreadable(units) == []
    assert any(isinstance(u, Notice) and u.location == "attachment 'smime.p7s'" for u in units)
    enc = EmailMessage()
    enc["From"], enc["To"], enc["Subject"] = "a@example.org", "b@example.org", "secret"
    enc.set_content(b"\x30\x80" * 50, maintype="application", subtype="pkcs7-mime", params={"smime-type":
                                                                                           "enveloped-data"})
    bad = unreadable(read_units(enc.as_bytes(), "e.eml"))
    assert bad and "encrypted" in bad[0].reason


def test_unreadable_html_body_does_not_hide_the_attachment() -> None:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "deep"
    msg.set_content("<html><body>" + "<div>" * 400 + "x" + "</div>" * 400 + "</body></html>", subtype="html")
    msg.add_attachment(b"name,a_number\nAna Ruiz,A123456789\nBo Li,A987654321\n", maintype="text", subtype="csv",
                       filename="r.csv")
    units = read_units(msg.as_bytes(), "d.eml")
    assert [u.location for u in unreadable(units)] == ["body 1 (text/html)"]
    assert where_is(units, "Ana Ruiz A123456789")


def test_email_behind_a_long_received_chain_is_still_an_email() -> None:
    import base64

    received = b"".join(b"Received: from relay%d.example.org by relay%d.example.org;\r\n\tTue, 5 Mar 2024\r\n"
                        % (i, i + 1) for i in range(30))
    csv = base64.b64encode(b"name,a_number\nAna Ruiz,A123456789\nBo Li,A987654321\n")
    blob = (received + b"From: a@example.org\r\nTo: b@example.org\r\nSubject: roster\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n'
            b"--XX\r\nContent-Type: text/plain\r\n\r\nSee attached\r\n"
            b'--XX\r\nContent-Type: text/csv\r\nContent-Disposition: attachment; filename="r.csv"\r\n'
            b"Content-Transfer-Encoding: base64\r\n\r\n" + csv + b"\r\n--XX--\r\n")
    hits = where_is(read_units(blob, "long.eml"), "Ana Ruiz A123456789")
    assert hits and all(loc.startswith("attachment 'r.csv' › ") for loc, _ in hits)
