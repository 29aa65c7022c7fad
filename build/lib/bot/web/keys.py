"""Typed keys for what the web app keeps on its Application object."""

from __future__ import annotations

import aiohttp
from aiohttp import web

from bot.web.config import WebConfig
from bot.web.limits import Limiter
from bot.web.sent_messages import SentMessages

CONFIG = web.AppKey("config", WebConfig)
HTTP = web.AppKey("http", aiohttp.ClientSession)
MESSAGE_LIMITER = web.AppKey("message_limiter", Limiter)
CODE_LIMITER = web.AppKey("code_limiter", Limiter)
LOGIN_LIMITER = web.AppKey("login_limiter", Limiter)
PRACTICE_LIMITER = web.AppKey("practice_limiter", Limiter)
SENT_MESSAGES = web.AppKey("sent_messages", SentMessages)
