"""Spanish, French and Haitian Creole classes that needed code, not patterns: the French words of `guess_language`,
the es/fr/ht greetings that name the reader, generic role nouns under a law subject ("todas las personas", "chak
moun"), broadcasters ("Radyo Vizyon") and an office after a title ("Mesye Konsil") that are no person's name."""

from __future__ import annotations

import pytest

from support.message_sets import RULES_ALONE, class_rows
from veil.detectors.sentence_rules import guess_language
from veil.screen import Recipient, RecipientKind, screen_message

FG, PUBLIC, THIRD = RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY
# The classes are the sentence rules' (the learned model is retrained on these lists afterwards).


DISCLOSING = {
    "the reader named in an es/fr/ht greeting, told of the reader's own pending case": [
        (
            THIRD,
            "Chère Madame Lenoir,\nvotre demande d'asile est en attente; l'entretien aura lieu le 3 avril.",
        ),
        (THIRD, "Estimada Sra. Quintana:\nsu caso de asilo está pendiente; la entrevista es el 3 de abril."),
        (THIRD, "Bonjou Madan Joseph,\ndemann azil ou an ap tann toujou; entèvyou a se 3 avril."),
        (THIRD, "Bonjour Maître Lefèvre,\nvotre demande d'asile est toujours en cours d'examen."),
    ],
    "a title and a name opening a sentence about that person (no greeting: the line goes on)": [
        (THIRD, "Señora Beatriz Ocampo, la nueva chofer, tiene asilo desde 2019."),
        (THIRD, "Madame Odile Ferrand, la nouvelle cuisinière, a obtenu l'asile en 2019."),
        (THIRD, "Madan Rose Pierre, nouvo kizinyè a, te jwenn azil an 2019."),
    ],
    "a law subject, then named or counted people (not the rule's generic role)": [
        (PUBLIC, "Según la ley de asilo, los hijos de Ana Ruiz tienen asilo desde 2019."),
        (PUBLIC, "La loi sur l'asile protège toutes les personnes du vol 318 du 2 mai, qui ont demandé l'asile."),
        (PUBLIC, "Lalwa sou azil pwoteje tout moun ki te sou vòl 318 la e ki te mande azil."),
    ],
    "a broadcaster that names a person with a status": [
        (PUBLIC, "Radio Métropole : M. Jean-Robert Alexis, arrivé par le vol 318, a demandé l'asile."),
        (PUBLIC, "Radyo Vizyon: Jean-Robert Alexis, ki te nan vòl 18 oktòb la, te mande azil."),
    ],
    "the consul addressed by office, told of a named person's pending claim": [
        (FG, "Mesye Konsil,\nMesye Wilner Désir gen yon demann azil k ap tann; tanpri sispann dokiman vwayaj li."),
        (FG, "Monsieur le Consul,\nM. Wilner Désir a une demande d'asile en cours; merci de suspendre son document."),
        (FG, "Señor Cónsul:\nel señor Aurelio Paz tiene una solicitud de asilo pendiente; suspenda el pasaporte."),
        (FG, "Jefa, la señora Flor Mamani tiene audiencia de asilo el mes que viene."),
    ],
}

PASSING = {
    "the reader named in an es/fr/ht greeting, then a general notice": [
        (THIRD, "Estimada Sra. Quintana:\nla oficina de asilo cierra el viernes por el feriado."),
        (THIRD, "Chère Madame Lenoir,\nle guichet de l'asile est fermé vendredi."),
        (THIRD, "Bonjou Madan Joseph,\nbiwo azil la fèmen vandredi."),
        (THIRD, "Note à l'école (Mme Lenoir) : le bureau de l'asile est fermé vendredi."),
    ],
    "a law subject over a generic role noun (the family, every person, all people)": [
        (PUBLIC, "La ley de asilo protege a todas las personas que temen persecución en su país."),
        (PUBLIC, "La ley de asilo protege a cada persona que teme persecución."),
        (PUBLIC, "La loi sur l'asile protège la famille du demandeur pendant l'examen."),
        (PUBLIC, "La loi sur l'asile protège toutes les personnes qui craignent d'être persécutées."),
        (PUBLIC, "La loi sur l'asile protège chaque personne qui craint la persécution."),
        (PUBLIC, "Lalwa sou azil pwoteje chak moun ki pè pèsekisyon."),
        (PUBLIC, "Lalwa sou azil pwoteje tout moun ki pè pèsekisyon."),
    ],
    "a broadcaster's programme about asylum (the station is no person)": [
        (PUBLIC, "Radyo Vizyon ap fè yon emisyon sou azil samdi a 8è."),
        (PUBLIC, "Radio Métropole : émission sur le droit d'asile samedi à 20 h."),
        (PUBLIC, "Radio Caracol: programa especial sobre el proceso de asilo el sábado."),
    ],
    "the consul or the boss addressed by office, then no person": [
        (FG, "Mesye Konsil Jeneral,\nSijè: azil an atant. Pa gen chanjman nan orè vòl yo."),
        (FG, "Monsieur le Consul,\nObjet : asile en attente. Aucun changement au calendrier des vols."),
        (FG, "Señor Cónsul:\nAsunto: asilo pendiente. Sin cambios en el calendario de vuelos."),
        (THIRD, "Jefa, la oficina de asilo cierra el viernes."),
    ],
}


# each row: recipient, message, expected verdict
ROWS = class_rows(DISCLOSING, PASSING)


@pytest.mark.parametrize(("kind", "text", "expected"), ROWS)
def test_es_fr_ht_code_classes(kind: RecipientKind, text: str, expected: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", kind), None, RULES_ALONE).verdict == expected


@pytest.mark.parametrize(
    ("sentence", "lang"),
    [
        # short French sentences and table rows, read as French by "votre", "notre", "liste", "partent"
        ("Votre dossier est complet.", "fr"),
        ("Notre liste : 12 partent lundi.", "fr"),
        ("| Liste B | 14 | partent le 4 mai |", "fr"),
        ("Vos dossiers partent demain.", "fr"),
        # "nos" and "vos" are Spanish too; English keeps its own
        ("Nos vemos mañana.", "es"),
        ("Nos dijeron que el vuelo sale el lunes.", "es"),
        ("Vos datos están en la lista.", "es"),
        ("Your list is ready.", "en"),
    ],
)
def test_guess_language_reads_short_french(sentence: str, lang: str) -> None:
    assert guess_language(sentence) == lang
