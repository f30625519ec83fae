"""Shared setup for the web tests.

The ``browser`` marker is registered here rather than in pyproject.toml so the browser tests (tests/web/test_browser.py)
can be selected or left out with ``-m browser`` / ``-m "not browser"`` without pytest warning about an unknown mark.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser: drives headless Chromium (/usr/bin/chromium + /usr/bin/chromedriver) against a live server; "
        "skipped when they are missing unless COMMUNIQUE_REQUIRE_BROWSER=1",
    )
