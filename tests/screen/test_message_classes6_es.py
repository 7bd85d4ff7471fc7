"""Spanish, French and Haitian Creole classes from dev10 (public-facing: press, social media, FAQ, reports) and dev11
(caseworkers, benefits offices, schools, employers, family), added in the sixth round, each with messages worded
unlike tests/screen/data/messages_dev10.jsonl and messages_dev11.jsonl, and the hard negatives that must pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.message_sets import RULES_ALONE, class_rows, score_set
from veil.screen import Recipient, RecipientKind, screen_message

DATA = Path(__file__).parent / "data"
FG, PUBLIC, THIRD = RecipientKind.FOREIGN_GOVERNMENT, RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY
ATTORNEY, APPLICANT = RecipientKind.ATTORNEY, RecipientKind.APPLICANT
# The classes are the sentence rules' (the learned model is retrained on these lists afterwards).


DISCLOSING = {
    "a witness against smugglers, traffickers or a gang, in everyday words (es/fr/ht)": [
        (THIRD, "Ni una palabra en la iglesia: mi cuñado Baltasar va a testificar contra los polleros en Tucson."),
        (PUBLIC, "Doña Chela cuenta que su sobrino fue el que declaró contra la pandilla en el juicio de Dallas."),
        (THIRD, "No se lo digas a tu abuela: Meche sigue cooperando con el FBI en el caso contra los tratantes."),
        (THIRD, "Gardez ça pour vous : Moussa collabore avec la police dans le dossier des passeurs de Calais."),
        (THIRD, "Pa pale sa nan legliz la: Roselène ap ede lapolis nan ka kont gang ki te kidnape l la."),
        (PUBLIC, "Nouvèl katye a: Jonas, ki te ede lapolis idantifye vòlè yo, pral temwaye nan tribinal la an me."),
    ],
    "fear of return in the speaker's own words; the fear claim as 'lo del miedo' (Spanish)": [
        (PUBLIC, "En el podcast, Marisol contó que le dijo al agente que si la regresaban a Honduras la mataban."),
        (THIRD, "Mi compadre Rigo no puede regresar a Zacatecas porque a su hermano lo mataron los del cartel."),
        (THIRD, "Te aviso que a Chuy lo bajaron del camión porque su abogada metió lo del miedo."),
        (THIRD, "A mi prima la pasaron con el oficial que decide esos casos y ya la soltaron."),
    ],
    "an interview done to someone; a self-petition under VAWA as 'su autopetición' (Spanish)": [
        (THIRD, "Me dijo Tomasa que ayer le hicieron la entrevista de miedo creíble por video."),
        (THIRD, "Expediente de Rosalba Ek: su autopetición quedó enviada el martes por correo certificado."),
    ],
    "refugee cash or medical assistance received by a household (Spanish)": [
        (THIRD, "Para el arrendador: la familia Choc Pop recibe ayuda médica para refugiados desde marzo."),
    ],
    "an asylum officer as 'un agent de l'asile'; the fear screening's name alone as a note (French)": [
        (PUBLIC, "Mme Aïcha Bamba a eu son entretien avec une agente de l'asile à Chicago ; pas encore de décision."),
        (
            THIRD,
            "Équipage : places 4C et 11D (KONÉ, Awa / SOW, Malick). Crainte raisonnable en cours, ne pas embarquer.",
        ),
    ],
    "a named relative or fellow member among those touched by the incident (French)": [
        (PUBLIC, "Mot du pasteur : notre frère Ousmane fait partie des personnes concernées par la fuite du site."),
    ],
    "a notice to the people of a named dormitory or pod; a count out of a concrete total (Spanish)": [
        (
            PUBLIC,
            "A las mujeres del módulo 4 de Otero: sus nombres podrían estar en el archivo del incidente de datos.",
        ),
        (PUBLIC, "Según la hoja de la semana, 7 de 88 detenidos tienen entrevista de miedo pendiente en Otay Mesa."),
        (
            PUBLIC,
            "AVISO: Si usted estaba detenido en Otay Mesa en abril de 2022, podría estar afectado por el incidente "
            "de datos. Llame gratis al 1-800-555-0142.",
        ),
    ],
    "the reader's own data in the exposed file, the reader named (Spanish)": [
        (PUBLIC, "Estimada señora Nidia Corrales:\nSus datos estaban entre los publicados por error en el sitio web."),
    ],
    "a relative beyond spouse and children, sent to the applicant or to another person's attorney (es/fr/ht)": [
        (APPLICANT, "Don Beto, ya revisé: su suegra Carmela nunca pidió asilo, así que no está en nuestro sistema."),
        (
            ATTORNEY,
            "Lic. Orozco, usted lleva el caso de Samuel. Su prima Dalia, a quien yo represento, tiene asilo desde "
            "2020.",
        ),
        (ATTORNEY, "Lic. Mora, sus clientes salen el lunes. La otra familia, los Pérez Gil, tiene asilo pendiente."),
        (APPLICANT, "Bonjour Mme Joseph. Votre beau-frère Paul est passé hier. Il a un entretien d'asile le 4 mai."),
        (ATTORNEY, "Mèt Célestin, ou reprezante Wilfrid. Frè li Jacky, mwen konnen l, te jwenn azil an 2019."),
    ],
    "a roster line 'Surname, Given — status' (es/fr/ht)": [
        (THIRD, "Van del sábado:\n- Quiché, Rosa — cita de asilo 8:30\n- Ajú, Pedro — cambio de domicilio"),
        (THIRD, "Covoiturage mardi :\n- Diallo, Fanta + 1 — audience d'asile 10 h\n- Sy, Omar — renouvellement"),
        (THIRD, "Machin lendi:\n1. Jeune, Rose + 3 timoun — entèvyou azil 9è\n2. Paul, Eddy — anyen"),
    ],
    "the office for those who cannot go back (Creole)": [
        (THIRD, "Biwo k ap gade ka moun ki pa ka retounen yo rele Nadège pou yon dezyèm randevou."),
    ],
    "an in-law or a step relative; a relative of the person spoken of whom the writer represents (es/fr)": [
        (APPLICANT, "Sr. Caal, sobre lo de su concuña Marta: ella sí tiene una entrevista de asilo el mes que viene."),
        (
            ATTORNEY,
            "Maître Roux, au sujet de votre client M. Sow : son frère Ibrahima, que je représente, a le statut de "
            "réfugié.",
        ),
    ],
    "a refugee in apposition to a name (es/fr)": [
        (PUBLIC, "Receta de la semana por Dilcia Matute, refugiada llegada de Honduras en 2020."),
        (PUBLIC, "Concert samedi : Yacouba Sanou, réfugié installé à Lyon depuis 2018, jouera du balafon."),
    ],
    "a removal stopped for a pending claim; a person named by the words around a first name (es)": [
        (THIRD, "Patrón, a Everardo no lo subieron al avión porque tiene pendiente lo del asilo."),
        (
            PUBLIC,
            "Un joven llamado Brayan, de la panadería de la esquina, es testigo protegido en el juicio de la mara.",
        ),
    ],
    "refugee assistance received by a household (fr)": [
        (THIRD, "Pour le bailleur : M. et Mme Ouédraogo reçoivent l'allocation pour réfugiés depuis avril."),
    ],
    "members of a group defined by a named place; a witness named by a first name (fr/ht)": [
        (
            PUBLIC,
            "Message du club : nos membres logés au foyer Saint-Michel en 2021 figurent peut-être parmi les "
            "personnes concernées par la fuite du site.",
        ),
        (PUBLIC, "Le témoin protégé, un chauffeur surnommé Kader, sera entendu mardi."),
        (PUBLIC, "Anons: frè ak sè ki te nan sant Karnes an 2021 yo, nou tout ka konsène nan ensidan done a."),
        (THIRD, "Yon jèn ki rele Mackenson se temwen nan ka kont gang lan, pa pale sa."),
    ],
    "a titled person beside the reader's client, two people in one sentence (es/fr/ht)": [
        (
            ATTORNEY,
            "Lic. Bravo, la Sra. Elvia Chan obtuvo asilo en 2019, así que el viaje que plantea su cliente no procede.",
        ),
        (
            ATTORNEY,
            "Maître Henry, j'étais à l'audience d'asile de M. Paul Kamga ce matin, d'où mon retard pour votre client.",
        ),
        (ATTORNEY, "Mèt Simon, Madan Yolande Pierre gen azil, kidonk kliyan w lan pa ka voye timoun yo al Ayiti."),
    ],
    "a pasted table row 'Surname, Given | ... | status'; a former spouse of the reader's client (es)": [
        (
            THIRD,
            "Turnos del jueves:\nNombre | Hora | Asunto\nTecún, Marta | 10:00 | entrevista de asilo\n"
            "Yax, Luis | 11:00 | licencia",
        ),
        (ATTORNEY, "Lic. Ayala, sobre su cliente Rubén: su exesposa Glenda recibió una visa T el año pasado."),
    ],
    "a notice to those who received care at a named place (es)": [
        (
            PUBLIC,
            "Si usted recibió servicios en el centro de detención de Otero en 2021, sus datos podrían estar en el "
            "archivo publicado por error.",
        ),
    ],
    "the protection officer (fr); cannot go back for what a gang did (ht)": [
        (THIRD, "Dis à ta mère que ma cousine Salimata a vu l'officier de protection lundi ; elle attend la réponse."),
        (THIRD, "Di patwon an Wisly pa ka retounen Okap, gang yo te menase fanmi l, se pou sa li gen yon dosye."),
    ],
    "the incident as 'the file' of a month or on the agency's page (es)": [
        (
            PUBLIC,
            "Jornada del sábado para las familias que llamaron por lo del archivo en la página de ICE; traigan "
            "su carta.",
        ),
    ],
    "fled their own state's forces or a gang (es); testifying against those who exploited them (fr)": [
        (
            THIRD,
            "Maestra, los Chiquín no pueden dar un contacto en su país: huyeron de los militares y su caso "
            "depende de eso.",
        ),
        (THIRD, "Ne parlez pas de Salif à l'atelier : il témoigne contre le patron qui le faisait travailler la nuit."),
    ],
    "the incident as the site's error; those who were with the writer at a centre (fr)": [
        (
            PUBLIC,
            "Au groupe « Anciennes de Dilley » : celles qui étaient avec nous au centre peuvent recevoir un "
            "courrier à cause du bug du site de l'ICE.",
        ),
    ],
    "a checklist heading of the people told about the incident, names under it (es/fr)": [
        (THIRD, "Ya llamados por lo del incidente de datos:\nTzul ✔\nMorán ✔\nSic ✘ (buzón lleno)"),
        (THIRD, "Contactées au sujet de la fuite du site :\nDiallo ✔\nBah ✘\nOn continue demain."),
    ],
    "earlier sets' Spanish misses: an I-94 or a card 'por el asilo que tiene pendiente'; a bare role; a case step": [
        (THIRD, "Para la cooperativa: su I-94 tiene la anotación \"Asylee\", es identificación válida."),
        (THIRD, "No la suspenda por el permiso: su tarjeta es por el asilo que tiene pendiente."),
        (THIRD, "Le expliqué al agente que Benítez es informante en nuestro caso y no puede hablar con él."),
        (THIRD, "Clienta: Marisol Ajtún.\nVisa T: certificación firmada por HSI, falta la declaración."),
    ],
    "a grant that came through for someone; a former in-law (es); brethren held at a named centre (fr/ht)": [
        (THIRD, "¿Supiste de Rutilio, el del taller? Por fin le salió el asilo, me contó su cuñada."),
        (ATTORNEY, "Lic. Rivera, sobre su cliente Julio: su exsuegra, la Sra. Olga Pop, tiene asilo desde 2017."),
        (
            PUBLIC,
            "Aux fidèles : les sœurs qui étaient au centre de Broadview en 2021 sont peut-être parmi les personnes "
            "touchées par la fuite du site.",
        ),
        (PUBLIC, "Anons: sè ki te nan sant Broadview an 2021 yo ka pami moun ki konsène nan ensidan done a."),
    ],
}

PASSING = {
    "a FAQ on the law, with its citation in brackets (es/fr/ht)": [
        (
            PUBLIC,
            "Pregunta: ¿Le dirán a mi consulado que pedí asilo? No. La ley federal (8 CFR 208.6) prohíbe revelar a "
            "terceros que una persona pidió asilo.",
        ),
        (
            PUBLIC,
            "Question : mon pays saura-t-il que j'ai demandé l'asile ? Non. La réglementation (8 CFR 208.6) "
            "interdit de révéler qu'une personne a demandé l'asile.",
        ),
        (
            PUBLIC,
            "Kesyon: Èske konsila a ap konnen mwen te mande azil? Non. Lalwa (8 CFR 208.6) entèdi yo di yon lòt "
            "moun ke yon moun te mande azil.",
        ),
    ],
    "refugees or asylees in general; statewide figures (Spanish)": [
        (PUBLIC, "¿Los refugiados pueden trabajar desde el primer día? Sí. Los refugiados y asilados pueden trabajar."),
        (THIRD, "En todo el estado, cerca de 2,500 personas recibieron ayuda médica para refugiados el año pasado."),
    ],
    "a shelter giving refuge; a shelter's people (es/ht)": [
        (PUBLIC, "Parroquia San Judas: el invierno pasado dimos refugio a 312 personas. ¡Gracias, voluntarios!"),
        (PUBLIC, "Refugio de emergencia abierto esta noche en el gimnasio municipal. Todos son bienvenidos."),
        (PUBLIC, "Kay Akèy Manman Mari gen plas pou fanm ak timoun k ap sove kite vyolans lakay. Rele 555-0190."),
    ],
    "a grant rate over the cases decided (Creole)": [
        (PUBLIC, "Bilten Asosyasyon Peyizan: an 2022, jij yo te bay azil nan 14% ka yo deside pou Ayisyen."),
    ],
    "a press question answered with a refusal (Spanish)": [
        (
            PUBLIC,
            "P: ¿La mujer detenida ayer en el mercado pidió asilo?\nR: No confirmamos ni negamos si alguien "
            "ha pedido protección.",
        ),
    ],
    "a notice of the published file, the file taken down (Creole)": [
        (
            PUBLIC,
            "AVI: 3 desanm, yon fichye ak enfòmasyon pèsonèl te pibliye pa erè sou sit la. Yo retire l nan de "
            "èdtan, epi yo ekri moun ki te ladan l yo.",
        ),
        (PUBLIC, "Kijan pou renouvle yon dokiman vwayaj refijye: ranpli fòm I-131 epi voye l bay USCIS."),
    ],
    "testifying or helping with nothing criminal; a return ruled out for a reason other than fear (es/fr/ht)": [
        (PUBLIC, "El regidor declaró contra el proyecto de la nueva autopista en la sesión del cabildo."),
        (PUBLIC, "Los vecinos colaboran con la policía en la feria de seguridad vial del sábado."),
        (THIRD, "Mi tío no puede regresar a Oaxaca este mes porque se le venció el pasaporte."),
        (PUBLIC, "Le club collabore avec la police pour la course du dimanche."),
        (PUBLIC, "Jan te ede lapolis nan trafik la apre match la."),
    ],
    "a roster line with nothing protected; a derivative named to the applicant": [
        (THIRD, "Van del sábado:\n- Quiché, Rosa — cambio de domicilio\n- Ajú, Pedro — cita del seguro social"),
        (APPLICANT, "Sra. Pérez, su esposo Ramón está incluido en su solicitud de asilo como derivado."),
    ],
    "a refugee office or association by name; a removal stopped for a document (es/fr)": [
        (PUBLIC, "La oficina de ayuda para refugiados de la parroquia cierra el lunes festivo."),
        (PUBLIC, "L'association d'aide aux réfugiés tient son assemblée générale jeudi."),
        (THIRD, "Patrón, a Everardo no lo subieron al avión porque se le olvidó el pasaporte."),
    ],
    "the reader's client in apposition to the title and name (es/fr)": [
        (ATTORNEY, "Lic. Bravo, la Sra. Elvia Chan, su cliente, tiene la audiencia de asilo el lunes a las 9."),
        (ATTORNEY, "Maître Henry, M. Paul Kamga, votre client, a son audience d'asile ce matin."),
    ],
    "a press question in a Q&A, declined (fr/ht)": [
        (
            PUBLIC,
            "Question de la presse : la femme interpellée à Miami a-t-elle demandé l'asile ?\nRéponse : nous ne "
            "confirmons ni n'infirmons.",
        ),
        (
            PUBLIC,
            "Kesyon yon jounalis: Èske mesye yo te arete nan Miami a te mande azil?\nRepons: nou pa konfime ni "
            "demanti enfòmasyon konsa.",
        ),
    ],
    "a table row with nothing protected; a return ruled out by a document (es/ht)": [
        (
            THIRD,
            "Turnos del jueves:\nNombre | Hora | Asunto\nTecún, Marta | 10:00 | dentista\nYax, Luis | 11:00 | licencia",
        ),
        (THIRD, "Wisly pa ka retounen Okap semèn sa a paske paspò l ekspire."),
    ],
    "a file on a web page with no incident; a witness at a wedding; testifying against a project (es/fr)": [
        (PUBLIC, "El archivo con el calendario escolar ya está en la página de la escuela."),
        (THIRD, "Para la boda civil del sábado necesitamos dos testigos con identificación vigente."),
        (PUBLIC, "Le maire a témoigné contre le projet de rocade devant le conseil régional."),
    ],
    "a rule on asking anyone whether they sought asylum (fr/ht)": [
        (PUBLIC, "À savoir : une école ne peut pas demander aux parents s'ils ont demandé l'asile."),
        (PUBLIC, "Enfòmasyon: yon mèt kay pa gen dwa mande yon lokatè si li te mande azil."),
    ],
    "the reader's client named in brackets or as the one the reader represents; a reader's FAQ on a relative (es/fr)": [
        (
            ATTORNEY,
            "Maître Henry, M. Paul Kamga, que vous représentez, a son audience d'asile ce matin ; votre client "
            "doit apporter son passeport.",
        ),
        (
            ATTORNEY,
            "Lic. Bravo, la Sra. Elvia Chan (su cliente) tiene audiencia de asilo; su cliente debe llevar el "
            "pasaporte.",
        ),
        (PUBLIC, "Pregunta de una lectora: ¿Mi mamá puede pedir asilo si llegó con visa de turista?"),
    ],
    "a checklist heading about something else; the incident notice told to all (es)": [
        (THIRD, "Avisados sobre el cambio de horario:\nFofana ✔\nLema ✔"),
        (PUBLIC, "Avisados sobre el incidente de datos: todas las personas afectadas recibieron una carta."),
    ],
    "a Creole FAQ question in quotes; any victim as the subject of what the law allows (ht)": [
        (PUBLIC, "Kesyon yon oditè: \"Èske patwon m ka konnen si m te mande azil?\" Repons: Non."),
        (PUBLIC, "Yon viktim krim ka mande viza U; lalwa pwoteje enfòmasyon li."),
    ],
    "what happens when anyone says they fear return (es)": [
        (PUBLIC, "¿Qué pasa en la frontera? Si alguien dice tener miedo de volver, un oficial de asilo lo entrevista."),
    ],
}


# each row: recipient, message, expected verdict; the first message of each disclosing class also goes to the agency
ROWS = class_rows(DISCLOSING, PASSING)


@pytest.mark.parametrize(("kind", "text", "expected"), ROWS)
def test_dev10_dev11_es_fr_ht_classes(kind: RecipientKind, text: str, expected: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", kind), None, RULES_ALONE).verdict == expected


def test_probe8b_meets_the_bar_and_every_suggestion_passes() -> None:
    score = score_set(DATA / "messages_probe8b.jsonl")  # the whole screen; every suggestion must pass
    assert score.size >= 240
    assert score.recall >= 0.98
    assert score.precision >= 0.95
    assert score_set(DATA / "messages_probe8b.jsonl", RULES_ALONE).precision >= 0.95
