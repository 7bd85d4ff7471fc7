"""Spanish, French and Haitian Creole classes from dev12 (consular liaison with Latin-American governments) and
dev14 (NGOs, volunteers, hotlines, diaspora), added in the seventh round, each with messages worded unlike
tests/screen/data/messages_dev12.jsonl and messages_dev14.jsonl, and the hard negatives that must pass."""

from __future__ import annotations

import pytest

from support.message_sets import RULES_ALONE, class_rows
from veil.screen import Recipient, RecipientKind, screen_message

FG, PUBLIC, THIRD = RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY
ATTORNEY = RecipientKind.ATTORNEY
# The classes are the sentence rules' (the learned model is retrained on these lists afterwards).


DISCLOSING = {
    "identified as a victim of exploitation; in the victims' programme (es)": [
        (FG, "Señora Vicecónsul, el muchacho Brayan Toj se queda: lo reconocieron como víctima de trabajo forzoso."),
        (THIRD, "Don Efraín, a Yesenia Cux no la pongan en la lista de la van: entró en el programa para víctimas."),
    ],
    "a prosecution witness; testimony given to investigators; cooperating with them against someone (es/ht)": [
        (THIRD, "Para tu reportaje: el que te digo es Nicanor Ul. Es el que testificó como testigo clave del fiscal."),
        (
            PUBLIC,
            "Felicidades a Lucrecia Yat, que rindió su declaración ante el gran jurado sobre el taller clandestino.",
        ),
        (
            FG,
            "Cónsul, a Hermelindo Caal no lo repatrien: coopera con la fiscalía federal contra sus antiguos patrones.",
        ),
        (THIRD, "Moun w ap chèche a se Wilner Pierre-Louis. Li te temwen devan jij la kont patwon ki te eksplwate l."),
    ],
    "an ongoing cooperation told of a person the message named just before (es)": [
        (
            FG,
            "Estimada Cónsul:\nLe escribe la esposa del señor Abelino Chitay. Abelino sigue cooperando con los "
            "agentes federales contra el patrón que lo explotaba. Que nadie sepa su dirección.",
        ),
    ],
    "afraid a gang will find them if sent back; death threats and cannot go back (es/ht)": [
        (PUBLIC, "Oremos por Maricela Ajú: teme que los mareros la hallen si la deportan a Chalatenango."),
        (FG, "Licenciada, al señor Domingo Xol no lo suban: lo amenazaron de muerte en su aldea y no puede regresar."),
        (PUBLIC, "Priye pou frè nou Dieuseul Jean: li pè twòp pou bandi yo pa touye l si yo depòte l Okap."),
    ],
    "a file withheld under the confidentiality rules for protection seekers, of a named person (es)": [
        (
            FG,
            "Cónsul, sobre la señora Petrona Cumes solo le digo esto: su caso está cubierto por las normas de "
            "confidencialidad que rigen para quienes solicitan asilo.",
        ),
    ],
    "being in the published file, in a community's words (es/fr)": [
        (THIRD, "Sí, los Tuyuc Coj también aparecieron en lo de la página de migración, según la carta que les llegó."),
        (FG, "Lic. Batz, los primos Sicán figuran los dos en la lista que ICE subió por error; trátelos con cuidado."),
        (THIRD, "Oui, les époux Traoré sont touchés par « l'affaire du fichier de novembre », d'après leur courrier."),
        (
            PUBLIC,
            "Aviso para quienes viajaron en el vuelo del 3 de abril: si le llegó carta sobre la filtración de "
            "octubre, llámenos.",
        ),
    ],
    "a few of a named truck or bus, with fear claims (es)": [
        (
            THIRD,
            "Don Memo, unos cuantos del primer autobús seguramente son casos de miedo; no los cuente para el viaje.",
        ),
    ],
    "the writer's own client, named to another lawyer (es)": [
        (
            ATTORNEY,
            "Licenciada Ortiz, ¿representa usted a Juana Poz? Su hermana Lidia, que es clienta nuestra, "
            "obtuvo asilo en enero y puede recibirla.",
        ),
    ],
    "an asylum appeal pending, in French": [
        (THIRD, "Chauffeurs : Cheikh Diop n'embarque pas, son recours en matière d'asile est toujours devant la CNDA."),
    ],
}


PASSING = {
    "consular protection a consulate asks for its national (es/fr)": [
        (
            FG,
            "Cónsul Paredes, recibimos su petición de protección consular para el Sr. Elmer Chavac; visita el lunes.",
        ),
        (
            FG,
            "Monsieur le Consul, la requête de protection consulaire pour M. Idrissa Koné est notée : visite vendredi.",
        ),
    ],
    "the ban on torture as a training topic (es/fr)": [
        (FG, "Temario del taller para custodios penitenciarios: prevención de la tortura, registro de detenidos."),
        (THIRD, "Merci pour l'accueil du séminaire des gendarmes : prévention de la torture et droits des détenus."),
    ],
    "a public notice of the incident, the people as a population (es/ht)": [
        (
            PUBLIC,
            "Comunicado: por un error se publicó en línea información de migrantes bajo custodia; ya fue retirada.",
        ),
        (PUBLIC, "Avi: yon erè fè enfòmasyon pèsonèl moun ki nan detansyon parèt sou entènèt; yo retire l."),
        (THIRD, "Resumen para la red: la agencia dice que todas las personas afectadas ya recibieron su carta."),
    ],
    "a rule of never sharing; a Q&A question about a person (ht)": [
        (PUBLIC, "Ajans lan pa janm pataje ak okenn peyi non moun ki mande azil. Se lalwa."),
        (PUBLIC, "Kesyon: Èske yo ka arete yon moun pandan demann azil li an kou?"),
    ],
    "a survey sample with a share (es)": [
        (
            PUBLIC,
            "Encuesta 2024: de los 320 migrantes encuestados en Tapachula, el 64% no sabía que podía pedir asilo.",
        ),
    ],
    "fostering animals (es)": [
        (PUBLIC, "Gatitos sin hogar en la colonia Centro: ¡dales refugio por unos días! Escríbenos."),
    ],
    "the reader's own client; a place that is 'the one that' (es)": [
        (ATTORNEY, "Licenciado Barrios, su cliente Efraín Tum ganó su asilo ayer; le mando la copia de la decisión."),
        (THIRD, "¿El asilo de ancianos San José? Es el que está frente al parque central."),
        (PUBLIC, "¿Qué formulario piden? Es el que se usa para pedir asilo, el I-589, y es gratuito."),
    ],
    "an organisation cooperating with investigators (es)": [
        (PUBLIC, "Nuestra red de albergues está colaborando con los investigadores contra las redes de trata."),
    ],
    "a hard negative: the incident to everyone, a defence witness, an everyday fear (es)": [
        (PUBLIC, "Si usted recibió una carta sobre el incidente de noviembre, llame a la línea gratuita."),
        (THIRD, "Mañana declaro como testigo de la defensa en el juicio por el choque de la avenida."),
        (THIRD, "Mi hija tiene miedo de que el perro del vecino la muerda cuando pasa por la cerca."),
    ],
}


# each row: recipient, message, expected verdict; the first message of each disclosing class also goes to the agency
ROWS = class_rows(DISCLOSING, PASSING)


@pytest.mark.parametrize(("kind", "text", "expected"), ROWS)
def test_dev12_dev14_es_fr_ht_classes(kind: RecipientKind, text: str, expected: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", kind), None, RULES_ALONE).verdict == expected
