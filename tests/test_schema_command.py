"""`kling-lint schema`: the packaged JSON Schema as it is, where it is installed, and an OpenAPI 3.1
document of the endpoint that is valid OpenAPI and describes what `kling-lint serve` answers."""

from __future__ import annotations

import json
import pathlib

import jsonschema
import pytest
from click.testing import CliRunner
from openapi_spec_validator import OpenAPIV31SpecValidator

from kling_lint.cli import main
from kling_lint.contract import default_contract
from kling_lint.contract.schema import schema_path
from kling_lint.openapi import REQUEST
from kling_lint.serve.service import Service, Settings

ROOT = pathlib.Path(__file__).resolve().parents[1]
VALID_BODY = (ROOT / "examples" / "text-to-video.json").read_bytes()


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def openapi() -> dict:
    result = run("schema", "--openapi")
    assert result.exit_code == 0
    return json.loads(result.output)


def test_schema_prints_the_packaged_file_as_it_is() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert result.output == pathlib.Path(schema_path()).read_text(encoding="utf-8")
    schema = json.loads(result.output)
    assert schema["$id"] and schema["$schema"].endswith("/draft/2020-12/schema")
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_path_is_the_file_printed() -> None:
    result = run("schema", "--path")
    path = pathlib.Path(result.output.strip())
    assert result.exit_code == 0 and path.is_absolute() and path.is_file()
    assert path.read_text(encoding="utf-8") == run("schema").output


def test_path_and_openapi_together_are_refused() -> None:
    result = CliRunner().invoke(main, ["schema", "--path", "--openapi"])
    assert result.exit_code == 2 and "cannot be used together" in result.output


def test_openapi_is_valid_against_the_openapi_3_1_schema(openapi: dict) -> None:
    assert openapi["openapi"].startswith("3.1.")
    errors = list(OpenAPIV31SpecValidator(openapi).iter_errors())
    assert errors == []


def test_openapi_has_the_routes_of_the_service_and_a_bearer_scheme(openapi: dict) -> None:
    assert set(openapi["paths"]) == {"/v1/video/generations", "/v1/videos/{id}", "/v1/video/generations/{id}", "/v1/videos/{id}/content"}
    assert openapi["components"]["securitySchemes"]["bearer"] == {**openapi["components"]["securitySchemes"]["bearer"], "type": "http", "scheme": "bearer"}
    post = openapi["paths"]["/v1/video/generations"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {"$ref": f"#/components/schemas/{REQUEST}"}
    assert {"200", "400", "401", "413", "415"} <= set(post["responses"])


def test_the_request_schema_is_the_contract_moved_into_components(openapi: dict) -> None:
    """Moving the $defs back out of components gives the packaged schema again."""
    components = dict(openapi["components"]["schemas"])
    schema = components.pop(REQUEST)
    original = json.loads(run("schema").output)
    definitions = {name: components[name] for name in original["$defs"]}
    rebuilt = json.loads(json.dumps({**schema, "$defs": definitions}).replace('"#/components/schemas/', '"#/$defs/'))
    assert rebuilt == {key: value for key, value in original.items() if key not in ("$schema", "$id")}


def _validator(openapi: dict, name: str) -> jsonschema.Draft202012Validator:
    """A validator of the component ``name``, its references resolved in the document."""
    return jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": openapi["components"]})


def _service(job_seconds: float) -> Service:
    return Service(Settings(job_seconds, 0.0, 1, 0, False, 1 << 20, 100, 10.0))


def _answer(service: Service, method: str, path: str, body: bytes = b""):
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
    return service.answer(method, path, headers, lambda size: body[:size], "http://127.0.0.1:8080")


def test_what_serve_answers_fits_the_documents_answers(openapi: dict) -> None:
    service = _service(0.0)  # jobs complete at once: the completed job, its result and video URL
    created = _answer(service, "POST", "/v1/video/generations", VALID_BODY)
    assert created.status == 200
    _validator(openapi, "Job").validate(json.loads(created.body))
    job_id = json.loads(created.body)["id"]
    for path in (f"/v1/videos/{job_id}", f"/v1/video/generations/{job_id}"):
        answer = _answer(service, "GET", path)
        assert answer.status == 200 and json.loads(answer.body)["status"] == "completed"
        _validator(openapi, "Job").validate(json.loads(answer.body))
    invalid = json.dumps({**json.loads(VALID_BODY), "duration": 99, "cfg": 1}).encode()
    refused = _answer(service, "POST", "/v1/video/generations", invalid)
    assert refused.status == 400
    _validator(openapi, "InvalidRequest").validate(json.loads(refused.body))
    for answer in (_answer(service, "GET", "/v1/videos/nope"), _answer(_service(60.0), "GET", "/v1/videos/x/content")):
        assert str(answer.status) in openapi["paths"]["/v1/videos/{id}/content"]["get"]["responses"]
        _validator(openapi, "Error").validate(json.loads(answer.body))


def test_the_documents_examples_fit_its_schemas(openapi: dict) -> None:
    post = openapi["paths"]["/v1/video/generations"]["post"]
    request = post["requestBody"]["content"]["application/json"]["example"]
    _validator(openapi, REQUEST).validate(request)
    assert default_contract().conforms(request)
    _validator(openapi, "Job").validate(openapi["components"]["schemas"]["Job"]["example"])
    with pytest.raises(jsonschema.ValidationError):
        _validator(openapi, REQUEST).validate({**request, "duration": 99})


def test_the_readmes_editor_lines_name_the_schema_and_pass_the_check() -> None:
    import re

    import kling_lint

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    yaml_block = next(block for block in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "yaml-language-server" in block)
    json_block = next(block for block in re.findall(r"```json\n(.*?)```", readme, re.S) if '"$schema"' in block)
    name = pathlib.Path(schema_path()).name
    assert yaml_block.startswith(f"# yaml-language-server: $schema={name}\n")
    assert json.loads(json_block)["$schema"] == name
    assert kling_lint.lint_text(yaml_block, filename="teaser.kling.yaml") == []
    assert kling_lint.lint_text(json_block, filename="teaser.kling.json") == []
    assert json.loads(run("schema").output)["$id"] in readme
