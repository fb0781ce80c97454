"""Interface language: the person's choice, else the browser's, else Polish."""
from flask import current_app, g, request, session
from babel import Locale
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup


def select_locale():
    """The interface language's code: the person's choice, else the URL's, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if request:
        if b"lang=" in request.query_string:  # parsing the query string only when it may say
            lang = request.args.get("lang")
            if lang in languages:
                return lang
        return request.accept_languages.best_match(languages) or languages[0]
    return languages[0]


_LOCALES = {}


def babel_locale():
    """Flask-Babel's locale selector: select_locale's Babel Locale, made once per worker and
    language (Flask-Babel parses a code anew on every request; a Locale it takes as it is)."""
    code = select_locale()
    known = _LOCALES.get(code)
    if known is None:
        known = _LOCALES[code] = Locale.parse(code)
    return known


def translations():
    """The current translations, looked up once per request and locale.

    Flask-Babel finds them anew on every call (context, domain, locale, cache key), and a
    page such as the attendance roster translates a few thousand strings."""
    locale = get_locale()
    known = g.get("_indeks_translations")
    if known is None or known[0] is not locale:  # force_locale() switches the locale object
        known = g._indeks_translations = (locale, get_translations())
    return known[1]


def _format(eval_ctx, text, variables):
    # What Jinja's new-style gettext does: escape the variables in autoescaped templates, and
    # always treat the message as a %-format (so "%%" means "%").
    return (Markup(text) if eval_ctx.autoescape else text) % variables


def gettext_callables(source):
    """_(), gettext(), ngettext(), pgettext() and npgettext() for templates, with Jinja's
    new-style semantics as Flask-Babel installs them, reading `source()` (the translations)."""
    @pass_eval_context
    def gettext(eval_ctx, string, **variables):
        return _format(eval_ctx, source().ugettext(string), variables)

    @pass_eval_context
    def ngettext(eval_ctx, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return _format(eval_ctx, source().ungettext(singular, plural, num), variables)

    @pass_eval_context
    def pgettext(eval_ctx, context, string, **variables):
        variables.setdefault("context", context)
        return _format(eval_ctx, source().upgettext(context, string), variables)

    @pass_eval_context
    def npgettext(eval_ctx, context, singular, plural, num, **variables):
        variables.setdefault("context", context)
        variables.setdefault("num", num)
        return _format(eval_ctx, source().unpgettext(context, singular, plural, num), variables)

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}


def install_template_gettext(app):
    """Templates translate one call deep instead of three (Jinja's alias, its new-style
    wrapper, Flask-Babel's lookup of domain, locale and cache on every call): a page is given
    callables bound to its translations when it renders, and macros imported without the
    page's context use the request's (translations()). The attendance roster and the grade
    grid translate several strings per student."""
    app.jinja_env.globals.update(gettext_callables(translations))

    @app.context_processor
    def _bound_gettext():
        bound = translations()
        return gettext_callables(lambda: bound)
