"""What a worker keeps between requests: a dict of at most `size` entries, emptied when full.

Used only for verdicts on inputs that cannot change under the same key (a signed cookie, a
signed token, a fragment keyed by everything it shows), so emptying it costs a recomputation
and never a wrong answer; starting anew is cheaper per request than tracking recency.
"""


class Kept(dict):
    def __init__(self, size):
        super().__init__()
        self.size = size

    def keep(self, key, value):
        """Store and return `value` (first emptying a full dict)."""
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value

    def get_or_keep(self, key, work):
        """The value kept for `key`, else `work()`, kept for it."""
        found = self.get(key)
        return found if found is not None else self.keep(key, work())
