"""Messages are made safe for a trainer to read: no name, number, address or date."""

from __future__ import annotations

import pytest

from bot.training.redaction import redact

PLANTED = [
    ("my mate Kwame said it was fine", "Kwame", "[name]"),
    ("I'm Sam and I need help", "Sam", "[name]"),
    ("my name is Zebedee", "Zebedee", "[name]"),
    ("ring me on 07700 900123", "07700 900123", "[phone]"),
    ("email me at sam.jones+cv@example.org please", "sam.jones+cv@example.org", "[email]"),
    ("I live at 14 Acacia Avenue, LS6 2AB", "Acacia Avenue", "[address]"),
    ("I live at 14 Acacia Avenue, LS6 2AB", "LS6 2AB", "[address]"),
    ("it happened on 12/03/2019 in town", "12/03/2019", "[date]"),
    ("I was sentenced on 3rd March 2019", "3rd March 2019", "[date]"),
    ("convicted in June 2018", "June 2018", "[date]"),
    ("released in 2021", "2021", "[date]"),
    ("my brother Dave got 18 months in May 2017", "May 2017", "[date]"),
    ("my brother Dave got 18 months in May 2017", "Dave", "[name]"),
    ("my NI number is QQ 12 34 56 C", "QQ 12 34 56 C", "[number]"),
    ("case number 4412 9981", "4412 9981", "[number]"),
    ("Mrs Patel was my probation officer", "Patel", "[name]"),
]


@pytest.mark.parametrize(("message", "detail", "placeholder"), PLANTED)
def test_each_kind_of_personal_detail_is_replaced_by_its_kind(message, detail, placeholder):
    safe = redact(message)
    assert detail not in safe
    assert placeholder in safe


def test_everything_else_in_the_message_is_kept_as_it_was():
    assert redact("what does spent mean for a caution") == "what does spent mean for a caution"
    assert redact("I may have 2 convictions") == "I may have 2 convictions"
    assert redact("ring me on 07700 900123 tomorrow") == "ring me on [phone] tomorrow"


def test_details_next_to_each_other_leave_nothing_of_either():
    safe = redact("Sam, 07700900123, sam@example.org, 2 High Street, born on 1/2/1990")
    for detail in ("Sam", "07700900123", "sam@example.org", "High Street", "1990", "1/2"):
        assert detail not in safe, safe
