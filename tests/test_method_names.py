"""Readable method and resource names from poor operationIds, and resources for untagged operations."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.diff import load_api

OK = '{"200": {description: ok, content: {application/json: {schema: {type: object}}}}}'

FASTAPI = f"""
openapi: 3.1.0
info: {{title: Chat, version: "1"}}
paths:
  /v1/chat/completions:
    post: {{operationId: chat_completion_v1_chat_completions_post, tags: [chat], responses: {OK}}}
  /v1/models/{{model_id}}:
    get:
      operationId: retrieve_model_v1_models__model_id__get
      tags: [models]
      parameters: [{{name: model_id, in: path, required: true, schema: {{type: string}}}}]
      responses: {OK}
  /v1/models:
    get: {{operationId: list_models_v1_models_get, tags: [models], responses: {OK}}}
  /v1/batch/jobs:
    get: {{operationId: jobs_api_routes_batch_get_batch_jobs, tags: [batch], responses: {OK}}}
    post: {{operationId: jobs_api_routes_batch_create_batch_job, tags: [batch], responses: {OK}}}
  /v1/libraries/{{library_id}}/documents:
    get:
      operationId: libraries_documents_list_v1
      tags: [beta.libraries.documents]
      parameters: [{{name: library_id, in: path, required: true, schema: {{type: string}}}}]
      responses: {OK}
  /v1/conversations:
    get: {{operationId: agents_api_v1_conversations_list, tags: [conversations], responses: {OK}}}
  /v1/conversations/{{id}}/history:
    get:
      operationId: agents_api_v1_conversations_history
      tags: [conversations]
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses: {OK}
  /v1/executions/cancel:
    post: {{operationId: batch_cancel_executions, tags: [executions], responses: {OK}}}
  /v1/executions/terminate:
    post: {{operationId: batch_terminate_executions, tags: [executions], responses: {OK}}}
"""

GLUED = f"""
openapi: 3.1.0
info: {{title: Org, version: "1"}}
paths:
  /organization/spend_limit:
    get:
      {{operationId: Getorganizationspendlimit, summary: "Get the organization's hard spend limit.", responses: {OK}}}
    delete: {{operationId: Deleteorganizationspendlimit, summary: Delete the hard spend limit, responses: {OK}}}
  /organization/projects/{{project_id}}/service_accounts/{{sa_id}}/api_keys:
    post:
      operationId: CreateanAPIkeyforaserviceaccount
      summary: Creates an API key for a service account in the project.
      parameters:
        - {{name: project_id, in: path, required: true, schema: {{type: string}}}}
        - {{name: sa_id, in: path, required: true, schema: {{type: string}}}}
      responses: {OK}
  /v2/guilds/{{guild_id}}/members:
    get:
      operationId: List all the members of a guild
      parameters: [{{name: guild_id, in: path, required: true, schema: {{type: string}}}}]
      responses: {OK}
  /v2/guilds:
    get: {{operationId: listGuilds, responses: {OK}}}
  /api/v1/organisationsettings:
    get: {{operationId: getorganisationsettings, summary: Settings, responses: {OK}}}
  /:
    get: {{operationId: ping, responses: {OK}}}
"""

MIXED = f"""
openapi: 3.1.0
info: {{title: Mixed, version: "1"}}
paths:
  /pets:
    get: {{operationId: listPets, tags: [animals], responses: {OK}}}
  /pets/{{id}}:
    get:
      operationId: getPet
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses: {OK}
  /animals/count:
    get: {{operationId: countAnimals, responses: {OK}}}
  /a:
    get: {{operationId: listThings, tags: [things], responses: {OK}}}
  /b:
    get: {{operationId: list_things, tags: [things], responses: {OK}}}
"""


def _surface(tmp_path: Path, text: str) -> tuple[dict[str, str], list[str]]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    api, diags = load_api(spec)
    assert api is not None, diags.sorted()
    names = {f"{o.method.upper()} {o.path}": f"{r.attr_path}.{o.name}" for r in api.resources for o in r.operations}
    return names, [f"[{d.code}] {d.pointer}" for d in diags.sorted()]


def test_framework_suffixes_and_prefixes_are_dropped(tmp_path: Path) -> None:
    names, _ = _surface(tmp_path, FASTAPI)
    assert names == {
        "POST /v1/chat/completions": "chat.chat_completion",
        "GET /v1/models/{model_id}": "models.retrieve_model",
        "GET /v1/models": "models.list_models",
        "GET /v1/batch/jobs": "batch.get_batch_jobs",
        "POST /v1/batch/jobs": "batch.create_batch_job",
        "GET /v1/libraries/{library_id}/documents": "beta.libraries.documents.list",
        "GET /v1/conversations": "conversations.list",
        "GET /v1/conversations/{id}/history": "conversations.history",
        "POST /v1/executions/cancel": "executions.batch_cancel_executions",  # a one-word modifier stays
        "POST /v1/executions/terminate": "executions.batch_terminate_executions",
    }


def test_glued_and_sentence_ids_and_untagged_resources(tmp_path: Path) -> None:
    names, _ = _surface(tmp_path, GLUED)
    assert names == {
        "GET /organization/spend_limit": "organization.get_organization_spend_limit",
        "DELETE /organization/spend_limit": "organization.delete_organization_spend_limit",
        "POST /organization/projects/{project_id}/service_accounts/{sa_id}/api_keys":
            "organization.create_api_key_for_service_account",
        "GET /v2/guilds/{guild_id}/members": "guilds.list_all_members_of_guild",
        "GET /v2/guilds": "guilds.list_guilds",
        # `api` and the version are skipped; the glued id is split by the words of its path
        "GET /api/v1/organisationsettings": "organisationsettings.get_organisationsettings",
        "GET /": "default.ping",
    }


def test_mixed_specs_keep_tags_and_collisions_warn(tmp_path: Path) -> None:
    names, diags = _surface(tmp_path, MIXED)
    assert names == {
        "GET /pets": "animals.list_pets",
        "GET /pets/{id}": "pets.get_pet",
        "GET /animals/count": "animals.count_animals",  # an untagged operation joins the tag of its segment
        "GET /a": "things.list_things",
        "GET /b": "things.list_things_2",
    }
    assert any("[duplicate-method-name] /paths/~1b/get" in d for d in diags), diags


@pytest.mark.parametrize("seed", ["0", "1"])
def test_names_do_not_depend_on_hash_seed(tmp_path: Path, seed: str) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(GLUED + FASTAPI.split("paths:", 1)[1])
    code = ("import sys; from pathlib import Path; from generator.diff import load_api\n"
            "api, _ = load_api(Path(sys.argv[1]))\n"
            "print(sorted(f'{r.attr_path}.{o.name}' for r in api.resources for o in r.operations))")
    runs = {subprocess.run([sys.executable, "-c", code, str(spec)], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": s, "PATH": ""}, cwd=Path(__file__).parent.parent).stdout
            for s in (seed, "12345")}
    assert len(runs) == 1 and "chat.chat_completion" in runs.pop()


def test_diff_reports_renames_as_breaking(tmp_path: Path) -> None:
    """A field or argument whose Python name changes (a camelCase twin now takes `b64_json`) and an
    operation whose method name changes are renames, and breaking."""
    from generator.diff import compare

    old = """
openapi: 3.1.0
info: {title: Img, version: "1"}
paths:
  /images:
    post:
      operationId: createImage
      tags: [images]
      parameters: [{name: b64Json, in: query, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Image"}}}}
components:
  schemas:
    Image:
      type: object
      properties:
        b64Json: {type: string}
"""
    new = (old.replace("operationId: createImage", "operationId: makeImage")
           .replace("        b64Json: {type: string}",
                    "        b64Json: {type: string}\n        b64_json: {type: string}")
           .replace("[{name: b64Json,", "[{name: b64_json, in: query, schema: {type: string}}, {name: b64Json,"))
    (tmp_path / "old.yaml").write_text(old)
    (tmp_path / "new.yaml").write_text(new)
    a, _ = load_api(tmp_path / "old.yaml")
    b, _ = load_api(tmp_path / "new.yaml")
    assert a is not None and b is not None
    lines = {c.line() for c in compare(a, b).changes}
    assert "[BREAKING] operation renamed: client.images.create_image() (now client.images.make_image())" in lines
    assert "[BREAKING] field renamed: models.Image.b64_json (now .b64_json_2)" in lines
    assert "[added] field added: models.Image.b64_json" in lines  # the new wire field `b64_json`
    assert not any("removed" in line for line in lines), lines
    assert compare(a, b).bump == "major"


@pytest.mark.parametrize("spec", [("openai", "openapi.latest.yaml"), ("mistral", "openapi.yaml")])
def test_real_specs_have_no_split_digits_or_glued_words(spec: tuple[str, str]) -> None:
    from tests.conftest import shared_or_skip

    api, diags = load_api(shared_or_skip("specs", *spec))
    assert api is not None, diags.sorted()
    names = [f"{r.attr_path}.{o.name}" for r in api.resources for o in r.operations]
    split = [n for n in names if re.search(r"(^|[._])[a-z]_[0-9]", n)]
    glued = [n for n in names for w in re.split(r"[._]", n) if len(w) >= 16]
    assert not split and not glued, (split, glued)
    assert "default" not in {r.name for r in api.resources}
    if spec[0] == "mistral":
        assert "chat.chat_completion" in names and "beta.agents.create" in names
        assert not [n for n in names if n.endswith(("_post", "_get", "_v1"))], names
    else:
        assert "organization.create_api_key_for_service_account" in names
        assert "organization.get_organization_spend_limit" in names
