"""Spanish, French and Haitian Creole classes from dev8 (work artefacts) and dev9 (the Caribbean and West-African
flights), added after the fifth round, each with messages worded unlike tests/screen/data/messages_dev8.jsonl and
messages_dev9.jsonl, and the message-level lists (story, not_your_client, reported_question, history, reader_case,
incident_membership) filled for the three languages."""

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
    "the reader represents someone in another matter; the person disclosed is not the reader's client": [
        (
            ATTORNEY,
            "Lic. Paredes, usted lleva a la Sra. Ochoa en el juicio de desalojo. Para su información, el casero, "
            "Rubén Salas, tiene un caso de asilo abierto.",
        ),
        (
            ATTORNEY,
            "Maître Guèye, vous assistez Mme Touré pour le litige du bail. Le propriétaire, M. Abdou Faye, a "
            "déposé une demande d'asile l'an dernier.",
        ),
        (
            ATTORNEY,
            "Mèt Pierre-Louis, ou reprezante Madan Séide pou gad timoun yo. Papa timoun yo, Mesye Ronel Séide, te "
            "mande azil ane pase.",
        ),
    ],
    "the reader defends someone in a criminal case (Creole: 'w ap defann ... nan ka kriminèl la')": [
        (
            ATTORNEY,
            "Mèt Noël, w ap defann Madan Joseph nan ka kriminèl la. Sè l la, Madan Edith Joseph, te depoze yon "
            "I-589 ane pase.",
        ),
    ],
    "the reader's client's employer, landlord or co-accused (es/fr/ht)": [
        (
            ATTORNEY,
            "Maître Petit, vous défendez Mme Camara dans l'affaire du licenciement. Sa patronne, Mme Odile "
            "Nkosi, a elle-même une demande d'asile ; votre cliente l'ignore.",
        ),
        (ATTORNEY, "Licenciada Soto, su cliente no lo sabe, pero su casero, el Sr. Elmer Tuy, pidió asilo."),
        (ATTORNEY, "Mèt Valmé, kliyan w lan pa konnen sa: patwon li, Mesye Jocelin Michel, te mande azil."),
    ],
    "arrived, entered or welcomed as a refugee (French)": [
        (PUBLIC, "Portrait du mois : Idriss Mahamat, venu comme réfugié en 2015, ouvre sa boulangerie."),
    ],
    "a claim under the Convention against Torture (Creole)": [
        (FG, "Madan Ilda Fleurant toujou ap tann desizyon jij la anba Konvansyon kont Tòti a."),
    ],
    "fear of return with the pronoun between (Creole: 'gen pè pou yo retounen'); 'fini ak li' on return": [
        (FG, "Pou konsila a: kèk nan fanm ki sou vòl 3 me a gen pè pou yo retounen Jakmèl."),
        (THIRD, "Mesye Kervens Alexis pa ka ale: li di si l retounen, gang yo ap fini ak li."),
    ],
    "a relative of the reader's spouse (Creole)": [
        (APPLICANT, "Pou sè mari w la, Guerline: li te mande azil e dosye l la toujou ap tann."),
    ],
    "a document that got out by mistake (French)": [
        (THIRD, "Mme Salimata Coulibaly figurait dans le fichier parti par erreur chez un prestataire."),
    ],
    "someone removed from a list the agency published by mistake (Creole)": [
        (PUBLIC, "Ajans lan te pibliye lis la pa erè; Madan Ginette Pierre te ladan, yo retire l apre."),
    ],
    "families touched by an accidental publication (French)": [
        (THIRD, "Mme Awa Keïta et ses enfants sont concernés par la diffusion involontaire du fichier de l'agence."),
    ],
    "a refusal clause followed by a disclosure in the same sentence still discloses (Creole)": [
        (APPLICANT, "Ou te mande pou kouzin ou Fabiola: mwen pa ka pale de dosye lòt moun, men li te jwenn azil."),
    ],
    "a French table row guessed as Spanish, with a withdrawn count": [
        (FG, "Vol DKR-90 | liste 70 | retirés 3 (demandes d'asile en cours) | partent 67"),
    ],
    "a relative or neighbour of the reader (Creole: bòpè w, marenn ou)": [
        (APPLICANT, "Ou te poze m kesyon sou marenn ou. Dosye azil li a poko fini."),
        (APPLICANT, "Pou bèlmè w la, mwen ka di w sèlman ke demann azil li toujou ap tann."),
    ],
    "a credible or reasonable fear interview (Creole 'krentif')": [
        (FG, "Mesye Dieunel Joseph pa ka monte: li gen entèvyou krentif li jedi."),
        (THIRD, "Madan Roselène Cadet te fè entèvyou a e ofisye a jwenn krentif li rezonab."),
        (FG, "Lis vòl la: 7. AUGUSTIN, Marie — CF an kou, kenbe l."),
    ],
    "harm feared on return, as one's own fear (Creole)": [
        (PUBLIC, "Twa fanm ki te nan bis Krome a te genyen krentif pou yo retounen lakay."),
    ],
    "a claim under Article 3 (Creole 'reklamasyon Atik 3')": [
        (FG, "Mesye Wilner Auguste toujou ap tann repons sou reklamasyon Atik 3 li a."),
    ],
    "a witness against a gang or one who gave the police or the FBI information (Creole)": [
        (THIRD, "Fanm k ap lwe chanm nan, Madan Jeanne Dorval, te temwen kont chèf gang lan nan tribinal Boston."),
        (FG, "Mesye Kesnel Prophète te bay HSI enfòmasyon sou yon rezo kontrebann."),
        (THIRD, "Mesye Antoine Jules, nouvo chofè a, te temwen nan yon jijman federal."),
    ],
    "the published file of protection seekers (es/fr/ht)": [
        (
            THIRD,
            "El Sr. Hilario Mamani figuraba en el listado de solicitantes de asilo que se filtró en línea el mes "
            "pasado.",
        ),
        (
            THIRD,
            "Mme Fatou Ba faisait partie de la liste des demandeurs d'asile diffusée par erreur au printemps.",
        ),
        (
            FG,
            "De moun sou vòl 12 mas la te nan lis demandè azil ki te pibliye sou sit entènèt la.",
        ),
    ],
    "an incident named by the website (French: l'incident du site)": [
        (FG, "Les passagers Diallo et Bah sont concernés par l'affaire du site internet de juin."),
    ],
    "a remedy on protection, admitted or resettled as a refugee, risks invoked (French)": [
        (THIRD, "M. Seydou Koné ne part pas : il a un recours au titre de l'asile devant la cour."),
        (PUBLIC, "Notre nouvelle bénévole, Aminata Sylla, a été admise comme réfugiée en 2018."),
        (FG, "Trois passagères du vol 771 ont invoqué des menaces de mariage forcé en cas de retour."),
        (THIRD, "Locataire : Mme Halima Nour, réinstallée à Dayton dans le cadre du programme des réfugiés."),
    ],
    "an I-94 marked Asylee, admitted or resettled as a refugee, a case before the asylum office (Spanish)": [
        (THIRD, "Para el banco: el I-94 del Sr. Tomás Quispe está marcado como Asylee."),
        (THIRD, "La Sra. Domitila Aguilar llegó al país como refugiada en 2017 y ahora trabaja con ustedes."),
        (THIRD, "Los Vásquez Lobo tienen un trámite abierto ante la oficina de asilo; por eso cambiaron de escuela."),
    ],
    "a count out of a total, a withdrawn count in a table row (Creole, Spanish, French)": [
        (FG, "Nan 60 moun ki sou lis la, 5 sou 60 te mande pwoteksyon."),
        (FG, "Vuelo GT-81 | manifiesto 88 | retirados 3 (solicitud de asilo pendiente) | vuelan 85"),
        (FG, "Sur 40 Guinéens du vol de jeudi, 6 ont demandé l'asile."),
    ],
    "a notice to those on a dated or deportation flight (Spanish)": [
        (
            PUBLIC,
            "Si usted fue deportado en el vuelo de marzo desde Harlingen, su nombre pudo estar en la lista de "
            "solicitantes de protección publicada por error.",
        ),
    ],
}


PASSING = {
    "the reader's own client in another matter (the disclosure is the reader's client's)": [
        (
            ATTORNEY,
            "Lic. Paredes, usted lleva a la Sra. Ochoa en el juicio de desalojo. Su clienta tiene un caso de "
            "asilo abierto, como usted sabe.",
        ),
        (ATTORNEY, "Maître Guèye, vous représentez M. Faye dans son dossier d'asile ; l'audience est le 4 mai."),
        (ATTORNEY, "Mèt Pierre-Louis, kliyan w lan, Mesye Séide, gen odyans azil li 3 jen."),
    ],
    "an anonymised or fictional story (es/fr/ht)": [
        (
            PUBLIC,
            "Relato para el boletín (nombres cambiados): «Marta» pidió asilo después de que la pandilla quemó su "
            "tienda.",
        ),
        (PUBLIC, "Cas fictif pour la formation : « Moussa » a demandé l'asile après des menaces de sa famille."),
        (PUBLIC, 'Istwa pou emisyon an (non yo chanje): "Lili" te mande azil apre yo te menase l.'),
    ],
    "God as refuge; a home called 'azil' or 'asile'; the right to speak to an asylum officer": [
        (PUBLIC, "Kantik dimanch la: Letènèl se azil mwen, se li ki pwoteje m."),
        (PUBLIC, "Azil Sen Vensan nan Okap bezwen volontè pou kwit manje pou granmoun yo."),
        (THIRD, "Objet : la chaudière de l'ancien asile de la rue Pasteur est réparée."),
        (PUBLIC, "Si w pè retounen, ou gen dwa pale ak yon ofisye azil anvan yo depòte w."),
    ],
    "a policy of never sharing, with no person (French)": [
        (FG, "Nous ne partageons jamais d'informations sur les demandes de protection avec un autre État."),
    ],
    "counts with nothing protected; a table row withdrawn for other reasons": [
        (FG, "Nan 60 moun ki sou lis la, 5 sou 60 pa gen paspò."),
        (FG, "Vuelo GT-81 | manifiesto 88 | retirados 3 (pasaporte vencido) | vuelan 85"),
        (FG, "Vol 771 | liste 40 | retirés 2 (malades) | partent 38"),
    ],
    "fear of something other than return; a document out by mistake with nobody in it": [
        (FG, "Pou konsila a: kèk nan fanm ki sou vòl 3 me a gen pè avyon; tanpri voye yon enfimyè."),
        (PUBLIC, "Communiqué : un tableau parti par erreur a été supprimé ; aucune information personnelle n'y était."),
    ],
    "an agency's own page and its taking a document down (Creole pronouns that are not people)": [
        (PUBLIC, "Avi: biwo a te mete yon lis sou sitwèb li pa erè, epi li retire l touswit."),
    ],
    "a story of fictional characters (plural), French and Spanish": [
        (PUBLIC, "Pièce de théâtre (personnages inventés) : Ibou demande l'asile après l'incendie de sa maison."),
        (PUBLIC, "Telenovela «Frontera» (personajes ficticios): Mateo pide asilo tras la muerte de su hermano."),
    ],
    "the reader's own question about someone else, declined as a whole sentence (es/fr/ht)": [
        (APPLICANT, "Bonjou Jozèf, ou te mande si kouzen ou Wilfrid te mande azil. Mwen pa ka pale de dosye lòt moun."),
        (
            APPLICANT,
            "Bonjour Mme Koné, vous m'avez demandé si votre voisine Aïcha a demandé l'asile. Je ne peux pas parler "
            "des dossiers d'autres personnes.",
        ),
        (
            APPLICANT,
            "Sr. Chub, usted me preguntó si su primo Elías pidió asilo. No puedo hablar de los casos de otras "
            "personas.",
        ),
    ],
    "the Convention against Torture by name (Creole)": [
        (PUBLIC, "Anons: kou sou Konvansyon kont Tòti a pou etidyan Lekòl Dwa Okap, jedi 2è."),
    ],
    "arrived as something other than a refugee; a client's employer with nothing protected": [
        (PUBLIC, "Portrait du mois : Idriss Mahamat, venu comme stagiaire en 2015, ouvre sa boulangerie."),
        (ATTORNEY, "Maître Petit, la patronne de votre cliente, Mme Odile Nkosi, a signé l'attestation de travail."),
    ],
    "risks or reasons that are not fear of return (French)": [
        (THIRD, "M. Koné a invoqué des raisons de santé pour décaler son rendez-vous chez le dentiste."),
    ],
    "a website incident with nobody in it": [
        (PUBLIC, "L'incident du site web de la billetterie est réglé ; merci de votre patience."),
    ],
    "a refugee programme or an asylum office in general (Spanish)": [
        (PUBLIC, "La oficina de asilo de Houston cierra el viernes por el feriado."),
    ],
}


# each row: recipient, message, expected verdict; the first message of each disclosing class also goes to the agency
ROWS = class_rows(DISCLOSING, PASSING)


@pytest.mark.parametrize(("kind", "text", "expected"), ROWS)
def test_dev8_dev9_es_fr_ht_classes(kind: RecipientKind, text: str, expected: str) -> None:
    assert screen_message(text.encode(), "m.txt", Recipient("", kind), None, RULES_ALONE).verdict == expected


def test_probe7_meets_the_bar_and_every_suggestion_passes() -> None:
    score = score_set(DATA / "messages_probe7.jsonl")  # the whole screen; every suggestion must pass
    assert score.size >= 40
    assert score.recall >= 0.98
    assert score.precision >= 0.95
    assert score_set(DATA / "messages_probe7.jsonl", RULES_ALONE).precision >= 0.95
