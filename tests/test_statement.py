from bot.statement import assemble, speaking_time, titled, word_count


def test_word_count_counts_contractions_and_hyphens_as_one():
    assert word_count("I don't blame my ex-partner.") == 5
    assert word_count("") == 0


def test_speaking_time_at_130_words_a_minute():
    assert speaking_time(0) == "no time yet"
    assert speaking_time(65) == "about 30 seconds"
    assert speaking_time(130) == "about 1 minute"
    assert speaking_time(195) == "about 1 minute 30 seconds"
    assert speaking_time(260) == "about 2 minutes"


def test_assemble_joins_answered_parts_in_order():
    result = assemble(
        {
            "aspirations": "I want to drive.",
            "what_happened": "I stole a car.",
            "circumstances": "",
            "feelings_now": None,
        }
    )
    assert result.text == "I stole a car.\n\nI want to drive."
    assert result.words == 8
    assert result.answered == ("what_happened", "aspirations")
    assert result.missing == ("circumstances", "feelings_now")


def test_titled_never_shows_none_for_an_empty_part():
    text = titled({"what_happened": "I stole a car.", "circumstances": None})
    assert "None" not in text
    assert "What happened:\nI stole a car." in text
    assert "(not written yet)" in text
