"""Spanish, French and Haitian Creole classes added in the fifth round of issue 13 (fast chat without accents, pasted
rosters, formal letters with the disclosure buried or implied), each with messages worded unlike
tests/screen/data/messages_dev5.jsonl and messages_dev6.jsonl (written before the round's tuning) and
messages_probe5b.jsonl (written in batches during it, to find classes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.message_sets import RULES_ALONE, class_rows, score_set
from veil.screen import Recipient, RecipientKind, screen_message

DATA = Path(__file__).parent / "data"
FG, PUBLIC, THIRD = RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY
ATTORNEY, APPLICANT = RecipientKind.ATTORNEY, RecipientKind.APPLICANT
# The classes are the sentence rules' (the learned model is retrained on these lists afterwards): a disclosing row
# the rules block is blocked by the whole screen too, and a passing row must not be blocked by any rule.


DISCLOSING = {
    "chat Spanish without accents (pidio, concedio)": [
        (FG, "oye, el muchacho de la lista del martes ya pidio proteccion, no lo subas"),
        (FG, "confirmo q a la señora Tzul le concedio asilo el juez, sacala del vuelo"),
    ],
    "relief granted to someone (le concedieron, le fue otorgado)": [
        (
            FG,
            "Al ciudadano Edgar Coc se le otorgó la suspensión de la deportación el mes pasado, por lo que "
            "no será retornado.",
        ),
        (THIRD, "Señor Lima: a su inquilina le fue concedido el asilo en enero, puede renovarle el contrato."),
    ],
    "something still open with USCIS or the asylum office, hedged": [
        (FG, "Del grupo de Reynosa, quizás dos sigan en trámite con la oficina de asilo."),
        (FG, "De la nómina que nos mandó, uno o dos podrían tener algo abierto con USCIS."),
        (FG, "Nan gwoup Matamoros la, gen kèk moun ki gen dosye ki poko fini ak USCIS."),
    ],
    "pending cases as the reason people come off a flight": [
        (FG, "Vuelo del 4: 6 de los 90 tienen casos pendientes, se bajan; salen 84."),
    ],
    "a request of a humanitarian character; asking not to be returned": [
        (FG, "Ninguna de las 14 señoras de su oficio tiene petición alguna de índole humanitaria en curso."),
        (
            FG,
            "Es probable que varios de los detenidos de Tornillo hayan pedido no ser devueltos por miedo a las maras.",
        ),
    ],
    "procedures of protection; still in the asylum procedure (French)": [
        (FG, "De las 31 personas de la lista, 4 tienen procedimientos de protección abiertos."),
        (
            THIRD,
            "Monsieur, votre salariée Mme Ngo est toujours en procédure d'asile, merci de patienter pour les papiers.",
        ),
    ],
    "a witness helping prosecutors or federal agents, in any tense": [
        (
            THIRD,
            "Su trabajador, el Sr. Abel Ixim, está cooperando con la fiscalía en una investigación de "
            "trata; no lo despida.",
        ),
        (FG, "M. Moussa Kané collabore avec les enquêteurs du FBI ; il ne peut être éloigné."),
        (FG, "Mesye Jean Wilner se yon temwen k ap ede lapolis federal nan yon ka."),
        (FG, "Madan Roselène Pierre ap bay temwayaj kont yon rezo trafik moun, li p ap vwayaje."),
    ],
    "trafficking investigations and victims' programmes": [
        (
            FG,
            "La joven Sandra M. fue localizada en una investigación por trata y hoy está en un programa de "
            "atención a víctimas.",
        ),
    ],
    "the subject left out after a name (es beneficiaria de visa T, tiene su cita de asilo)": [
        (THIRD, "Ref: Mirna Guch — es beneficiaria de visa T, no contacten a su antiguo empleador."),
        (THIRD, "mañana no viene la Sra. Reina Chic, tiene su cita de asilo en Houston"),
    ],
    "someone the reader does not represent, or the reader's relative or friend": [
        (
            ATTORNEY,
            "Licenciado, usted no representa a la señora Amalia Tol, pero ella también tiene su caso de "
            "asilo en la misma corte.",
        ),
        (
            ATTORNEY,
            "Maître, je sais que vous ne représentez pas M. Diop, mais il a déposé une demande d'asile la "
            "semaine dernière.",
        ),
        (APPLICANT, "Madan Pierre, kouzen w lan, Mesye Jules, te jwenn pwoteksyon kont retou nan men jij la."),
        (APPLICANT, "Don Cruz, dígale a su compadre Anselmo que su entrevista de asilo quedó para el 3."),
    ],
    "fears expressed and a risk of harm on return, without the usual verbs": [
        (FG, "Le dossier de Mme Aïcha Bah a été transmis pour examen des craintes qu'elle a formulées."),
        (FG, "M. Ousmane Fall encourrait de graves sévices en cas de retour, selon son dossier."),
        (THIRD, "La solicitud de la demandada se basa en el riesgo de ser asesinada si es devuelta a Honduras."),
        (FG, "Al señor Ucelo lo matan si regresa, así lo dijo en la entrevista."),
        (THIRD, "La mamá de Brenda no puede volver a Cuba porque allá la meten presa por protestar."),
    ],
    "rosters with fear shorthand in Spanish and Creole (CF positivo, KF pozitif)": [
        (THIRD, "Bus 3:\n07 | COJ, Rigoberto | CF positivo, no sube\n08 | PEREZ, Ana | ok"),
        (THIRD, "Lis van an:\n4 CHARLES, Yvena - KF pozitif, pa monte\n5 DORVAL, Jacques - ok"),
    ],
    "the asylum office deciding someone's case": [
        (PUBLIC, "Buenas noticias de doña Licha Tun: la oficina de asilo aprobó su solicitud."),
        (PUBLIC, "Bòn nouvèl pou sè Marie Lourdes: biwo azil la apwouve dosye l!"),
        (FG, "Mesye Ronald Beauvais gen entèvyou pwoteksyon li vandredi, li p ap vwayaje."),
    ],
    "named people in a file someone put online": [
        (PUBLIC, "Las dos familias que ayudamos en abril aparecieron en el archivo que la agencia publicó sin querer."),
        (
            PUBLIC,
            "Si usted o su familia estuvieron en el centro de Dilley en abril de 2023, sus nombres pueden estar en "
            "el documento publicado por error.",
        ),
    ],
    "named people in a file an agency left exposed": [
        (
            PUBLIC,
            "Los cuatro albañiles que detuvieron en marzo figuraban en la lista que la agencia dejó "
            "expuesta en su portal.",
        ),
    ],
    "a fear interview passed, in Spanish shorthand; fears stated (French)": [
        (FG, "El Sr. Otoniel Chen ya tiene su CFI aprobado, no lo suban al avión."),
        (FG, "M. Bakary Touré a fait état de craintes de représailles ; son dossier est à l'examen."),
    ],
    "a witness before a grand jury, or under federal protection": [
        (FG, "La Sra. Elvia Cuc declaró ante el gran jurado contra los traficantes y vive bajo protección federal."),
        (FG, "El Sr. Rolando Ixcoy entró al programa de protección a testigos en enero."),
        (
            PUBLIC,
            "El albañil Teodoro Ramírez ayudó a los investigadores a encontrar la casa de seguridad de los coyotes.",
        ),
    ],
    "the incident as the matter of the site, and data that could be affected": [
        (
            PUBLIC,
            "Si usted pasó por el centro de Pearsall en 2022, sus datos pueden verse afectados por el problema del "
            "sitio de la agencia.",
        ),
    ],
    "heard by an asylum officer; the co-defendant of the reader's client (French)": [
        (FG, "M. Ali Konaté a été auditionné par un agent d'asile la semaine dernière."),
        (ATTORNEY, "Maître, le coaccusé de votre cliente, M. Yao, a demandé l'asile."),
    ],
    "a favourable decision on protection; fear pending in a flight summary": [
        (FG, "Dos de los nacionales de su oficio cuentan con una resolución favorable de asilo y no viajarán."),
        (FG, "Deux ressortissants de votre liste ont reçu une décision favorable sur leur demande d'asile."),
        (FG, "De moun nan lis ou a gen yon desizyon favorab pou ka azil yo."),
        (FG, "TGU 02/08 — 95 pax, 4 con miedo en revisión, se quedan."),
    ],
    "a rejected asylum claim under appeal; the sibling of the reader's client": [
        (FG, "Mme Awa Diallo, déboutée de sa demande d'asile, a formé un recours ; elle reste ici."),
        (ATTORNEY, "Maître, votre cliente ne le sait peut-être pas, mais sa sœur, Mme Kanté, a obtenu l'asile."),
        (ATTORNEY, "Licenciado, su cliente no lo sabe, pero su hermana Rosa ya pidió asilo en Houston."),
    ],
    "no form of protection, said of a named person; the ex-partner of the reader's client; a leaked file (Creole)": [
        (FG, "El Sr. Abner Pop nunca ha pedido ninguna forma de protección, puede viajar."),
        (ATTORNEY, "Licenciada, el exesposo de su clienta, Rubén Tax, pidió asilo en mayo."),
        (ATTORNEY, "Maître, vous ne défendez pas M. Joseph Kanda, mais il est lui aussi en demande d'asile."),
        (ATTORNEY, "Mèt, tonton kliyan w lan, Mesye Roger Dumas, gen yon dosye azil tou."),
        (PUBLIC, "Fanmi Noël te nan fichye ki te fwit la semèn pase."),
    ],
    "a web incident; a group counted in words (French)": [
        (
            PUBLIC,
            "Si su familia pasó por el centro de Karnes en 2023, su nombre pudo salir en el incidente web de "
            "la agencia.",
        ),
        (PUBLIC, "Les sept Guinéens transférés à Jena en mai figuraient dans le fichier divulgué par erreur."),
    ],
    "recognised as a refugee; a court decision not to return someone (Creole); slang for a man": [
        (FG, "Mme Fatoumata Cissé a été reconnue réfugiée l'an dernier ; elle ne sera pas reconduite."),
        (FG, "Mesye Jean Robert Dorsainvil gen yon desizyon tribinal pou li pa depòte."),
        (THIRD, "Madan Josette Baptiste te fè yon demann pou li pa retounen, tanpri pa mete l deyò."),
        (PUBLIC, "Reportaje: Dayana, de 16 años, contó en la frontera que si regresa la pandilla la recluta."),
        (THIRD, "jefe, la Maga no viene mañana, tiene corte de asilo temprano"),
        (THIRD, "Vecinos: el Sr. Lucio Tun testificó contra la mara y la fiscalía lo está protegiendo."),
        (THIRD, "Albergue: la señora de la habitación 7 es sobreviviente de trata, no den información."),
        (PUBLIC, "Mis tres hermanos, detenidos en Karnes en 2023, aparecieron en el archivo filtrado."),
        (PUBLIC, "Perfil: doña Rosa Tum vive en Houston desde que los paramilitares quemaron su pueblo."),
        (FG, "M. Patrick Habimana bénéficie d'un sursis à éloignement ; il ne sera pas reconduit."),
        (FG, "Mesye Ronel Saint-Fleur gen yon sispansyon depòtasyon, li p ap monte nan vòl la."),
        (
            FG,
            "Selon nos sources, plusieurs des 40 passagers du vol de Miami auraient exprimé des craintes à l'arrivée.",
        ),
        (
            ATTORNEY,
            "Maître, l'épouse de votre client, Mme Aline Mbemba, a obtenu l'asile et elle ne souhaite pas "
            "que son mari le sache.",
        ),
        (FG, "Le adelanto que quizás dos de su lista sigan en la lista de espera de la oficina de asilo."),
        (THIRD, "oye, el vato del 7 tiene su cita de asilo mañana, no lo cambien de turno"),
        (ATTORNEY, "Licenciada, la exnovia de su cliente pidió una visa U y lo señala como agresor."),
    ],
    "a notice to those who were in a named place (Creole)": [
        (PUBLIC, "Si fanmi w te fèmen nan sant Dilley ane pase, non yo ka nan lis ki te pibliye pa erè a."),
    ],
    "the EAD category of a pending asylum applicant": [
        (THIRD, "RRHH: el permiso de trabajo de Nidia Cac es categoría (c)(8), ya está en renovación."),
        (THIRD, "Service RH : l'autorisation de travail de M. Abdou Sy est de catégorie c8."),
    ],
}

PASSING = {
    "an office in the salutation is the reader, not a person disclosed": [
        (
            FG,
            "Señora Embajadora:\n\nUn archivo se publicó por error en nuestro portal la semana pasada y ya fue "
            "retirado. Las personas que figuraban en él fueron contactadas.",
        ),
        (FG, "Señor Viceministro: el vuelo del martes sale a las 7:00; el listado definitivo va por separado."),
    ],
    "whether a person sought protection, said as a rule or a refusal": [
        (FG, "Cónsul, no revelamos a ningún gobierno si una persona ha buscado protección en este país."),
        (FG, "Nous ne confirmons jamais à un consulat si une personne a demandé l'asile."),
        (FG, "Nou pa janm di yon gouvènman si yon moun mande azil."),
        (THIRD, "Memo para contratistas: puede llegar a saber que una persona detenida pidió asilo; no lo comente."),
    ],
    "a fictional or anonymised case": [
        (PUBLIC, "Ejercicio de clase (caso ficticio): «Tomás» dice que la mara lo matará si vuelve a su país."),
        (PUBLIC, "Étude de cas fictive : « Awa » déclare craindre l'excision si elle est renvoyée."),
        (PUBLIC, "Nan ka fiktif sa a, « Jak » di li pè retounen paske gang yo menase l."),
    ],
    "asylum in history, before 1960": [
        (PUBLIC, "Tarea de historia: explica por qué Chile dio asilo a los pasajeros del Winnipeg en 1939."),
        (PUBLIC, "Exposé : l'asile accordé à Victor Hugo à Guernesey en 1855."),
    ],
    "an official's caseload and a field of work": [
        (PUBLIC, "El magistrado Ruiz, que ha decidido cientos de apelaciones de asilo, se jubila en junio."),
        (PUBLIC, "Le juge Martin a entendu des milliers d'affaires d'asile ; il enseignera à l'université."),
        (FG, "Ambas delegaciones firmaron un memorando en el ámbito de la protección internacional."),
    ],
    "a nickname for a home or a hospital": [
        (PUBLIC, "Mi tía le decía «el asilo» al hospital viejo del pueblo."),
        (PUBLIC, "Les voisins appelaient l'ancienne maison de retraite « l'asile »."),
    ],
    "a form of relief as the subject of a statement of law": [
        (PUBLIC, "Recordatorio: el withholding no da residencia ni cubre a los hijos."),
        (PUBLIC, "Le statut de réfugié ne protège pas contre toutes les poursuites pénales."),
        (PUBLIC, "La ley no permite revelar a cualquier otra persona los datos de una solicitud de asilo."),
    ],
    "the people a notice says were told": [
        (FG, "Un listado se publicó por error y se retiró; se informó a las personas afectadas."),
        (PUBLIC, "El error del portal ya se corrigió y se avisó a todas las personas afectadas."),
    ],
    "innocent senses: a police chase, a wedding witness, a question in a French FAQ": [
        (PUBLIC, "La persecución policial de anoche dejó tres detenidos en la carretera federal."),
        (PUBLIC, "Ma demande d'asile sera-t-elle transmise à mon pays ? Non, jamais sans votre accord."),
    ],
    "helping the police with an event; international protection as a topic": [
        (THIRD, "La señora Irma Choc colabora con la policía en la organización de la feria del pueblo."),
        (PUBLIC, "La ministre a débattu de la protection internationale avec ses homologues européens."),
    ],
    "afraid to go back to school; an asylum officer's job title; not saying who was in a file": [
        (THIRD, "La niña tiene miedo de regresar a clases después del accidente; pedimos paciencia."),
        (THIRD, "Mon fils a peur de retourner à l'école depuis la bagarre."),
        (PUBLIC, "L'agent d'asile Marc Dubois part à la retraite après trente ans de service."),
        (PUBLIC, "La fiscal Irene Paz, que desmanteló una red de coyotes, recibió un premio nacional."),
        (PUBLIC, "La agencia corrigió el problema del portal y no dirá quiénes aparecían en el documento."),
    ],
    "it is not possible for us to say whether; a notice to those who appeared in a file": [
        (FG, "Cónsul, no nos es posible confirmar si un connacional determinado ha pedido asilo."),
        (FG, "Il ne nous est pas possible d'indiquer si un ressortissant a sollicité une protection."),
        (FG, "Nou pa gen dwa di okenn konsila si yon moun mande azil."),
        (PUBLIC, "La agencia borró el archivo filtrado y escribió a quienes figuraban en él."),
    ],
    "a home named after a saint; each of the people affected, as a whole": [
        (PUBLIC, "El asilo Santa Teresa celebra sus 80 años con una misa para los residentes."),
        (PUBLIC, "Se avisó por carta a cada persona afectada por la publicación indebida."),
        (PUBLIC, "Chacune des personnes concernées par la fuite a reçu un courrier."),
    ],
    "a staff member of the asylum office; torture as a figure of speech": [
        (PUBLIC, "La Sra. Elsa Tun sigue en la oficina de asilo de Miami como analista desde 2019."),
        (PUBLIC, "Esperar el resultado fue una verdadera tortura para todo el equipo."),
        (THIRD, "Biwo azil Miami a bay tout anplwaye l yo yon fòmasyon sou premye swen."),
        (PUBLIC, "Un joven que huye de la violencia puede pedir asilo en la frontera."),
        (FG, "Aviso al consulado: no es posible decirle si una determinada persona pidió refugio."),
        (PUBLIC, "La jueza Ortega, famosa por conceder casi todas las solicitudes de asilo, se jubila."),
        (PUBLIC, "Jij Marcel Désir, ki te trete dè milye ka azil, ap anseye nan inivèsite a."),
        (PUBLIC, "Ajans lan retire fichye ki te fwit la epi li ekri chak moun ki te ladan l."),
        (PUBLIC, "Dapre chif ofisyèl yo, 30 % nan moun ki te mande azil ane pase a te jwenn li."),
    ],
    "a flight change or a pending matter that is not protection": [
        (FG, "Vuelo del 4: 6 de los 90 tienen el pasaporte vencido, se bajan; salen 84."),
        (THIRD, "Su empleada tiene una solicitud de naturalización pendiente con USCIS; no afecta su contrato."),
    ],
}


# each row: recipient, message, expected verdict; the first message of each disclosing class also goes to the agency
ROWS = class_rows(DISCLOSING, PASSING)


@pytest.mark.parametrize(("kind", "text", "expected"), ROWS)
def test_fifth_round_es_fr_ht_classes(kind: RecipientKind, text: str, expected: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", kind), None, RULES_ALONE).verdict == expected


def test_fifth_round_es_probe_meets_the_bar_and_every_suggestion_passes() -> None:
    score = score_set(DATA / "messages_probe5b.jsonl")  # the whole screen; every suggestion must pass
    assert score.size >= 150
    assert score.recall >= 0.98
    assert score.precision >= 0.95
    assert score_set(DATA / "messages_probe5b.jsonl", RULES_ALONE).precision >= 0.95
