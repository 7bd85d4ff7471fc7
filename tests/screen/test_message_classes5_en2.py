"""Classes added in the second English part of the fifth round of issue 13: work artefacts (tickets, forms, status
tables, file names, field notes) and the Caribbean and West-African flights, each with messages worded unlike
tests/screen/data/messages_dev8.jsonl and messages_dev9.jsonl (written before the tuning) and
messages_probe6.jsonl (written during it, to find classes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.message_sets import RULES_ALONE, class_rows, score_set
from veil.screen import Recipient, RecipientKind, screen_message

DATA = Path(__file__).parent / "data"
FG, PUBLIC, THIRD = RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY
ATTORNEY = RecipientKind.ATTORNEY
# The classes are the sentence rules' (the learned model only adds blocks, and is retrained on these lists).


DISCLOSING = {
    "a person taken to the asylum office or to an affirmative interview": [
        (THIRD, "Shuttle log: the driver let the two Ortiz sisters off at the asylum office before noon."),
        (THIRD, "Please walk Mr. Dembélé up to the 3rd floor; he has his affirmative interview at 2."),
        (THIRD, "Van 4: escort Kofi Boateng and Ama Mensah to the asylum office, back by 3."),
        (THIRD, "Seven riders tomorrow: bring four of them to the asylum office first, the rest to the hotel."),
    ],
    "a form's status field or a ticket's role noun carries the status of the person it names": [
        (
            THIRD,
            "Tenant: NWANKWO, Ifeoma\nLegal status (office use): came in through refugee resettlement (2018).",
        ),
        (THIRD, 'Caller: Rashid Karimi. Caller\'s I-94 reads "Refugee"; the clerk refused it.'),
    ],
    "a count or a list of fear claimants": [
        (FG, "Row 3, Tuesday's coach: 38 on board, 5 of them CF claimants."),
        (PUBLIC, "If you rode the Pearsall van on 2 April, you are on the roster of fear claimants that went out."),
    ],
    "a bus or flight said to hold claimants": [
        (THIRD, "Heads up dispatch, the third coach from Laredo has a handful of asylum cases on it."),
    ],
    "seeking safety from a conflict or persecution": [
        (PUBLIC, "Several of the Sudanese women on the Friday bus were seeking safety from the militias."),
    ],
    "an informant by what their information led to": [
        (FG, "Ms. Rosa Amaya gave details that led to three indictments of the smuggling cell."),
    ],
    "the exposed file by a nickname": [
        (PUBLIC, "Were you moved from Otero in March? Your name may be on the 'online list'; call us."),
    ],
    "a case with the protection unit, in quotes": [
        (FG, "We told the consul that Mr. Haile's file is 'with the protection unit' for now."),
    ],
    "a count in a status table, its reason in brackets": [
        (FG, "Charter PAP-88 | 3 Oct | booked 61 | held 4 (asylum pending) | boarding 57"),
    ],
    "a count in a table column headed by a status": [
        (FG, "Weekly figures\nBus | Seats | Off (RF) | Rode\nB-12 | 44 | 3 | 41"),
        (THIRD, "Date | Riders | Kept back (asylum claims) | Left\n9 May | 30 | 2 | 28"),
    ],
    "translated English: a procedure of protection": [
        (FG, "We inform that several persons of the 4 May list have a demand of asylum still in study."),
    ],
    "the incident under a loose name": [
        (THIRD, "Ms. Park's household was caught up in the website mess from last spring; go easy on the forms."),
    ],
    "a group named by its transfer and month": [
        (PUBLIC, "Item 4: the leaked roster, and why the Otay transfers of March 2023 were on it."),
    ],
    "the asylum officer's step in someone's case": [
        (THIRD, "Ms. Adeyemi keeps the room another week; she is awaiting the asylum officer's decision."),
    ],
    "a dwelling or bed by number and who occupies it": [
        (THIRD, "Cleaners: room 7 is rented to a protected witness in the cartel trial; knock and wait."),
    ],
    "the file the agency exposed, the shorthand as a bracketed note, a destination column": [
        (THIRD, "Go gently with Ms. Kaur; her details were on the list that our office posted online last year."),
        (THIRD, "Meal list:\n21B OTERO, Luz – vegetarian\n21C RUANO, Iker – cancelled (RFI)"),
        (THIRD, "Shuttle plan\nRun | Riders | Drop at asylum office | Hotel\nR3 | 9 | 3 | 6"),
    ],
    "translated English: a demand of international protection; the incident as a screw-up": [
        (FG, "The national Awa Diop cannot be presented; her demand of international protection is under study."),
        (THIRD, "Mr. Ortega's details got out in the agency's list blunder, so please skip the ID photocopy."),
    ],
    "a harm risked if returned": [
        (FG, "Mr. Idrissa Sow has told our officers that he faces forced conscription if he is sent back."),
    ],
    "a file name joining a person's name to a claim": [
        (THIRD, "Courier: please collect OYELARAN_Tunde_asylum_exhibits.zip from reception."),
    ],
}

PASSING = {
    "the asylum office as a place or an institution": [
        (THIRD, "The cleaners will be dropped at the asylum office at 6 for the carpet job."),
        (PUBLIC, "The bus to the asylum office leaves from stop 14; the office opens at 8."),
        (THIRD, "Technician escorted to the asylum office for the printer repair."),
        (PUBLIC, "Training: how affirmative asylum interviews are scheduled nationally."),
        (THIRD, "Drive the three interpreters to the asylum office for their morning shift, then to the court."),
    ],
    "a rule forbidding the question itself": [
        (THIRD, "Employers may not ask workers whether they hold asylum or refugee status when hiring."),
    ],
    "a shelter's Spanish name": [
        (THIRD, "Albergue del Refugio needs 30 blankets by Friday for the guests, mostly fathers with kids."),
    ],
    "a form about anyone, a role noun with 'a' or 'any'": [
        (THIRD, 'If a customer\'s I-94 reads "Asylee", accept it as proof of identity under section 3.2.'),
        (THIRD, "Field 7, immigration status: leave blank unless the applicant asks you to fill it in."),
    ],
    "a place named Asylum, an old people's home": [
        (THIRD, "Ticket 8812: the Asylum Street branch printer jams every morning."),
        (PUBLIC, "My aunt lived in the asylum home near the harbour, the old people's home with the blue gate."),
    ],
    "protection from an ordinary harm": [
        (PUBLIC, "The shopkeepers on the market street asked for protection from looters after the storm."),
    ],
    "a definition: another status is not asylum": [
        (PUBLIC, "Reminder for families: humanitarian parole is not asylum, so ask a lawyer about your options."),
    ],
    "a state's rule about anyone it removes": [
        (FG, "Minister, our government will not send anyone to a country where they would face torture."),
    ],
    "a table whose status column counts nobody, or a table without a status": [
        (FG, "Weekly figures\nBus | Seats | Off (RF) | Rode\nB-12 | 44 | 0 | 44"),
        (FG, "Date | Booked | Not travelling | Travelling\n3 Sep | 64 | 9 | 55\nNo reasons are given by person."),
        (THIRD, "Unit | Asylum office visits (FY) | Staff\nNorth | 1,240 | 12"),
    ],
    "a table of totals by nationality, month or office, under a statistical title": [
        (FG, "Country | Refugee admissions | Year\nBhutan | 212 | 2025"),
        (FG, "National statistics, FY2025\nOffice | Asylum claims | Grants\nNewark | 860 | 240"),
    ],
    "the asylum officer's decision as a step of the process": [
        (PUBLIC, "An asylum officer's decision can be reviewed by an immigration judge on request."),
    ],
    "medical shorthand in a table, a file name about an event": [
        (THIRD, "Lab table\nPatient | Tests | CF panel | Other\nQ-4 | 5 | 2 | 3"),
        (THIRD, "Print OKAFOR_Ada_Refugee_Day_speech.docx and LEE_Min_asylum_history_lecture.pdf for the seminar."),
    ],
    "parolees as a generic subject, a shelter named Refugio, names withheld in a portrait series": [
        (PUBLIC, "Reminder: Parolees do not become asylum seekers automatically; each must apply on their own."),
        (THIRD, "Refugio San José needs two more cots for the families arriving next week."),
        (
            PUBLIC,
            "Photo essay: women who sought asylum in Texas, in their kitchens. Names are withheld at their request.",
        ),
    ],
    "a harm risked in general, under a rule about anyone": [
        (PUBLIC, "Anyone who risks torture if returned may ask for protection under the Convention Against Torture."),
    ],
    "a loose name for a mess that is no incident": [
        (THIRD, "Sorry about the spreadsheet mess in Friday's budget; the corrected totals are attached."),
    ],
    "a form of relief or a treaty by its year as the subject of a rule about anyone": [
        (PUBLIC, "Explainer: CAT protection shields a person from being sent where they would likely be tortured."),
        (FG, "Under the 1967 Protocol, a refugee cannot be expelled to a place where their freedom is at risk."),
    ],
    "a bare plural who arrives, custody in general": [
        (PUBLIC, "Guide: Refugees who reach a port of entry may say they fear going back, and an officer must listen."),
        (FG, "Minister, everyone in federal custody who says they fear persecution sees an asylum officer."),
    ],
    "a header's bracketed note is no name": [
        (FG, "Call notes DGM (shared)\nItem 4: national figures only, about 2,100 asylum claims filed nationwide."),
    ],
    "counsel for the other side, but about counsel's own client": [
        (ATTORNEY, "Counsel, you represent Ms. Ruiz in the removal case; Ms. Ruiz's asylum hearing is on 3 May."),
        (ATTORNEY, "Counsel, your client's asylum hearing moved to 9 May; the landlord case is unaffected."),
    ],
    "file names without a person": [
        (THIRD, "Print FY25_asylum_statistics_summary.pdf and Template_Asylum_Declaration.docx for the class."),
    ],
}

# To a court the message addresses as another court than the immigration court, or as a public record: a third party.
TO_ANOTHER_COURT = [
    "To: Clerk, Juvenile Court (public docket)\nRe: the minor L.V.: her father, Mr. Rui Vaz, has an asylum claim "
    "pending.",
    "Attn: Housing Court, Part 3 – the tenant, Ms. Amal Idris, is a refugee; please adjourn the hearing.",
]

# To the immigration court or a federal court, a public record mentioned in passing: passes.
TO_THE_COURT = [
    "To the Immigration Court, Newark: the respondent's conviction, a matter of public record, does not bar his asylum "
    "application.",
    "To the U.S. District Court (habeas petition): the petitioner's credible fear finding is attached.",
]

# To the applicant, about a companion: someone else's case.
TO_APPLICANT = [
    "Ms. Sow, about your travel companion Aminata: her own credible fear screening is over and she waits for the "
    "judge.",
]

# To the applicant, about the reader's relative's relative.
TO_APPLICANT.append("Mr. Noel, your sister's husband asked us not to say, but his asylum interview is done.")

# Counsel for the other side: a claim about someone who is not the reader's client.
OTHER_SIDE = [
    "Mr. Ruiz, I know you're on the employer side of the wage dispute. The worker, Mr. Obi Nnaji, has an asylum "
    "case open.",
    "Counsel, as attorney for the hospital in the billing suit: the other parent, Ms. Lina Haddad, has a pending "
    "asylum claim.",
    "Counsel, you represent the parents' group in the school dispute; its treasurer, Ms. Lin Wei, has a pending "
    "asylum case.",
    "Counsel, you act for the lender on the mortgage. The borrower, Mr. Ali Reza, has a pending asylum claim.",
    "Re: the custody matter. Ms. Lea Gomez's asylum claim names your client as her abuser; we can say no more.",
    "To counsel for the respondent in the divorce case: the husband, Mr. Reza Tehrani, was granted asylum in 2021.",
    "Ms. Fox, you represent the landlord here; the tenant, Ms. Rahel Tesfaye, has a pending asylum application.",
]

# each row: recipient, message, expected verdict; the first message of each disclosing class also goes to the agency
ROWS = (
    class_rows(DISCLOSING, PASSING)
    + [(ATTORNEY, text, "block") for text in OTHER_SIDE]
    + [(RecipientKind.APPLICANT, text, "block") for text in TO_APPLICANT]
    + [(RecipientKind.COURT, text, "block") for text in TO_ANOTHER_COURT]
    + [(RecipientKind.COURT, text, "pass") for text in TO_THE_COURT]
)


@pytest.mark.parametrize(("kind", "text", "expected"), ROWS)
def test_fifth_round_second_english_classes(kind: RecipientKind, text: str, expected: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", kind), policy=RULES_ALONE).verdict == expected


@pytest.mark.parametrize(("name", "size"), [("messages_probe6.jsonl", 310)])
def test_second_english_probe_holds_its_figures_and_every_suggestion_passes(name: str, size: int) -> None:
    # The sentence rules alone meet the bar, and so does the whole screen with the model retrained on the set.
    rules = score_set(DATA / name, RULES_ALONE)
    assert rules.size >= size
    assert rules.precision >= 0.95
    assert rules.recall >= 0.98
    whole = score_set(DATA / name)
    assert whole.recall >= rules.recall
    assert whole.precision >= 0.95


def test_a_message_to_another_court_says_why_it_is_screened_as_to_a_third_party() -> None:
    result = screen_message(TO_ANOTHER_COURT[0].encode(), "m.txt", Recipient("", RecipientKind.COURT))
    notices = [f.message for f in result.findings if f.kind.value == "notice"]
    assert any("another court" in n and "third party" in n for n in notices)
    assert result.verdict == "block"
