"""Classes of disclosure and of hard negatives added in the second round of issue 13, each with a few messages
worded unlike the dev sets; and the second dev set (tests/screen/data/messages_dev2.jsonl, written before that
round's tuning) and the probe set (messages_probe.jsonl, written during it) meet the issue's bar, with a suggestion
that passes for every message they block."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veil.screen import Recipient, RecipientKind, screen_message

DATA = Path(__file__).parent / "data"
FG, PUBLIC, THIRD = RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY


def _verdict(text: str, kind: RecipientKind) -> str:
    return screen_message(text.encode(), "m.txt", Recipient("", kind)).verdict


DISCLOSING = {
    "refusal that gives the status as its reason": [
        (THIRD, "I can't release anything about Mr. Oduya because his asylum file is confidential."),
        (FG, "We cannot provide details on the Quispe sisters, as their records fall under 8 U.S.C. 1367."),
    ],
    "refugee or asylee paperwork and EAD categories": [
        (THIRD, "Mr. Hakizimana's employment card shows category (a)(5); that's normal, he's fine to hire."),
        (FG, "Ms. Sahar Popal has a refugee travel document, so she does not need your passport."),
        (THIRD, "The Nuñez kids are joining their mother on an I-730 next spring."),
        (FG, "El Sr. Chávez entró con un documento de viaje de refugiado y no necesita pasaporte."),
    ],
    "an Article 3 or withholding step named as a case event": [
        (FG, "Mr. Olu Adeyemi's Article 3 hearing was moved to October, so please cancel the escort."),
        (THIRD, "Noemí can't cover the Monday shift; she has her withholding merits that morning."),
    ],
    "the incident named around the keywords": [
        (PUBLIC, "Travellers on the 2 September Houston bus: the recent website matter may change your plans."),
        (THIRD, "The Ajanel twins' names were in the material that went up on our site last month."),
        (PUBLIC, "Si usted estuvo en Dilley en abril, sus datos podrían haber sido afectados. Llámenos."),
        (THIRD, "Kèk moun nan gwoup 3 jen an te afekte pa pwoblèm sit entènèt la."),
        (PUBLIC, "Fanmi Jasmin te ladan lis ki te sou sit la pa erè."),
    ],
    "a witness or informant in apposition or by what they do": [
        (PUBLIC, "Community note: Rolando Tax, a cooperating witness in the labor case, is not being deported."),
        (THIRD, "Keep it quiet: the new dishwasher is a confidential source for HSI."),
        (FG, "Mme Tchouta coopère comme témoin avec le procureur fédéral."),
    ],
    "hedged quantities over a group": [
        (FG, "A good number of the Ecuadorians on the 18th are, I suspect, still in the asylum process."),
        (PUBLIC, "Quite a few of the men bused from Tornillo last week have protection cases, we think."),
    ],
    "negation over a group as a whole": [
        (FG, "Not one of the fifteen people in your consulate's list has ever asked us for refuge."),
        (FG, "Las personas de su lista no son refugiadas ni tienen casos abiertos de asilo."),
    ],
    "officer shorthand": [
        (FG, "Seat 31 PEC, Aura — WOR granted, off list."),
        (THIRD, "Asiento 7: CUXIL, Rony — TR pendiente, no sube."),
        (FG, "14 YAT, Edwin  CF+ referred, HOLD"),
    ],
    "one case's state, whoever it belongs to (a name the name finder does not know)": [
        (FG, "Nayeli K'anil's fear interview was rescheduled to May."),
        (FG, "El caso de asilo de Ixchel Tz'unun sigue en trámite."),
        (FG, "ZHANG Wei is in asylum proceedings and will not travel."),
    ],
    "fear or harm without the keywords": [
        (FG, "Mr. Rashidov told us he fears prosecution for deserting, so his removal is on hold."),
        (THIRD, "She left Guatemala because of what the gang did to her brother and her case is open."),
        (FG, "Le Sr. Ramos fue remitido a un oficial que evaluará si corre peligro en su país."),
        (FG, "Mesye Lafleur di si li tounen Jakmèl l ap mouri."),
        (FG, "Madan Benoit ap tann desizyon biwo azil la."),
    ],
}

PASSING = {
    "a law, regulation or treaty as the subject": [
        (THIRD, "Section 208.6 bars sharing anything about an asylum application without the applicant's consent."),
        (FG, "La Convención contra la Tortura prohíbe entregar a una persona a un Estado donde pueda ser torturada."),
    ],
    "advice to a reader in general": [
        (PUBLIC, "If you have an asylum case pending, you can ask for a work permit after 150 days."),
        (PUBLIC, "Si usted pidió asilo hace más de un año, puede consultar el estado de su caso en línea."),
    ],
    "a rule about anyone": [
        (THIRD, "Landlords must not ask whether a tenant has applied for asylum."),
        (PUBLIC, "An applicant whose asylum claim is denied may appeal within 30 days."),
    ],
    "an anonymized story": [
        (
            PUBLIC,
            "A father we'll call Tomás told us he fled the gangs with his son; we changed details to protect them.",
        ),
    ],
    "counts of cases, not of people": [
        (PUBLIC, "Of the 3,400 asylum applications decided in Chicago last year, 900 were granted."),
    ],
    "everyday fears and institutions": [
        (PUBLIC, "My son is terrified of thunderstorms, so he sleeps with the light on."),
        (FG, "We invite your officers to a workshop on international protection and border management."),
        (PUBLIC, "El refugio para mujeres de la calle 8 ofrece un lugar seguro a quien lo necesite."),
    ],
    "an agency that does not discuss individual cases": [
        (PUBLIC, "Asked whether the singer had sought asylum, the agency said it does not discuss individual cases."),
    ],
}


@pytest.mark.parametrize(("kind", "text"), [pair for pairs in DISCLOSING.values() for pair in pairs])
def test_disclosing_classes_block(kind: RecipientKind, text: str) -> None:
    assert _verdict(text, kind) == "block"


@pytest.mark.parametrize(("kind", "text"), [pair for pairs in PASSING.values() for pair in pairs])
def test_hard_negative_classes_pass(kind: RecipientKind, text: str) -> None:
    assert _verdict(text, kind) == "pass"


@pytest.mark.parametrize(("kind", "text"), [pair for pairs in DISCLOSING.values() for pair in pairs[:1]])
def test_a_permitted_recipient_may_receive_each_class(kind: RecipientKind, text: str) -> None:
    assert _verdict(text, RecipientKind.AGENCY) == "pass"
    assert _verdict(text, RecipientKind.COURT) == "pass"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_dev2_is_large_and_covers_languages_and_recipients() -> None:
    rows = _rows("messages_dev2.jsonl")
    assert len(rows) >= 300
    assert {r["lang"] for r in rows} == {"en", "es", "fr", "ht"}
    assert {r["recipient_kind"] for r in rows} == {k.value for k in RecipientKind}
    assert sum(r["label"] == "ok" for r in rows) >= 100


@pytest.mark.parametrize("name", ["messages_dev2.jsonl", "messages_probe.jsonl"])
def test_message_sets_meet_the_bar_and_every_suggestion_passes(name: str) -> None:
    tp = fp = fn = 0
    for row in _rows(name):
        who = Recipient("", RecipientKind(row["recipient_kind"]))
        result = screen_message(row["text"].encode(), f"{row['id']}.txt", who)
        blocked = result.verdict != "pass"
        disclose = row["label"] == "disclose"
        tp += disclose and blocked
        fp += blocked and not disclose
        fn += disclose and not blocked
        if blocked:
            assert result.suggestion is not None, row["id"]
            again = screen_message(result.suggestion.text.encode(), "s.txt", who, suggest=False)
            assert again.verdict == "pass", row["id"]
    assert tp / (tp + fn) >= 0.98
    assert tp / (tp + fp) >= 0.95
