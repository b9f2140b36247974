"""Finding the procedure a clerk means from what they type, over a catalog of a few thousand procedures.

What a clerk types: a code ("1.001193") or part of one ("001193"); words without diacritics, ký or kí; short
names and abbreviations (:mod:`~motcua.domain.search_terms`); a word still being typed; a typo or two; words run
together ("khaisinh"). Every word that is not filler must match a word of the name, so that nonsense finds
nothing.

Ranking puts first the procedure whose name says what was typed and little else: the query's words in the
name's order, side by side, covering most of the name's rarer words. So "khai sinh" gives "Đăng ký khai sinh"
before "Đăng ký lại khai sinh" and "Đăng ký khai sinh kết hợp …": "đăng ký" is in half the catalog and costs
little, "lại" and "kết hợp" are rarer and cost more.

The index lives in memory and is rebuilt when the catalog changes (an import or a sync, rarely).
"""

from __future__ import annotations

import bisect
import math
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from motcua.domain.search_terms import SearchTerms
from motcua.domain.text import digits, fold, search_words, spelling_key

# Weights of a query word's match with a word of a name.
EXACT = 1.0
PREFIX_LAST = 0.9  # the last word, likely still being typed
PREFIX = 0.8
TYPO_1 = 0.72
TYPO_2 = 0.6
LONE_TYPO_LEN = 5  # a one-word query may be a typo only this long; shorter, one letter off is another word

# How the parts of a procedure's score add up (see _score); calibrated on the "tune" half of the query set.
BASE = 0.6
ORDER = 0.2
COVERAGE = 0.25
START = 0.1

CODE_SCORE = 10.0  # a code match ranks above any match of words
PINNED_SCORE = 5.0  # a procedure a search term names by code

# Words clerks add that say nothing about which procedure: they count when a name has them, but need not match.
FILLER = frozenset(search_words("thủ tục làm xin cần muốn của về và cho giấy nộp việc"))
# "Thủ tục đăng ký khai sinh" and "Đăng ký khai sinh" say the same; the prefix must not make a name look longer.
_NAME_PREFIX = tuple(search_words("thủ tục"))
_CODE_LIKE = re.compile(r"^[0-9][0-9a-z.\-]*$")

_MEMO_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Indexed:
    """What the index needs of a procedure."""

    code: str
    name: str
    sector: str


class ProcedureIndex:
    """An in-memory index over the active procedures; ``search`` returns codes, best first. Thread-safe."""

    def __init__(self, procedures: Iterable[Indexed], terms: SearchTerms | None = None) -> None:
        self.terms = terms or SearchTerms()
        items = list(procedures)
        self._codes = [p.code for p in items]
        self._code_lower = [p.code.lower() for p in items]
        self._code_digits = [digits(p.code) for p in items]
        self._sector = [fold(p.sector) for p in items]
        name_fold = [fold(p.name) for p in items]
        self._by_code = {c: i for i, c in enumerate(self._codes)}
        self._tokens: list[tuple[str, ...]] = []
        self._positions: list[dict[str, tuple[int, ...]]] = []
        postings: dict[str, list[int]] = {}
        for i, p in enumerate(items):
            words = tuple(search_words(p.name))
            if words[: len(_NAME_PREFIX)] == _NAME_PREFIX and len(words) > len(_NAME_PREFIX):
                words = words[len(_NAME_PREFIX) :]
            self._tokens.append(words)
            where: dict[str, list[int]] = {}
            for pos, w in enumerate(words):
                where.setdefault(w, []).append(pos)
            self._positions.append({w: tuple(ps) for w, ps in where.items()})
            for w in where:
                postings.setdefault(w, []).append(i)
        self._postings = postings
        self._vocab = sorted(postings)
        self._vocab_set = frozenset(postings)
        n = max(1, len(items))
        self._idf = {w: math.log(1 + n / len(ids)) for w, ids in postings.items()}
        self._weight = [sum(self._idf[w] for w in pos) for pos in self._positions]
        self._listing = sorted(range(len(items)), key=lambda i: (len(name_fold[i]), name_fold[i]))
        self._name_fold = name_fold
        self._memo: dict[tuple[str, bool], tuple[tuple[str, float], ...]] = {}
        self._memo_lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._codes)

    def search(self, text: str, sector: str | None = None, limit: int = 100) -> list[str]:
        """Codes of the procedures matching ``text``, best first; every procedure (in name order) for blank text.

        Args:
            text: what the clerk typed.
            sector: only this sector (its name, any case or diacritics).
            limit: at most this many.
        """
        wanted = fold(sector) if sector else ""
        allowed: Callable[[int], bool] = (lambda i: self._sector[i] == wanted) if wanted else (lambda i: True)
        raw = text.strip()
        if not raw:
            return [self._codes[i] for i in self._listing if allowed(i)][:limit]
        scores: dict[int, float] = {}
        for i, s in self._code_matches(raw).items():
            scores[i] = max(scores.get(i, 0.0), s)
        for i, s in self._word_matches(raw).items():
            if s > scores.get(i, 0.0):
                scores[i] = s
        ranked = sorted((i for i in scores if allowed(i)), key=lambda i: self._order(i, scores[i]))
        return [self._codes[i] for i in ranked[:limit]]

    def score(self, text: str, code: str) -> float:
        """The score of one procedure for ``text`` (0 when it does not match): for calibrating and explaining."""
        i = self._by_code.get(code)
        if i is None:
            return 0.0
        return max(self._code_matches(text.strip()).get(i, 0.0), self._word_matches(text).get(i, 0.0))

    def _order(self, i: int, score: float) -> tuple[float, str, int, str, str]:
        # Codes matched alike are listed in code order; names matched alike, the shorter (plainer) first.
        by_code = self._codes[i] if score >= CODE_SCORE else ""
        return (-round(score, 9), by_code, len(self._tokens[i]), self._name_fold[i], self._codes[i])

    def _word_matches(self, text: str) -> dict[int, float]:
        typed = search_words(text)
        if not typed:
            return {}
        scores: dict[int, float] = {}
        readings: dict[tuple[str, ...], float] = {}
        # Terms are looked for in the words as typed and as split ("dangky" → "dang ky"); a term's meaning may
        # hold words run together too.
        for words in {tuple(typed), tuple(self._rejoin(typed))}:
            expansion = self.terms.expand(words)
            for code in expansion.codes:
                i = self._by_code.get(code)
                if i is not None:
                    scores[i] = max(scores.get(i, 0.0), PINNED_SCORE)
            for variant, boost in expansion.variants:
                key = tuple(self._rejoin(list(variant)))
                readings[key] = max(readings.get(key, 0.0), boost)
        for variant, boost in readings.items():
            for i, s in self._score_variant(variant, boost).items():
                if s > scores.get(i, 0.0):
                    scores[i] = s
        return scores

    # -- codes

    def _code_matches(self, raw: str) -> dict[int, float]:
        q = raw.lower().replace(" ", "")
        if not _CODE_LIKE.match(q):
            return {}
        qd = digits(q)
        out: dict[int, float] = {}
        for i, (code, cd) in enumerate(zip(self._code_lower, self._code_digits, strict=True)):
            if code == q:
                s = CODE_SCORE + 1.0
            elif len(qd) >= 6 and cd == qd:
                s = CODE_SCORE + 0.9  # the whole code typed without its dots
            elif code.startswith(q) or (len(qd) >= 2 and q == qd and cd.startswith(qd)):
                s = CODE_SCORE + 0.8
            elif len(qd) >= 3 and cd[1:7] == qd:
                s = CODE_SCORE + 0.7  # the six digits that tell national codes apart: "001193"
            elif len(qd) >= 3 and cd[1:7].startswith(qd):
                s = CODE_SCORE + 0.5
            elif len(qd) >= 4 and qd in cd:
                s = CODE_SCORE + 0.3
            else:
                continue
            out[i] = s
        return out

    # -- words

    def _rejoin(self, words: list[str]) -> list[str]:
        """Split words typed together ("dangky", "khaisinh") when no word of the catalog begins with them."""
        out: list[str] = []
        for w in words:
            if len(w) >= 4 and w not in self._vocab_set and not self._has_prefix(w):
                split = self._split(w)
                if split:
                    out.extend(split)
                    continue
            out.append(w)
        return out

    def _split(self, w: str) -> tuple[str, str] | None:
        for k in range(2, len(w) - 1):  # halves of two letters or more: "chao" is not "cha ở"
            a, b = spelling_key(w[:k]), spelling_key(w[k:])
            if a in self._vocab_set and b in self._vocab_set:
                return a, b
        return None

    def _has_prefix(self, w: str) -> bool:
        k = bisect.bisect_left(self._vocab, w)
        return k < len(self._vocab) and self._vocab[k].startswith(w)

    def _candidates(self, w: str, last: bool) -> tuple[tuple[str, float], ...]:
        """The catalog's words that ``w`` may stand for, with how sure that is."""
        from rapidfuzz import process  # on the first search with a typo: not every command searches
        from rapidfuzz.distance import OSA

        key = (w, last)
        found = self._memo.get(key)
        if found is not None:
            return found
        out: dict[str, float] = {}
        if w in self._vocab_set:
            out[w] = EXACT
        if len(w) >= (1 if last else 2):
            k = bisect.bisect_left(self._vocab, w)
            while k < len(self._vocab) and self._vocab[k].startswith(w):
                out.setdefault(self._vocab[k], PREFIX_LAST if last else PREFIX)
                k += 1
        if len(w) >= 3 and not w.isdigit():
            most = 1 if len(w) <= 7 else 2
            for v, dist, _ in process.extract(w, self._vocab, scorer=OSA.distance, score_cutoff=most, limit=None):
                if v in out or dist == 0:
                    continue
                if len(w) == 3 and v[0] != w[0]:
                    continue  # a three-letter word with its first letter wrong is some other word
                out[v] = TYPO_1 if dist == 1 else TYPO_2
        result = tuple(out.items())
        with self._memo_lock:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = result
        return result

    def _score_variant(self, words: Sequence[str], boost: float) -> dict[int, float]:
        n = len(words)
        filler = [w in FILLER for w in words]
        if all(filler):
            filler = [False] * n
        per_word: list[dict[int, tuple[float, str]]] = []
        for idx, w in enumerate(words):
            matches: dict[int, tuple[float, str]] = {}
            # Weakest first, so that a procedure keeps its best match (dict updates run in C: thousands per query)
            for token, weight in sorted(self._candidates(w, last=idx == n - 1), key=lambda c: c[1]):
                matches.update(dict.fromkeys(self._postings[token], (weight, token)))
            if not matches and not filler[idx]:
                return {}
            per_word.append(matches)
        required = sorted((per_word[k] for k in range(n) if not filler[k]), key=len)
        candidates = set(required[0])
        for other in required[1:]:
            candidates.intersection_update(other)
            if not candidates:
                return {}
        lone_typo_ok = n == 1 and len(words[0]) >= LONE_TYPO_LEN
        out: dict[int, float] = {}
        for i in candidates:
            got = [m for pw in per_word if (m := pw.get(i)) is not None]
            if lone_typo_ok or self._typos_have_company(i, got):
                out[i] = boost * self._score(i, got)
        return out

    def _typos_have_company(self, i: int, got: list[tuple[float, str]]) -> bool:
        """A word read as a typo counts only beside a word that matched as typed: one letter off, a short word is
        often another word ("ngan" is one letter from "nhan"), and two such guesses together are nonsense."""
        where = self._positions[i]
        sure = {p for w, t in got if w >= PREFIX for p in where[t]}
        return all(w >= PREFIX or any(p - 1 in sure or p + 1 in sure for p in where[t]) for w, t in got)

    def _score(self, i: int, got: list[tuple[float, str]]) -> float:
        """How well one procedure's name answers the query (``got``: each matched word's weight and name word)."""
        where = self._positions[i]
        quality = sum(w for w, _ in got) / len(got)
        if len(got) > 1:
            adjacent = in_order = 0
            for (_, a), (_, b) in pairwise(got):
                pb = where[b]
                if any(p + 1 in pb for p in where[a]):
                    adjacent += 1
                elif any(p + 2 in pb for p in where[a]):
                    in_order += 1
            order = (adjacent + 0.5 * in_order) / (len(got) - 1)
        else:
            order = 1.0
        covered = sum(self._idf[t] for t in {t for _, t in got})
        coverage = min(1.0, covered / (self._weight[i] or 1.0))
        start = 1.0 if 0 in where[got[0][1]] else 0.0
        return quality * (BASE + ORDER * order + COVERAGE * coverage + START * start)
