"""Caseworker review: staff accounts, caseloads, decisions, exports and the audit log.

The web pages (bot/web/staff*.py) and the CLI only translate; the rules live here.
"""
