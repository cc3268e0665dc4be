"""Signing in and out through the real pages, for the browser tests."""

from __future__ import annotations

from typing import Any


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
