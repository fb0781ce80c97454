"""Keep a translations folder in step with its sources, and fill in Polish texts.

    python tools/i18n.py DIR SOURCE... [--pl FILE.json]

Extracts the messages of SOURCE (files or folders) into DIR/pl/LC_MESSAGES/messages.po,
keeping the translations already there; FILE.json ({"English": "Polski"}) adds or
replaces translations (a plural: {"%(num)d thing": ["form for 1", "2-4", "5+"]}).
`make translations` compiles every such folder.
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def main(argv):
    pl_file = None
    if "--pl" in argv:
        i = argv.index("--pl")
        pl_file = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    target, sources = Path(argv[0]), argv[1:]
    with tempfile.NamedTemporaryFile(suffix=".pot") as pot:
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                        "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", pot.name, *sources],
                       check=True, capture_output=True)
        template = read_po(open(pot.name, "rb"))
    po_path = target / "pl" / "LC_MESSAGES" / "messages.po"
    old = read_po(open(po_path, "rb"), locale="pl") if po_path.exists() else None
    extra = json.load(open(pl_file, encoding="utf-8")) if pl_file else {}
    missing = []
    template.locale = "pl"
    for message in template:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        text = extra.get(key) or (old.get(message.id).string if old and old.get(message.id) else "")
        if not isinstance(message.id, str):
            # Plurals: a list (or the catalogue's tuple) of Polish forms 1, 2-4, 5+.
            forms = tuple(text) if isinstance(text, (list, tuple)) else (text,) * template.num_plurals
            text = forms if all(forms) else ""
        message.string = text if isinstance(message.id, str) or text else ("",) * template.num_plurals
        if not text:
            missing.append(key)
    template.fuzzy = False
    po_path.parent.mkdir(parents=True, exist_ok=True)
    with open(po_path, "wb") as fh:
        write_po(fh, template, omit_header=False, sort_output=True)
    for key in missing:
        print("untranslated:", key)


if __name__ == "__main__":
    main(sys.argv[1:])
