"""Precision and recall of `veil screen`'s sentence rules on the hand-labelled sets in tests/screen/data/.

    uv run python benchmarks/screen_sentences.py            # figures per set and language
    uv run python benchmarks/screen_sentences.py --errors   # also list the misclassified sentences
    uv run python benchmarks/screen_sentences.py --speed    # also time 1 MB of prose (veil check's text
                                                            # detector) and a 1 MB message (veil screen)

A TSV row is `label<TAB>lang<TAB>text`; a text may hold two sentences (the second is read in the context of the
first), read as if sent to a recipient who may not know. The paraphrase message set (messages_paraphrases.jsonl:
whole messages, each with a recipient kind) is screened as `veil screen` screens a .txt file for that kind. The
positive class is `disclose`. (The outbound-message sets written apart from the rules are benchmarks/
screen_messages.py's.)
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from veil.detectors.sentence_rules import classify_text
from veil.screen import Recipient, RecipientKind, screen_message

DATA = Path(__file__).resolve().parent.parent / "tests" / "screen" / "data"
SETS = {"labelled set (sentences.tsv)": DATA / "sentences.tsv",
        "held-out set (sentences_heldout.tsv)": DATA / "sentences_heldout.tsv",
        "second held-out set (sentences_heldout2.tsv)": DATA / "sentences_heldout2.tsv",
        "third held-out set (sentences_heldout3.tsv)": DATA / "sentences_heldout3.tsv",
        "fourth held-out set (sentences_heldout4.tsv)": DATA / "sentences_heldout4.tsv"}
MESSAGES = {"paraphrase messages (messages_paraphrases.jsonl)": DATA / "messages_paraphrases.jsonl"}


def load(path: Path) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r["label"], r["lang"], r["sentence"]) for r in csv.DictReader(fh, delimiter="\t",
                                                                              quoting=csv.QUOTE_NONE)]


def predict(text: str) -> bool:
    return any(r.disclosing for _, _, r in classify_text(text))


def load_messages(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def blocked(row: dict[str, str]) -> bool:
    who = Recipient("", RecipientKind(row["recipient_kind"]))
    return screen_message(row["text"].encode("utf-8"), f"{row['id']}.txt", who).verdict == "block"


def scores(rows: list[tuple[str, str, bool]]) -> dict[str, float]:
    tp = sum(1 for label, _, p in rows if label == "disclose" and p)
    fp = sum(1 for label, _, p in rows if label != "disclose" and p)
    fn = sum(1 for label, _, p in rows if label == "disclose" and not p)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(rows), "tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list misclassified sentences")
    parser.add_argument("--speed", action="store_true", help="time 1 MB of prose and a 1 MB message")
    args = parser.parse_args()
    if args.speed:
        speed()
    for title, path in SETS.items():
        if not path.exists():
            continue
        rows = load(path)
        started = time.perf_counter()
        predicted = [(label, lang, predict(text)) for label, lang, text in rows]
        elapsed = time.perf_counter() - started
        print(f"{title}: {len(rows)} items, {elapsed * 1000 / max(1, len(rows)):.2f} ms each")
        for lang in ("en", "es", "all"):
            subset = [p for p in predicted if lang == "all" or p[1] == lang]
            s = scores(subset)
            print(f"  {lang:3}  n={s['n']:3}  precision={s['precision']:.3f}  recall={s['recall']:.3f}  "
                  f"f1={s['f1']:.3f}  (tp={s['tp']} fp={s['fp']} fn={s['fn']})")
        if args.errors:
            for (label, lang, text), (_, _, p) in zip(rows, predicted, strict=True):
                if (label == "disclose") != p:
                    print(f"    {'MISSED' if p is False else 'FALSE '} {lang} {text}")
    for title, path in MESSAGES.items():
        messages(title, load_messages(path), args.errors)
    return 0


def messages(title: str, rows: list[dict[str, str]], errors: bool) -> None:
    blocked(rows[0])  # loading the rules is not timed
    started = time.perf_counter()
    predicted = [(row["label"], row["lang"], blocked(row)) for row in rows]
    elapsed = time.perf_counter() - started
    print(f"{title}: {len(rows)} messages, {elapsed * 1000 / max(1, len(rows)):.2f} ms each")
    for lang in ("en", "es", "fr", "ht", "all"):
        subset = [p for p in predicted if lang == "all" or p[1] == lang]
        s = scores(subset)
        print(f"  {lang:3}  n={s['n']:3}  precision={s['precision']:.3f}  recall={s['recall']:.3f}  "
              f"f1={s['f1']:.3f}  (tp={s['tp']} fp={s['fp']} fn={s['fn']})")
    if errors:
        for row, (label, _, p) in zip(rows, predicted, strict=True):
            if (label == "disclose") != p:
                print(f"    {'MISSED' if not p else 'FALSE '} {row['id']} {row['recipient_kind']} {row['text']!r}")


def speed() -> None:
    import random

    from veil.detectors.text import analyse_text
    from veil.readers.units import Text, Visibility

    rng = random.Random(1)
    innocent = [t for label, _, t in load(SETS["labelled set (sentences.tsv)"]) if label == "innocent"]
    paragraphs, size = [], 0
    while size < 1_000_000:
        paragraph = " ".join(rng.choice(innocent) for _ in range(6))
        if rng.random() < 0.03:
            paragraph += " Maria Lopez applied for asylum in 2020. The file lists A123-456-789."
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    prose = "\n\n".join(paragraphs)
    best = min(_timed(lambda: analyse_text(Text("x", Visibility.VISIBLE, prose))) for _ in range(3))
    print(f"free-text detector (veil check): {len(prose) / 1e6:.2f} MB of prose in {best:.2f} s")
    who = Recipient("Government", RecipientKind.FOREIGN_GOVERNMENT)
    # Every sentence distinct (identical sentences are classified once), none disclosing: the slowest case.
    sentences, size = [], 0
    while size < 950_000:  # under the 1 M character limit per message
        sentence = rng.choice(innocent).rstrip(".") + f" (reference {len(sentences)})."
        sentences.append(sentence)
        size += len(sentence) + 1
    message = " ".join(sentences)
    result = screen_message(message.encode(), "m.txt", who)
    best = min(_timed(lambda: screen_message(message.encode(), "m2.txt", who)) for _ in range(2))
    print(f"veil screen: a {len(message) / 1e6:.2f} MB .txt message of {len(sentences)} distinct innocent "
          f"sentences in {best:.2f} s (verdict {result.verdict})")


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
