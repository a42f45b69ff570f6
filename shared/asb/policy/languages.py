"""The languages a reporter can ask us to speak to them in, as one closed list.

Every message we send is in English (there are no templates in any other language), so a
language is an adjustment: an interpreter for calls and visits, named in what we send. Each is
kept as its English name, the one value the letters ("a Polish interpreter") and the console
show; the form offers each with its own name too.
"""

from __future__ import annotations

from typing import Final

from pydantic_core import PydanticCustomError

# The English name kept -> how the form offers it (its own name first, as a speaker reads it).
LANGUAGES: Final[dict[str, str]] = {
    "Welsh": "Cymraeg (Welsh)",
    "British Sign Language": "British Sign Language (BSL)",
    "Albanian": "Shqip (Albanian)",
    "Arabic": "العربية (Arabic)",
    "Bengali": "বাংলা (Bengali)",
    "Bulgarian": "Български (Bulgarian)",
    "Cantonese": "廣東話 (Cantonese)",
    "Farsi": "فارسی (Farsi)",
    "French": "Français (French)",
    "Gujarati": "ગુજરાતી (Gujarati)",
    "Hungarian": "Magyar (Hungarian)",
    "Italian": "Italiano (Italian)",
    "Kurdish": "Kurdî (Kurdish)",
    "Lithuanian": "Lietuvių (Lithuanian)",
    "Mandarin": "普通话 (Mandarin)",
    "Pashto": "پښتو (Pashto)",
    "Polish": "Polski (Polish)",
    "Portuguese": "Português (Portuguese)",
    "Punjabi": "ਪੰਜਾਬੀ (Punjabi)",
    "Romanian": "Română (Romanian)",
    "Russian": "Русский (Russian)",
    "Somali": "Soomaali (Somali)",
    "Spanish": "Español (Spanish)",
    "Tamil": "தமிழ் (Tamil)",
    "Tigrinya": "ትግርኛ (Tigrinya)",
    "Turkish": "Türkçe (Turkish)",
    "Ukrainian": "Українська (Ukrainian)",
    "Urdu": "اردو (Urdu)",
    "Vietnamese": "Tiếng Việt (Vietnamese)",
}
_BY_NAME: Final = {
    **{name.casefold(): name for name in LANGUAGES},
    **{offered.split(" (")[0].casefold(): name for name, offered in LANGUAGES.items()},
    "bsl": "British Sign Language", "cymraeg": "Welsh",
}


def language_of(value: str, stored: bool = False) -> str:
    """A language from the list, by its English or own name in any case ('cymraeg' -> 'Welsh').
    A report stored before the list keeps the words it was given; a new one must choose."""
    found = _BY_NAME.get(value.strip().casefold())
    if found:
        return found
    if stored:
        return value
    raise PydanticCustomError(
        "language", "Choose a language from our list, or tell us in 'anything else' below")
