"""Call the Indeks services/* API with a standard OAuth 1.0a client (requests-oauthlib).

    python tools/api_example.py KEY SECRET                     # get a token: browser + PIN
    python tools/api_example.py KEY SECRET TOKEN TOKEN_SECRET  # call a few methods

Set INDEKS_URL to point elsewhere than http://127.0.0.1:8000 (`make run`).
"""
import json
import os
import sys

from requests_oauthlib import OAuth1Session

BASE = os.environ.get("INDEKS_URL", "http://127.0.0.1:8000").rstrip("/") + "/services/"


def get_token(key, secret, scopes="studies|grades|email"):
    """The three-legged flow with oauth_callback=oob: the person types the PIN shown in the browser."""
    oauth = OAuth1Session(key, client_secret=secret, callback_uri="oob")
    oauth.fetch_request_token(BASE + "oauth/request_token?scopes=" + scopes)
    print("Open this address, sign in and press Allow:\n  " + oauth.authorization_url(BASE + "oauth/authorize"))
    pin = input("PIN: ").strip()
    access = oauth.fetch_access_token(BASE + "oauth/access_token", verifier=pin)
    print(f"TOKEN={access['oauth_token']} TOKEN_SECRET={access['oauth_token_secret']}")


def call_methods(key, secret, token, token_secret):
    api = OAuth1Session(key, client_secret=secret, resource_owner_key=token,
                        resource_owner_secret=token_secret)
    for method, params in (("users/user", {"fields": "id|first_name|last_name|email"}),
                           ("terms/terms_index", {"fields": "id|name|is_active"}),
                           ("apiref/method_index", {})):
        response = api.post(BASE + method, data=params)  # POST is what USOS clients prefer
        print(f"== services/{method} -> HTTP {response.status_code}")
        body = response.json()
        if isinstance(body, list) and len(body) > 5:
            print(json.dumps(body[:5], ensure_ascii=False, indent=2), f"\n... ({len(body)} in all)")
        else:
            print(json.dumps(body, ensure_ascii=False, indent=2))


def main(argv):
    if len(argv) == 2:
        get_token(*argv)
    elif len(argv) == 4:
        call_methods(*argv)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
