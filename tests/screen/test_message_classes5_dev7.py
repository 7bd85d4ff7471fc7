"""Classes from dev7 (replies and answers: inquiry desks, press follow-ups, consular questions, FAQ answers, replies
quoting the question), each with messages worded unlike tests/screen/data/messages_dev7.jsonl, and the disclosing
messages that sit next to each fix."""

from __future__ import annotations

import pytest

from support.message_sets import RULES_ALONE, class_rows
from veil.screen import Recipient, RecipientKind, screen_message

FG, PUBLIC, THIRD = RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY
# The classes are the sentence rules' (the learned model is retrained on these lists afterwards).


DISCLOSING = {
    "a national figure next to a named group is still about that group": [
        (FG, "The national grant rate was 40%, but the nationals on Tuesday's flight have pending asylum claims."),
        (PUBLIC, "Half of the people on the charter asked for asylum before the fiscal year ended."),
    ],
    "a count question about a named group": [
        (PUBLIC, "How many of them claimed asylum? Four of the nine passengers did."),
        (FG, "¿Cuántos de ellos pidieron asilo? Tres de los pasajeros del vuelo 881 lo pidieron."),
    ],
    "a rule about asking, with a named family": [
        (THIRD, "Ya no hace falta preguntar si la familia Quispe pidió asilo: la pidió en marzo."),
    ],
    "the reader's quoted request answered": [
        (FG, "> Kindly let us know if Mr. Teodoro Amaya has claimed asylum.\n\nHe has; his interview was last week."),
    ],
    "someone in the exposed document": [
        (PUBLIC, "A roster of detainees was posted online by mistake. Ms. Lidia Faro was in the roster."),
    ],
    "an official who is also an applicant": [
        (FG, "Mr. Ilyas Darwish, of the protocol office, has himself applied for asylum."),
    ],
    "someone's file placed under the confidentiality rules for people who seek protection": [
        (
            FG,
            "The visit to Mr. Goran Vukic is declined: his file is covered by confidentiality rules for people "
            "who seek asylum.",
        ),
        (
            FG,
            "No es posible visitar a la señora Elena Choque: su caso queda bajo las normas de confidencialidad "
            "para quienes piden asilo.",
        ),
        (
            FG,
            "La visite à M. Sékou Camara est refusée : son dossier est soumis aux règles de confidentialité "
            "pour les demandeurs d'asile.",
        ),
        (FG, "Vizit la pa posib: dosye Mesye Wilner Joseph anba règ konfidansyalite pou moun k ap mande azil."),
    ],
    "someone placed in the process for people who fear return": [
        (FG, "The transfer of Mr. Oumar Sy is paused: he was placed in the procedure for people who fear return."),
    ],
    "fear of harm on return, in Spanish": [
        (THIRD, "Los hermanos Quiroga temían que los mataran si los deportaban; por eso no viajaron."),
    ],
    "a pending-asylum work permit whose expiry year is not a statistic": [
        (THIRD, "Re Mr. Hamid Sultani: his EAD is category (c)(8) and expires in 2027."),
        (THIRD, "Sobre el señor Julio Ajcip: su permiso de trabajo es de categoría c8 y caduca en 2027."),
    ],
    "a real story, not one with its names changed": [
        (PUBLIC, "Mariam Touré est arrivée seule. Elle nous a dit qu'elle avait peur de rentrer."),
    ],
}


PASSING = {
    "a national figure or rate, all nationalities or one nationality, with no group named": [
        (FG, "The national approval rate for asylum cases from Togolese nationals was 38% in FY2024."),
        (PUBLIC, "The national total of credible fear screenings for the first half of the fiscal year was 51,300."),
    ],
    "a question asking for a count, answered with a statistic": [
        (PUBLIC, "Q: How many people were given refugee status in 2024?\n\nA: Roughly 100,000, nationwide."),
        (PUBLIC, "P: ¿Cuántas personas pidieron asilo en 2024?\n\nR: Unas 200.000 en todo el país, según las cifras."),
        (PUBLIC, "Q : Combien de personnes ont obtenu l'asile en 2024 ?\n\nR : Environ 40 000 au niveau national."),
        (PUBLIC, "K: Konbyen moun ki te jwenn azil an 2024?\n\nR: Apeprè 40 000 moun, dapre estatistik yo."),
    ],
    "the reader's own FAQ question quoted at the head of an answer": [
        (PUBLIC, "> Will my landlord find out that I applied for asylum?\n\nNo. The agency does not tell landlords."),
        (PUBLIC, "> Èske patwon m ap konnen mwen te mande azil?\n\nNon. Enfòmasyon sa yo konfidansyèl."),
    ],
    "a rule forbidding a question about anyone (Spanish)": [
        (THIRD, "El casero no puede preguntar si un inquilino solicitó asilo ni pedir pruebas de estatus."),
    ],
    "a regulation with its citation in brackets as the subject": [
        (FG, "Regarding specific individuals: the regulations (8 CFR 208.6) bar disclosing asylum information."),
    ],
    "the confidentiality rule told to the reader about their own application": [
        (PUBLIC, "Q: Who sees my file?\n\nA: Your asylum application is confidential, with narrow exceptions."),
    ],
    "a notice that the reader was not in the exposed document": [
        (PUBLIC, "A spreadsheet was emailed to the wrong address. If we have not called you, you were not in it."),
    ],
    "the reader's quoted request declined": [
        (FG, "> Please confirm whether Ms. Olga Petrenko has requested asylum.\n\nWe cannot confirm or deny that."),
    ],
    "the confidentiality rules for people who seek protection, stated as a rule": [
        (FG, "Confidentiality rules for people who seek asylum apply to every file we hold, whoever asks."),
        (PUBLIC, "Las normas de confidencialidad para quienes piden asilo se aplican a todos los expedientes."),
    ],
    "the process for people who fear return, described in general": [
        (PUBLIC, "The process for people who fear return starts with a screening interview by an asylum officer."),
    ],
    "fear of harm to a thing, in Spanish": [
        (THIRD, "Temían que la lluvia hiciera daño al techo si volvía a llover; por eso lo repararon."),
    ],
    "a statistic on pending-asylum work permits": [
        (PUBLIC, "In 2024 the agency issued about 600,000 category (c)(8) work permits nationwide."),
    ],
    "an official named with an office for two kinds of protection": [
        (FG, "Mr. Paul Okafor, head of the refugee and asylum affairs division, will attend the talks."),
    ],
    "a story whose names are changed, or a composite": [
        (PUBLIC, "« Awa » (prénom changé) avait peur de rentrer chez elle ; nous l'avons aidée à demander l'asile."),
        (PUBLIC, 'Los nombres, edades y lugares están cambiados: "Luis" representa a chicos que pidieron asilo.'),
        (PUBLIC, "'Dawit' (name changed) told our volunteers he was afraid to go back, and he applied for asylum."),
    ],
}


# each row: recipient, message, expected verdict; the first message of each disclosing class also goes to the agency
ROWS = class_rows(DISCLOSING, PASSING)


@pytest.mark.parametrize(("kind", "text", "expected"), ROWS)
def test_dev7_classes(kind: RecipientKind, text: str, expected: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", kind), None, RULES_ALONE).verdict == expected
