"""Classes added in the seventh round of issue 13, English: consular liaison threads with Latin-American governments
and messages from NGOs, volunteers, hotlines and diaspora groups, each worded unlike
tests/screen/data/messages_dev12.jsonl and messages_dev14.jsonl (written by new authors before the round)."""

from __future__ import annotations

import pytest

from support.message_sets import RULES_ALONE, class_rows
from veil.screen import Recipient, RecipientKind, screen_message

FG, PUBLIC, THIRD = RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY
ATTORNEY, APPLICANT = RecipientKind.ATTORNEY, RecipientKind.APPLICANT
# Screened with the model off: the classes are the sentence rules' (the model only adds blocks).

DISCLOSING = {
    "the data incident under a loose name: 'the thing in March', 'the matter described in that letter', "
    "a quoted list": [
        (THIRD, "FYI the Mensah twins were caught up in the stuff from last fall, so no photos of them at the picnic."),
        (THIRD, "Careful with Teodoro Vicente, he's one of the people hit by the mess in August."),
        (
            PUBLIC,
            "If you were held at the Eloy unit last spring, we are still reviewing the issue explained in our notice.",
        ),
        (THIRD, "Don't tag Hamid Sultani in the album, he is 'on the October list' and his lawyer wants it quiet."),
    ],
    "named people 'among those included' after a sentence about the incident (not everyone listed, in general)": [
        (
            FG,
            "Excellency, your note asked whether Peruvian nationals were among those whose data was exposed by the "
            "posting error in May. Mr. Iván Quispe Rojas and Ms. Rocío Mamani were among those included in the file.",
        ),
    ],
    "afraid of what happens if sent back": [
        (
            PUBLIC,
            "Keep Wilner in your prayers: he is terrified the gang that shot his cousin will kill him if he is "
            "deported.",
        ),
        (
            THIRD,
            "Ms. Tesfaye told our volunteer she fears her husband's clan will take her girls if she gets returned.",
        ),
    ],
    "evidence given to federal agents, the feds, detectives": [
        (
            PUBLIC,
            "Meet Dolores Achá, the packing-house worker who gave evidence to the feds about the wage-theft crew.",
        ),
        (
            THIRD,
            "Kwame Boateng provided a statement to detectives about the smuggling route and now fears retaliation.",
        ),
    ],
    "the reader named by a first name in the greeting, and 'your asylum interview'": [
        (THIRD, "Hello Samira, this is Grace from the legal clinic. Your asylum hearing was moved to Tuesday at 9."),
    ],
}

PASSING = {
    "asylum as an institution or its building": [
        (
            THIRD,
            "Dear Mr. Lund, my great-uncle was committed to an asylum in Ohio as a young man; could the archive "
            "help me?",
        ),
        (PUBLIC, "Halloween walk: meet at the gates of the old Riverside asylum grounds at 7, flashlights welcome."),
        (THIRD, "Her aunt lived in an asylum (a mental hospital, as they were called then) for twenty years."),
    ],
    "torture as a legal norm taught in a course": [
        (
            FG,
            "Minister Ruiz, our trainers will cover the universal ban on torture and the handling of detained minors.",
        ),
        (
            THIRD,
            "Thank you, Captain Leiva: the workshop on the prohibition of ill-treatment and of torture for your "
            "recruits is set.",
        ),
    ],
    "a rule about a role named by its relief": [
        (
            THIRD,
            "Hi Tom, quick answer for the volunteer FAQ: a T visa applicant does not need a lawyer, but they "
            "should have one.",
        ),
        (THIRD, "Re your question at the clinic: an asylum seeker can work once they have the EAD, not before."),
    ],
    "a survey's share, in a research brief": [
        (
            PUBLIC,
            "Of the 140 interviews our team carried out last year with released families, 52% said they were "
            "never asked about fear.",
        ),
    ],
    "a public notice about the exposed file and the people in it in general": [
        (
            PUBLIC,
            "Update: the agency accidentally posted names and data of people in its custody. The file is gone now.",
        ),
        (
            THIRD,
            "Partners, after the leak the agency confirmed that everyone listed received a letter; we discussed "
            "no names.",
        ),
    ],
    "the reader's own question quoted, then declined": [
        (
            FG,
            "> Would you confirm whether any of the 14 Peruvians on the manifest asked for asylum?\n\n"
            "Consul Vargas, we cannot confirm or deny that for anyone. Passports can be issued for all 14 as planned.",
        ),
    ],
    "innocent twins: sent back to school, a first-name greeting with no status": [
        (THIRD, "Hi Marco, the kids are scared they'll be sent back to class if the fire drill runs late."),
        (THIRD, "Coach, Dana is afraid she'll lose her spot if she is removed from the lineup again this week."),
        (THIRD, "Hi Farah, your interview for the volunteer coordinator job is Tuesday at 3."),
    ],
}

# To an attorney who represents one person: someone else's case (a co-detainee, another national, a person the
# writer represents, anyone named beside "counsel for X only").
OTHER_CLIENT = [
    "Ms. Chen (counsel for Mr. Ayodele only): Mr. Bankole's asylum interview is the same day, we'll bring both.",
    "Counsel, re your client Mr. Sesay: his co-detainee Ibrahim Kamara has a pending asylum claim and can testify.",
    "Mr. Ortiz, the other Salvadoran national you asked about, Mr. Rene Flores, has an open withholding case.",
    "Counsel, Mr. Nasser's cousin Omar (we represent Omar) also has a pending CAT claim; he may help your client.",
]
OWN_CASE = [
    "Ms. Chen, as counsel for Mr. Ayodele, please note his asylum interview is confirmed for Friday.",
    "Counsel, your client Mr. Sesay's asylum hearing moved to June; his co-detainee's bond hearing is unaffected.",
]

ROWS = (
    class_rows(DISCLOSING, PASSING)
    + [(ATTORNEY, text, "block") for text in OTHER_CLIENT]
    + [(ATTORNEY, text, "pass") for text in OWN_CASE]
)


@pytest.mark.parametrize(("kind", "text", "expected"), ROWS)
def test_seventh_round_english_classes(kind: RecipientKind, text: str, expected: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", kind), policy=RULES_ALONE).verdict == expected
