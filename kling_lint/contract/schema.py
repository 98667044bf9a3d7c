"""The contract's JSON Schema: found where it is installed, read once per process."""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any

SCHEMA_FILE = "kling-v3-video-request.schema.json"


def schema_path() -> str:
    """Where the schema file is: inside the installed package, or schema/ of a source checkout."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    installed = os.path.join(package, "schema", SCHEMA_FILE)
    if os.path.isfile(installed):  # a regular install: no import machinery needed
        return installed
    try:  # an editable install maps kling_lint.schema onto the repository's schema/
        import kling_lint.schema as mapped

        for folder in mapped.__path__:
            candidate = os.path.join(folder, SCHEMA_FILE)
            if os.path.isfile(candidate):
                return candidate
    except ImportError:
        pass
    return os.path.join(os.path.dirname(package), "schema", SCHEMA_FILE)


@cache
def load_schema() -> dict[str, Any]:
    with open(schema_path(), encoding="utf-8") as handle:
        return json.load(handle)
