"""OIA release packages: check a manifest against the release policy, then write the release.

:func:`check_release` reads the manifest and the marked-up originals it names,
computes the statutory dates, and asks the release policy (``oia.release.decision``)
for violations and warnings; it writes nothing. :func:`build_release` does the same
and, when the policy finds no violation, writes the redacted documents, the schedule
of documents and the decision letter (each as Markdown, HTML and DOCX) and
``release.json``, which records the grounds per document, the counts, the deadline,
the policy revision and the SHA-256 of every artefact.

What a release may read, where it may write and what it may publish:

- Every original must resolve, symlinks followed, to a regular file inside the
  manifest's folder (or the originals root the caller names); anything else is
  invalid input naming the manifest's field.
- The output folder may not be, or hold, an input (the manifest, an original, the
  templates). An existing output folder must be empty, or, with ``replace``, a
  previous release left as written (every file listed in its ``release.json``, none
  changed since); anything else is refused.
- The release is written to a temporary folder beside the output folder and moved
  into place once every artefact is written: a failure leaves nothing new behind,
  and a previous release is replaced whole, never mixed with the new one.
- A released field (a title, the letter's text, the request's details, a document's
  id) that contains the text of a withheld passage is a violation naming both
  places (see :mod:`._withheld_text` for how texts are compared).

The work is split along its seams: checking (:mod:`._release_check`, with
:mod:`._withheld_text`), the letter and schedule context (:mod:`.letter`), the output
folder (:mod:`._release_folder`) and building the package (:mod:`._release_package`).
This module is the public API.
"""

from __future__ import annotations

from ..results import Violation as Violation  # re-exported: the release rules report in the shared contract
from ._release_check import ENTRYPOINT, CheckReport, DeadlineStatus, check_release, policy_input
from ._release_check import prepare as _prepare  # noqa: F401 (tests prepare a manifest without checking it)
from ._release_package import FORMATS, ReleaseReport, build_release
from ._withheld_text import WITHHELD_TEXT_RULE
from .letter import LETTER_TEMPLATE, SCHEDULE_TEMPLATE, LetterContext

__all__ = [
    "ENTRYPOINT",
    "FORMATS",
    "LETTER_TEMPLATE",
    "SCHEDULE_TEMPLATE",
    "WITHHELD_TEXT_RULE",
    "CheckReport",
    "DeadlineStatus",
    "LetterContext",
    "ReleaseReport",
    "Violation",
    "build_release",
    "check_release",
    "policy_input",
]
