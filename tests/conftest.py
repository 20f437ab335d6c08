"""Shared test setup: nothing here may write outside the test's own temp folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _error_log_in_tmp(tmp_path_factory, monkeypatch):
    """Internal errors a test provokes are logged in its temp folder, never in the user's
    log (``aexl.errors.error_log_path``); subprocesses inherit the variable."""
    log = tmp_path_factory.mktemp("errlog") / "aexl-error.log"
    monkeypatch.setenv("AEXL_ERROR_LOG", str(log))
    return log
