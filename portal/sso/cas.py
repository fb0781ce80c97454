"""CAS client, protocol 2 and 3: the /login redirect and ticket validation.

The service URL carries a random state kept in the session and checked on return, so that a
ticket issued for somebody else's browser (login CSRF) is refused; the same URL, state
included, is sent to serviceValidate, as the protocol requires.
"""
from urllib.parse import urlencode
from xml.etree import ElementTree

import requests
from flask import current_app

from ..errors import ServiceError
from .people import Identity

NS = {"cas": "http://www.yale.edu/tp/cas"}


def _server():
    return current_app.config["CAS_SERVER_URL"].rstrip("/")


def login_url(service):
    return f"{_server()}/login?{urlencode({'service': service})}"


def logout_url(back):
    """CAS's /logout, ending the single sign-on session; `service` asks it to send the person
    back (a CAS server follows it when it is configured to)."""
    return f"{_server()}/logout?{urlencode({'service': back})}"


def refused(code, detail):
    return ServiceError("cas_refused", f"CAS refused the ticket: {code} {detail}".strip(), status=403,
                        user_message={"pl": "Logowanie uczelniane odrzuciło ten bilet. Spróbuj zalogować się ponownie.",
                                      "en": "The university's sign-in refused this ticket. Please sign in again."})


def unreachable(detail):
    return ServiceError("sso_unavailable", f"The sign-in server did not answer properly: {detail}", status=502,
                        user_message={"pl": "Serwer logowania uczelnianego nie odpowiedział poprawnie. Spróbuj za chwilę.",
                                      "en": "The university's sign-in server did not answer properly. Please try again shortly."})


def validate(ticket, service):
    """The Identity a service ticket stands for; ServiceError when CAS refuses it."""
    config = current_app.config
    path = "p3/serviceValidate" if config["CAS_VERSION"] >= 3 else "serviceValidate"
    try:
        response = requests.get(f"{_server()}/{path}", params={"service": service, "ticket": ticket},
                                timeout=config["SSO_TIMEOUT"])
        response.raise_for_status()
        root = ElementTree.fromstring(response.content)
    except (requests.RequestException, ElementTree.ParseError) as err:
        raise unreachable(str(err)) from err
    failure = root.find("cas:authenticationFailure", NS)
    if failure is not None:
        raise refused(failure.get("code", ""), (failure.text or "").strip())
    success = root.find("cas:authenticationSuccess", NS)
    user = success.findtext("cas:user", default="", namespaces=NS).strip() if success is not None else ""
    if not user:
        raise unreachable("no authenticationSuccess/user in the answer")
    attributes = {}
    for element in success.find("cas:attributes", NS) if success.find("cas:attributes", NS) is not None else ():
        name = element.tag.split("}", 1)[-1]
        attributes.setdefault(name, (element.text or "").strip())  # the first value of a multi-valued one

    def attribute(setting):
        name = config[setting]
        return attributes.get(name) or None if name else None

    return Identity(provider="cas", login=attribute("CAS_LOGIN_ATTRIBUTE") if config["CAS_LOGIN_ATTRIBUTE"] else user,
                    student_number=attribute("CAS_STUDENT_NUMBER_ATTRIBUTE"),
                    first_name=_first(attributes, "givenName", "given_name", "firstName", "first_name"),
                    last_name=_first(attributes, "sn", "family_name", "lastName", "last_name", "surname"),
                    email=_first(attributes, "mail", "email"), sso_session=ticket)


def _first(attributes, *names):
    return next((attributes[n] for n in names if attributes.get(n)), None)
