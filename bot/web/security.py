"""Headers, cross-site checks and error pages every response goes through."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler
from multidict import MultiDictProxy

from bot.logsafe import failure
from bot.store.outage import is_outage
from bot.web import keys
from bot.web.clients import client_address

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    # Invite links carry a secret in the path: never send it on to another site.
    # (Not "no-referrer": then form posts carry "Origin: null" and are refused.)
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
HSTS = "max-age=31536000; includeSubDomains"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def json_error(status: int, message: str, **headers: str) -> web.Response:
    """The one shape of every API error: {"error": "..."} with a 4xx/5xx status."""
    return web.json_response({"error": message}, status=status, headers=headers)


def own_origin(request: web.Request) -> str:
    public = request.app[keys.CONFIG].public_url
    return public or f"{request.scheme}://{request.host}"


def client_of(request: web.Request) -> str:
    """The client that rate limits count (bot.web.clients: proxies, IPv6 /64)."""
    proxies = request.app[keys.CONFIG].trusted_proxies
    return client_address(request.remote, request.headers.get("X-Forwarded-For", ""), proxies)


async def read_form(request: web.Request) -> MultiDictProxy:
    """The posted form. A body that is not a readable form (a broken multipart, bytes
    that are not text) is a clear 400, never a server error."""
    try:
        return await request.post()
    except (ValueError, UnicodeDecodeError, AssertionError):
        raise web.HTTPBadRequest(text="The form could not be read. Please try again.") from None


def wants_json(request: web.Request) -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


@web.middleware
async def security_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse cross-site writes; turn every error into a clear message, never a trace."""
    if request.method in UNSAFE_METHODS and request.headers.get("Origin") != own_origin(request):
        response: web.StreamResponse = _error(request, 403, "Cross-site requests are refused.")
    else:
        try:
            response = await handler(request)
        except web.HTTPException as error:
            if error.status < 400:
                raise
            response = _error(request, error.status, _plain(error))
        except Exception as error:
            # The route's pattern, not the path: a path can carry an invite token.
            if is_outage(error):  # the database is restarting: nothing was done
                log.warning("Database away on %s %s", request.method, route_of(request))
                response = _error(request, 503, TRY_AGAIN)
            else:
                log.error(
                    "Unhandled error on %s %s: %s",
                    request.method, route_of(request), failure(error),
                )  # fmt: skip
                response = _error(
                    request, 500, "Something went wrong on our side. Please try again."
                )
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.app[keys.CONFIG].public_url.startswith("https://"):
        # Served over HTTPS: browsers must never fall back to plain HTTP here.
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


TRY_AGAIN = "We could not do that just now; nothing was changed. Please try again in a moment."


def route_of(request: web.Request) -> str:
    """The route a request matched, as written ("/invite/{token}"), never its path."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "(no route)"


def _plain(error: web.HTTPException) -> str:
    if error.status == 413 and (error.text or "").startswith("Maximum request body size"):
        return "That is too long to send."
    if error.status == 404:
        custom = error.text and not error.text.startswith("404:")
        return error.text if custom and error.text else "There is nothing here."
    if error.status == 405:
        return "That is not allowed here."
    return error.text or str(error.reason)


def _error(request: web.Request, status: int, message: str) -> web.Response:
    if wants_json(request):
        return json_error(status, message)
    from bot.web.pages import message_page

    staff = request.path == "/staff" or request.path.startswith("/staff/")
    return message_page(status, "Sorry", message, back="staff" if staff else "site")
