"""Signing in and out: each role lands where it works; a wrong password is told."""

import re

import pytest

from ..paths import FIRM
from .flows import (
    MANAGER,
    client_name,
    expect,
    fill_sign_in,
    main_nav,
    sign_in,
    sign_out,
)


@pytest.mark.parametrize("name", ["levelone", "support", "triage", "data1", MANAGER])
def test_staff_sign_in_lands_on_the_worklist(page, name):
    sign_in(page, name)

    expect(page).to_have_url(re.compile(r"/worklist$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    expect(page.locator("header .who")).to_have_text(name)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Worklist")).to_be_visible()


def test_client_sign_in_lands_on_the_firms_portal(page):
    sign_in(page, client_name(FIRM))

    expect(page).to_have_url(re.compile(r"/portal$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRM)
    expect(page.locator("header .who")).to_have_text(f"{client_name(FIRM)} · {FIRM}")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Worklist")).to_have_count(0)


def test_client_is_refused_the_worklist(page):
    sign_in(page, client_name(FIRM))
    page.goto("/worklist")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not yours to do")


def test_wrong_password_shows_an_error_at_the_fields_and_keeps_the_name(page):
    page.goto("/sign-in")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        fill_sign_in(page, "support", "not-the-password")

    assert answer.value.status == 401
    expect(page).to_have_url(re.compile(r"/sign-in"))
    error = page.locator("form #signin-error")
    expect(error).to_have_text("That name and password do not match.")
    expect(error).to_have_attribute("role", "alert")
    name = page.get_by_label("Name")
    expect(name).to_have_attribute("aria-describedby", "signin-error")
    expect(name).to_have_value("support")
    expect(page.get_by_label("Password")).to_have_value("")
    # The message sits just above the fields it is about, not at the page's top.
    error_box, name_box = error.bounding_box(), name.bounding_box()
    assert error_box["y"] + error_box["height"] <= name_box["y"]
    assert name_box["y"] - (error_box["y"] + error_box["height"]) < 80
    expect(page.locator("header .who")).to_have_count(0)


def test_sign_out_ends_the_session(page):
    sign_in(page, "support")
    sign_out(page)

    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.locator("header .who")).to_have_count(0)
    page.goto("/worklist")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/worklist"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_sign_in_returns_to_the_page_asked_for(page):
    sign_in(page, client_name(FIRM))
    main_nav(page, "Report an issue")
    sign_out(page)
    page.goto("/portal/report")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))

    fill_sign_in(page, client_name(FIRM))

    expect(page).to_have_url(re.compile(r"/portal/report$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Report an issue")
