"""The one YAML reader: syntax errors name file and line, any data path maps to a line, pydantic errors read
``file:line: field: message``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pydantic
import pytest
import yaml

from lmc import yamldoc
from lmc.errors import ParseError, ValidationError

TEXT = """\
# a comment first
name: synthetic
pillars:
  - id: mobility
    weight: 1
    goalposts: [0, 10]
  - id: culture
    weight: 2
nested:
  deeper:
    leaf: x
"""


class _Pillar(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    id: str
    weight: float = pydantic.Field(gt=0)
    kind: Literal["hard", "soft"] = "soft"
    goalposts: list[float] = []


class _Doc(pydantic.BaseModel):
    name: str
    pillars: list[_Pillar]


def test_data_is_what_safe_load_gives() -> None:
    doc = yamldoc.load(TEXT, where="syn.yaml")
    assert doc.data == yaml.safe_load(TEXT)
    assert doc.where == "syn.yaml"


def test_nested_paths_map_to_their_lines() -> None:
    doc = yamldoc.load(TEXT)
    assert doc.line() == 2  # the root starts at its first key, after the comment
    assert doc.line(("name",)) == 2
    assert doc.line(("pillars",)) == 3
    assert doc.line(("pillars", 0)) == 4
    assert doc.line(("pillars", 0, "weight")) == 5
    assert doc.line(("pillars", 0, "goalposts", 1)) == 6  # flow sequence items keep their line
    assert doc.line(("pillars", 1, "weight")) == 8
    assert doc.line(("nested", "deeper", "leaf")) == 11


def test_absent_paths_fall_back_to_the_closest_enclosing_line() -> None:
    doc = yamldoc.load(TEXT)
    assert doc.line(("pillars", 1, "rationale")) == 7  # missing key: its item
    assert doc.line(("pillars", 5, "id")) == 3  # index past the end: the list
    assert doc.line(("pillars", "x")) == 3  # a key into a sequence: the sequence
    assert doc.line(("nested", "deeper", "leaf", "more")) == 11  # below a scalar: the scalar
    assert doc.line(("nowhere",)) == 2  # unknown at the top: the document
    assert yamldoc.load("").line(("a",)) is None  # an empty document has no line


def test_integer_keys_are_found_by_their_text() -> None:
    doc = yamldoc.load("years:\n  2015: 1\n  2016: 2\n")
    assert doc.data == {"years": {2015: 1, 2016: 2}}
    assert doc.line(("years", 2016)) == 3


@pytest.mark.parametrize(("text", "line"), [
    ("a: 1\nb: [1, 2\nc: 3\n", 3),       # unclosed flow sequence: found at the next key
    ("a: 1\n  b: 2\n", 2),               # bad indentation
    ("a: 1\nb: {x: 1\n", 3),             # unclosed mapping: the end of the stream
    ("a: 1\nb: \x07\n", 2),              # a control character (the reader refuses it)
    ("a: 1\n---\nb: 2\n", 2),            # two documents where one is expected
])
def test_syntax_error_names_file_and_line(text: str, line: int) -> None:
    with pytest.raises(ValidationError, match=rf"^syn\.yaml:{line}: not valid YAML: \S"):
        yamldoc.load(text, where="syn.yaml")


def test_syntax_error_wording_and_class_can_be_kept_by_a_caller() -> None:
    with pytest.raises(ParseError, match=r"^f\.yaml: line 3, column 1: not valid YAML \(.+\)$"):
        yamldoc.load("a: 1\nb: [1\n", where="f.yaml", error=ParseError,
                     syntax="{where}: line {line}, column {column}: not valid YAML ({problem})")


def test_files_are_read_and_named_by_their_path(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(TEXT, encoding="utf-8")
    assert yamldoc.load(good).where == str(good)
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=rf"^{bad}:2: not valid YAML"):
        yamldoc.load(bad)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ValidationError, match=r"latin1\.yaml: bytes are not valid UTF-8"):
        yamldoc.load(latin1)
    with pytest.raises(ValidationError, match=r"missing\.yaml: cannot read"):
        yamldoc.load(tmp_path / "missing.yaml")


def _errors(text: str) -> tuple[yamldoc.YamlDoc, pydantic.ValidationError]:
    doc = yamldoc.load(text, where="syn.yaml")
    with pytest.raises(pydantic.ValidationError) as exc:
        _Doc.model_validate(doc.data)
    return doc, exc.value


def test_pydantic_message_names_file_line_field_and_item_id() -> None:
    doc, exc = _errors(TEXT.replace("weight: 2", "weight: -2"))
    assert yamldoc.pydantic_message(exc, doc) == (
        "syn.yaml:8: pillars.1.weight (id 'culture'): Input should be greater than 0")


def test_pydantic_message_missing_field_points_at_its_item_and_unknown_literal_suggests() -> None:
    text = TEXT.replace("  - id: culture\n", "  - kind: sofft\n")
    doc, exc = _errors(text)
    msg = yamldoc.pydantic_message(exc, doc)
    parts = msg.split("; ")
    assert "syn.yaml:7: pillars.1.id: Field required" in parts
    assert "syn.yaml:7: pillars.1.kind: unknown value 'sofft'. Did you mean 'soft'? Valid: hard, soft" in parts
    assert len(parts) == 2


def test_pydantic_message_limit_template_and_detail() -> None:
    doc, exc = _errors("name: 1\npillars:\n  - {id: a, weight: 0}\n  - {id: b, weight: 0, colour: red}\n")
    assert len(exc.errors()) == 4
    assert yamldoc.pydantic_message(exc, doc, limit=2).endswith(" (and 2 more)")
    one = yamldoc.pydantic_message(exc, doc, "other.yaml", limit=1, template="{where}:{line}: field {field!r}: {msg}",
                                   detail=lambda err: err["type"].upper())
    assert one == "other.yaml:1: field 'name': STRING_TYPE (and 3 more)"
    problems = yamldoc.pydantic_problems(exc, doc)
    assert problems[-1] == "syn.yaml:4: pillars.1.colour (id 'b'): Extra inputs are not permitted"
    assert yamldoc.field_name(()) == "(top level)"


def _reference(text: str):
    """What the pure-Python parser makes of ``text``: (data, every mapping key's line)."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        return loader.construct_document(root), _key_lines(root)
    finally:
        loader.dispose()


def _key_lines(node) -> list[int]:
    out = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            out += [k.start_mark.line for k, _ in n.value]
            stack += [v for _, v in n.value]
        elif isinstance(n, yaml.SequenceNode):
            stack += list(n.value)
    return out


def test_every_packaged_yaml_reads_the_same_with_the_fast_parser():
    """libyaml gives the same data and the same line for every key as the reference parser, for every YAML file
    the package ships (so error messages that name a line keep naming the right one)."""
    import lmc

    files = sorted(Path(lmc.__file__).parent.rglob("*.yaml"))
    assert len(files) > 20
    for f in files:
        text = f.read_text(encoding="utf-8")
        doc = yamldoc.load(f)
        data, lines = _reference(text)
        assert doc.data == data, f
        assert _key_lines(doc.root) == lines, f
        assert yamldoc.safe_load(text) == data, f


@pytest.mark.parametrize("text", ["a: \x07b", "a: [1, 2", "a: \ud800", "a: b\x85c", "k: 1\nk: [\n"])
def test_errors_are_worded_by_the_reference_parser(text):
    """Where libyaml refuses a text (or words the refusal differently), the pure-Python parser parses it again, so
    the message is the one PyYAML always gave."""
    with pytest.raises(yaml.YAMLError) as ref:
        yaml.safe_load(text)
    with pytest.raises(yaml.YAMLError) as got:
        yamldoc.safe_load(text)
    assert str(got.value) == str(ref.value)
    with pytest.raises(ValidationError):
        yamldoc.load(text)
