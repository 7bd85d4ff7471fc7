"""Classes added in the seventh round of issue 13: short messages of one to three sentences and the weeks after the
2022 posting error, in the four languages, each worded unlike tests/screen/data/messages_dev15.jsonl and
messages_dev16.jsonl (written by new authors before the round). The passing messages are the hard negatives: the
same words in an innocent sense."""

from __future__ import annotations

import pytest

from support.message_sets import RULES_ALONE, class_rows
from veil.screen import Recipient, RecipientKind, screen_message

FG, PUBLIC, THIRD = RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY
ATTORNEY = RecipientKind.ATTORNEY
# Screened with the model off: the classes are the sentence rules' (the model only adds blocks).

DISCLOSING = {
    "information given to federal agents about a crime, in chat shorthand": [
        (PUBLIC, "Not for print: Tariq Haddad, the cook at the diner, spoke to the FBI about the stash house on 5th."),
        (THIRD, "Officer Lee, Tomas Ruiz provided information to the DEA about the pill mill, keep him apart."),
        (THIRD, "Heads up, Dario Mendez is cooperating w/ FBI on the chop shop thing."),
        (PUBLIC, "Sra. Olga Pineda le dio información a HSI sobre el taller clandestino de la avenida 9."),
    ],
    "the exposed file by its date or its posting": [
        (FG, "Of the 40 on your list, 5 appear in the 3 Dec posted spreadsheet; they stay here for now."),
        (THIRD, "Ms. Rana Saleh was in the list published on our public website, so hold her transfer."),
        (THIRD, "Those 4 are from the Dec 2 file issue, leave them off the van."),
        (THIRD, "Ojo: los primos Ayala salieron en lo de la página web, que los llame el abogado."),
        (PUBLIC, "Vous avez été libérés de Otay Mesa en juin et vous avez entendu parler de l'incident du site web ?"),
    ],
    "fear told to an officer; a case with the asylum office; fear screening by its shorthand": [
        (FG, "The Rusu brothers are off Monday's flight: they told the agent they were scared to go back."),
        (FG, "Two or three on Tuesday's Lagos charter whose claims are still with the asylum office, fyi."),
        (FG, "A few of the Accra pax still in RF, don't count them yet."),
        (THIRD, "Note for file: LIU Fang A-208 114 903, AO interview rescheduled."),
    ],
    "someone else's case, to an attorney: a co-defendant in shorthand, the complaining witness's relative": [
        (ATTORNEY, "Counsel, your guy's co-def Omar Farah has a pending 589, fyi."),
        (ATTORNEY, "Karimi (co-def of Nasser) has a 589 pending, so separate transport."),
        (ATTORNEY, "Counsel, the complainant's sister, Ms. Dina Haile, has a pending U visa petition."),
        (ATTORNEY, "Mme Diallo, co-accusée de M. Traoré, a une demande d'asile en cours."),
    ],
    "records covered by the confidentiality that protects applicants": [
        (
            FG,
            "Nothing I can send on Mr. Petrov; his file is protected by the confidentiality rules for people who "
            "seek asylum.",
        ),
        (FG, "Sobre el señor Eliseo Tum: su expediente queda bajo la confidencialidad de quienes piden asilo."),
    ],
    "a named person sent to an asylum or fear interview; a credible fear without its accent": [
        (THIRD, "Autobuses del Norte: no suban a PEREZ, Lidia. La remitieron a entrevista de miedo."),
        (FG, "Pour info, 3 des 19 de jeudi ont une peur credible en cours, vous en aurez 16."),
    ],
    "a notice to the people of one flight, by a condition with 'the'": [
        (PUBLIC, "If you were on the 2 March Dallas charter and you told an officer you fear returning, call us."),
        (PUBLIC, "Si ou te sou vòl 12 mas la epi ou te di ofisye a ou pè retounen, rele nou."),
    ],
}

PASSING = {
    "advice to anyone, by a condition with 'a' or 'any'": [
        (PUBLIC, "If you are on a deportation list and you fear going home, tell an officer as soon as you can."),
        (PUBLIC, "Si ou sou yon lis depòtasyon epi ou pè retounen, di nenpòt ofisye sa."),
    ],
    "information given to others; a witness of an accident; cooperation with a landlord": [
        (PUBLIC, "Our press officer spoke to the reporters about the new visiting hours at the center."),
        (THIRD, "Ms. Ruiz provided information to the insurer about the fender bender last week."),
        (THIRD, "Tenant Dario Mendez is cooperating w/ the landlord on the repairs."),
        (PUBLIC, "La oficina dio información al público sobre el nuevo horario de visitas."),
    ],
    "files posted in the ordinary course; the notice of the incident itself": [
        (THIRD, "The visiting schedule was posted on 3 Dec on the door of the lobby."),
        (THIRD, "Your shift list is in the file posted on the team drive."),
        (THIRD, "The Dec 2 file issue was a corrupt PDF from the printer, fixed now."),
        (PUBLIC, "Can't make it to the Pine Street office? Check the página web for hours."),
    ],
    "fears of other things; offices named in passing; medical shorthand": [
        (THIRD, "Mr. Rusu told the nurse he was scared of needles, so please be gentle."),
        (PUBLIC, "The asylum office is closed on Monday for the holiday."),
        (THIRD, "The patient in bed 4 is still in PT, back by noon."),
        (PUBLIC, "lol that office party was a whole asylum, never again"),
    ],
    "a co-defendant's logistics; rights notices and rules about kinds of claims": [
        (ATTORNEY, "Counsel, your client's co-def is on the 9 am bus to court tomorrow."),
        (PUBLIC, "Know your rights: if you fear going back, you can tell any officer, and it stays confidential."),
        (PUBLIC, "For reporters: fear screenings, withholding and U visas are confidential by statute, for everyone."),
    ],
    "a made-up case, a figure from a report, another party's question left unanswered": [
        (
            PUBLIC,
            "Teaching example (composite, not a real person): a woman on a charter tells the guard she is "
            "afraid to go home.",
        ),
        (
            PUBLIC,
            "El Salvador was the most common nationality among people granted asylum last year, according to "
            "the annual report.",
        ),
        (
            FG,
            "Call note: the ministry asked whether anyone on the 9 Jan list had sought asylum. We said we neither "
            "confirm nor deny that for anyone.",
        ),
        (
            FG,
            "Nota: la Cancillería preguntó si alguno de los 12 pidió asilo. Respondimos que no confirmamos ni "
            "negamos eso sobre nadie.",
        ),
    ],
}

ROWS = class_rows(DISCLOSING, PASSING)


@pytest.mark.parametrize(("kind", "text", "expected"), ROWS)
def test_seventh_round_short_classes(kind: RecipientKind, text: str, expected: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", kind), policy=RULES_ALONE).verdict == expected


OTHER_PARTY = [
    "Lic. Ferrer (abogada de la madre en el juicio de divorcio): el padre, señor Iván Rosas, tiene una petición "
    "VAWA pendiente.",
]
OWN_CLIENT = [
    "Lic. Ferrer (abogada de la madre en el juicio de divorcio): la audiencia de su clienta pasó al lunes.",
]


@pytest.mark.parametrize("text", OTHER_PARTY)
def test_seventh_round_other_party_to_counsel_in_a_family_case(text: str) -> None:
    # the reader represents another party in a family case: someone else's status is not theirs to learn
    assert screen_message(text.encode(), "m.txt", Recipient("", ATTORNEY), policy=RULES_ALONE).verdict == "block"


@pytest.mark.parametrize("text", OWN_CLIENT)
def test_seventh_round_own_client_in_a_family_case(text: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", ATTORNEY), policy=RULES_ALONE).verdict == "pass"
