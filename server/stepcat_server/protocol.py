"""The JSON-RPC protocol with one fix: a request whose params do not fit its method's types
(a negative or huge position, ``position: null``, references without ``context``) gets a
``-32602 Invalid params`` error. pygls 2 logs such a message and drops it, which leaves the
client waiting for an answer that never comes."""

from __future__ import annotations

import logging
from typing import Any

from pygls.exceptions import JsonRpcException
from pygls.protocol import LanguageServerProtocol

log = logging.getLogger("stepcat.protocol")


class _Answered:
    """Stands for a request already answered with an error: ``handle_message`` skips it (its
    ``jsonrpc`` is not "2.0")."""

    jsonrpc = "answered"


class StepcatProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if "id" in data and isinstance(data.get("method"), str) and "error" not in data:
                log.warning(
                    "invalid params for %s (id %r): answered with an error",
                    data["method"],
                    data["id"],
                )
                self._send_response(data["id"], error=exc.to_response_error())
                return _Answered()
            raise
