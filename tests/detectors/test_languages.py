"""Ordinary words of other languages are not names: sentence-opening function words and country names in Italian,
French, Portuguese, German and Spanish prose about asylum name nobody; a person tied to asylum in those languages
is still found."""

from __future__ import annotations

import pytest

from veil.detectors.text import analyse_text
from veil.findings import Kind
from veil.readers.units import Text, Visibility

POLICY_PROSE = {
    "it": "Secondo i dati del ministero, la Grecia ha ricevuto meno domande di asilo. Tuttavia la Francia chiede "
          "regole comuni. Durante il Consiglio europeo, Malta e Cipro hanno chiesto più solidarietà per l'asilo. "
          "Mentre la Spagna apre nuovi centri, Inoltre la Polonia rifiuta la ricollocazione dei richiedenti asilo.",
    "fr": "Selon le ministère, la Grèce a reçu moins de demandes d'asile. Cependant la France réclame des règles "
          "communes. Depuis janvier, Malte et Chypre demandent plus de solidarité. Alors que l'Espagne ouvre des "
          "centres, la Pologne refuse la relocalisation des demandeurs d'asile. Pendant ce temps la Suisse attend.",
    "pt": "Segundo o ministério, a Grécia recebeu menos pedidos de asilo. Contudo a França pede regras comuns. "
          "Durante o Conselho Europeu, Malta e Chipre pediram mais solidariedade. Enquanto a Espanha abre centros, "
          "a Polónia recusa a recolocação dos requerentes de asilo. Além disso a Irlanda anunciou novos fundos.",
    "de": "Laut Ministerium erhielt Griechenland weniger Asylanträge. Dennoch fordert Frankreich gemeinsame Regeln. "
          "Seit Januar verlangen Malta und Zypern mehr Solidarität beim Asyl. Während Spanien neue Zentren öffnet, "
          "lehnt Polen die Umverteilung der Asylbewerber ab. Außerdem kündigte Irland neue Mittel an.",
    "es": "Según el ministerio, Grecia recibió menos solicitudes de asilo. Sin embargo Francia pide reglas comunes. "
          "Durante el Consejo Europeo, Malta y Chipre pidieron más solidaridad. Mientras España abre centros, "
          "Polonia rechaza la reubicación de los solicitantes de asilo. Además Irlanda anunció nuevos fondos.",
}

PERSON_PROSE = {
    "it": "La signora Giulia Bianchi, nata il 03/02/1988, ha chiesto la protezione internazionale a Milano.",
    "fr": "Madame Claire Dubois a déposé une demande d'asile à Lyon; sa demande d'asile est en cours.",
    "pt": "A senhora Ana Ferreira pediu asilo em Lisboa; o seu pedido de asilo está pendente.",
    "de": "Frau Anna Schneider hat in München Asyl beantragt; ihr Asylantrag wird geprüft.",
    "es": "La señora Lucía Fernández solicitó asilo en Sevilla; su solicitud sigue pendiente.",
}


def _findings(text: str) -> list:
    return analyse_text(Text("page 1", Visibility.VISIBLE, text))


@pytest.mark.parametrize("lang", sorted(POLICY_PROSE))
def test_function_words_and_countries_of_other_languages_name_nobody(lang: str) -> None:
    findings = _findings(POLICY_PROSE[lang])
    assert not [f for f in findings if f.kind is Kind.PERSON_IN_TEXT]
    assert not [f for f in findings if f.kind is Kind.NAMED_PERSON and f.person_keys]


@pytest.mark.parametrize("lang", sorted(PERSON_PROSE))
def test_a_person_tied_to_asylum_in_another_language_is_found(lang: str) -> None:
    findings = _findings(POLICY_PROSE[lang] + "\n\n" + PERSON_PROSE[lang])
    tied = [f for f in findings if f.kind is Kind.PERSON_IN_TEXT]
    assert len(tied) == 1 and len(tied[0].person_keys) == 1
