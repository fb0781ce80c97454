"""Every catalogue complete: each source message present, translated (all Polish plural
forms), nothing fuzzy, and no message translated two ways (the catalogues are merged)."""
import importlib.util
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
i18n_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(i18n_tool)

FOLDERS = sorted(str(p.relative_to(ROOT)) for p in [ROOT / "translations", *ROOT.glob("portal/*/translations")])


def catalogue(folder):
    with open(ROOT / folder / "pl" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale="pl")


def key(message):
    return message.context, message.id if isinstance(message.id, str) else message.id[0]


def test_every_translations_folder_is_listed_with_its_sources():
    assert sorted(i18n_tool.CATALOGUES) == FOLDERS


@pytest.mark.parametrize("folder", FOLDERS)
def test_catalogue_is_complete_and_not_fuzzy(folder):
    cat = catalogue(folder)
    assert not cat.fuzzy, f"{folder}: the catalogue header is marked fuzzy"
    problems = []
    for message in cat:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        if message.fuzzy:
            problems.append(("fuzzy", key(message)))
        if not all(forms) or (message.pluralizable and len(forms) != cat.num_plurals):
            problems.append(("untranslated", key(message)))
    assert problems == [], f"{folder}: {problems}"


@pytest.mark.parametrize("folder", FOLDERS)
def test_catalogue_holds_every_message_of_its_sources(folder):
    """A message added to the code but never extracted would show in English on Polish pages."""
    have = {key(m) for m in catalogue(folder) if m.id}
    wanted = {key(m) for m in i18n_tool.extract(i18n_tool.CATALOGUES[folder]) if m.id}
    assert sorted(wanted - have) == [], f"run: python tools/i18n.py --all (then translate) for {folder}"


def test_no_message_is_translated_two_ways():
    seen, clashes = {}, []
    for folder in FOLDERS:
        for message in catalogue(folder):
            if not message.id:
                continue
            text = str(message.string)
            if key(message) in seen and seen[key(message)][1] != text:
                clashes.append((key(message), seen[key(message)], (folder, text)))
            seen.setdefault(key(message), (folder, text))
    assert clashes == [], "use pgettext (a context) where the meanings differ: " + repr(clashes)
