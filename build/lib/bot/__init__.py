"""Disclosure-coaching assistant: the application package.

Everything the product does lives here; `actions/` only translates between
Rasa and these modules.
"""
