"""The web dashboard and HTTP API (`communique serve`)."""

from .app import WebConfig, create_app

__all__ = ["WebConfig", "create_app"]
