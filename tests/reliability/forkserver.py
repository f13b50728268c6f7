"""A launcher that imports the app once and forks a fresh server process for each start.

The crash test starts the server again after every SIGKILL. Started as a new Python process,
each start spends about two seconds importing the app (more on a busy machine), which was most
of the test's time. Forked from this launcher, a start costs a fork: the server is still a
process of its own, in its own process group, that builds its app, opens the database and is
SIGKILLed as before. What a fork skips is only the import and the readers' warm-up (both done
here once); the real command's start is still tested (the crash test's last start and every
other fault test use it).

Run as a script by ``faultkit.Launcher``. It reads one JSON line per start on stdin
(``{"port": ..., "log": ..., "env": {...}}``) and answers with the new process's id; it exits
when its stdin closes. It never opens a database itself, so a fork carries no connection.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys

import uvicorn
import uvicorn.lifespan.on
import uvicorn.loops.auto
import uvicorn.protocols.http.auto

import secondchance.web.server  # noqa: F401  (imported here once, so that a fork needn't)
from secondchance.analysis import warm_up
from secondchance.program.lessons import all_lessons
from secondchance.web.templating import make_templates


def serve(port: int, log: str, env: dict[str, str]) -> None:
    """In the forked child: become a process group of its own and run the server."""
    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.environ.clear()
    os.environ.update(env)
    uvicorn.run(
        "secondchance.web.server:app_from_env",
        factory=True,
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )


def main() -> None:
    # What every app builds the same way, read from the package and kept per process: built
    # here once (the lessons checked as an app checks them), each fork starts with it.
    all_lessons()
    make_templates(auto_reload=False)
    # The readers' lexicons compiled and the learned layer loaded, as every app does before it
    # serves (``analysis.warm_up``, about 1.5 s): a fork starts with them, as with the import.
    warm_up()
    # Out of the collector's sight: a fork's first collection would otherwise touch, and so
    # copy, every object the launcher made (Python's advice for forking servers).
    gc.collect()
    gc.freeze()
    # Children are reaped by the kernel: the test sees a killed server gone by its id.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                serve(request["port"], request["log"], request["env"])
                code = 0
            finally:
                os._exit(code)
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
