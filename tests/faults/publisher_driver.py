"""Run the ``lmc`` CLI with every HTTP(S) request sent to a local server that stands in for the publishers.

Usage: ``python publisher_driver.py PORT lmc-arguments...``. The download code is the real one (httpx, retries,
length checks); only the destination changes: scheme, host and port become ``http://127.0.0.1:PORT``, the path
and query stay, so the server answers by the declared URL's path. Test-only (the fault tests).
"""

import sys

import httpx

PORT = int(sys.argv[1])
_send = httpx.HTTPTransport.handle_request


def _to_local(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
    request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=PORT)
    return _send(self, request)


httpx.HTTPTransport.handle_request = _to_local  # type: ignore[method-assign]

if __name__ == "__main__":
    from lmc.cli import main

    sys.argv = ["lmc", *sys.argv[2:]]
    main()
