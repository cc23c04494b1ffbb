"""The app for ``uvicorn --factory``, configured from the environment.

``marsad serve --workers N`` runs N server processes; each builds its app here from
``MARSAD_SERVE`` (JSON written by the command, no secrets in it: the webhook secret stays
in ``MARSAD_WEBHOOK_SECRET``). All processes share the store, so sign-in throttling and
decisions (one transaction each) hold across them.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta

from fastapi import FastAPI

from marsad.serve.app import create_app
from marsad.serve.config import WEBHOOK_SECRET_ENV, ServeConfig

CONFIG_ENV = "MARSAD_SERVE"


def config_to_env(db: str, session_hours: float, webhook_url: str | None) -> str:
    return json.dumps({"db": db, "session_hours": session_hours, "webhook_url": webhook_url})


def config_from_env() -> ServeConfig:
    raw = os.environ.get(CONFIG_ENV)
    if not raw:
        raise RuntimeError(f"{CONFIG_ENV} is not set; start the server with `marsad serve`")
    settings = json.loads(raw)
    return ServeConfig(db=settings["db"], session_ttl=timedelta(hours=settings["session_hours"]),
                       webhook_url=settings.get("webhook_url"),
                       webhook_secret=os.environ.get(WEBHOOK_SECRET_ENV) or None)


def app() -> FastAPI:
    return create_app(config_from_env())
