"""Interface language: the person's choice, else the browser's, else Polish."""
from flask import current_app, request, session


def select_locale():
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if request:
        lang = request.args.get("lang")
        if lang in languages:
            return lang
        return request.accept_languages.best_match(languages) or languages[0]
    return languages[0]
