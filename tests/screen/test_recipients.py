"""Who receives a message decides: each recipient who may know passes a message only it may receive, the others
block it; an attorney or the applicant may not learn about someone else; every blocked message gets a suggestion
that passes the same screen. The paraphrase set (tests/screen/data/messages_paraphrases.jsonl: whole messages
with recipient kinds, written for these tests, in English, Spanish, French and Haitian Creole) meets the bar."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veil.screen import Recipient, RecipientKind, screen_message
from veil.screen.policy import load_screen_policy

DATA = Path(__file__).parent / "data"
MAY_NOT_KNOW = (RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY)

# A message only this kind of recipient may receive.
ONLY_FOR = {
    RecipientKind.APPLICANT: "Dear Mr. Okoro, your asylum interview is confirmed for 9:00 on 3 June at the "
                             "Newark Asylum Office. Please bring your passport.",
    RecipientKind.ATTORNEY: "Counsel, your client Ms. Leticia Barrios's I-589 was received on 2 May; her credible "
                            "fear interview notes are attached.",
    RecipientKind.COURT: "DHS does not oppose a continuance: Respondent's application for asylum and withholding of "
                         "removal is still pending and his fear interview transcript was only produced yesterday.",
    RecipientKind.AGENCY: "ERO field office: hold GARCÍA, José and RUIZ, Ana from the 6 June flight; both were "
                          "affected by the November posting and have pending fear claims.",
    RecipientKind.SEALED: "FILED UNDER SEAL: list of the 12 passengers on charter 7710 whose names and asylum "
                          "applications appeared in the spreadsheet published in error.",
}


def _screen(text: str, kind: RecipientKind | None):  # type: ignore[no-untyped-def]
    return screen_message(text.encode(), "m.txt", Recipient("", kind))


@pytest.mark.parametrize("kind", list(ONLY_FOR))
def test_each_permitted_recipient_passes_a_message_only_it_may_receive(kind: RecipientKind) -> None:
    text = ONLY_FOR[kind]
    result = _screen(text, kind)
    assert result.verdict == "pass", [f.message for f in result.findings]
    assert any(f.allowed for f in result.findings)  # the disclosure is listed, with the basis that allows it
    for other in MAY_NOT_KNOW:
        assert _screen(text, other).verdict == "block", other
    assert _screen(text, None).verdict == "block"  # no kind given: the strictest


@pytest.mark.parametrize(("kind", "text"), [
    (RecipientKind.ATTORNEY, "Counsel, the other man arrested with your client, Mr. Pablo Ríos, also asked for "
                             "asylum."),
    (RecipientKind.ATTORNEY, "Licenciado, el socio de su cliente, el señor Mario Tec, tiene su propio caso de asilo."),
    (RecipientKind.APPLICANT, "Hi Samira, your friend Noor from the shelter also has her asylum interview on Monday."),
])
def test_an_attorney_or_the_applicant_may_not_learn_about_someone_else(kind: RecipientKind, text: str) -> None:
    result = _screen(text, kind)
    assert result.verdict == "block"
    assert "someone else" in next(f.message for f in result.findings if f.blocks)


def test_the_recipient_table_is_the_policy_file(tmp_path: Path) -> None:
    strict = tmp_path / "strict.yaml"
    strict.write_text("recipients:\n  agency:\n    may_know: false\n    basis: only the asylum office itself\n")
    text = ONLY_FOR[RecipientKind.AGENCY]
    blocked = screen_message(text.encode(), "m.txt", Recipient("", RecipientKind.AGENCY),
                             policy=load_screen_policy(strict))
    assert blocked.verdict == "block" and "only the asylum office itself" in blocked.findings[0].message


def _messages() -> list[dict[str, str]]:
    with (DATA / "messages_paraphrases.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_paraphrase_set_is_varied() -> None:
    rows = _messages()
    assert len(rows) >= 150 and len({r["text"] for r in rows}) == len(rows)
    for lang in ("en", "es", "fr", "ht"):
        assert {r["label"] for r in rows if r["lang"] == lang} == {"disclose", "ok"}, lang
    assert {r["recipient_kind"] for r in rows} == {k.value for k in RecipientKind}


def test_paraphrase_set_meets_the_bar() -> None:
    outcomes = [(r["label"] == "disclose", _screen(r["text"], RecipientKind(r["recipient_kind"])).verdict == "block")
                for r in _messages()]
    tp = sum(1 for truth, blocked in outcomes if truth and blocked)
    fp = sum(1 for truth, blocked in outcomes if not truth and blocked)
    fn = sum(1 for truth, blocked in outcomes if truth and not blocked)
    assert tp / (tp + fn) >= 0.98 and tp / (tp + fp) >= 0.95, (tp, fp, fn)


@pytest.mark.parametrize("row", [r for r in _messages() if r["label"] == "disclose"], ids=lambda r: r["id"])
def test_the_suggestion_for_a_blocked_message_passes(row: dict[str, str]) -> None:
    kind = RecipientKind(row["recipient_kind"])
    result = _screen(row["text"], kind)
    assert result.verdict == "block" and result.suggestion is not None
    assert result.suggestion.verdict == "pass"
    again = _screen(result.suggestion.text, kind)
    assert again.verdict == "pass", (result.suggestion.text, [f.message for f in again.findings if f.blocks])


@pytest.mark.parametrize(("text", "kind", "suggested"), [
    ("The following passengers have pending asylum cases and must be removed from the manifest:\nCHOJ, Eliseo\n"
     "TZIRIN, Marta", RecipientKind.FOREIGN_GOVERNMENT,
     "The following passengers are no longer scheduled for this flight:\nCHOJ, Eliseo\nTZIRIN, Marta"),
    ("Dear Consul, three passengers will not travel on Thursday because they were affected by the data incident. "
     "Regards.", RecipientKind.FOREIGN_GOVERNMENT,
     "Dear Consul, three passengers will not travel on Thursday. Regards."),
    ("Favor de quitar a CHUMIL, Rosendo del manifiesto del 6 de junio porque solicitó asilo.",
     RecipientKind.FOREIGN_GOVERNMENT, "Favor de quitar a CHUMIL, Rosendo del manifiesto del 6 de junio."),
    ("Some of the 103 people on the flight were affected by the leak. The flight departs at 10:00.",
     RecipientKind.PUBLIC, "The flight departs at 10:00."),
])
def test_suggestion_keeps_what_the_recipient_needs_and_drops_the_reason(text: str, kind: RecipientKind,
                                                                          suggested: str) -> None:
    result = _screen(text, kind)
    assert result.suggestion is not None and result.suggestion.text == suggested
