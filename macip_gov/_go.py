"""Go runtime settings for the in-process engine, and the environment the Go runtime reads.

Kept apart from :mod:`macip_gov.engine` so the command line can apply them before anything
heavy is imported (:mod:`macip_gov.cli._launch`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

GO_RUNTIME: dict[str, str] = {"GOGC": "400"}
"""Go runtime settings for every process running the in-process engine: a garbage collector
that runs a quarter as often (each evaluation, and the compile at load, allocate much
short-lived memory; at Go's default the collector takes a third or more of the engine's CPU
time). A value the environment already gives wins."""


def startup_environment() -> Mapping[str, str]:
    """The environment this process started with, which is what the Go runtime reads.

    The Go runtime inside the bindings reads its settings once, when it starts (when the
    first in-process engine is built), from the environment block the process was started
    with: variables set later in ``os.environ`` reach the processes started from this one,
    not this process's own Go runtime. Linux shows that block in ``/proc/self/environ``;
    elsewhere ``os.environ`` stands in for it.
    """
    try:
        raw = Path("/proc/self/environ").read_bytes()
    except OSError:
        return os.environ
    found: dict[str, str] = {}
    for item in raw.split(b"\0"):
        name, sep, value = item.partition(b"=")
        if sep:
            found[os.fsdecode(name)] = os.fsdecode(value)
    return found


def missing_settings(started_with: Mapping[str, str], settings: Mapping[str, str] = GO_RUNTIME) -> dict[str, str]:
    """The ``settings`` an environment (the one a process started with) does not give."""
    return {name: value for name, value in settings.items() if name not in started_with}
