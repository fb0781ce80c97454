"""WSGI entry point: `flask --app app ...` and `gunicorn app:app`."""
from portal import create_app, heap

app = create_app()
heap.settle()  # what a worker loaded stays out of the garbage collector's way (portal/heap.py)
