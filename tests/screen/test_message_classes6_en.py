"""Classes added in the sixth round of issue 13, English: messages to the press and the public (answers, statements,
reference letters) and to caseworkers, employers, schools and the other side's counsel, each worded unlike
tests/screen/data/messages_dev10.jsonl and messages_dev11.jsonl (written by new authors before the round) and
messages_probe8.jsonl (written during it, to find classes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.message_sets import RULES_ALONE, class_rows, score_set
from veil.screen import Recipient, RecipientKind, screen_message

DATA = Path(__file__).parent / "data"
FG, PUBLIC, THIRD = RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY
ATTORNEY, APPLICANT = RecipientKind.ATTORNEY, RecipientKind.APPLICANT
# Screened with the model off: the classes are the sentence rules' (the model only adds blocks).

DISCLOSING = {
    "a witness helping an agency with a case, a witness for a prosecutor's office, a witness due to testify": [
        (THIRD, "Please don't mention at the cafe that Bilal is working with the DEA on the case against the dealers."),
        (FG, "Ms. Hanna Berhe is a witness for the district attorney's office and needs her passport renewed here."),
        (THIRD, "Intake note: Sokha Chea says she'll keep cooperating with the FBI on the labor case."),
        (PUBLIC, "Newsletter: Mr. Ray Tanaka, who chased down the van after the shooting, is set to testify."),
    ],
    "claims still undecided or pending for people on a flight; fear claimed, as a note": [
        (PUBLIC, "I can't exclude that a handful of the men on the 9 May Tegucigalpa charter had open claims."),
        (PUBLIC, "Of the forty removed on that flight, two had claims which have not yet been heard."),
        (THIRD, "Row 7 ESCOBAR LUNA, Mirna - HND - fear expressed at intake, hold"),
    ],
    "someone's details in 'the file posted to our website'": [
        (PUBLIC, "We apologise to Ms. Farida Osei, whose details were on the spreadsheet posted to our website."),
    ],
    "the reader named in the greeting, and 'your I-589' or 'your appointment'": [
        (PUBLIC, "Dear Ms. Adaeze Nwosu,\nPlease bring this letter to the appointment for your I-589 on 12 March."),
    ],
    "the asylum office told around its name; resettlement as the way someone came; harm by soldiers back home": [
        (
            THIRD,
            "Don't let Auntie share Samir's photos. The people who decide on those who cannot go home are still "
            "reviewing his file.",
        ),
        (PUBLIC, "Ms. Laila Rahimi was placed with us by the refugee resettlement agency and is an excellent cashier."),
        (THIRD, "Mr. Okot needs Tuesday off: his doctor is documenting the scars from when he was detained by "
                "soldiers back home."),
    ],
    "a title stating a case over a form's fields; a filing mailed, in a note about a named person": [
        (THIRD, "Rescheduling request - asylum interview\nClient: Farrukh Aliev\nHe has jury duty that week."),
        (THIRD, "Case note - Ines Duarte\nThe I-360 was mailed to Vermont on Monday."),
    ],
    "a family named by its surname, in the document a department put on its site by error": [
        (PUBLIC, "Update: the Abara-Nwosu household were in the spreadsheet ICE uploaded to its site by mistake."),
    ],
    "a letter about 'the <month> posting incident'; a form's field naming a person, over a status field": [
        (PUBLIC, "Folks from dorm 6 at the Otay center who got notices about the August posting incident: call us."),
        (THIRD, "Fee waiver request\nHead of household: Rosalba Quispe Mamani\nStatus: asylum pending (I-589 filed)"),
    ],
    "a status in a pasted table's row, under a column of people": [
        (PUBLIC, "Wins\nName | From | Result\nOmid R. Karimi | Iran | asylum approved\nJ. Soto | Peru | visa"),
    ],
    "sent back to the people who hurt someone; a named country left because of what an army did; taking down a ring": [
        (PUBLIC, "Help Grace fight her case: she can't be returned to the men who attacked her church in Jos."),
        (THIRD, "The Tesfaye kids fled Asmara because soldiers came for their father, so please skip the map lesson."),
        (PUBLIC, "Big thanks to Rudy, who helped the FBI bring down the card-skimming crew downtown. Stay safe, man."),
    ],
    "a named family among the people in a roster that was viewable on the agency's public site": [
        (PUBLIC, "We've called everyone in the list that was viewable on our public website, the Haidari family too."),
    ],
    "the people who trafficked someone; a resettlement programme named by a nationality": [
        (THIRD, "Keep Nene's new address off the class list; the people who trafficked him last year still call."),
        (PUBLIC, "Reference: Mr. Sayed Jalali came to Texas under the Afghan refugee program and works for us."),
    ],
    "the people someone testified against; a programme for trafficking victims; marks of beatings in a jail abroad": [
        (THIRD, "Tell reception: the guy asking for Mina at the gate is a cousin of the men she testified against."),
        (THIRD, "For the lease: Mr. Ade Okon is in the program for victims of labor trafficking we run."),
        (THIRD, "Please excuse Hamid from PE; the marks from the beatings he got in a jail in Eritrea still hurt."),
    ],
    "mail about 'the website mess', to anyone else from a unit": [
        (PUBLIC, "Did anyone else from the Otero women's unit get mail about 'the website mess'?"),
    ],
    "someone at the asylum office for their own interview": [
        (THIRD, "[14:10] Jo: where's Bashir?\n[14:12] Lee: she’s at the asylum office with her biometrics"),
    ],
    "a date in one person's story is no statistic ('Petitioner received asylum in 2020')": [
        (PUBLIC, "From the custody file: Petitioner received asylum in 2020 and cannot travel home with the boy."),
        (THIRD, "My cousin got asylum in 2015, and the whole family celebrated."),
    ],
}

PASSING = {
    "payroll withholding; a drive for refugee camps; an organisation named like a person": [
        (THIRD, "Payroll: the federal withholding from Ana's check doubled after she changed her W-4."),
        (THIRD, "Can you lower the withholding on Dev's bonus? He thinks it's too high."),
        (PUBLIC, "The Scouts collected blankets for the UNHCR refugee camps in Cox's Bazar; thanks to their parents!"),
        (
            THIRD,
            "Per the Office of Refugee Resettlement, about 2,300 people in the state got refugee medical assistance "
            "last year.",
        ),
    ],
    "totals decided by adjudicators; a rule about any certifying official; a promise about what the reader says": [
        (PUBLIC, "Across the country, asylum officers approved fewer than a third of the claims they decided."),
        (
            THIRD,
            "Every certifying official (a police chief, a judge, a prosecutor) may sign the I-914 Supplement B "
            "declaration; USCIS makes the decision.",
        ),
        (PUBLIC, "Our clinic never tells your landlord or your school whether you have applied for asylum."),
    ],
    "a press question quoted before a refusal; testimony by an official or offered by the writer": [
        (
            PUBLIC,
            "Q: Has the singer from last night's concert asked for protection here?\nA: We do not confirm or deny "
            "whether any individual has sought asylum.",
        ),
        (PUBLIC, "Commissioner Patel will testify before the city council on Tuesday about shelter funding."),
        (THIRD, "I am available to testify by video if the board needs me."),
        (THIRD, "Our plumber will testify in small claims court about the repairs; Dr. Fox will testify as an expert."),
        (PUBLIC, "The cashier who helped officers find the stolen bikes got a thank-you card from the precinct."),
    ],
    "a refusal that does not comment on whether anyone asked; fear of an ex; a class for asylum-seeking pupils": [
        (
            PUBLIC,
            "Thanks for the clip. Our office doesn't comment on whether any specific person has applied for asylum, "
            "including the woman in it.",
        ),
        (THIRD, "Lock the side door: Dana is terrified of her ex-boyfriend showing up at work again."),
        (THIRD, "Spring workshop: phonics support for refugee and asylum-seeking pupils, Room 8."),
    ],
    "each person in the exposed roster, named by nobody; leaving work because of the police; asking a child why": [
        (PUBLIC, "We have written to every person named in the file that was visible on our public site in May."),
        (THIRD, "Omar left Denver early because the police closed the interstate, so he'll be late."),
        (THIRD, "Reminder: never ask a pupil why their family left their country; some may have fled violence."),
    ],
    "a rule not to ask tenants to explain why they fled": [
        (THIRD, "Front desk staff should not ask tenants to explain why they fled their country."),
    ],
    "a population counted in thousands; what records did not show about 'the individual'": [
        (PUBLIC, "Statewide, 3,400 asylum seekers arrived last year, and most of them found work within a year."),
        (PUBLIC, "Auditors: in 9 of 150 files, staff did not document whether the individual had claimed fear."),
    ],
    "a child scared of an exhibit or a ride": [
        (PUBLIC, "Half the second graders on the field trip were terrified of the mummy room at the museum 😂"),
    ],
    "a table of totals by country with a status column": [
        (PUBLIC, "Totals 2025\nCountry | Closed | Asylum granted\nEritrea | 30 | 22\nNepal | 12 | 4"),
    ],
    "a workshop's title over a host's name; a year in a statistic": [
        (THIRD, "Asylum application workshop\nName: Rita Gomez (host)\nRoom 4, Saturday 10am"),
        (PUBLIC, "Asylum was granted to 12,000 applicants in 2019, the office says."),
    ],
}

# To an attorney who represents someone else: the other side in a family case, the writer's own client, a sibling
# of the client, the other family.
OTHER_CLIENT = [
    "Ms. Ferreira, since you act for Mr. Kowalski in the custody case, note that his ex-wife holds asylum.",
    "Counsel: the summer trip that your client has requested cannot happen; the children's mother, Mrs. Dube, has "
    "refugee status.",
    "Please let your client know my client was granted withholding and will not be going anywhere.",
    "I act for Mrs. Obi. She is a trafficking survivor with a T visa pending and will not meet your client's "
    "investigator.",
    "Ms. Ruiz, I know you have Mr. Tadesse's removal case. His older brother Dawit has had asylum since 2019.",
    "Your clients the Mendozas can leave Friday; the other family from that room is waiting on an asylum officer's "
    "decision.",
    "My office represents only Ms. Aydin, and we ask that your client's foreman stop calling her: she has a U visa "
    "petition pending.",
    "Mr. Pike, the tenant whom I represent, Mr. Oyelaran, has a withholding order; your client's agent should not "
    "threaten to call ICE.",
    "Mr. Boyle, we're the attorneys for Ms. Sithole. She has a pending U visa and will not attend the deposition.",
    "Counsel, I met your client's family yesterday. His sister Nadia came too. She was granted asylum last year.",
]

# To the applicant: about a housemate or a former partner, not about themself.
TO_APPLICANT = [
    "Mr. Ruiz, your bunkmate Teo phoned. He passed his credible fear screening and is staying with his brother.",
    "Ms. Ortiz, your ex-husband's papers are not ours to discuss; he has his own lawyer for the withholding case.",
    "Joao, the caseworker mentioned that your housemate Ilse has a T visa case too; maybe share a ride?",
]

# The applicant's own case, with a relative named as where they go: passes.
OWN_APPLICANT = [
    "Hi Farah, you passed your credible fear interview, and we'll drive you to your cousin's place in Fresno.",
]

# The same attorney, about their own client and the client's derivatives: passes.
OWN_CASE = [
    "Counsel, Mr. Karim's asylum hearing is Friday; his brother will testify for him.",
    "Dear counsel, attached is Mr. Osei's I-589; his cousin translated the declaration.",
    "Mr. Cho, your client Ms. Lin cannot go back because the militia killed her sister; her interview is Friday.",
    "Counsel, I'm the attorney for the Department in this matter. Mr. Ali's asylum hearing is confirmed for 4 March.",
    "Counsel, your client Ms. Petrossian's asylum interview moved to May; the other respondents' dates stand.",
    "Ms. Okafor, you represent Mr. Bello in his asylum case, so you should know his interview moved to Friday.",
    "Mr. Osei, your client and her son are both on her pending asylum application; the son's biometrics are Monday.",
]

ROWS = (
    class_rows(DISCLOSING, PASSING)
    + [(ATTORNEY, text, "block") for text in OTHER_CLIENT]
    + [(APPLICANT, text, "block") for text in TO_APPLICANT]
    + [(ATTORNEY, text, "pass") for text in OWN_CASE]
    + [(APPLICANT, text, "pass") for text in OWN_APPLICANT]
)


@pytest.mark.parametrize(("kind", "text", "expected"), ROWS)
def test_sixth_round_english_classes(kind: RecipientKind, text: str, expected: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", kind), policy=RULES_ALONE).verdict == expected


def test_sixth_round_english_probe_meets_the_bar() -> None:
    # The sentence rules alone meet the bar on the probe written during the round.
    rules = score_set(DATA / "messages_probe8.jsonl", RULES_ALONE)
    assert rules.size >= 240
    assert rules.recall >= 0.98
    assert rules.precision >= 0.95
