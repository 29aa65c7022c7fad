"""Typed keys for what the web app keeps on its Application object."""

from __future__ import annotations

import aiohttp
from aiohttp import web

from bot.web.config import WebConfig
from bot.web.limits import RateLimiter

CONFIG = web.AppKey("config", WebConfig)
HTTP = web.AppKey("http", aiohttp.ClientSession)
MESSAGE_LIMITER = web.AppKey("message_limiter", RateLimiter)
CODE_LIMITER = web.AppKey("code_limiter", RateLimiter)
LOGIN_LIMITER = web.AppKey("login_limiter", RateLimiter)
PRACTICE_LIMITER = web.AppKey("practice_limiter", RateLimiter)
