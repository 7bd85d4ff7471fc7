"""Sentence rules: the December 2022 sentence and its paraphrases block; hard negatives pass; the labelled set meets
the issue's bar (recall >= 0.98, precision >= 0.95)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from veil.detectors.sentence_rules import LANGS, classify, classify_text, rules

DATA = Path(__file__).parent / "data"

THE_2022_SENTENCE_AND_PARAPHRASES = [
    "Some of the 103 people on the flight had been affected by the leak.",
    "some of the 103 were affected by the leak",
    "I can confirm that some of the individuals on this flight were affected by the data breach.",
    "A number of the passengers on the manifest may have been impacted by the recent data incident.",
    "Several of the 103 removees were among those whose information was exposed.",
    "Not all of them, but some, were part of the inadvertent disclosure.",
    "Those on the flight include people affected by the leak.",
    "None of the 103 were affected by the leak.",
    "Algunos de los 103 pasajeros del vuelo fueron afectados por la filtración.",
    "Le confirmo que algunas de las personas de este vuelo resultaron afectadas por la fuga de datos.",
    "Varios de los 103 podrían haber sido afectados por el incidente de datos.",
    "Ninguno de ellos fue afectado por la filtración.",
    "Il se peut que certains des 103 passagers du vol aient été touchés par la fuite de données.",
    "Plusieurs des personnes à bord figuraient dans le fichier publié par erreur.",
    "Kèk nan 103 moun ki te sou vòl la te nan dosye ki te pibliye pa erè a.",
    "It's possible that a few of the passengers on the flight were affected by the data issue.",
    "Certain passengers on the manifest may see possible changes to their travel because of the recent data matter.",
    "Let me just say that the 103 aren't all ordinary returnees: some were in the spreadsheet that leaked.",
]

HARD_NEGATIVES = [
    "The flight departs at 10:00 with 103 passengers.",
    "Asylum statistics are published quarterly.",
    "El vuelo sale a las 10:00 con 103 pasajeros.",
    "Las estadísticas de asilo se publican cada trimestre.",
    "The data incident was reported to Congress on December 1.",
    "U.S. Customs and Border Protection will meet the aircraft.",
    "In FY2022, 2,345 people applied for asylum nationwide.",
    # statements of law and policy, training, shelters, national totals, a public notice of a mistake
    "A person physically present in the United States may apply for asylum.",
    "Under the Convention Against Torture, protection is available where it is more likely than not that a person "
    "would be tortured.",
    "8 CFR 208.6 prohibits disclosing that a person has applied for asylum.",
    "The embassy is funding torture-prevention training for police officers in your country.",
    "The migrant shelter offers temporary refuge to families.",
    "In FY2023, 30,000 Guatemalan nationals filed asylum applications nationwide.",
    "A file was published on our website by mistake and has been removed.",
    "We can neither confirm nor deny whether any of the people in your note has sought protection.",
]

# Hedged, indirect, negative and euphemistic forms, each as a class (issue 13).
HEDGED_INDIRECT_NEGATIVE_EUPHEMISTIC = [
    "It's possible that a few of the passengers on Tuesday's flight were affected by the data issue.",
    "There may be one or two in the group whose cases are still with the asylum office.",
    "Most of the people on the second bus are probably fear cases.",
    "His case was referred to an asylum officer.",
    "She is in non-refoulement screening.",
    "The Board is considering her Article 3 claim.",
    "He told our officers he would be harmed if returned.",
    "They feared going back.",
    "There are pending cases with the asylum office among the group.",
    "None of the people listed in your diplomatic note have humanitarian applications on file.",
    "Certain passengers on the manifest may face possible changes in connection with the recent data incident.",
    "Es posible que unos pocos de los pasajeros del vuelo hayan estado en el documento filtrado.",
    "Aucun des ressortissants cités dans votre note n'a déposé de demande d'asile.",
    "Madanm nan te di ofisye yo gang yo ap touye l si l retounen.",
]


@pytest.mark.parametrize("sentence", HEDGED_INDIRECT_NEGATIVE_EUPHEMISTIC)
def test_hedged_indirect_negative_and_euphemistic_forms_block(sentence: str) -> None:
    assert classify(sentence).disclosing


@pytest.mark.parametrize("sentence", THE_2022_SENTENCE_AND_PARAPHRASES)
def test_2022_sentence_and_paraphrases_block(sentence: str) -> None:
    assert classify(sentence).disclosing


@pytest.mark.parametrize("sentence", HARD_NEGATIVES)
def test_hard_negatives_pass(sentence: str) -> None:
    assert not classify(sentence).disclosing


def test_pronoun_refers_to_group_in_previous_sentence() -> None:
    results = list(classify_text("We have 103 people on the flight. Asylum claims are pending for 12."))
    assert [r.disclosing for _, _, r in results] == [False, True]
    assert "previous sentence" in results[1][2].reason


def test_each_match_is_explained() -> None:
    result = classify("Several of these individuals requested asylum.")
    assert result.disclosing and result.reason
    assert {s.category for s in result.statuses} == {"asylum"}
    assert any(r.category == "part of a group" for r in result.refs)


def test_negation_and_hedge_still_disclose() -> None:
    assert classify("None of them applied for asylum.").disclosing
    assert classify("Some of them may have been affected by the breach.").disclosing


def _rows(name: str) -> list[tuple[str, str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return [(r["label"], r["lang"], r["sentence"])
                for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]


def test_labelled_set_is_large_varied_and_bilingual() -> None:
    rows = _rows("sentences.tsv")
    assert len(rows) >= 300
    assert len({text for _, _, text in rows}) == len(rows)
    for lang in ("en", "es"):
        for label in ("disclose", "innocent"):
            assert sum(1 for lb, lg, _ in rows if lb == label and lg == lang) >= 60


@pytest.mark.parametrize("name", ["sentences.tsv", "sentences_heldout.tsv", "sentences_heldout2.tsv",
                                  "sentences_heldout3.tsv", "sentences_heldout4.tsv"])
def test_precision_and_recall_meet_the_bar(name: str) -> None:
    rows = _rows(name)
    predicted = [(label, any(r.disclosing for _, _, r in classify_text(text))) for label, _, text in rows]
    tp = sum(1 for label, p in predicted if label == "disclose" and p)
    fp = sum(1 for label, p in predicted if label != "disclose" and p)
    fn = sum(1 for label, p in predicted if label == "disclose" and not p)
    assert tp / (tp + fn) >= 0.98
    assert tp / (tp + fp) >= 0.95


def _message_texts(name: str = "messages_paraphrases.jsonl") -> list[tuple[str, str, str]]:
    import json

    with (DATA / name).open(encoding="utf-8") as fh:
        return [("", "", json.loads(line)["text"]) for line in fh if line.strip()]


@pytest.mark.parametrize("name", ["sentences.tsv", "sentences_heldout.tsv", "sentences_heldout2.tsv",
                                  "sentences_heldout3.tsv", "sentences_heldout4.tsv", "messages_paraphrases.jsonl",
                                  "messages_dev4.jsonl", "messages_probe4.jsonl"])
def test_trigger_prefilter_changes_nothing(name: str) -> None:
    from veil.detectors.text_segments import split_sentences

    for _, _, text in _message_texts(name) if name.endswith(".jsonl") else _rows(name):
        for seg in split_sentences(text):
            sentence = text[seg.start:seg.end]
            fast, full = classify(sentence, prefilter=True), classify(sentence, prefilter=False)
            assert bool(fast.statuses) == bool(full.statuses), sentence
            # each language's patterns run only on sentences holding one of that language's triggers
            low = sentence.lower()
            for lang in LANGS:
                if not any(t in low for t in rules(lang).status_triggers):
                    assert not any(p.search(sentence) for ps in rules(lang).status.values() for p in ps), (lang,
                                                                                                        sentence)


# Ways of saying that someone sought protection, fears return, is a victim or witness, or was in a data incident
# (a probe of the vocabulary, each said of a named person).
STATUS_PHRASES = [
    "sought safe haven in the United States",
    "requested sanctuary here",
    "is seeking refuge in the US",
    "wants to stay because of persecution",
    "filed a claim for protection",
    "is an asylum applicant",
    "has a case before the asylum office",
    "was interviewed by an asylum officer last week",
    "is in the affirmative asylum process",
    "has a defensive asylum case",
    "was granted refugee status",
    "came to the U.S. as a refugee",
    "is a resettled refugee",
    "has asylee status",
    "is a derivative asylee",
    "received a positive credible fear finding",
    "passed the CFI",
    "was referred to the IJ after a positive fear finding",
    "is in withholding-only proceedings",
    "has CAT deferral",
    "was granted deferral of removal",
    "is protected under the Convention against Torture",
    "cannot be returned because of our non-refoulement obligations",
    "is on a humanitarian hold",
    "is registered with UNHCR",
    "is afraid of what will happen if she goes home",
    "said her life is in danger in Honduras",
    "receives death threats back home",
    "is being hunted by the cartel",
    "fled death threats in Honduras",
    "fled persecution in Eritrea",
    "escaped from the gang that threatened him",
    "had his data compromised in the breach",
    "was part of the breach",
    "was in the leak",
    "was on the list that was made public last month",
    "was exposed in the November incident",
    "had his name published online by mistake",
    "is a survivor of sex trafficking",
    "was trafficked into the country",
    "is a crime victim helping the police with an investigation",
    "has a U visa certification",
    "has an I-918 Supplement B",
    "has Continued Presence",
    "holds an S visa",
    "is in witness protection",
    "is a confidential informant for DEA",
    "has a pending application for relief under VAWA",
]


@pytest.mark.parametrize("phrase", STATUS_PHRASES)
def test_status_vocabulary_said_of_a_named_person_blocks(phrase: str) -> None:
    assert classify(f"Mr. Juan Pérez {phrase}.").disclosing


# Things said of a named person that disclose nothing (logistics, health, a criminal record, other senses of the
# words).
NEUTRAL_PHRASES = [
    "has a final order of removal and a valid passport",
    "needs a wheelchair at arrival",
    "will travel with his wife and two children",
    "has a cardiac condition and takes daily medication",
    "was convicted of burglary in 2019 and served his sentence",
    "is scheduled on the 4 June flight to Guatemala City",
    "will be escorted by two officers",
    "asked for a vegetarian meal on the flight",
    "has family waiting for him at the airport",
    "lost his passport and needs an emergency travel document",
    "was released from detention on bond last week",
    "has an appointment at the consulate on Tuesday",
    "is a citizen of Honduras born in Tegucigalpa",
    "has no criminal record",
    "requested a copy of his birth certificate",
    "fainted during boarding yesterday and was seen by the nurse",
    "will not travel on Thursday; we will advise a new date",
    "was transferred from Otay Mesa to Adelanto on Monday",
    "has a pending motion to reopen with the court",
    "was protected from the rain under the jet bridge",
    "received a visitor visa to attend his brother's wedding",
    "is afraid of flying and asked for a window seat",
    "was a witness to the fight in the dormitory and gave a statement to staff",
    "said he is worried about missing his connection in Houston",
    "has been cooperating fully with the travel arrangements",
    "returned to his country voluntarily last year and came back",
    "was attacked by a dog as a child and has a scar on his arm",
    "lost his job after the factory closed",
    "has TPS and a work permit",
    "is on humanitarian parole until June",
]


@pytest.mark.parametrize("phrase", NEUTRAL_PHRASES)
def test_neutral_things_said_of_a_named_person_pass(phrase: str) -> None:
    assert not any(r.disclosing for _, _, r in classify_text(f"Mr. Juan Pérez {phrase}.", message=True))
