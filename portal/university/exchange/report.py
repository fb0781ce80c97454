"""What an import did (or, in a dry run, would do): counts per kind and each change."""
from collections import Counter, defaultdict

OUTCOMES = ("created", "changed", "unchanged", "removed")


class Report:
    def __init__(self):
        self.counts = defaultdict(Counter)
        self.details = []  # (kind, sign, label, [change texts])
        self._index = {}   # (kind, label) -> its entry in details, for changes found later

    def _add(self, kind, sign, label, changes):
        entry = (kind, sign, label, changes)
        self.details.append(entry)
        self._index[(kind, label)] = entry

    def created(self, kind, label):
        self.counts[kind]["created"] += 1
        self._add(kind, "+", label, [])

    def removed(self, kind, label):
        self.counts[kind]["removed"] += 1
        self._add(kind, "-", label, [])

    def compared(self, kind, label, changes):
        if changes:
            self.counts[kind]["changed"] += 1
            self._add(kind, "~", label, changes)
        else:
            self.counts[kind]["unchanged"] += 1

    def amend(self, kind, label, text):
        """Add a change found after the row was first compared (a faculty's parent, members)."""
        entry = self._index.get((kind, label))
        if entry is not None:
            entry[3].append(text)
            return
        self.counts[kind]["unchanged"] -= 1
        self.compared(kind, label, [text])

    @property
    def changes(self):
        return sum(c["created"] + c["changed"] + c["removed"] for c in self.counts.values())

    def summary_lines(self):
        lines = []
        for kind, counts in self.counts.items():
            parts = [f"{counts[o]} {o}" for o in OUTCOMES if counts[o] or o != "removed"]
            lines.append(f"{kind}: " + ", ".join(parts))
        return lines

    def detail_lines(self):
        return [f"  {sign} {kind} {label}" + (": " + "; ".join(changes) if changes else "")
                for kind, sign, label, changes in self.details]

    def as_dict(self):
        return {kind: dict(counts) for kind, counts in self.counts.items()}


def change(field, old, new):
    return f"{field} {_short(old)} -> {_short(new)}"


def _short(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
