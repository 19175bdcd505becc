"""The policy for external programs: skip with the reason locally, fail under CI=true."""

from __future__ import annotations

import pytest
from tools import require_tool

ABSENT = "margin-no-such-program"


def test_a_present_tool_is_found_by_its_full_path(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert require_tool("sh", "every test machine has a shell").startswith("/")


def test_a_missing_tool_skips_with_the_reason_locally(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"{ABSENT} is not installed: needed to check the policy"):
        require_tool(ABSENT, "needed to check the policy")


def test_a_missing_tool_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=f"{ABSENT} is not installed.*CI=true"):
        require_tool(ABSENT, "needed to check the policy")


def test_only_ci_true_is_strict(monkeypatch):
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        require_tool(ABSENT, "needed to check the policy")
