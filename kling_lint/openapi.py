"""An OpenAPI 3.1 document of the endpoint, for API tools (Stoplight Prism, Postman,
openapi-generator): ``kling-lint schema --openapi``.

The request body is the contract's own schema (its ``$defs`` moved to ``components/schemas``,
its references with them); the answers are the ones SPEC.md ("What the service answers") gives
and ``kling-lint serve`` sends: the job, and the gateway's error shape, with every finding as
``check --format json`` gives it for an invalid body. Examples are read from the schema.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from .contract import Contract

DIALECT = "https://json-schema.org/draft/2020-12/schema"
REQUEST = "VideoGenerationRequest"
JSON = "application/json"
STATUSES = ("queued", "in_progress", "completed", "failed")  # the job's, as the OpenAI video API's
ERROR_TYPE = "invalid_request_error"
ANSWER_SCHEMAS = ("Finding", "Job", "Error", "InvalidRequest")  # the document's own components


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def request_schemas(schema: dict[str, Any]) -> dict[str, Any]:
    """The request schema and its definitions as components: #/$defs/x becomes #/components/schemas/x."""
    schema = copy.deepcopy(schema)
    definitions = schema.pop("$defs", {})
    for keyword in ("$schema", "$id"):  # the document's dialect applies; an $id would move the references' base
        schema.pop(keyword, None)
    clash = set(definitions) & {REQUEST, *ANSWER_SCHEMAS}
    if clash:
        raise ValueError(f"the schema's $defs {sorted(clash)} clash with the document's own schemas")
    text = json.dumps({REQUEST: schema, **definitions}).replace('"#/$defs/', '"#/components/schemas/')
    return json.loads(text)


def _answer_schemas(contract: Contract, request_example: dict[str, Any]) -> dict[str, Any]:
    finding = {
        "type": "object",
        "description": "One finding, as `kling-lint check --format json` gives it.",
        "required": ["file", "line", "column", "rule", "severity", "message", "json_path"],
        "properties": {
            "file": {"type": "string"},
            "line": {"type": "integer", "minimum": 1},
            "column": {"type": "integer", "minimum": 1},
            "rule": {"type": "string", "enum": list(contract.rules)},
            "severity": {"type": "string", "enum": ["error", "warning"]},
            "message": {"type": "string"},
            "hint": {"type": ["string", "null"]},
            "json_path": {"type": "string"},
            "end_line": {"type": ["integer", "null"]},
            "end_column": {"type": ["integer", "null"]},
        },
    }
    error_body = {
        "type": "object",
        "required": ["message", "type", "param", "code"],
        "properties": {
            "message": {"type": "string"},
            "type": {"type": "string", "const": ERROR_TYPE},
            "param": {"type": ["string", "null"], "description": "The first error's JSON path, for an invalid body."},
            "code": {"type": "string", "description": "The first error's rule id for an invalid body; else what went wrong."},
        },
    }
    job = {
        "type": "object",
        "description": "A video generation job; poll it until its status is completed or failed.",
        "required": ["id", "task_id", "object", "model", "status", "progress", "created_at"],
        "properties": {
            "id": {"type": "string"},
            "task_id": {"type": "string", "description": "The same as id."},
            "object": {"type": "string", "const": "video.generation.job"},
            "model": {"type": "string"},
            "prompt": {"type": ["string", "null"], "description": "null for a multi-shot request."},
            "status": {"type": "string", "enum": list(STATUSES)},
            "progress": {"type": "integer", "minimum": 0, "maximum": 100},
            "duration": {"type": "integer", "description": "Seconds: the request's, or the default."},
            "video_url": {"type": ["string", "null"], "format": "uri"},
            "result": _nullable({
                "type": "object",
                "properties": {"video_url": {"type": "string", "format": "uri"}, "outputs": {"type": "array", "items": {"type": "string", "format": "uri"}}},
            }),
            "error": _nullable({"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}),
            "warnings": {"type": "array", "items": _ref("Finding"), "description": "Every warning finding of the request."},
            "created_at": {"type": "integer", "description": "Unix seconds."},
            "completed_at": {"type": ["integer", "null"]},
            "metadata": {"type": "object"},
        },
        "example": _job_example(contract, request_example),
    }
    return {
        "Finding": finding,
        "Job": job,
        "Error": {"type": "object", "required": ["error"], "properties": {"error": error_body}},
        "InvalidRequest": {
            "type": "object",
            "required": ["error", "findings"],
            "properties": {"error": error_body, "findings": {"type": "array", "items": _ref("Finding")}},
        },
    }


def _job_example(contract: Contract, request: dict[str, Any]) -> dict[str, Any]:
    duration = request.get("duration", contract.field(("duration",)).default)
    return {"id": "video_0123456789abcdef", "task_id": "video_0123456789abcdef", "object": "video.generation.job",
            "model": request.get("model"), "prompt": request.get("prompt"), "status": STATUSES[0], "progress": 0,
            "duration": duration, "video_url": None, "result": None, "error": None, "warnings": [],
            "created_at": 1796083200, "completed_at": None, "metadata": {}}


def _answer(description: str, schema: str, example: Any = None) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": _ref(schema)}
    if example is not None:
        media["example"] = example
    return {"description": description, "content": {JSON: media}}


def _error(description: str) -> dict[str, Any]:
    return _answer(description, "Error")


def document(contract: Contract, version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of POST /v1/video/generations and the job routes."""
    request_example = (contract.schema.get("examples") or [{}])[0]
    schemas = {**request_schemas(contract.schema), **_answer_schemas(contract, request_example)}
    job_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}, "description": "The job's id."}
    job_answers = {"200": _answer("The job.", "Job"), "401": _error("A token is required and missing."),
                   "404": _error("No such job (or one the server has forgotten).")}
    get_job = {"summary": "The job: queued, in_progress, then completed or failed.", "parameters": [job_id], "responses": job_answers}
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": DIALECT,
        "info": {
            "title": "Kling v3 video generation (kling-lint's contract)",
            "version": version,
            "description": "POST /v1/video/generations on an OpenAI-style gateway, as kling-lint checks it; "
                           "`kling-lint serve` answers these routes on this machine.",
        },
        "servers": [{"url": "{baseUrl}", "variables": {"baseUrl": {"default": "http://127.0.0.1:8080",
                                                                   "description": "The gateway, without /v1 (kling-lint serve's by default)."}}}],
        "security": [{"bearer": []}],
        "paths": {
            "/v1/video/generations": {"post": {
                "operationId": "createVideoGeneration",
                "summary": "Create a video generation job.",
                "requestBody": {"required": True, "content": {JSON: {"schema": _ref(REQUEST), "example": request_example}}},
                "responses": {
                    "200": _answer("The job, queued.", "Job"),
                    "400": _answer("An invalid body (every finding listed), malformed JSON, or a body that is not an object.", "InvalidRequest"),
                    "401": _error("A token is required and missing."),
                    "411": _error("A body sent without Content-Length."),
                    "413": _error("A body larger than the server takes."),
                    "415": _error("A body not sent as application/json."),
                },
            }},
            "/v1/videos/{id}": {"get": {**get_job, "operationId": "getVideo"}},
            "/v1/video/generations/{id}": {"get": {**get_job, "operationId": "getVideoGeneration"}},
            "/v1/videos/{id}/content": {"get": {
                "operationId": "getVideoContent",
                "summary": "The completed job's video.",
                "parameters": [job_id],
                "responses": {
                    "200": {"description": "The video (MP4).", "content": {"video/mp4": {"schema": {"type": "string", "contentMediaType": "video/mp4"}}}},
                    "401": _error("A token is required and missing."),
                    "404": _error("No such job."),
                    "409": _error("The job has not completed: no video yet."),
                },
            }},
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer $KLING_API_KEY"}},
        },
    }
