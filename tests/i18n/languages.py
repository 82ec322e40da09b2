"""What a page in one language may not show: the messages of the others.

From the project's compiled catalogues (`locale/<lang>/LC_MESSAGES/django.mo`) and those of
Django and every installed app, each message is known in Dutch, French, German and English (the
English being the msgid, or the English catalogue's wording; a message a catalogue lacks shows
its English there, so it counts as foreign on that language's page). For a page in language L:

- a *foreign message* is the Dutch, French, German or English text of an entry that differs
  from its text in L, unless L uses that very text somewhere else;
- a *foreign text node* is a piece of visible text whose longer words L never uses and at least
  one of which the other languages do (this catches what is in no catalogue yet: a model's
  `verbose_name` without gettext, a new string not yet translated).

Short or shared text is ignored: fragments under `MIN_LENGTH` characters, single words, names,
and anything identical in the languages compared.
"""

import gettext
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings

LANGUAGES = ("nl", "fr", "de", "en")
MIN_LENGTH = 12
MIN_WORD = 4
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{[\w.]*\}|<[^>]+>|&\w+;|\s*[\n|]\s*")
WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", re.UNICODE)
VISIBLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "aria-description")
SKIPPED_ELEMENTS = {"script", "style", "template", "noscript"}


def _catalogue_files(language: str) -> Iterator[Path]:
    yield from (Path(path) / language / "LC_MESSAGES" / "django.mo" for path in settings.LOCALE_PATHS)
    yield Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.mo"
    for config in apps.get_app_configs():
        yield Path(config.path) / "locale" / language / "LC_MESSAGES" / "django.mo"


def _entries(language: str) -> dict[object, str]:
    """Each entry's text in `language`: key is the msgid (with context) or (msgid, plural form)."""
    texts: dict[object, str] = {}
    for path in _catalogue_files(language):
        if path.exists():
            with path.open("rb") as handle:
                catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
            for key, text in catalogue.items():
                if key != "" and text:
                    texts.setdefault(key, text)
    return texts


def _msgid(key: object) -> str:
    msgid = key[0] if isinstance(key, tuple) else str(key)
    return msgid.split("\x04", 1)[-1]  # drop a message context


@dataclass
class Vocabulary:
    shown: dict[str, set[str]] = field(default_factory=dict)  # every text each language shows
    foreign: dict[str, set[str]] = field(default_factory=dict)  # fragments foreign to each language
    words: dict[str, set[str]] = field(default_factory=dict)  # the longer words each language uses


def fragments(text: str) -> Iterator[str]:
    """The literal pieces of a message: split at placeholders, tags and line breaks."""
    for piece in PLACEHOLDER.split(text):
        piece = " ".join(piece.split()).strip(" .,:;·()“”\"'")
        if len(piece) >= MIN_LENGTH and len(WORD.findall(piece)) >= 2:
            yield piece


# E-mail addresses, links, paths and view names (the access log shows "cases:detail") are no language.
ADDRESS = re.compile(r"\S+@\S+|\w+://\S+|/\S*/|\b\w+:\w+\b")


def long_words(text: str) -> list[str]:
    return [word.lower() for word in WORD.findall(ADDRESS.sub(" ", text)) if len(word) >= MIN_WORD]


@cache
def vocabulary() -> Vocabulary:
    entries = {language: _entries(language) for language in LANGUAGES}
    keys = set().union(*(texts.keys() for texts in entries.values()))
    texts: dict[object, dict[str, str | None]] = {}
    for key in keys:
        if isinstance(key, tuple) and key[1] > 0 and key not in entries["en"]:
            continue  # an English plural the catalogues do not hold
        # A missing translation shows the English msgid: foreign, not the language's own text.
        english = entries["en"].get(key) or _msgid(key)
        texts[key] = {language: entries[language].get(key) for language in LANGUAGES} | {"en": english}
    vocab = Vocabulary()
    for language in LANGUAGES:
        vocab.shown[language] = {shown for text in texts.values() if (shown := text[language])}
        vocab.words[language] = {w for shown in vocab.shown[language] for w in long_words(shown)}
    for language in LANGUAGES:
        own = "\n".join(vocab.shown[language])
        foreign: set[str] = set()
        for text in texts.values():
            for other in LANGUAGES:
                if other != language and (shown := text[other]) and shown != text[language]:
                    foreign.update(f for f in fragments(shown) if f not in own)
        vocab.foreign[language] = foreign
    return vocab


class _VisibleText(HTMLParser):
    """Text nodes and the attributes people read or hear, with the language each is marked in."""

    def __init__(self, page_language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.languages = [page_language]
        self.stack: list[str] = []
        self.skipping = 0
        self.nodes: list[tuple[str, str]] = []  # (language, text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        void = tag in {"input", "img", "br", "meta", "link", "hr", "source", "area", "col", "wbr"}
        language = attributes.get("lang") or self.languages[-1]
        if not void:
            self.stack.append(tag)
            self.languages.append(language)
            self.skipping += tag in SKIPPED_ELEMENTS
        if self.skipping:
            return
        for name in VISIBLE_ATTRIBUTES:
            if attributes.get(name):
                self.nodes.append((language, str(attributes[name])))
        if (
            tag == "input"
            and attributes.get("type") in {"submit", "button", "reset"}
            and attributes.get("value")
        ):
            self.nodes.append((language, str(attributes["value"])))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack:
                closed = self.stack.pop()
                self.languages.pop()
                self.skipping -= closed in SKIPPED_ELEMENTS
                if closed == tag:
                    break

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self.skipping:
            self.nodes.append((self.languages[-1], text))


def visible_text(html: str, language: str) -> list[str]:
    """The visible text of a page that is meant to be in `language` (not marked `lang` otherwise)."""
    parser = _VisibleText(language)
    parser.feed(html)
    parser.close()
    return [text for marked, text in parser.nodes if marked.split("-")[0] == language]


def foreign_messages(html: str, language: str) -> list[str]:
    """What on the page is in another language than `language`: messages and text nodes."""
    vocab = vocabulary()
    nodes = visible_text(html, language)
    page = "\n".join(nodes)
    found = sorted(f for f in vocab.foreign[language] if f in page)
    others = set().union(*(vocab.words[o] for o in LANGUAGES if o != language))
    for node in nodes:
        words = long_words(node)
        if (
            len(node) >= MIN_LENGTH
            and len(words) >= 2
            and not any(w in vocab.words[language] for w in words)
            and any(w in others for w in words)
            and not any(node in f or f in node for f in found)
        ):
            found.append(node)
    return found


def report(problems: Iterable[tuple[str, str, list[str]]]) -> str:
    lines = []
    for language, page, strings in problems:
        lines.append(f"{page} in {language!r} shows another language:")
        lines.extend(f"    {text!r}" for text in strings)
    return "\n".join(lines)
