"""The JSON Schema of scenario files, for editors (the YAML language server) and checks.

It is generated from the models, the one source: their fields, types, descriptions and
the forms their validators read (a date's written forms, one party or a list). It
describes the *file*, as a YAML 1.2 reader sees it: dates are text, ``on`` is a key,
``yes`` is a word. It judges each value on its own (types, ids, unknown and missing
fields, enumerations, bounds); what needs the whole scenario (references between ids,
the order of dates, the condition language) is left to ``negotiation validate``.

Two fields are the file's and not the model's: ``remove:`` and ``replace:``, a what-if's
corrections to its base (``negotiation.loader._extends``), allowed with ``extends`` only.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from negotiation.loader._extends import CORRECTABLE
from negotiation.model.scenario import SCHEMA_VERSION, Scenario

DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect (an identifier, not a place the schema is fetched from)."""
SCHEMA_ID = f"urn:negotiation:scenario-schema:v{SCHEMA_VERSION}"
"""The schema's ``$id``: a name, not a URL; the file ships with the package."""
FILE_NAME = "scenario.schema.json"
"""The name the schema has beside the bundled scenarios and in ``schema --write``."""


class _FileSchema(GenerateJsonSchema):
    """Pydantic's generator, without a title on each property: an editor shows the
    property's name and description, and ``"title": "Earliest"`` adds nothing."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of scenario files."""
    schema = Scenario.model_json_schema(schema_generator=_FileSchema)
    _corrections(schema)
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        **schema,
        "title": f"negotiation scenario (schema version {SCHEMA_VERSION})",
    }


def _corrections(schema: dict[str, Any]) -> None:
    """Add ``remove:`` and ``replace:`` (see the module docstring) to the file's fields."""
    fields = schema["properties"]
    remove, replace = {}, {}
    for key in sorted(CORRECTABLE):
        remove[key] = {
            "type": "array",
            "items": {"type": "string"},
            "description": f"The ids of the base's {key} items this what-if removes.",
        }
        replace[key] = {
            "type": "array",
            "items": fields[key]["items"],
            "description": f"Items that each replace, in place, the base's {key} item "
            "with their id.",
        }
    fields["remove"] = {
        "type": "object",
        "properties": remove,
        "additionalProperties": False,
        "description": "With extends: the base's items this what-if drops, by list and id.",
    }
    fields["replace"] = {
        "type": "object",
        "properties": replace,
        "additionalProperties": False,
        "description": "With extends: items that replace the base's items of the same id.",
    }
    schema["else"]["not"] = {"anyOf": [{"required": ["remove"]}, {"required": ["replace"]}]}
