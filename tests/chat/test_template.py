"""``{{message}}``, ``{{history}}`` and ``{{session}}`` are filled JSON-safely in both template shapes."""

from __future__ import annotations

import json

import pytest

from launchready.chat import TemplateError, Turn, fill_request

NASTY = 'He said "hi"\\n\nthen\ttabbed \u2028 😀 {{history}} </script> \\"'


def test_a_table_template_keeps_any_message_whole_and_history_as_a_list() -> None:
    history = [Turn("user", "first"), Turn("assistant", 'a "quoted" reply')]
    body = fill_request(
        {"input": {"text": "{{message}}", "prefix": "Q: {{message}}"}, "history": "{{history}}", "sid": "{{session}}"},
        NASTY, history, "s-1",
    )  # fmt: skip
    wire = json.loads(json.dumps(body))
    assert wire["input"]["text"] == NASTY
    assert wire["input"]["prefix"] == "Q: " + NASTY
    assert wire["history"] == [
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": 'a "quoted" reply'},
    ]
    assert wire["sid"] == "s-1"


def test_a_json_text_template_escapes_inside_strings_and_inserts_values_outside() -> None:
    template = '{"q": "{{message}}", "ctx": {{history}}, "meta": {"session": "{{session}}", "note": "x {{message}} y"}}'
    body = fill_request(template, NASTY, [Turn("user", "hi\n")], "abc")
    assert body["q"] == NASTY
    assert body["meta"]["note"] == f"x {NASTY} y"
    assert body["ctx"] == [{"role": "user", "content": "hi\n"}]
    assert body["meta"]["session"] == "abc"


def test_a_lone_surrogate_does_not_break_the_body() -> None:
    body = fill_request({"m": "{{message}}"}, "bad \ud800 half")
    json.dumps(body).encode("utf-8")
    assert body["m"].startswith("bad ") and "\ud800" not in body["m"]


def test_a_broken_json_template_fails_loudly() -> None:
    with pytest.raises(TemplateError):
        fill_request('{"q": "{{message}}",}', "hello")
