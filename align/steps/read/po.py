"""Gettext PO files for `align score`, parsed with translate-toolkit (`pypo.pofile`).

msgid is the source, msgstr the translation; the header's Language names the
translation's language (the source's is detected, or --source-lang). PO
entries have no ids; gettext's own key is msgctxt + msgid, often a whole
sentence, so a finding names its entry as msgfmt names it in its messages:
`line N`, the line where the entry starts (its msgctxt, else its msgid). The
notes are the translator (`# `) and extracted (`#. `) comments. What is checked:
- an entry with an empty msgstr is untranslated and skipped (counted), as are
  obsolete (`#~`) entries and the header;
- a fuzzy entry is checked, with state "fuzzy" (others "translated"), so its
  findings can be told from those on reviewed entries;
- for plural entries the singular (msgid, msgstr[0]) is checked.
PO has no inline tags: placeholders such as %s or {name} are part of the text.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ...errors import InputError
from . import FileUnit, LocalisationFile, read_raw


def read_po(path: Path, source_lang: str | None, translation_lang: str | None) -> LocalisationFile:
    from translate.storage.pypo import pofile

    raw = read_raw(path)
    try:
        store = pofile.parsestring(raw)
    except ValueError as exc:  # PoParseError, or a UnicodeDecodeError from a wrong charset header
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"{path}: not a readable PO file: {message}") from None
    units: list[FileUnit] = []
    skipped = {"untranslated": 0, "obsolete": 0}
    live = [u for u in store.units if not u.isobsolete()]
    starts = entry_lines(raw)
    for u in store.units:
        if u.isheader():
            continue
        if u.isobsolete():
            skipped["obsolete"] += 1
            continue
        source, translation = " ".join(str(u.source).split()), " ".join(str(u.target or "").split())
        if not source or not translation:
            skipped["untranslated"] += 1
            continue
        context = u.getcontext()
        notes = "\n".join(n for n in (u.getnotes("developer"), u.getnotes("translator")) if n)
        n = live.index(u)
        key = f"line {starts[n]}" if len(starts) == len(live) else (f"{context}::{source}" if context else source)
        units.append(FileUnit(unit=key, source=source,
                              translation=translation, state="fuzzy" if u.isfuzzy() else "translated",
                              notes=notes or None))
    header_lang = (store.gettargetlanguage() or "").split("_")[0].split("-")[0].lower() or None
    return LocalisationFile(format="po", units=units, source_lang=source_lang,
                            translation_lang=translation_lang or header_lang,
                            sha256=hashlib.sha256(raw).hexdigest(),
                            skipped={k: v for k, v in skipped.items() if v})


def entry_lines(raw: bytes) -> list[int]:
    """1-based line where each live (not obsolete) entry starts, the header included, in file order."""
    starts, after_context = [], False
    for number, line in enumerate(raw.splitlines(), 1):
        if line.startswith(b"msgctxt"):
            starts.append(number)
            after_context = True
        elif line.startswith(b"msgid ") or line.startswith(b'msgid"'):
            if not after_context:
                starts.append(number)
            after_context = False
    return starts
