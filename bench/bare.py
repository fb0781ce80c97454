"""The yardstick: a bare Flask app that answers a JSON string, served like Indeks (bench/run.py)."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """What any Flask app costs on this machine: routing, a response, gunicorn around it."""
    return '"Hello, World!"', 200, {"Content-Type": "application/json"}
