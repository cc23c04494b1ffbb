"""The Page record serialises to JSON losslessly and carries its schema version."""

import json

import pytest

from marsad.record import SCHEMA_VERSION, Page


def test_json_round_trip_is_exact(full_page: Page) -> None:
    text = full_page.to_json()
    again = Page.from_json(text)
    assert again == full_page
    assert again.to_json() == text
    assert json.loads(text)["schema"] == SCHEMA_VERSION


def test_article_text_joins_paragraphs_with_newlines(full_page: Page) -> None:
    assert full_page.article_text == "قال مسؤول لرويترز إن الوضع صعب.\nوأضاف: “نعم”."


def test_a_newer_schema_is_refused_with_a_clear_message(full_page: Page) -> None:
    data = full_page.to_dict()
    data["schema"] = SCHEMA_VERSION + 1
    with pytest.raises(ValueError, match="upgrade marsad"):
        Page.from_dict(data)
