"""Classes added in the fifth round of issue 13, English and the language-independent reading of a message (fast
chat and pasted rows, formal letters with the disclosure buried, replies that repeat a question, anonymised
stories, letters to counsel about someone else), each with messages worded unlike
tests/screen/data/messages_dev5.jsonl and messages_dev6.jsonl (written before the round's tuning) and
messages_probe5.jsonl (written during it, to find classes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.message_sets import RULES_ALONE, class_rows, score_set
from veil.screen import Recipient, RecipientKind, screen_message

DATA = Path(__file__).parent / "data"
FG, PUBLIC, THIRD = RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY
ATTORNEY = RecipientKind.ATTORNEY
# The classes are the sentence rules' (the learned model only adds blocks, and is retrained on these lists): each
# message is screened with the model off.


DISCLOSING = {
    "chat shorthand: 'w' for with, plural CFIs, 'passed CF', a c8 work permit in loose words": [
        (FG, "re the Thursday charter, maybe two of the men are still w the asylum office, will confirm"),
        (THIRD, "van roster: 14 guys, 4 w CFIs set for tmrw, keep them back"),
        (THIRD, "Row 9 ALVARADO PINEDA, Rosa - passed CF, release to sponsor"),
        (THIRD, "hey, Tomasa Ixcoy's permit is a c8 one so the renewal takes months, pls keep her shifts"),
    ],
    "a harm someone would face if sent back, or protection from return, in formal words": [
        (FG, "Mr. Farid Noori told the panel he would face prison for his writing if he were sent back."),
        (
            THIRD,
            "The respondent's case rests on beatings he suffered for his religious activities and on the "
            "risk of worse should he be returned.",
        ),
        (FG, "The tribunal found that Ms. Amina Diallo is entitled to protection from removal."),
        (
            FG,
            "The Ministry must observe Article 33 of the Refugee Convention, and Mr. Okello's file is "
            "being examined on that basis.",
        ),
    ],
    "a witness giving testimony or evidence to the prosecution": [
        (FG, "Mr. Ivo Marek cannot travel this month: he is giving evidence to federal investigators."),
        (THIRD, "Keep Luis Perea off the transfer, he provided testimony before the grand jury last week."),
    ],
    "a group just counted as the subject, a bus described at length, a unit named in a notice": [
        (PUBLIC, "Two men were pulled off the bus. These two had fear claims pending, and the law says we wait."),
        (FG, "For the travellers of the 3 March Laredo-to-Tapachula coach: some have protection claims open."),
        (PUBLIC, "If you were in the Elm unit last spring, the letters about 'the exposure' concern you."),
    ],
    "named people placed in the exposed document after a sentence about the incident": [
        (
            FG,
            "You asked about the file our office published in error in May. Mr. Tuan Pham and Ms. Lien Vo "
            "were among those listed in it.",
        ),
    ],
    "a reply that repeats the question and then answers it": [
        (
            FG,
            "Your note asks whether any of the nine men on the list have sought asylum here, and I can "
            "confirm that two of them have.",
        ),
    ],
    "filed for protection; a case ending up with asylum officers; why someone cannot return, with the division": [
        (FG, "Of the names you sent, only Mr. Kassa has filed for protection; the rest may travel."),
        (FG, "Ambassador, from your 30 nationals, maybe four will land with the asylum office, so plan for 26."),
        (
            FG,
            "Ms. Aziza Karimova described to the officer why she cannot return, and her statement is now "
            "before the asylum division.",
        ),
    ],
    "a state's nationals restricted to a concrete group, a count of a listed group": [
        (FG, "Your nationals held at the Otero center last week have all raised fear of return."),
        (FG, "Of the 300 names your ministry sent, 45 of them have asylum claims pending."),
    ],
    "a claim to protection; someone picked out as 'the one who'": [
        (FG, "Minister, apart from Mr. Ali Reza, none of the people in your note has a claim to protection."),
        (THIRD, "btw Omar's the guy who got asylum in the spring, so go easy with the questions at the dinner"),
    ],
    "the danger someone would be in at home": [
        (FG, "Mr. Yusuf's removal waits until we assess the danger he would face back home."),
    ],
    "a request by someone for protection, cooperation as a witness, a refugee's benefits": [
        (FG, "Ms. Leyla Aliyeva cannot be returned now: an application by her for international protection is open."),
        (PUBLIC, "Police thanked Mr. Bo Tran, whose cooperation as a key witness brought down the ring."),
        (THIRD, "Mr. Ali Dahir's rent is covered by refugee cash assistance until March, so the lease can start."),
    ],
    "pursuing protection; in the file someone exposed": [
        (FG, "On the Managua charter, a handful of the men are pursuing protection, so hold the count."),
        (PUBLIC, "We visited the Salcedo family, whose details were in the list the department leaked in June."),
    ],
    "the reader's own case when the greeting names the reader": [
        (THIRD, "Dear Ms. Ortiz,\n\nYour U visa petition was approved today; the card will follow by mail."),
    ],
    "a greeting with a number or a group in it is no greeting": [
        (THIRD, "Hey the 3 guys on flight 22 - CF pending, hold them"),
    ],
    "testimony against a gang's leaders": [
        (THIRD, "Keep Mr. Dario Fuentes in a single cell; he testified against the MS-13 commanders in October."),
    ],
    "the prosecution's witness named by role": [
        (
            PUBLIC,
            "The government's star witness, trucker Hal Brody, stays in the country under a deal with prosecutors.",
        ),
    ],
    "the narrowings' limits: a question answered, a birth year, a story that names a flight": [
        (FG, "Consul, you asked whether Mr. Tomas Ruiz applied for asylum. He did, last May."),
        (PUBLIC, "Mr. Pavel Orlov, born in 1968, applied for asylum last year."),
        (
            PUBLIC,
            "Names in our newsletter are changed. Three of the men on the Tuesday flight to Lagos have asylum "
            "claims, and we are helping them.",
        ),
    ],
    "a story's note covers its own paragraphs: someone named in full elsewhere in the message is real": [
        (
            THIRD,
            "Training note: in the case study below, names have been changed.\n\nSeparately: Juan Perez Lopez has "
            "a pending asylum claim, please do not issue his travel document yet.",
        ),
        (
            PUBLIC,
            "Ficticio: los nombres de este ejemplo fueron cambiados.\n\nAparte, la señora Marta Quispe Huamán "
            "tiene una solicitud de asilo en trámite.",
        ),
    ],
    "a law as subject after the status does not clear the people before it": [
        (PUBLIC, "The four men held back have asylum claims pending, which federal law protects."),
    ],
}

# To an attorney: the message says the person it speaks of is not the attorney's client.
OTHER_CLIENT = [
    "Counsel, the I-589 in this envelope belongs to Mr. Faraj, who is not your client; please send it back.",
    "I know you represent Ms. Lin and not Mr. Chen, but Mr. Chen's asylum hearing is set for the 9th.",
    "Counsel, as you know I represent Mr. Aziz in the custody matter. Ms. Noor Aziz has a U visa pending.",
    "Hossein Rahimi's CAT deferral notice was mixed into your box. He isnt your client, right? pls shred it",
    "Your client's sister filed a separate asylum application last month; her interview is on Monday.",
    "Counsel, I am writing on behalf of Mr. Osei. Mrs. Osei's T visa was approved, and we will tell the family court.",
    "The man your client travelled with, Mr. Doku, was granted withholding this morning.",
]

PASSING = {
    "a nickname for a place, a quoted title of a show": [
        (PUBLIC, "My uncle calls his retirement village 'the asylum' and the nurses laugh every time."),
        (FG, "Loved the 'Asylum Road' podcast you sent, listened on the drive to the consulate."),
        (PUBLIC, "Book club pick: the 'witness protection' novel everyone talks about. Meet Tuesday 7pm."),
    ],
    "officials in their public role": [
        (PUBLIC, "Judge Amara Obi, who heard hundreds of asylum cases in Newark, joins the law school faculty."),
        (PUBLIC, "Director Kwan oversaw credible-fear screenings for the region and retires next month."),
    ],
    "a leak in a building, fear of an everyday thing, a work of fiction": [
        (THIRD, "Maintenance: leak under the Unit 4 kitchen sink again; the detainees' laundry is moved to Unit 5."),
        (THIRD, "The tenant in 3A is scared of bedbugs after the neighbour's outbreak; please send the inspector."),
        (PUBLIC, "Novel excerpt (fiction): the refugee who never gave his name waits for his asylum hearing."),
    ],
    "fear of an ordinary harm": [
        (THIRD, "The groundskeeper fell from the ladder and voiced fear of further injury to his shoulder."),
        (THIRD, "Ms. Ruiz has a fear of needles, so please have the nurse talk her through the flu shot."),
    ],
    "a provision as the subject, a national count in thousands, a state's nationals as a whole": [
        (
            PUBLIC,
            "Article 3 of the Convention against Torture prohibits returning anyone to face torture, always.",
        ),
        (
            FG,
            "Ambassador, around 52,000 of your citizens filed asylum claims here last year, per the public dashboard.",
        ),
        (FG, "Published figures show your nationals lodged about 9 percent of all asylum applications in 2025."),
        (PUBLIC, "Correction: a list went online by mistake; each individual named in it has since been notified."),
    ],
    "a nationality as a population, national totals": [
        (
            FG,
            "Of all Guatemalan nationals in removal proceedings nationwide, roughly a quarter have a "
            "protection application, per the published yearbook.",
        ),
        (FG, "Asylum filings by Nicaraguan nationals totalled some 12,400 last fiscal year."),
    ],
    "the law, a status defined, regulations as the subject": [
        (PUBLIC, "U visas are for victims of serious crimes who help the police; the law keeps them confidential."),
        (PUBLIC, "Federal regulations forbid sharing whether anyone has applied for asylum with their home country."),
        (THIRD, "Rule for volunteers: records suggesting that a guest has sought protection stay in the locked file."),
    ],
    "a bare plural as a general subject, a quoted title on stage, every family concerned": [
        (PUBLIC, "Myth vs fact: refugees and asylum seekers do pay taxes, and they cannot vote in federal elections."),
        (THIRD, "The drama club is performing 'Refugee Road', a musical about a 1930s ship; doors open at 6."),
        (
            THIRD,
            "The posting error was fixed and every household concerned was called; refer questions to the hotline.",
        ),
    ],
    "a rule about no one, an institution named after witness protection": [
        (PUBLIC, "Under federal and international law, nobody may be sent to a country where they face torture."),
        (PUBLIC, "The new marshal led the witness protection program for a decade before retiring to Ohio."),
    ],
    "an anonymised or fictional story": [
        (PUBLIC, "Training scenario (names and facts invented): a teenager at the port says the gang will kill her."),
        (PUBLIC, "Our speaker, whom we identify only by initials, told of fleeing a militia; we changed his name."),
        (
            PUBLIC,
            "Case study (composite): Lena fled her village after threats and asked for asylum at the port. "
            "She now teaches. The names and places in this story have been changed.",
        ),
        (
            PUBLIC,
            "Our volunteer wrote about a young man we'll call Sami. He was afraid to go back because of the "
            "militia. Sami is not his real name.",
        ),
        (
            PUBLIC,
            "Names have been changed.\n\nWe'll call her Rosa. Rosa asked for asylum after her husband beat her, "
            "and she won her case last spring.",
        ),
    ],
    "the reader's own question repeated in a reply that answers nothing, or declining to say whether": [
        (PUBLIC, "The rule is simple: we will not tell any government whether a person has applied for asylum."),
        (THIRD, "You asked whether the tenants in 4B are refugees. We do not discuss anyone's immigration matters."),
        (PUBLIC, "The file was taken offline Tuesday and everyone named in it has been sent a letter."),
        (FG, "Your letter of 2 May asks whether Mr. Omar Said sought asylum. We neither confirm nor deny it."),
    ],
    "history": [
        (PUBLIC, "Unit 5 reading: the chess champion who sought asylum in the Netherlands in 1976."),
        (PUBLIC, "During the Cold War, defecting athletes often asked for political asylum at the games."),
    ],
    "a greeting names the reader, not the people a notice is about": [
        (THIRD, "Hi Mr. Lind (night manager) - you may see news about a leaked list; call us with any questions."),
        (PUBLIC, "Hello,\n\nyour asylum interview is confidential: the officer will not tell your government."),
        (
            FG,
            "Dear Mr. Okonkwo,\n\nYou will have seen the reports of a list published in error last week. It "
            "was removed and the people concerned have been told.",
        ),
    ],
    "custody in general, any family fleeing, fear of an ordinary thing, an agreement between states": [
        (PUBLIC, "Everyone held in ICE custody who says they fear return gets a screening interview."),
        (THIRD, "The shelter takes any mother fleeing abuse that the hotline sends us, no questions asked."),
        (PUBLIC, "Our new hire admits she is terrified of parallel parking. Welcome, Dana!"),
        (PUBLIC, "The Secretary and Honduras signed an asylum cooperation agreement covering returning nationals."),
    ],
    "an incident notice that names nobody, a question about an issue, a condition about anyone": [
        (FG, "Minister, you inquired about the website matter in the press. It was fixed; those affected were told."),
        (
            THIRD,
            "Re the spreadsheet posted by mistake: it's down now. if anyone in your parish is anxious, "
            "point them to the hotline.",
        ),
        (PUBLIC, "We cannot answer that part of your letter, since asylum records are confidential."),
        (THIRD, "pls dont fire anyone over the audit yet; the asylum clinic will brief HR on the rules friday"),
    ],
}

# To the applicant: about someone they named or came with, not about themself.
TO_APPLICANT = [
    "Mr. Lee, the cousin you named as your sponsor, Mr. Park, was granted asylum on Friday.",
    "Ms. Diaz, your emergency contact has an asylum interview of her own next week; she asked us to tell you.",
]

# The same attorney, about their own client: passes.
OWN_CASE = [
    "Counsel, I represent the Department here. Your client's asylum hearing is on 4 March; we do not oppose.",
    "Counsel, your client Mr. Faraj's I-589 was received; the interview notice follows.",
    "Mr. Chen is not on today's docket; your client's asylum hearing stays on the 9th.",
]

# each row: recipient, message, expected verdict; the first message of each disclosing class also goes to the agency
ROWS = (
    class_rows(DISCLOSING, PASSING)
    + [(ATTORNEY, text, "block") for text in OTHER_CLIENT]
    + [(RecipientKind.APPLICANT, text, "block") for text in TO_APPLICANT]
    + [(ATTORNEY, text, "pass") for text in OWN_CASE]
)


@pytest.mark.parametrize(("kind", "text", "expected"), ROWS)
def test_fifth_round_english_classes(kind: RecipientKind, text: str, expected: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", kind), policy=RULES_ALONE).verdict == expected


@pytest.mark.parametrize(("name", "size", "recall"), [("messages_probe5.jsonl", 150, 0.98)])
def test_fifth_round_english_probe_meets_the_bar_and_every_suggestion_passes(
    name: str, size: int, recall: float
) -> None:
    # The sentence rules alone meet the bar, and so does the whole screen with the model retrained on the set.
    rules = score_set(DATA / name, RULES_ALONE)
    assert rules.size >= size
    assert rules.recall >= recall
    assert rules.precision >= 0.95
    whole = score_set(DATA / name)
    assert whole.recall >= recall
    assert whole.precision >= 0.95
