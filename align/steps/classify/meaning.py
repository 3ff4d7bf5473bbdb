"""Names rendered by meaning: a name the text checks find no counterpart for, translated rather than transcribed.

The name check (`align.steps.checks.names`) matches a name by its spelling, its
sound or the equivalents table. A name translated word for word has none of
those: "Picture" is «Bild», "Twin Towers" «Zwillingstürme», "Supreme Council of
Antiquities" «Obersten Rates für Altertümer», «Panda Géant» "Riesen-Panda". Such
a name is embedded alone, and so is each word of the other side, with the word
encoder (USE multilingual: on single words it tells these renderings from names
that really went missing better than the bundled model, bench/fit_name_scorer.py);
the name's best cosine with any of those words is the signal that the fitted
name scorer turns into the probability that the name is not rendered at all.

Only a name graded "missing" is judged so: a "swapped" name has another name in
its place, and two names that mean alike (two cities, two peaks) are still two.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..checks import languages
from ..checks.names import NEVER_NAMES, extract_names
from ..checks.text import WORD_RE, same_name
from .scorer import Scorer
from .units import Embed


@dataclass(frozen=True)
class NameCover:
    """A name's closest word on the other side, embedded one word at a time, and what the scorer makes of it."""

    name: str
    word: str
    cosine: float
    probability: float  # that the name is not rendered at all

    def evidence(self) -> dict[str, object]:
        return {"closest_word": self.word, "word_cosine": round(self.cosine, 4),
                "probability": round(self.probability, 3)}


def closest_word(name: str, other_text: str, other_lang: str, embed_words: Embed) -> tuple[str, float] | None:
    """The word of `other_text` closest to `name` (both embedded alone) and its cosine; None without words.

    The other side's own names are not candidates: a name is rendered by meaning in ordinary words, and
    another name is another place or person however alike the two read («Российской» and "Belarus"). Nor
    are function words and honorifics (the name check's `NEVER_NAMES`): embedded alone, "the" lies close to
    much of anything; nor the other language's titles and person pronouns: "President" or "him" in place
    of «Путиным» is a name left out, which the name check grades itself; nor a word spelled like a word
    of the name ("Shisha" for «Shisha Arolla»): the name check has weighed that match and found the name
    not rendered (its last word is what is missing)."""
    taken = {w for n in extract_names(other_text, other_lang) for w in WORD_RE.findall(n.text)}
    profile = languages.get(other_lang)
    own = WORD_RE.findall(name)
    words = [w for w in dict.fromkeys(m.group() for m in WORD_RE.finditer(other_text))
             if w not in taken and not _not_a_rendering(w.lower(), profile)
             and not any(same_name(w, x) for x in own)]
    if not words:
        return None
    vectors = embed_words([name, *words])
    cosines = vectors[1:] @ vectors[0]
    best = int(np.argmax(cosines))
    return words[best], float(cosines[best])


def _not_a_rendering(word: str, profile: languages.Language) -> bool:
    return (word in NEVER_NAMES or languages.word_in(word, profile.titles)
            or languages.word_in(word, profile.pronouns))


def name_cover(name: str, other_text: str, other_lang: str, embed_words: Embed, scorer: Scorer) -> NameCover | None:
    """`name` judged against the other side's words by the fitted name scorer."""
    found = closest_word(name, other_text, other_lang, embed_words)
    if found is None:
        return None
    word, cosine = found
    return NameCover(name, word, cosine, scorer.probability({"cover": cosine}))
