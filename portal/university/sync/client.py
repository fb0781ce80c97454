"""A USOS API client for the sync: OAuth 1.0a signed calls (Authlib) with an administrative
consumer and no token, batched multi-object methods and paged searches."""
import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from authlib.integrations.requests_client import OAuth1Session


class UsosError(Exception):
    """The installation could not be read: unreachable, refusing, or answering nonsense."""


class UsosClient:
    def __init__(self, base_url, consumer_key, consumer_secret, timeout=60, workers=4):
        base = base_url.rstrip("/")
        self.base = base + "/" if base.endswith("/services") else base + "/services/"
        self.session = OAuth1Session(consumer_key, consumer_secret)
        self.timeout, self.workers = timeout, workers
        self.calls, self._count = 0, threading.Lock()

    def call(self, method, **params):
        """The JSON answer of services/<method>; None-valued parameters are left out."""
        data = {k: v for k, v in params.items() if v is not None}
        try:
            response = self.session.post(self.base + method, data=data, timeout=self.timeout)
        except requests.RequestException as err:
            raise UsosError(f"services/{method}: {err}") from err
        with self._count:
            self.calls += 1
        try:
            answer = response.json()
        except ValueError:
            raise UsosError(f"services/{method}: HTTP {response.status_code}, not JSON") from None
        if response.status_code >= 400:
            message = answer.get("message") if isinstance(answer, dict) else None
            raise UsosError(f"services/{method}: HTTP {response.status_code}: {message or answer}")
        return answer

    def map(self, ask, items):
        """[ask(item) for item in items], a few at a time: a sync makes thousands of small calls."""
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return list(pool.map(ask, items))

    def many(self, method, param, ids, batch=50, **params):
        """{id: object} from a method taking pipe-separated IDs, `batch` IDs a call."""
        ids, found = sorted(set(ids)), {}
        for i in range(0, len(ids), batch):
            answer = self.call(method, **{param: "|".join(ids[i:i + batch])}, **params)
            found.update({k: v for k, v in answer.items() if v is not None})
        return found

    def pages(self, method, num=100, **params):
        """Every item of a paged search (items + next_page)."""
        start, items = 0, []
        while True:
            answer = self.call(method, start=str(start), num=str(num), **params)
            items += answer.get("items", [])
            if not answer.get("next_page"):
                return items
            start += num
