"""The moderators' service: a REST API over a store (``marsad serve``).

Modules, one job each: ``app`` (the FastAPI app and its layers), ``api`` (routes: thin
wrappers over library functions), ``schemas`` (request and response bodies, the OpenAPI
schema), ``auth`` (bearer tokens and roles), ``errors`` (one JSON error shape),
``bodylimit`` (request size limits), ``config`` (settings and limits), ``state`` (a
server's store connections and webhook), ``stream`` and ``pages`` (what POST /v1/moderate
and POST /v1/pages do, as library functions), ``export`` (audit CSV/JSONL), ``webhook``
(decisions to the site's CMS), ``commands`` (``marsad serve`` and ``marsad user``),
``asgi`` (the app for several server processes), and the review web UI: ``ui`` (its
routes), ``ui_session`` (cookie sessions, CSRF), ``ui_render`` (highlight pieces),
``ui_text`` (Arabic and English labels), ``templates/`` and ``static/`` (vendored htmx).
Moderation state and users live in ``marsad.store.moderation`` and ``marsad.store.users``,
for the review UI and CLI too.
"""
