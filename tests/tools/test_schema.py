from jiramcp.tools._schema import compact_schema


def test_titles_go_but_a_property_called_title_stays():
    schema = {
        "title": "Args",
        "type": "object",
        "properties": {"title": {"title": "Title", "type": "string"}, "n": {"title": "N", "type": "integer"}},
    }
    assert compact_schema(schema) == {
        "type": "object",
        "properties": {"title": {"type": "string"}, "n": {"type": "integer"}},
    }


def test_an_optional_parameter_loses_its_null_branch_and_keeps_its_description():
    schema = {
        "anyOf": [{"type": "string", "maxLength": 5}, {"type": "null"}],
        "default": None,
        "description": "Why",
        "title": "X",
    }
    assert compact_schema(schema) == {"type": "string", "maxLength": 5, "description": "Why"}


def test_a_union_with_a_real_default_is_left_alone():
    schema = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": "x"}
    assert compact_schema(schema) == schema


def test_nested_item_schemas_are_compacted_too():
    schema = {"type": "array", "items": {"anyOf": [{"type": "integer", "title": "I"}, {"type": "null"}]}}
    assert compact_schema(schema) == {"type": "array", "items": {"type": "integer"}}
