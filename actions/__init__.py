"""Custom actions for the Rasa server. Thin: they translate between Rasa and `bot/`."""
