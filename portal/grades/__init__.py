"""grades (to be built)."""


def init_app(app):
    pass
