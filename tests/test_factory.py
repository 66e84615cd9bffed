"""The app factory and the configurations."""
import pytest

from facilitation import create_app


def test_testing_config(app):
    assert app.testing and app.config["SOCKETIO_ASYNC_MODE"] == "threading"


def test_production_refuses_to_start_without_secrets(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY, DATABASE_URL"):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app("production")


def test_wildcard_origins_are_refused():
    from config import _origins
    assert _origins("") is None
    assert _origins("https://a.example, https://b.example") == ["https://a.example",
                                                                 "https://b.example"]
    with pytest.raises(RuntimeError):
        _origins("*")
