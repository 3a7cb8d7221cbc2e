"""The co-production workspace: ``birthplan serve``, the plan filled in together in the meeting.

A local web server (Starlette on uvicorn) over the same plan files and the
same library as the command line: the form is generated from the schema
(``form``), saves keep the YAML's comments and layout (``yamledit``, ``store``),
each audience's copy is previewed as it is typed (``preview``), and reviews,
documents and history go through ``birthplan.history`` and ``birthplan.render``.
``security`` locks it down: this address only, a one-time token, CSRF, a
strict Content-Security-Policy, no caching, nothing logged that quotes a plan.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path

LOOPBACK = "127.0.0.1"


def serve(target, host: str = LOOPBACK, port: int = 8000, echo=print) -> None:
    """Run the workspace for ``target`` until interrupted; ``echo`` gets the address to open."""
    import socket

    import uvicorn

    from birthplan.workspace.app import create_app
    from birthplan.workspace.security import Secrets

    os.umask(0o077)  # every file this process writes (saves, history, downloads) is owner-only
    # uvicorn stops on SIGTERM and then raises it again; by default that would end this
    # process before the workers are stopped, leaving them running (Ctrl+C reaches the
    # whole process group, a `kill` only the server): exit through the `finally` instead.
    previous_handler = signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    # The socket listens before the address is printed: a browser opened at once waits in the
    # queue while the document workers load the engines (2 to 3 s), instead of being refused.
    # Port 0 takes a free port, and the printed address is the one listened on.
    listening = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    port = listening.getsockname()[1]
    app_secrets = Secrets()
    app = create_app(Path(target), host=host, port=port, app_secrets=app_secrets, parallel_documents=True)
    if host not in (LOOPBACK, "localhost", "::1"):
        echo(f"warning: listening on {host}, not only on this computer: anyone who can reach "
             "this address and obtains the link can open the plans.", err=True)
    shown = f"[{host}]" if ":" in host else host
    echo(f"Open this address in your browser (it works once): http://{shown}:{port}/?token={app_secrets.access_token}")
    echo("Press Ctrl+C to stop the workspace.")
    sys.stdout.flush()
    # No access log (addresses could carry the token); warnings only, never request details.
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    try:
        app.renderer.start()  # the document workers warm up while people type
        config = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning",
                                server_header=False, proxy_headers=False, lifespan="off")
        uvicorn.Server(config).run(sockets=[listening])
    finally:
        listening.close()
        app.renderer.stop()
        signal.signal(signal.SIGTERM, previous_handler)
