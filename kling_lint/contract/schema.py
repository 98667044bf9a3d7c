"""The contract's JSON Schema: found where it is installed, read once per process."""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any

SCHEMA_FILE = "kling-v3-video-request.schema.json"


def schema_path() -> str:
    """Where the schema file is: inside the installed package, or schema/ of a source checkout."""
    try:
        import kling_lint.schema as installed

        for folder in installed.__path__:
            candidate = os.path.join(folder, SCHEMA_FILE)
            if os.path.isfile(candidate):
                return candidate
    except ImportError:
        pass
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(here, "schema", SCHEMA_FILE)


@cache
def load_schema() -> dict[str, Any]:
    with open(schema_path(), encoding="utf-8") as handle:
        return json.load(handle)
