"""Coaching a disclosure statement: findings on each part (docs/coaching.md),
and the safety check that runs on every message."""

from bot.coaching.engine import STATEMENT, Coach, Finding, feedback, shared_coach

__all__ = ["STATEMENT", "Coach", "Finding", "feedback", "shared_coach"]
