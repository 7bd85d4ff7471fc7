"""Romanisation-tolerant name tokens: one canonical spelling and one coarse skeleton per token.

    data/romanisation.yaml     the declarative part: spelling groups (Arabic, Russian/Ukrainian, Haitian Creole and
                               French, Cantonese and other Chinese surname spellings), ordered rewrite rules per
                               context, the skeleton rules
    pypinyin                   the Chinese syllables: every Hanyu Pinyin syllable and its Wade-Giles form
    anyascii                   names written in another script (Cyrillic, Arabic, Han, ...) to Latin letters

A token's canonical form: its spelling group's first spelling; then the rules of the record's context (from its
nationality: chinese, arabic, cyrillic, haitian; "all" for everyone); in the Chinese context the token read as
syllables (pinyin, Wade-Giles or a mix) and written in Wade-Giles without apostrophes, which merges what
romanisations confuse (pinyin zh/ch and Wade-Giles ch, q and ch', x and hs). The skeleton of the canonical form
drops later vowels and merges similar consonants: it only has to bring variants into the same block.
Work is done once per distinct (token, context): a roster has far fewer distinct tokens than rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import polars as pl

from veil.yamlio import load_yaml

CONTEXTS = ("all", "chinese", "arabic", "cyrillic", "haitian")
_MAX_SYLLABLES = 4


@dataclass(frozen=True)
class Romanisation:
    """The loaded data: spelling -> canonical spelling, nationality -> context, rules per context, skeleton rules,
    Chinese syllable -> its Wade-Giles form."""

    variants: dict[str, str]
    spelling_context: dict[str, str]
    context_of: dict[str, str]
    token_rules: dict[str, tuple[tuple[re.Pattern[str], str], ...]]
    skeleton_rules: tuple[tuple[re.Pattern[str], str], ...]
    syllables: dict[str, str]


def _rules(items: list[list[str]]) -> tuple[tuple[re.Pattern[str], str], ...]:
    # The data file writes groups as ${1} (the syntax polars users know); Python's re wants \g<1>.
    return tuple((re.compile(pattern), re.sub(r"\$\{(\d+)\}", r"\\g<\1>", repl)) for pattern, repl in items)


@lru_cache(maxsize=1)
def romanisation() -> Romanisation:
    raw: dict[str, Any] = load_yaml(resources.files("veil.incident").joinpath("data/romanisation.yaml")
                                    .read_text(encoding="utf-8"))
    groups = [(ctx, group) for ctx, by_name in raw["variants"].items() for group in by_name.values()]
    variants = {spelling: group[0] for _, group in groups for spelling in group}
    spelling_context = {spelling: ctx for ctx, group in groups for spelling in group}
    context_of = {code: ctx for ctx, codes in raw["contexts"].items() for code in codes}
    rules = {ctx: _rules(raw["token_rules"].get(ctx, [])) for ctx in CONTEXTS}
    return Romanisation(variants, spelling_context, context_of, rules, _rules(raw["skeleton_rules"]),
                        chinese_syllables())


def chinese_syllables() -> dict[str, str]:
    """Every pinyin syllable and every Wade-Giles syllable (apostrophes and umlauts dropped) -> the Wade-Giles form.

    From pypinyin's own syllable list and its Wade-Giles converter: nothing hand-typed."""
    from pypinyin import Style
    from pypinyin.pinyin_dict import pinyin_dict
    from pypinyin.style import convert

    out: dict[str, str] = {}
    marked = {p for v in set(pinyin_dict.values()) for p in v.split(",")}
    plain = {convert(p, Style.NORMAL, strict=True) for p in marked}
    for syllable in sorted(plain):
        syllable = syllable.replace("v", "u").replace("ü", "u")
        if not syllable.isalpha() or not syllable.isascii():
            continue
        wade = re.sub(r"[^a-z]", "", convert(syllable, Style.WADEGILES, strict=False).replace("v", "u"))
        out.setdefault(syllable, wade)
        out.setdefault(wade, wade)
    # Wade-Giles as lists write it: without the final h of -ueh/-ieh (Hsue = Hsueh), with -uei for -ui
    # (Tsuei = Ts'ui). Only where the short form is no syllable of its own.
    for wade in sorted(set(out.values())):
        for alias in ([wade[:-1]] if wade.endswith("eh") else []) + ([wade[:-1] + "ei"] if wade.endswith("ui") else []):
            out.setdefault(alias, wade)
    return out


def context(nationality: str | None, tokens: list[str] | None = None) -> str:
    """The romanisation context of a record: from its folded nationality (an ISO alpha-3 code or text); without
    one, from the spellings of its name (a Chinese surname spelling with every token read as Chinese syllables; else
    a spelling listed under one context)."""
    data = romanisation()
    if nationality:
        return data.context_of.get(nationality, "all")
    found = [data.spelling_context[t] for t in tokens or () if t in data.spelling_context]
    if len(tokens or ()) >= 2 and all(_as_wade_giles(_rewritten(t, "chinese"), data.syllables, strict=True)
                                      for t in tokens or ()):
        return "chinese"  # every token reads as Chinese syllables (Kaishan Tshien)
    return next((c for c in found if c != "chinese"), "all")


def contexts(nationalities: pl.Series, tokens: pl.Series) -> pl.Series:
    """The context of every record (see `context`); the name is only looked at where the nationality is missing."""
    data = romanisation()
    known = nationalities.replace_strict(data.context_of, default="all", return_dtype=pl.String)
    missing = nationalities.is_null()
    if not bool(missing.any()):
        return known
    where = missing.arg_true()
    guessed = [context(None, toks) for toks in tokens.gather(where).to_list()]
    return known.scatter(where, pl.Series(guessed, dtype=pl.String))


@lru_cache(maxsize=200_000)
def canonical(token: str, where: str = "all") -> str:
    """The canonical spelling of one folded token in a context."""
    data = romanisation()
    out = _rewritten(data.variants.get(token, token), where)
    out = data.variants.get(out, out)
    if where == "chinese":
        out = _as_wade_giles(out, data.syllables)
    return out or token


def _rewritten(token: str, where: str) -> str:
    """The token through the rules of every record, then those of its context."""
    data = romanisation()
    for ctx in ("all", where) if where != "all" else ("all",):
        for pattern, repl in data.token_rules[ctx]:
            token = pattern.sub(repl, token)
    return token


def _as_wade_giles(token: str, syllables: dict[str, str], strict: bool = False) -> str:
    """The token read as Chinese syllables (fewest first) in Wade-Giles, or (not `strict`) the token itself when it
    is not; `strict` gives "" then."""
    n = len(token)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(max(0, end - 6), end):
            prev = best[start]
            piece = token[start:end]
            if prev is not None and piece in syllables and len(prev) < _MAX_SYLLABLES:
                cand = [*prev, syllables[piece]]
                current = best[end]
                if current is None or len(cand) < len(current):
                    best[end] = cand
    found = best[n]
    return "".join(found) if found else ("" if strict else token)


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """A coarse sound key of a canonical token: first sound kept (a vowel as 'a'), later vowels dropped."""
    out = token
    for pattern, repl in romanisation().skeleton_rules:
        out = pattern.sub(repl, out)
    out = re.sub(r"(.)\1+", r"\1", out)
    if not out:
        return token
    first = "a" if out[0] in "aeiouy" else out[0]
    return re.sub(r"(.)\1+", r"\1", first + re.sub(r"[aeiouy]", "", out[1:]))


def canonical_lists(tokens: pl.Series, contexts: pl.Series) -> tuple[pl.Series, pl.Series]:
    """(canonical tokens, skeletons) for each record's token list, computed once per distinct (token, context)."""
    frame = pl.DataFrame({"toks": _compounds_joined(tokens), "ctx": contexts}).with_row_index("rec")
    pairs = frame.explode("toks").drop_nulls("toks")
    distinct = pairs.select("toks", "ctx").unique()
    canon = [canonical(t, c) for t, c in distinct.iter_rows()]
    table = distinct.with_columns(canon=pl.Series(canon, dtype=pl.String),
                                  ph=pl.Series([skeleton(c) for c in canon], dtype=pl.String))
    joined = pairs.join(table, on=["toks", "ctx"], how="left", maintain_order="left")
    lists = joined.group_by("rec", maintain_order=True).agg("canon", "ph", chinese=(pl.col("ctx") == "chinese").all())
    spaced = lists.filter(pl.col("chinese") & (pl.col("canon").list.len() >= 3))
    if spaced.height:
        merged = [_chinese_given_joined(toks) for toks in spaced["canon"].to_list()]
        spaced = spaced.with_columns(canon=pl.Series(merged, dtype=pl.List(pl.String)))
        spaced = spaced.with_columns(ph=pl.col("canon").list.eval(
            pl.element().map_elements(skeleton, return_dtype=pl.String)))
        lists = lists.update(spaced.select("rec", "canon", "ph"), on="rec")
    out = frame.select("rec").join(lists, on="rec", how="left", maintain_order="left")
    return out["canon"], out["ph"]


def _compounds_joined(tokens: pl.Series) -> pl.Series:
    """Two neighbouring tokens that together are a listed spelling become one (Jean-Baptiste = Janbatis, St Louis =
    Saint-Louis): only the few records that have such a pair are looked at one by one."""
    known = romanisation().variants
    spellings = pl.Series(list(known), dtype=pl.String)
    joined = tokens.list.eval((pl.element() + pl.element().shift(-1)).is_in(spellings)).list.any()
    hits = joined.fill_null(False).arg_true()
    if hits.len() == 0:
        return tokens
    merged = pl.DataFrame({"rec": hits, "toks": [_join_pairs(toks, known) for toks in tokens.gather(hits).to_list()]},
                          schema={"rec": pl.UInt32, "toks": pl.List(pl.String)})
    frame = pl.DataFrame({"toks": tokens}).with_row_index("rec")
    return frame.update(merged, on="rec")["toks"]


def _join_pairs(tokens: list[str], known: dict[str, str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        if out and out[-1] + token in known:
            out[-1] += token
        else:
            out.append(token)
    return out


def _chinese_given_joined(tokens: list[str]) -> list[str]:
    """A Chinese name written a syllable a word ("Chan Tai Man", "Hsiu Ying Chang"): the given name's syllables
    joined ("chen taiman"), so it meets the same name written as one word. The surname is the first or the last
    token, whichever is a surname spelling."""
    data = romanisation()
    if not all(t in data.syllables for t in tokens):
        return tokens
    if _is_surname(tokens[0]):
        return [tokens[0], "".join(tokens[1:])]
    if _is_surname(tokens[-1]):
        return ["".join(tokens[:-1]), tokens[-1]]
    return tokens


@lru_cache(maxsize=1)
def _chinese_surnames() -> frozenset[str]:
    data = romanisation()
    return frozenset(canonical(s, "chinese") for s, ctx in data.spelling_context.items() if ctx == "chinese")


def _is_surname(token: str) -> bool:
    return token in _chinese_surnames()
