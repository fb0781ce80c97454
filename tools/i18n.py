"""Keep a translations folder in step with its sources, and fill in Polish texts.

    python tools/i18n.py DIR SOURCE... [--pl FILE.json]
    python tools/i18n.py --all            (every catalogue of CATALOGUES, from its sources)

Extracts the messages of SOURCE (files or folders) into DIR/pl/LC_MESSAGES/messages.po,
keeping the translations already there; FILE.json ({"English": "Polski"}) adds or
replaces translations. A message with a context (pgettext) is keyed "context|English";
a plural one (ngettext) takes the list of Polish forms for 1, 2-4 and 5 or more
(["%(num)d grupa", "%(num)d grupy", "%(num)d grup"]). `make translations` compiles every
such folder.
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent

# Each catalogue and the sources whose messages it holds (the test suite checks they agree).
CATALOGUES = {
    "translations": ["portal/web.py", "portal/formatting.py", "portal/errors.py", "portal/i18n.py", "portal/auth", "portal/security",
                     "portal/home", "portal/university", "portal/demo", "templates/base.html", "templates/home",
                     "templates/errors", "templates/auth"],
    **{f"portal/{f}/translations": [f"portal/{f}", f"templates/{f}"]
       for f in ("api", "attendance", "exams", "grades", "meetings", "notifications", "people", "sso")},
}


def extract(sources):
    """The message template (a babel Catalog) of these sources, paths relative to the project."""
    with tempfile.NamedTemporaryFile(suffix=".pot") as pot:
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                        "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_pgettext:1c,2", "--no-location",
                        "-o", pot.name, *sources], check=True, capture_output=True, cwd=ROOT)
        with open(pot.name, "rb") as fh:
            return read_po(fh)


def main(argv):
    if argv == ["--all"]:
        for target, sources in CATALOGUES.items():
            print(f"== {target}")
            main([str(ROOT / target), *sources])
        return
    pl_file = None
    if "--pl" in argv:
        i = argv.index("--pl")
        pl_file = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    target, sources = Path(argv[0]), [str(Path(s).resolve()) for s in argv[1:]]
    template = extract(sources)
    po_path = target / "pl" / "LC_MESSAGES" / "messages.po"
    old = None
    if po_path.exists():
        with open(po_path, "rb") as fh:
            old = read_po(fh, locale="pl")
    extra = {}
    if pl_file:
        with open(pl_file, encoding="utf-8") as fh:
            extra = json.load(fh)
    template.locale = "pl"
    missing = []
    for message in template:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if message.context:
            key = f"{message.context}|{key}"
        previous = old.get(message.id, context=message.context) if old else None
        text = extra.get(key) or (previous.string if previous else "")
        if isinstance(message.id, str):
            text = text if isinstance(text, str) else ""
        else:
            forms = [text] * template.num_plurals if isinstance(text, str) else list(text)
            text = tuple(forms) if len(forms) == template.num_plurals and all(forms) else ""
        message.string = text or ("" if isinstance(message.id, str) else ("",) * template.num_plurals)
        if not text:
            missing.append(key)
    template.fuzzy = False
    if old is not None:
        # Keep the header's date: catalogues that did not change then stay byte-identical.
        template.creation_date = old.creation_date
    po_path.parent.mkdir(parents=True, exist_ok=True)
    with open(po_path, "wb") as fh:
        write_po(fh, template, omit_header=False, sort_output=True)
    for key in missing:
        print("untranslated:", key)


if __name__ == "__main__":
    main(sys.argv[1:])
