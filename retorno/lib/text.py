"""Text normalisation for search: case-, accent- and script-variant-insensitive."""

import re
import unicodedata

# Arabic letters that users type interchangeably (hamza forms of alef, taa marbuta,
# alef maksura) are folded onto one form, as are Persian/Urdu variants of kaf and yeh.
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ک": "ك", "ی": "ي", "ـ": ""}
)
_SPACES = re.compile(r"[\s\-'’`.,]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and diacritics, fold Arabic variants, squeeze spaces."""
    text = unicodedata.normalize("NFKD", text or "").casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_ARABIC_FOLD).replace("ß", "ss")
    return _SPACES.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    return [t for t in fold(text).split(" ") if t]
