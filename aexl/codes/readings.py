"""Initials of a run of Chinese characters, read as a name.

Three layers, first match wins:

1. Known words, longest match anywhere in the run: the project's correction
   list (``data/pinyin_fixes.toml``, top-level entries) and the gazetteer of
   official place names (``data/gazetteer_places.tsv``: the full name such as
   长清区, and its proper part such as 长清 when that has two characters or
   more and is not an ordinary word of pypinyin's phrase dictionary: 朝阳 alone
   stays zhāoyáng "morning sun", 朝阳区 is Cháoyáng). The correction list wins
   over the gazetteer.
2. pypinyin's phrase dictionary, through its own segmenter.
3. A character the segmenter leaves on its own is read with its name reading
   when it has one (``[name_chars]`` in the correction list: 长 cháng, 晟
   shèng, 厦 xià …), else with pypinyin's first reading.

Everything is loaded on first use: importing this module costs nothing.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
FIXES_PATH = DATA / "pinyin_fixes.toml"
GAZETTEER_PATH = DATA / "gazetteer_places.tsv"
_TABLES = ("name_chars",)


class NoReading(Exception):
    """pypinyin has no reading for a character."""


def _is_code(text: str, size: int) -> bool:
    return len(text) == size and text.isascii() and text.isalnum() and text.isupper()


# ---------------------------------------------------------------------------
# Data files


@lru_cache(maxsize=1)
def _fix_file() -> dict:
    import tomllib

    with open(FIXES_PATH, "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def load_fixes() -> dict[str, str]:
    """The correction list's words: word → initials (one per character)."""
    fixes: dict[str, str] = {}
    for word, initials in _fix_file().items():
        if word in _TABLES:
            continue
        word = unicodedata.normalize("NFKC", word)
        if not (isinstance(initials, str) and _is_code(initials, len(word))):
            raise ValueError(
                f"{FIXES_PATH.name}: {word!r} needs one upper-case initial a character"
            )
        fixes[word] = initials
    return fixes


@lru_cache(maxsize=1)
def load_name_chars() -> dict[str, str]:
    """``[name_chars]`` of the correction list: character → its initial in a name."""
    chars = _fix_file().get("name_chars", {})
    for char, initial in chars.items():
        if len(char) != 1 or not _is_code(initial, 1):
            raise ValueError(
                f"{FIXES_PATH.name} [name_chars]: {char!r} needs one upper-case initial"
            )
    return dict(chars)


@lru_cache(maxsize=1)
def load_gazetteer() -> dict[str, tuple[str, str]]:
    """Official place names → (proper part, initials), from the gazetteer."""
    names: dict[str, tuple[str, str]] = {}
    with open(GAZETTEER_PATH, encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    for line in lines[1:]:
        name, proper, reading, _source = line.rstrip("\n").split("\t")
        initials = "".join(s[0] for s in reading.split()).upper()
        if len(initials) != len(name):
            raise ValueError(f"{GAZETTEER_PATH.name}: {name} needs one syllable a character")
        names[name] = (proper, initials)
    return names


def _place_words() -> dict[str, str]:
    """Gazetteer words matched in a name: full names, and proper parts that are
    not ordinary words of pypinyin's phrase dictionary."""
    phrases = _tables()[0]
    words = {}
    for name, (proper, initials) in load_gazetteer().items():
        words[name] = initials
        if len(proper) > 1 and proper not in phrases:
            words.setdefault(proper, initials[: len(proper)])
    return words


@lru_cache(maxsize=1)
def _word_index() -> tuple[dict[str, str], dict[str, str], frozenset[str], int]:
    """(one-character fixes, known words, their first characters, longest word)."""
    fixes = load_fixes()
    single = {w: c for w, c in fixes.items() if len(w) == 1}
    words = _place_words()
    words.update((w, c) for w, c in fixes.items() if len(w) > 1)
    return single, words, frozenset(w[0] for w in words), max(map(len, words), default=0)


def known_words() -> dict[str, str]:
    """Every word read from the project's data rather than pypinyin (tests, bench)."""
    return _word_index()[1]


# ---------------------------------------------------------------------------
# pypinyin, lazily


@lru_cache(maxsize=1)
def _segmenter():
    """pypinyin's forward maximum-matching segmenter over its phrase dictionary
    (what ``lazy_pinyin`` runs on each run of Chinese characters)."""
    from pypinyin.seg.mmseg import seg

    return seg.cut


@lru_cache(maxsize=1)
def _tables():
    """pypinyin's phrase and character dictionaries and its style converter."""
    from aexl.gcpause import paused_gc

    with paused_gc():  # ~400,000 small objects, no cycles
        from pypinyin import Style
        from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
        from pypinyin.converter import DefaultConverter

    return PHRASES_DICT, PINYIN_DICT, DefaultConverter(), Style.FIRST_LETTER


@lru_cache(maxsize=8192)
def _initial(syllable: str) -> str:
    """First letter of a tone-marked syllable, as pypinyin's FIRST_LETTER style gives it."""
    _phrases, _chars, converter, style = _tables()
    letter = converter.convert_style("", syllable, style, True)
    return letter.upper() if len(letter) == 1 and "a" <= letter <= "z" else ""


@lru_cache(maxsize=65536)
def word_initials(word: str) -> str:
    """Initials of one segmented word: its reading in the phrase dictionary, else
    each character's first reading (what ``lazy_pinyin`` does per word)."""
    phrases, chars, _converter, _style = _tables()
    if word in phrases:
        syllables = [readings[0] for readings in phrases[word]]
    else:
        syllables = []
        for char in word:
            readings = chars.get(ord(char))
            if not readings:
                raise NoReading(char)
            syllables.append(readings.split(",", 1)[0])
    out = []
    for char, syllable in zip(word, syllables, strict=True):
        letter = _initial(syllable)
        if not letter:
            raise NoReading(char)
        out.append(letter)
    return "".join(out)


def _plain_initials(run: str) -> str:
    """pypinyin's reading of a run, with name readings for characters left alone."""
    name_chars = load_name_chars()
    return "".join(name_chars.get(word) or word_initials(word) for word in _segmenter()(run))


def han_initials(run: str) -> str:
    """Initials of a run of Chinese characters. Raises NoReading."""
    single, words, firsts, longest = _word_index()
    if len(run) == 1 and run in single:
        return single[run]
    out: list[str] = []
    start = i = 0
    n = len(run)
    while i < n:
        fix = None
        if run[i] in firsts:
            for size in range(min(longest, n - i), 1, -1):
                fix = words.get(run[i : i + size])
                if fix:
                    break
        if fix:
            if start < i:
                out.append(_plain_initials(run[start:i]))
            out.append(fix)
            i = start = i + len(fix)
        else:
            i += 1
    if start < n:
        out.append(_plain_initials(run[start:]))
    return "".join(out)


def clear_caches() -> None:
    for func in (word_initials, _initial, _fix_file, load_fixes, load_name_chars):
        func.cache_clear()
    load_gazetteer.cache_clear()
    _word_index.cache_clear()
