"""Classes added in the sixth round of issue 13 for recipients who may know about their own case only (the
applicant, the attorney of record) and the other classes of tests/screen/data/messages_dev13.jsonl (the agency's
own staff writing to every kind of recipient, where the recipient decides), in all four languages, with messages
worded unlike that set and tests/screen/data/messages_probe8w.jsonl (written during the round, to find classes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.message_sets import RULES_ALONE, class_rows, score_set
from veil.screen import Recipient, RecipientKind, screen_message

DATA = Path(__file__).parent / "data"
FG, PUBLIC, THIRD = RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY
ATTORNEY, APPLICANT = RecipientKind.ATTORNEY, RecipientKind.APPLICANT
# The sentence rules decide alone for entitled recipients (the learned model does not apply to them), and the class
# tests hold the rules to their classes: each message is screened with the model off.


# To the attorney of record, about someone who is not their client: blocked.
OTHER_CLIENT = {
    "someone brought up in one sentence and named with the status in the next": [
        "Counsel, on the question you raised about your client's bunkmate: Mr. Dawit Haile has a CAT grant and stays.",
        "Good morning. You asked about the man arrested with your client. Mr. Bashir Noor passed his fear screening.",
        "Re the co-defendant you mentioned. Ms. Lina Sobh's asylum interview was moved to June.",
    ],
    "the person the client was held, arrested or travelled with, or asked about": [
        "Counsel, the girl she crossed with, Ms. Nadia Perla, was referred to an asylum officer on Monday.",
        "For your file: the man he was housed with, Mr. Omar Jama, has withholding of removal.",
        "Ms. Ito, the detainee your client asked about, Mr. Faisal Rahimi, was granted asylum last week.",
    ],
    "the opposing side of a custody or divorce case": [
        "In the custody matter, the opposing party, Ms. Irene Vlasova, has a pending U visa petition.",
        "Counsel: the adverse party Mr. Petrov told our officers he fears returning to Russia.",
        "Re the parenting-time hearing: the kids' father, Mr. Anil Rao, has a T visa and may stay.",
        "Lic. Mora, la madre de sus hijos, la Sra. Keila Ortiz, tiene una solicitud de asilo pendiente.",
    ],
    "someone who shared a cell or a room, and chat shorthand": [
        "Counsel, the lady who shared a dorm with Ms. Ali at Dilley, Ms. Hawa Farah, was granted asylum.",
        "yo counsel, the 3 ppl stopped w yr client on I-10: 2 of them have CFIs pending.",
        "Mèt, nonm ki te nan menm selil ak kliyan w lan, Msye Ti Paul Edouard, gen yon ka azil.",
        "Mèt, konsènan koakize kliyan w lan, Msye Ernso Dorval gen yon demann azil.",
        "Counsel, separate point: the co-defendant, Mr. Joel Sims, was granted CAT deferral.",
        "Counsel, the man your client split a cab with to the border, Mr. Luca Bianchi, has a CAT claim pending.",
        "Licenciado, la joven con quien arrestaron a su clienta, la Srta. Dulce Ávila, tiene una visa U.",
    ],
    "a relative named in apposition, one sharing the client's surname; a person with other counsel": [
        "Counsel, re your client Mr. Arash Tehrani and his brother: his brother, Mr. Dariush Tehrani, has asylum.",
        "Counsel, one correction: Ms. Ewa Nowak is represented by other counsel. Ms. Nowak's U visa was approved.",
        "Maître, au sujet de votre client et de sa sœur : sa sœur, Mme Aïcha Diop, a obtenu le statut de réfugiée.",
    ],
    "booked or bused with the client, 'the other two', someone the client spoke of, a quoted thread": [
        "Counsel,\n\n> Re: the man who was bused in with your client Tuesday\n> Mr. Yonas Berhe holds asylee status.",
        "Counsel, two names on your list. The other two, Ms. Lidia Haile and Ms. Saba Tekle, have asylum claims.",
        "Maître, l'homme dont votre cliente nous a parlé, M. Alpha Condé, a une demande d'asile en cours.",
    ],
    "someone said not to be the reader's client, in all four languages": [
        "Licenciada, su cliente ya salió. La mujer con la que estuvo detenida, la Sra. Reina Mejía, pasó su entrevista "
        "de miedo creíble.",
        "Maître, la personne avec qui votre client a été arrêté, M. Ousmane Ba, a déposé une demande d'asile.",
        "Mèt, kanmarad selil kliyan w lan, Mesye Wilner Pierre (ki pa kliyan w), gen yon ka lakrentif k ap tann.",
        "Mèt, moun ki te arete avè kliyan w lan, Madan Roseline Jean, te pase entèvyou lakrentif kredib li.",
    ],
}

# To the applicant, about someone who is not the applicant nor on their application: blocked.
TO_APPLICANT = {
    "a former or estranged partner": [
        "Ms. Okoye, your former husband, Mr. Chidi Okoye, filed a VAWA self-petition that names you.",
        "Mr. Vidal, your estranged wife has a pending U visa; we cannot discuss her case with you.",
        "Sra. Paredes, su exmarido, el Sr. Gilberto Paredes, tiene una solicitud de asilo pendiente.",
        "Madame Kanza, votre ex-mari, M. Patrice Kanza, a obtenu la protection au titre de la Convention.",
        "Madan Joseph, ansyen mari w, Mesye Frantz Joseph, gen yon demann azil k ap tann.",
    ],
    "a former relative by marriage; someone the reader travelled with": [
        "Sra. Montes, su exsuegra, la Sra. Irma Ochoa, tiene una solicitud de asilo en trámite.",
        "Monsieur Cissé, la femme avec qui vous avez traversé, Mme Binta Sow, a obtenu l'asile.",
        "Sra. Peña, usted preguntó por la señora que viajaba con usted. La Sra. Elsa Rivas pidió asilo.",
        "hey Ms Tadesse, the girl from ur shelter, Ms. Meron Ayele, got her asylum approved.",
        "Mesye Jacques, moun ki te nan menm kabann avè w lan, Msye Wesner Paul, gen yon ka azil.",
    ],
    "people who came with the reader, an adult child who is not a derivative, a co-accused in Creole": [
        "Ms. Vera, the two men who came over with you, Mr. Ian Soto and Mr. Leo Gil, both claimed fear.",
        "Mr. Adu, your daughter Efua is not a derivative; she filed her own I-589 in March.",
        "Monsieur Keita, les femmes venues avec vous, dont Mme Awa Sy, ont demandé l'asile.",
        "Madan Paul, moun ki te vwayaje nan bato a avè w yo, tankou Msye Dieula Mars, gen ka azil.",
    ],
    "a cellmate or fellow detainee introduced, then named": [
        "Mr. Ruiz, you asked about your cellmate. Mr. Tomas Ferrer was found to have a credible fear.",
    ],
}

# The same recipients about their own case (or their derivatives): passes.
OWN_CASE = [
    (ATTORNEY, "Counsel, your client Mr. Haddad asked about his cellmate; we cannot discuss other detainees. "
     "Mr. Haddad's asylum interview is on 4 May."),
    (ATTORNEY, "Re your client Ms. Amal Sayegh: you asked about the woman she was held with, and we cannot say "
     "anything about her. Ms. Sayegh's credible fear interview was positive."),
    (ATTORNEY, "Counsel, you asked about the other detainees in the pod; we cannot share anything about them. "
     "Your client's asylum hearing stays on 12 March."),
    (ATTORNEY, "Mèt, kliyan w lan Mesye Louis Milord pase entèvyou lakrentif kredib li; odyans li rete 16 me."),
    (ATTORNEY, "Counsel, your client Ms. Ruth Abebe signed her U visa declaration today; she is afraid the "
     "children's father will find out."),
    (ATTORNEY, "Mèt, kliyan w lan siyen deklarasyon viza U li jodi a. Li pè papa pitit li a aprann sa."),
    (ATTORNEY, "Maître Diouf, votre client M. Sarr a obtenu l'asile en mars ; nous ne pouvons rien dire de son "
     "codétenu."),
    (ATTORNEY, "Counsel, you asked about the two men in Mr. Karimi's unit; that we cannot discuss. "
     "Mr. Karimi's withholding hearing moved to 2 October."),
    (ATTORNEY, "Lic. Paz, usted preguntó por los otros detenidos de la celda del Sr. Godoy. No podemos hablar de "
     "ellos. La entrevista de miedo creíble del Sr. Godoy fue positiva."),
    (ATTORNEY, "Lic. Soto, su clienta, la Sra. Ruth Lara, tiene una visa U; la mujer con quien la arrestaron no "
     "aparece en el sistema."),
    (ATTORNEY, "Counsel, re your client Mr. Arash Tehrani and his brother: the brother is not in our records. "
     "Mr. Tehrani's asylum interview is on 9 May."),
    (ATTORNEY, "Counsel for the respondent in the custody case: your client Mr. Ivo Kral was granted asylum."),
    (ATTORNEY, "Counsel, your client is a witness for HSI in the case against his former landlord, Mr. Odin Lee."),
    (APPLICANT, "Madame Touré, votre mari et vos filles sont dérivés sur votre demande d'asile ; votre ex-mari "
     "n'est pas concerné."),
    (PUBLIC, "Thread: 1) Asylum is one form of protection. 2) Withholding does not give a green card."),
    (APPLICANT, "Mr. Castillo, your asylum case includes your wife and son, who crossed with you at Nogales."),
    (APPLICANT, "Madame Sow, vos enfants venus avec vous figurent sur votre demande d'asile."),
    (PUBLIC, "FAQ: Does CAT give residence? No. Withholding and CAT only prevent removal to one country."),
    (APPLICANT, "Madan Jean, kouzen w lan te pase biwo a. Randevou azil ou a rete 5 jiyè."),
    (APPLICANT, "Ms. Reyes, your husband Mr. Daniel Reyes and your two children are derivatives on your asylum "
     "application and will be interviewed with you."),
    (APPLICANT, "Sra. Cano, su esposo y sus hijos figuran como derivados en su solicitud de asilo."),
    (APPLICANT, "Mr. Lim, your brother Mr. Sung Lim, whom you named as your sponsor, confirmed the address. "
     "Your asylum interview is on 2 June."),
    (APPLICANT, "Mr. Ramos, your ex-wife called our office about the children's passports; please contact her "
     "directly. Your asylum interview is on 8 April."),
]

DISCLOSING = {
    "an application or case that keeps a counted group here": [
        (FG, "Of the 40 nationals on your note, 6 have cases pending that prevent their removal this year."),
        (FG, "De los 19 connacionales de la lista, 3 tienen solicitudes ante el juez que impiden su deportación."),
        (FG, "Sur les 15 ressortissants, 2 ont des recours devant le tribunal qui empêchent leur renvoi."),
    ],
    "fear-interview shorthand and screening with the asylum agency": [
        (THIRD, "Hold AYALA, Mirna and TEC, Byron off the van: both have RF interviews set for Tuesday."),
        (FG, "About 3 of the 20 returnees may still be in screening with USCIS; we will confirm."),
        (FG, "Yo 4 nan lis la toujou gen dosye lakrentif ouvè, nou pa ka mete yo sou vòl la."),
    ],
    "a witness in a prosecution, data put online, an asylum-officer interview in French": [
        (FG, "Mr. Ilie Munteanu is a key witness in the federal trial of a trafficking ring and cannot travel."),
        (FG, "Ms. Aline Uwase is among the people whose records appeared in the list posted online last month."),
        (FG, "M. Traoré a un entretien avec une agente de l'asile la semaine prochaine."),
    ],
    "the agency's own mistake in Spanish; a few of a list in Spanish": [
        (THIRD, "La Sra. Yesica Lobo está en el listado que subimos por error a la web en marzo."),
        (FG, "De la lista del 5 de mayo, unos cuantos tienen todavía su caso de asilo abierto."),
    ],
    "the named reader's own data in the exposed file, sent to someone else": [
        (THIRD, "Dear Mr. Omondi,\n\nYour name and A-number were in the spreadsheet posted by mistake in May."),
    ],
}

PASSING = {
    "forms of relief as the subject of a thread on the law": [
        (PUBLIC, "1/3 Asylum, withholding and CAT are different things. 2/3 Withholding does not lead to a green "
         "card. 3/3 CAT deferral only prevents removal to one country."),
        (PUBLIC, "Hilo: el asilo y la retención no dan lo mismo. La retención y la CAT impiden la deportación al país "
         "de riesgo, pero no dan residencia."),
    ],
    "a home for the old, an order that prevents nothing about protection": [
        (THIRD, "Mrs. Hale, your mother is settled at the Sacred Heart asylum for the aged; visiting is on Sundays."),
        (THIRD, "Mr. Sousa, St. Anne's asylum for the infirm has a bed for your uncle from Monday."),
    ],
    "counts and words near the new ones with nothing of protection": [
        (FG, "Of the 30 nationals on your note, 4 have hearings on criminal charges first; the rest travel in June."),
        (PUBLIC, "The agency has 3,000 cases in the pipeline for records requests this year."),
        (THIRD, "Ms. Ana Ruiz was a witness at our wedding and will stand as godmother."),
        (FG, "Unos cuantos países de la región ya confirmaron su participación en la reunión."),
        (PUBLIC, "Radyo: nan tout peyi a, plizyè milye demann azil ap tann, dapre chif ofisyèl yo."),
        (THIRD, "Dear Mr. Omondi,\n\nYour name and address are correct on the bus roster for Friday."),
    ],
}

ROWS = (
    class_rows(DISCLOSING, PASSING)
    + [(ATTORNEY, text, "block") for texts in OTHER_CLIENT.values() for text in texts]
    + [(APPLICANT, text, "block") for texts in TO_APPLICANT.values() for text in texts]
    + [(kind, text, "pass") for kind, text in OWN_CASE]
    # every message to the attorney or the applicant about someone else may go to the court
    + [(RecipientKind.COURT, texts[0], "pass") for texts in (*OTHER_CLIENT.values(), *TO_APPLICANT.values())]
)


@pytest.mark.parametrize(("kind", "text", "expected"), ROWS)
def test_sixth_round_who_may_know_classes(kind: RecipientKind, text: str, expected: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", kind), policy=RULES_ALONE).verdict == expected


@pytest.mark.parametrize("name", ["messages_dev13.jsonl", "messages_probe8w.jsonl"])
def test_sixth_round_who_may_know_sets_meet_the_bar(name: str) -> None:
    # The sentence rules alone meet the bar on the set and on the probe written during the round.
    rules = score_set(DATA / name, RULES_ALONE)
    assert rules.recall >= 0.98
    assert rules.precision >= 0.95
