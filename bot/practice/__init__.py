"""Practising disclosure with an employer: the question bank, and feedback on answers."""
