"""Errors a user can act on, each with the exit code the CLI returns for it.

The CLI prints `error: <message>` on one line and exits with `exit_code`;
anything else escaping is a bug.
"""
from __future__ import annotations

# Exit codes, documented in README.md.
EXIT_OK = 0
EXIT_FAILED = 1  # a check ran and the pair did not meet its expectations
EXIT_USAGE = 2  # bad command line, manifest or input file
EXIT_MODEL = 3  # the embedding model could not be loaded or run


class AlignError(Exception):
    """Base: a problem the user can fix, with a one-line message."""

    exit_code = EXIT_USAGE


class InputError(AlignError):
    """An input file is missing, empty, binary, undecodable, HTML, too large or in the wrong language."""

    exit_code = EXIT_USAGE


class ModelError(AlignError):
    """The embedding model is unknown or cannot be loaded."""

    exit_code = EXIT_MODEL
