"""The documentation cannot drift from the code.

- docs/hooks.md has one ``## quoteattr_<name>`` section per hook spec, which mentions each
  parameter and says "firstresult" exactly when the spec is firstresult; its examples register.
- every hook spec's docstring documents each parameter and the return value.
- docs/plugins.md: the guide's plugin runs, its tests pass, its pyproject snippet points at it.
- README.md and docs/usage.md: the commands and links they promise.
"""

from __future__ import annotations

import doctest
import inspect
import io
import re
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import quoteattr
import quoteattr.testing
from quoteattr import Pipeline, get_plugin_manager, hookspecs
from quoteattr.testing import assert_spans_match, call_order

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
MARKER = re.compile(r"<!--\s*(?P<key>[\w-]+:\s*[\w-]+)\s*-->\s*\n```[\w-]*\n(?P<body>.*?)^```$",
                    re.MULTILINE | re.DOTALL)


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _specs() -> dict[str, Callable[..., Any]]:
    return {
        name: func
        for name, func in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("quoteattr_")
    }


def _is_firstresult(name: str) -> bool:
    pm = get_plugin_manager(load_entrypoints=False, builtins=False)
    spec = getattr(pm.hook, name).spec
    assert spec is not None
    return bool(spec.opts["firstresult"])


def _sections(markdown: str) -> dict[str, str]:
    """``## heading`` -> the text up to the next level-2 heading, for hook headings."""
    parts = re.split(r"^## +(.+?) *$", markdown, flags=re.MULTILINE)
    sections: dict[str, str] = {}
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        if heading.startswith("quoteattr_"):
            assert heading not in sections, f"two sections for {heading}"
            sections[heading] = body
    return sections


def _marked(markdown: str, key: str) -> str:
    """The body of the code block announced by ``<!-- key -->``."""
    found = [m["body"] for m in MARKER.finditer(markdown) if m["key"].replace(" ", "") == key]
    assert len(found) == 1, f"expected one code block marked <!-- {key} -->, found {len(found)}"
    return found[0]


# --------------------------------------------------------------------------------------------
# hook specs and docs/hooks.md


SPECS = sorted(_specs())


def test_there_are_hook_specs() -> None:
    assert {"quoteattr_detect_quotes", "quoteattr_resolve_speaker"} <= set(SPECS)


def test_hooks_md_has_one_section_per_hook_spec() -> None:
    assert set(_sections(_read("hooks.md"))) == set(SPECS)


@pytest.mark.parametrize("name", SPECS)
def test_hooks_md_section_documents_the_spec(name: str) -> None:
    section = _sections(_read("hooks.md")).get(name)
    assert section is not None, f"docs/hooks.md has no section '## {name}'"
    params = list(inspect.signature(_specs()[name]).parameters)
    missing = [p for p in params if not re.search(rf"`{p}`|\b{p}\b", section)]
    assert not missing, f"the {name} section never mentions {missing}"
    signature = f"def {name}(" + ", ".join(params)
    flat = " ".join(section.split()).replace("( ", "(")
    assert signature in flat, f"the {name} section lacks its signature"
    says_firstresult = "firstresult" in section
    assert says_firstresult == _is_firstresult(name), (
        f"the {name} section must say 'firstresult' iff the spec is firstresult"
    )
    mode = "decider" if _is_firstresult(name) else "collector"
    assert f"**Calling mode:** {mode}" in section
    assert "@hookimpl" in section, f"the {name} section has no example hookimpl"


def _hooks_md_examples() -> Iterator[tuple[str, str]]:
    sections = _sections(_read("hooks.md"))
    for name in SPECS:
        blocks = [
            m["body"] for m in FENCE.finditer(sections.get(name, "")) if m["lang"] == "python"
        ]
        examples = [b for b in blocks if "@hookimpl" in b]
        if examples:
            yield name, examples[-1]
    intro = _read("hooks.md").split("\n## quoteattr_", 1)[0]
    for i, m in enumerate(FENCE.finditer(intro)):
        if m["lang"] == "python" and "@hookimpl" in m["body"]:
            yield f"intro-{i}", m["body"]


@pytest.mark.parametrize(
    ("name", "code"), [pytest.param(n, c, id=n) for n, c in _hooks_md_examples()]
)
def test_hooks_md_examples_register_cleanly(name: str, code: str) -> None:
    module = types.ModuleType(f"example_{name}")
    exec(compile(code, f"docs/hooks.md[{name}]", "exec"), module.__dict__)
    pipeline = Pipeline(plugins=[module], load_entrypoints=False)  # checks every hookimpl
    if name.startswith("quoteattr_"):
        assert name in pipeline.pm.plugin_hooks(module.__name__)
    text = (
        "Holmes nodded. «We start at dawn,» he said. According to Watson, the case was closed. "
        "“It is over,” the minister said."
    )
    result = pipeline.attribute(text)
    assert_spans_match(result, text)


def test_hooks_md_register_formats_examples_write() -> None:
    section = _sections(_read("hooks.md"))["quoteattr_register_formats"]
    codes = [m["body"] for m in FENCE.finditer(section) if "@hookimpl" in m["body"]]
    written = {}
    for i, code in enumerate(codes):
        module = types.ModuleType(f"example_formats_{i}")
        exec(compile(code, "docs/hooks.md", "exec"), module.__dict__)
        pipeline = Pipeline(plugins=[module], load_entrypoints=False)
        [name] = set(pipeline.formats) - set(Pipeline(load_entrypoints=False).formats)
        out = io.StringIO()
        result = pipeline.attribute("“We will win the vote,” said Ana Lopez.", doc_id="d")
        pipeline.write([result], out, format=name)
        written[name] = out.getvalue()
    assert written["tsv"].startswith("d\t0\t")
    assert written["counts"] == "d\t1\n"


@pytest.mark.parametrize("name", SPECS)
def test_hook_spec_docstring_documents_params_and_return(name: str) -> None:
    func = _specs()[name]
    doc = inspect.getdoc(func)
    assert doc, f"{name} has no docstring"
    for param in inspect.signature(func).parameters:
        assert f":param {param}:" in doc, f"{name}'s docstring lacks ':param {param}:'"
    assert ":returns:" in doc, f"{name}'s docstring lacks ':returns:'"


@pytest.mark.parametrize("name", SPECS)
def test_firstresult_spec_docstrings_end_with_the_fixed_sentence(name: str) -> None:
    doc = inspect.getdoc(_specs()[name]) or ""
    sentence = "Stops at the first non-None result."
    if _is_firstresult(name):
        assert doc.rstrip().endswith(sentence), f"{name}'s docstring must end: {sentence}"
    else:
        assert sentence not in doc


def test_the_spec_marker_agrees_with_the_manager() -> None:
    for name, func in _specs().items():
        opts = getattr(func, "quoteattr_spec", None)
        assert opts is not None, f"{name} is not marked @hookspec"
        assert bool(opts["firstresult"]) == _is_firstresult(name)


def test_builtin_sieve_tiers_are_what_the_docs_say() -> None:
    """docs/hooks.md and docs/plugins.md name the tiers of the built-in sieves."""
    pm = get_plugin_manager(load_entrypoints=False)
    tiers = {
        impl.plugin_name: ("tryfirst" if impl.tryfirst else "trylast" if impl.trylast else "")
        for impl in pm.hook.quoteattr_resolve_speaker.get_hookimpls()
    }
    assert tiers["sieve-frame"] == tiers["sieve-adjacent-cue"] == "tryfirst"
    assert tiers["sieve-continuation"] == "trylast"


# --------------------------------------------------------------------------------------------
# docs/plugins.md: the guide's code runs


@pytest.fixture
def transcript(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The guide's plugin, importable as ``quoteattr_transcript`` for the length of a test."""
    code = _marked(_read("plugins.md"), "plugin:transcript")
    module = types.ModuleType("quoteattr_transcript")
    module.__file__ = "docs/plugins.md"
    monkeypatch.setitem(sys.modules, "quoteattr_transcript", module)
    exec(compile(code, "docs/plugins.md[plugin]", "exec"), module.__dict__)
    return module


def test_guide_plugin_attributes_the_sample(transcript: types.ModuleType) -> None:
    sample = _marked(_read("plugins.md"), "sample:transcript")
    labels = re.findall(r"^([A-Z][A-Z .]*):", sample, flags=re.MULTILINE)
    assert len(labels) == 4
    pipeline = Pipeline(plugins=[transcript], load_entrypoints=False)
    result = pipeline.attribute(sample)
    assert_spans_match(result, sample)
    lines = [a for a in result if a.sieve == "transcript"]
    assert [a.speaker.mention.text for a in lines if a.speaker] == labels
    assert [a.text for a in lines] == [
        line.split(": ", 1)[1] for line in sample.splitlines() if line
    ]
    assert all(a.type == "direct" and a.confidence == pytest.approx(0.95) for a in lines)
    assert call_order(pipeline.pm, "quoteattr_resolve_speaker")[0] == "quoteattr_transcript"


def test_guide_plugin_leaves_other_text_alone(transcript: types.ModuleType) -> None:
    text = "“We will win the vote in the spring,” said Ana Lopez, the mayor."
    with_plugin = Pipeline(plugins=[transcript], load_entrypoints=False).attribute(text)
    without = Pipeline(load_entrypoints=False).attribute(text)
    assert with_plugin == without


def test_guide_plugin_keeps_state_per_document(transcript: types.ModuleType) -> None:
    pipeline = Pipeline(plugins=[transcript], load_entrypoints=False)
    records = list(pipeline.attribute_many(["Q: Why?", "plain prose, no label", "A: Because."]))
    speakers = [[a.speaker.mention.text for a in r if a.speaker] for r in records]  # type: ignore[union-attr]
    assert speakers == [["Q"], [], ["A"]]


def test_guide_tests_pass(transcript: types.ModuleType) -> None:
    code = _marked(_read("plugins.md"), "test:transcript")
    namespace: dict[str, Any] = {"__name__": "test_transcript_from_guide"}
    exec(compile(code, "docs/plugins.md[test]", "exec"), namespace)
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    assert len(tests) >= 2
    for test in tests:
        test()


def test_guide_pyproject_declares_the_entry_point() -> None:
    tomllib = pytest.importorskip("tomllib")
    data = tomllib.loads(_marked(_read("plugins.md"), "pyproject:transcript"))
    assert data["project"]["entry-points"]["quoteattr"] == {"transcript": "quoteattr_transcript"}
    assert any(d.startswith("quoteattr") for d in data["project"]["dependencies"])


def test_guide_python_blocks_compile() -> None:
    for i, m in enumerate(FENCE.finditer(_read("plugins.md"))):
        if m["lang"] == "python":
            compile(m["body"], f"docs/plugins.md[{i}]", "exec")


# --------------------------------------------------------------------------------------------
# README.md and docs/usage.md


def test_testing_module_docstring_examples() -> None:
    failures, tried = doctest.testmod(quoteattr.testing, verbose=False)
    assert tried >= 5
    assert failures == 0


def test_readme_has_the_two_commands_and_the_links() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [m["body"].strip() for m in FENCE.finditer(readme)]
    assert "pip install . && quoteattr seeds/kabulov.txt" in blocks
    test_command = (
        'pip install -e ".[test]" && pip install ./plugins/quoteattr-markdown && python -m pytest'
    )
    assert test_command in blocks
    for page in ("usage", "cli", "hooks", "plugins", "benchmarks", "accuracy"):
        assert f"(docs/{page}.md)" in readme, f"README.md does not link docs/{page}.md"


def test_readme_plugin_example_registers() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = [m["body"] for m in FENCE.finditer(readme) if "@hookimpl" in m["body"]]
    assert examples, "README.md has no plugin example"
    code = examples[0]
    assert len(code.strip().splitlines()) <= 12
    module = types.ModuleType("readme_example")
    exec(compile(code, "README.md", "exec"), module.__dict__)
    Pipeline(plugins=[module], load_entrypoints=False).attribute("MAYOR: It is over.")


@pytest.mark.parametrize("page", ["usage.md", "hooks.md", "plugins.md"])
def test_doc_links_resolve(page: str) -> None:
    for target in re.findall(r"\]\(([\w./-]+\.md)(?:#[\w-]+)?\)", _read(page)):
        assert (DOCS / target).exists() or target in ("cli.md", "benchmarks.md", "accuracy.md"), (
            f"{page} links to {target}, which does not exist"
        )


def test_usage_md_python_blocks_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``python`` block of docs/usage.md runs, in order, in one namespace."""
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "usage_md"}
    for i, m in enumerate(FENCE.finditer(_read("usage.md"))):
        if m["lang"] == "python":
            exec(compile(m["body"], f"docs/usage.md[{i}]", "exec"), namespace)
    assert isinstance(namespace.get("result"), quoteattr.Result)


def test_lexicons_md_lists_every_lexicon_file() -> None:
    """docs/lexicons.md has a row for every data file of quoteattr/lexicons/, and no other."""
    lexicons = Path(quoteattr.__file__).parent / "lexicons"
    files = {p.name for p in lexicons.glob("*.txt")}
    page = (Path(__file__).parent.parent / "docs" / "lexicons.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z_]+\.txt)` \|", page, flags=re.MULTILINE))
    assert listed == files
