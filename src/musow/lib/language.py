"""Which language a piece of text people typed is in, French or English, so pages can
mark it (`lang="fr"` inside an English page): a screen reader then reads a French
title with French pronunciation (WCAG 3.1.2, language of parts).

Records carry no language of their own; the guess counts the small words each language
cannot do without (articles, prepositions, conjunctions) and French accents. Short
or mixed text with no clear majority gets no guess, and the page's language applies.

    guess_language("Causerie sur les VBG au marché de Gao")  -> "fr"
    guess_language("Training of the police on GBV")         -> "en"
    guess_language("WILDAF-Mali")                           -> None
"""

import re

FRENCH = frozenset(
    """le la les l un une des du de d au aux et ou sur pour avec dans par chez entre sans
    vers contre selon est sont été qui que qu ne pas plus ces cette ce cet son sa ses
    leur leurs nos notre vos votre lors auprès dont où""".split()
)
ENGLISH = frozenset(
    """the a an of and or on for with in into by at from to about against between without
    is are was were been who which that this these those its their our your not during
    after before""".split()
)
ACCENTS = re.compile(r"[àâçéèêëîïôœùûü«»]", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def guess_language(text: str) -> str | None:
    """ "fr", "en", or None when the text does not say."""
    words = [w.lower() for w in WORD.findall(text or "")]
    french = sum(w in FRENCH for w in words) + (2 if ACCENTS.search(text or "") else 0)
    english = sum(w in ENGLISH for w in words)
    if french > english:
        return "fr"
    if english > french:
        return "en"
    return None
