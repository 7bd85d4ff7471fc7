"""Classes added in the fourth round of issue 13 (a fourth author's notes verbales, pasted tables, forwarded
threads and chat, in Spanish, French and Haitian Creole as much as English), each with messages worded unlike
tests/screen/data/messages_dev4.jsonl (written before the round's tuning) and messages_probe4.jsonl (written after
its first fixes, to find classes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.message_sets import score_set
from veil.screen import Recipient, RecipientKind, screen_message

DATA = Path(__file__).parent / "data"
FG, PUBLIC, THIRD = RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY
ATTORNEY = RecipientKind.ATTORNEY


DISCLOSING = {
    "people named by their seat (number and letter)": [
        (THIRD, "Crew: 7B and 9F stay on the ground, their CFI results are not back."),
        (THIRD, "Asientos 3C y 4D no suben: tienen caso de asilo abierto."),
        (THIRD, "Sièges 2A et 2B : demande d'asile en cours, ne pas embarquer."),
    ],
    "a group defined by a pending interview": [
        (FG, "Please hold back the men whose screenings are still pending; we will send their names later."),
        (FG, "No programen a los del autobús cuyas entrevistas siguen pendientes."),
        (FG, "Ne réservez pas ceux du groupe dont les entretiens sont encore en attente."),
    ],
    "a few of a group, in a hedge (two or three, unos tres o cuatro)": [
        (FG, "Of the Monday arrivals, two or three may have something open with an asylum officer."),
        (FG, "De los que llegaron el martes, unos dos o tres podrían tener trámite de asilo."),
        (
            FG,
            "Parmi les personnes arrivées lundi, deux ou trois ont peut-être une "
            "procédure ouverte auprès du bureau de l'asile.",
        ),
    ],
    "an incident named around the keywords": [
        (FG, "Some names on the June roster are part of the records-management issue we raised in May."),
        (FG, "Varias personas de la lista de junio están afectadas por el error de publicación de mayo."),
        (FG, "Certains noms de la liste de juin sont concernés par l'incident de gestion des données de mai."),
        (
            PUBLIC,
            "If you were detained at the Eloy center last spring, the list that was "
            "briefly visible online had your name.",
        ),
    ],
    "a witness or informant by role": [
        (THIRD, "Keep Mr. Osvaldo Tun off the van, he has been helping federal prosecutors with the smuggling case."),
        (THIRD, "Ruiz is our CI in the cartel case, do not move him."),
        (FG, "No podemos retornar al Sr. Elmer Cac. Es testigo principal en un juicio federal."),
    ],
    "declining consular contact because of what happened at home": [
        (FG, "Ms. Hanna Bekele refused to meet your consul because of what the police did to her family."),
        (FG, "El Sr. Ovidio Lax no quiere contacto con su consulado por lo que le hicieron allá."),
    ],
    "fear shorthand and hedges without the keywords": [
        (THIRD, "the Ixil family is waiting on RFI, leave them off Friday"),
        (THIRD, "Most of the Haitians from the Sunday intake are going to claim, if the nurse is right."),
        (FG, "La familia Quej sale del vuelo: les salió positivo el tamizaje de miedo."),
        (THIRD, "La plupart de ceux du groupe de lundi sont des cas de crainte."),
    ],
    "the asylum office granting, or nothing pending there": [
        (PUBLIC, "Our member Farid Amini was finally recognised by the asylum office in March."),
        (FG, "We asked the asylum office: none of the 12 on your list has anything pending."),
        (FG, "M. Ousmane Sy n'a sollicité aucune forme de protection."),
    ],
    "USCIS as the one interviewing someone; TVPA alone as a note": [
        (FG, "Mr. Ali Rezaei: USCIS re-interviewed him on Monday about the threats, so no travel document yet."),
        (FG, "A la Sra. Irma Coc la entrevistó USCIS el jueves; esperamos la decisión."),
        (THIRD, "VAN 2\n07 TZUL, Marcos - hold, TVPA\n08 PEC, Ana - ok"),
    ],
    "whether someone can safely be returned": [
        (FG, "Mr. Arman Petrosyan's case is with a judge deciding whether he would be safe in Armenia."),
        (FG, "El juez decide si la Sra. Olga Díaz puede regresar sin peligro a Nicaragua."),
        (FG, "Le juge examine si M. Amadou Ba peut rentrer en toute sécurité."),
        (PUBLIC, "Une vingtaine des passagers du vol de mars craignaient pour leur vie."),
    ],
    "a notice to the people who passed through a named place": [
        (PUBLIC, "Las familias que pasaron por el centro de Dilley en mayo: su nombre estaba en el archivo publicado."),
        (PUBLIC, "Si vous avez été détenus au centre de Tacoma en juin, le fichier publié par erreur vous concerne."),
    ],
    "records that ended up on the site": [
        (THIRD, "Los nombres de los tres inquilinos acabaron en la página del departamento por un descuido."),
    ],
    "a refugee by status, and a subject dropped in Spanish": [
        (THIRD, "La mamá de Kevin es refugiada de Venezuela; no la mencionen en la reunión."),
        (THIRD, "La mère de Fatou est réfugiée depuis 2019 ; merci de ne pas en parler."),
        (FG, "No podemos retornar al Sr. Hugo Ixim. Accedió a testificar contra la red."),
    ],
    "what officers must examine before a removal; claims still being heard": [
        (
            FG,
            "Several men from the Nogales bus raised things with our officers that we are required to review "
            "before they can be returned.",
        ),
        (FG, "Algunos de los del grupo dijeron cosas que tenemos que revisar antes de poder retornarlos."),
        (FG, "Certains passagers ont dit des choses que nous sommes tenus d'examiner avant de pouvoir les renvoyer."),
        (THIRD, "Drop the Rivas brothers from Monday's van, they have claims that are still pending."),
        (THIRD, "Quiten a los hermanos Rivas de la camioneta del lunes, tienen reclamos pendientes."),
    ],
    "admitted through resettlement or from a refugee camp": [
        (THIRD, "The Abdi family arrived via refugee resettlement in 2015; please keep that off the lease."),
        (THIRD, "Ms. Grace Achieng came to Ohio from the Dadaab refugee camp, so she has no rental history."),
        (THIRD, "La famille Habimana est arrivée par la réinstallation en 2017."),
    ],
    "a percentage of a named group is still the group": [
        (FG, "About 10% of the passengers on flight 2214 had asked for asylum before boarding."),
    ],
    "French fear in the infinitive, and harm foretold if returned": [
        (FG, "Parmi les passagers du bus 3, plusieurs ont dit avoir peur de retourner chez eux."),
        (FG, "M. Ibrahim Sow a expliqué que si on le renvoie, la milice le tuera."),
    ],
    "fear interviews in telegraphic notes": [
        (THIRD, "CAR 2 : DIALLO, Ousmane - reste (examen crainte en cours)"),
        (THIRD, "BUS 2: PAZ, Nery - se queda (entrevista miedo pendiente)"),
    ],
    "matters the law keeps from any government": [
        (
            FG,
            "A few of the people on your list have cases that the law does not allow "
            "us to discuss with any government.",
        ),
    ],
}

OTHER_CLIENT = [
    "Mèt, zanmi w Wilner di li pa ka vini: li gen entèvyou azil pa l lendi.",
    "You asked about your friend Mr. Ortega. His asylum case was decided last week.",
    "Counsel, your client's brother has separately filed for asylum, so his hearing is on another day.",
    "Counsel, Mr. Tomas Rios's own I-589 is pending, so he will not testify at your client's hearing.",
    "Licenciada, el primo de su cliente presentó por separado su propia solicitud de asilo.",
]

PASSING = {
    "a working group is not a group of people": [
        (FG, "Note pour le groupe de travail : 640 entretiens de crainte crédible au niveau national ce trimestre."),
        (FG, "Para el grupo de trabajo: 1.100 entrevistas de miedo creíble en todo el país en el trimestre."),
    ],
    "a notice about a published file, in Spanish and French": [
        (PUBLIC, "Se publicó por error un archivo con datos personales de personas detenidas; ya fue retirado."),
        (
            PUBLIC,
            "Un fichier contenant des données personnelles de personnes retenues a été publié par erreur puis retiré.",
        ),
    ],
    "law and policy: obligations, forms of relief compared, the provision as frame, the reader's FAQ": [
        (FG, "The United States fully respects its non-refoulement obligations; we do not discuss individual cases."),
        (PUBLIC, "Unlike asylum, they give no path to a green card."),
        (FG, "Conforme al 8 CFR 208.6, no compartimos solicitudes de asilo ni la información relacionada con ellas."),
        (PUBLIC, "FAQ: Will the judge tell my embassy that I asked for asylum? No."),
    ],
    "a protection rule as the subject, and what a visa is for": [
        (PUBLIC, "La protección contra la tortura prohíbe devolver a una persona a un país donde la torturarían."),
        (PUBLIC, "Le principe de non-refoulement interdit de renvoyer une personne là où elle serait persécutée."),
        (PUBLIC, "Viza T a se pou moun ki viktim trafik moun."),
        (FG, "Please have your officials interview the five men; USCIS interviewed them for citizenship in 2019."),
    ],
    "someone granted relief as the subject of a rule; officials who hear asylum cases": [
        (
            PUBLIC,
            "Any person granted asylum may petition for a spouse, and they can apply for a green card after a year.",
        ),
        (PUBLIC, "Judge Lena Park, who has decided asylum appeals since 2012, will speak at the bar dinner."),
        (PUBLIC, "La juge Anne Roy, qui a tranché des dossiers d'asile pendant vingt ans, sera honorée."),
    ],
    "resettlement as an institution": [
        (PUBLIC, "The resettlement agency's office moves to Main Street in June; resettlement funding is unchanged."),
    ],
    "records as the subject of a confidentiality rule; people who fear return, in general": [
        (PUBLIC, "Fact: refugee files are confidential, and officers may not hand them to any embassy."),
        (PUBLIC, "Quienes temen volver a su país pueden solicitar asilo aunque hayan entrado sin visa."),
        (PUBLIC, "Les personnes qui craignent un retour peuvent demander l'asile à la frontière."),
        (PUBLIC, "Moun ki pè retounen lakay yo ka mande azil nan fwontyè a."),
    ],
    "a percentage of a population; a spokesperson who neither confirms nor denies (Spanish)": [
        (PUBLIC, "In FY2025, 9% of the people deported on charter flights had an earlier positive fear finding."),
        (PUBLIC, "Sobre el caso del domingo, la oficina no confirma ni niega si la familia pidió asilo."),
    ],
    "shelters for people seeking asylum (Spanish, French, Creole)": [
        (PUBLIC, "El albergue San José recibe a mujeres y niños solicitantes de asilo; faltan cobijas."),
        (PUBLIC, "Le foyer accueille des jeunes demandeurs d'asile ; il manque des couvertures."),
        (PUBLIC, "Sant lan gen kabann pou fanmi k ap mande azil; nou bezwen dra."),
    ],
    "French departures with no reason": [
        (FG, "Si on le renvoie jeudi, il faudra prévoir un fauteuil roulant à l'arrivée."),
    ],
    "an incident plan, a national rate, a law that forbids saying whether (Spanish)": [
        (PUBLIC, "Our security breach notification policy tells residents what happens if their data is ever exposed."),
        (PUBLIC, "Refugee admissions from the region rose 8% in 2025, close to the national average for the decade."),
        (FG, "Consejero, la normativa nos prohíbe decir si alguna persona solicitó asilo."),
    ],
    "refusals in Creole": [
        (FG, "Biwo a pa janm di si yon moun mande azil oswa non."),
    ],
    "institutions and training": [
        (FG, "Le chef de la division de l'asile présentera les nouveaux délais."),
        (
            FG,
            "A course on the Istanbul Protocol and documenting torture for the Honduran National Police starts in May.",
        ),
        (PUBLIC, "The old hospital everyone called the asylum will be demolished next year."),
    ],
    "an interview that is not a fear interview": [
        (FG, "Please schedule the four whose consular interviews are still pending for travel documents."),
    ],
}


# the client's own case, after a sentence about someone else, still reaches the client's attorney
OWN_CASE = [
    "Counsel, the other man arrested with your client was released. Your client's asylum hearing is on Monday.",
    "Licenciado, el primo de su cliente llamó ayer. La audiencia de asilo de su cliente sigue el lunes.",
]

# each row: recipient, message, expected verdict; the first message of each disclosing class also goes to the agency
ROWS = (
    [(kind, text, "block") for pairs in DISCLOSING.values() for kind, text in pairs]
    + [(ATTORNEY, text, "block") for text in OTHER_CLIENT]
    + [(kind, text, "pass") for pairs in PASSING.values() for kind, text in pairs]
    + [(RecipientKind.AGENCY, pairs[0][1], "pass") for pairs in DISCLOSING.values()]
    + [(ATTORNEY, text, "pass") for text in OWN_CASE]
)


@pytest.mark.parametrize(("kind", "text", "expected"), ROWS)
def test_fourth_round_classes(kind: RecipientKind, text: str, expected: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", kind)).verdict == expected


@pytest.mark.parametrize(
    ("name", "size", "recall"), [("messages_dev4.jsonl", 240, 0.98), ("messages_probe4.jsonl", 40, 0.98)]
)
def test_fourth_round_sets_meet_the_bar_and_every_suggestion_passes(name: str, size: int, recall: float) -> None:
    score = score_set(DATA / name)
    assert score.size >= size
    assert score.recall >= recall
    assert score.precision >= 0.95
