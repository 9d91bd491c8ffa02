"""The plugin machinery: inline plugins, ordering, blocking, replacing, errors and batches.

Most tests build their plugins inline with :func:`quoteattr.testing.plugin`, from the small
"bracket" detector below, which finds text between ⟦ and ⟧ (marks no built-in plugin knows),
so they do not depend on what the built-in detectors find.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import quoteattr
from quoteattr import (
    Cue,
    Document,
    Entity,
    ErrorRecord,
    Mention,
    Pipeline,
    PluginError,
    PluginManager,
    Quote,
    Resolution,
    Result,
    Span,
    ValidationError,
    get_plugin_manager,
    hookimpl,
)
from quoteattr.manager import AUTOLOAD_ENV
from quoteattr.pipeline import ResolutionContext
from quoteattr.testing import assert_spans_match, call_order, plugin, registered

Register = Callable[..., list[str]]  # the ``register`` fixture

BRACKETS = re.compile(r"⟦[^⟦⟧]*⟧")
SAID_NAME = re.compile(r"\s+(said)\s+([A-Z][a-z]+)")
YES = "“Yes we can,” she said."


def detect_brackets(doc: Document) -> Iterator[Quote]:
    for m in BRACKETS.finditer(doc.text):
        yield Quote(doc.span(m.start(), m.end()), rule="bracket")


def bracket_detector(name: str = "brackets") -> Any:
    return plugin(name, quoteattr_detect_quotes=detect_brackets)


def _said_name(doc: Document, quote: Quote) -> Resolution | None:
    """``⟦…⟧ said Name``: the capitalised word after "said" speaks."""
    m = SAID_NAME.match(doc.text, quote.content.end)
    if m is None:
        return None
    mention = Mention(doc.span(m.start(2), m.end(2)), "name", rule="said-name")
    cue = Cue(doc.span(m.start(1), m.end(1)), "say")
    return Resolution(mention, cue, confidence=0.99, sieve="bracket-said")


# --------------------------------------------------------------------------------------------
# inline plugins and ordering


def test_inline_detector_and_tryfirst_sieve_decide_their_quote() -> None:
    asked: list[str] = []

    @hookimpl(tryfirst=True)
    def first_sieve(doc: Document, quote: Quote) -> Resolution | None:
        asked.append(quote.content.text)
        if quote.rule != "bracket":
            return None
        return _said_name(doc, quote)

    text = "⟦We are ready⟧ said Ana to the crowd."
    pipeline = Pipeline(
        plugins=[bracket_detector(), plugin("first", quoteattr_resolve_speaker=first_sieve)],
        load_entrypoints=False,
    )
    result = pipeline.attribute(text)
    assert_spans_match(result, text)
    [attribution] = [a for a in result if a.rule == "bracket"]
    assert attribution.text == "⟦We are ready⟧"
    assert attribution.sieve == "bracket-said"
    assert attribution.confidence == pytest.approx(0.99)
    assert attribution.speaker is not None
    assert attribution.speaker.mention.text == "Ana"
    assert attribution.cue is not None and attribution.cue.span.text == "said"
    # tryfirst: asked before every built-in sieve, so asked about every quote
    assert asked[0] == "⟦We are ready⟧"


def test_trylast_sieve_is_asked_only_about_quotes_nobody_else_decided() -> None:
    text = (
        "⟦Nobody claims this one⟧\n\n"
        "⟦Alpha⟧ said Bob.\n\n"
        "“We will win the vote in the spring,” said Ana Lopez, the mayor."
    )
    fallback_asked: list[str] = []

    @hookimpl(tryfirst=True)
    def first_sieve(doc: Document, quote: Quote) -> Resolution | None:
        return _said_name(doc, quote) if quote.rule == "bracket" else None

    @hookimpl(trylast=True)
    def last_sieve(doc: Document, quote: Quote) -> Resolution | None:
        fallback_asked.append(quote.content.text)
        return None

    first = plugin("first", quoteattr_resolve_speaker=first_sieve)
    last = plugin("last", quoteattr_resolve_speaker=last_sieve)
    pipeline = Pipeline(plugins=[bracket_detector(), first, last], load_entrypoints=False)
    assert call_order(pipeline.pm, "quoteattr_resolve_speaker")[0] == "first"
    assert call_order(pipeline.pm, "quoteattr_resolve_speaker")[-1] == "last"

    result = pipeline.attribute(text)
    assert_spans_match(result, text)
    undecided = [a.text for a in result if a.sieve == "none"]
    # the trylast sieve returned None, so what it was asked about stayed undecided, and
    # everything undecided was asked about: it ran exactly when all the others returned None
    assert fallback_asked == undecided
    assert "⟦Nobody claims this one⟧" in fallback_asked
    assert "⟦Alpha⟧" not in fallback_asked  # the tryfirst sieve decided it
    # the built-in sieves decide the curly quote ("…," said Ana Lopez), so the fallback is
    # never asked about it (this needs the built-in detector and sieves)
    [curly] = [a for a in result if a.text.startswith("“We will win")]
    assert curly.type == "direct"
    assert curly.sieve not in ("none", "bracket-said")
    assert curly.speaker is not None and "Lopez" in curly.speaker.name
    assert curly.text not in fallback_asked


def test_sieve_order_tiers_and_registration_order() -> None:
    calls: list[str] = []

    def sieve(name: str, *, tryfirst: bool = False, trylast: bool = False) -> Any:
        def resolve(quote: Quote) -> None:
            calls.append(name)

        impl = hookimpl(tryfirst=tryfirst, trylast=trylast)(resolve)
        return plugin(name, quoteattr_resolve_speaker=impl)

    plugins = [
        bracket_detector(),
        sieve("late-1", trylast=True),
        sieve("plain-1"),
        sieve("early-1", tryfirst=True),
        sieve("plain-2"),
        sieve("late-2", trylast=True),
        sieve("early-2", tryfirst=True),
    ]
    pipeline = Pipeline(plugins=plugins, builtins=False, load_entrypoints=False)
    result = pipeline.attribute("⟦one⟧")
    assert [a.sieve for a in result] == ["none"]
    # tryfirst and unmarked tiers: the later-registered plugin is called first;
    # trylast tier: the later-registered plugin is called last (pluggy inserts it at the end)
    assert calls == ["early-2", "early-1", "plain-2", "plain-1", "late-1", "late-2"]
    assert call_order(pipeline.pm, "quoteattr_resolve_speaker") == calls


def test_third_party_sieves_and_builtins_of_the_same_tier(pm: PluginManager) -> None:
    """A sieve registered after the built-ins runs before the built-ins of its tier, except in
    the trylast tier, where it runs after them: a third-party fallback is the very last."""

    def noop(quote: Quote) -> None:
        return None

    tiers = {"tryfirst": (True, False), "plain": (False, False), "trylast": (False, True)}
    rank = {(True, False): 0, (False, False): 1, (False, True): 2}
    for label, (tryfirst, trylast) in tiers.items():
        name = f"mine-{label}"
        impl = hookimpl(tryfirst=tryfirst, trylast=trylast)(noop)
        with registered(pm, plugin(name, quoteattr_resolve_speaker=impl)):
            order = call_order(pm, "quoteattr_resolve_speaker")
            mine = order.index(name)
            for other in pm.hook.quoteattr_resolve_speaker.get_hookimpls():
                if other.plugin_name == name or other.wrapper or other.hookwrapper:
                    continue
                theirs = order.index(other.plugin_name)
                other_rank = rank[(other.tryfirst, other.trylast)]
                if other_rank != rank[(tryfirst, trylast)]:
                    assert (mine < theirs) == (rank[(tryfirst, trylast)] < other_rank)
                elif trylast:
                    assert mine > theirs, (name, other.plugin_name)
                else:
                    assert mine < theirs, (name, other.plugin_name)
    # the built-in sieves are there to be compared with
    builtin_sieves = {"sieve-frame", "sieve-adjacent-cue", "sieve-continuation"}
    assert builtin_sieves <= set(call_order(pm, "quoteattr_resolve_speaker"))


def test_wrapper_sees_every_call_and_the_result(
    register: Register, pm: PluginManager, pipeline: Pipeline
) -> None:
    seen: list[tuple[str, int]] = []

    @hookimpl(wrapper=True)
    def trace(doc: Document) -> Any:
        batches = yield
        # a collector may return a one-shot generator: materialise before looking
        batches = [list(batch) for batch in batches]
        seen.append((doc.text, sum(map(len, batches))))
        return batches

    register(bracket_detector(), plugin("trace", quoteattr_detect_quotes=trace))
    assert pipeline.pm is pm
    result = pipeline.attribute("⟦a⟧ and ⟦b⟧")
    assert {a.text for a in result} >= {"⟦a⟧", "⟦b⟧"}
    assert seen == [("⟦a⟧ and ⟦b⟧", 2)]
    # wrappers are not sieves: call_order leaves them out
    assert "trace" not in call_order(pm, "quoteattr_detect_quotes")


# --------------------------------------------------------------------------------------------
# fixtures clean up


def test_register_fixture_registers(register: Register, pm: PluginManager) -> None:
    names = register(bracket_detector("leaky"))
    assert names == ["leaky"]
    assert pm.has_plugin("leaky")
    assert pm.plugin_info["leaky"].source == "inline"


def test_registered_unregisters_even_on_error(pm: PluginManager) -> None:
    before = set(pm.plugin_info)
    with pytest.raises(RuntimeError), registered(pm, bracket_detector("temp")):
        assert pm.has_plugin("temp")
        raise RuntimeError
    assert not pm.has_plugin("temp")
    assert set(pm.plugin_info) == before
    assert "temp" not in call_order(pm, "quoteattr_detect_quotes")


def test_registered_refuses_a_blocked_name(pm: PluginManager) -> None:
    pm.set_blocked("taken")
    with pytest.raises(ValueError, match="blocked"), registered(
        pm, bracket_detector("taken")
    ):
        pass  # pragma: no cover
    assert pm.is_blocked("taken")
    assert "taken" not in pm.plugin_info


def test_registered_rejects_a_misspelled_hook_and_leaves_nothing(pm: PluginManager) -> None:
    typo = plugin("typo", quoteattr_detect_quote=detect_brackets)
    with pytest.raises(PluginError, match='Error in plugin "typo"'), registered(pm, typo):
        pass  # pragma: no cover
    assert not pm.has_plugin("typo")


# --------------------------------------------------------------------------------------------
# blocking and replacing built-ins


def test_blocked_builtin_is_not_registered() -> None:
    pm = get_plugin_manager(load_entrypoints=False, block=["quotes"])
    assert pm.get_plugin("quotes") is None
    assert pm.is_blocked("quotes")
    assert "quotes" not in call_order(pm, "quoteattr_detect_quotes")
    unblocked = get_plugin_manager(load_entrypoints=False)
    assert unblocked.get_plugin("quotes") is not None
    assert not unblocked.is_blocked("quotes")
    assert "quotes" in call_order(unblocked, "quoteattr_detect_quotes")


def test_blocked_detector_stops_contributing() -> None:
    """Needs the built-in ``quotes`` plugin: it finds “…” quotes, until it is blocked."""
    seen: list[int] = []

    @hookimpl(wrapper=True)
    def spy(doc: Document) -> Any:
        batches = [list(batch) for batch in (yield)]
        seen.append(sum(map(len, batches)))
        return batches

    spy_plugin = plugin("spy", quoteattr_detect_quotes=spy)
    with_quotes = Pipeline(plugins=[spy_plugin], load_entrypoints=False).attribute(YES)
    without = Pipeline(plugins=[spy_plugin], block=["quotes"], load_entrypoints=False)
    blocked = without.attribute(YES)
    assert seen[0] >= 1 and seen[1] == 0
    assert [a.text for a in with_quotes if a.type == "direct"] == ["“Yes we can,”"]
    assert [a for a in blocked if a.type == "direct"] == []


def test_blocking_an_unknown_plugin_is_an_error() -> None:
    with pytest.raises(PluginError, match="no-such-plugin") as info:
        get_plugin_manager(load_entrypoints=False, block=["no-such-plugin"])
    assert info.value.plugin == "no-such-plugin"
    with pytest.raises(PluginError, match="no-such-plugin"):
        Pipeline(block=["no-such-plugin"], load_entrypoints=False)


def test_replacing_a_builtin_under_its_name() -> None:
    replacement = bracket_detector("replacement-module")
    pipeline = Pipeline(
        plugins=[], block=["quotes"], load_entrypoints=False
    )
    pipeline.pm.unblock("quotes")
    pipeline.pm.register_plugin(replacement, "quotes")
    pipeline.pm.check()
    assert pipeline.pm.get_plugin("quotes") is replacement
    assert pipeline.pm.plugin_info["quotes"].source == "inline"
    assert call_order(pipeline.pm, "quoteattr_detect_quotes").count("quotes") == 1
    result = pipeline.attribute("⟦bracketed⟧ and “curly, which nobody detects now”")
    assert [a.text for a in result if a.type == "direct"] == ["⟦bracketed⟧"]


def test_a_second_plugin_under_a_taken_name_is_an_error(pm: PluginManager) -> None:
    with pytest.raises(PluginError, match='Error in plugin "quotes"') as info:
        pm.register_plugin(bracket_detector(), "quotes")
    assert info.value.plugin == "quotes"


def test_autoload_disabled_still_loads_builtins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(AUTOLOAD_ENV, "1")
    assert AUTOLOAD_ENV == "QUOTEATTR_DISABLE_PLUGIN_AUTOLOAD"
    pm = get_plugin_manager()
    assert pm.plugin_info["quotes"].source == "builtin"
    assert pm.plugin_info["quotes"].distribution == "quoteattr"
    assert {info.source for info in pm.plugin_info.values()} == {"builtin"}


def test_builtins_false_registers_nothing_of_ours() -> None:
    pm = get_plugin_manager(load_entrypoints=False, builtins=False)
    assert pm.plugin_info == {}
    assert Pipeline(pm=pm).attribute(YES) == Result(None)


# --------------------------------------------------------------------------------------------
# errors name the plugin


def _raise(*args: Any, **kwargs: Any) -> Any:
    msg = "kaput"
    raise RuntimeError(msg)


def _assert_names(error: PluginError, name: str, hook: str) -> None:
    assert f'Error in plugin "{name}"' in str(error)
    assert error.plugin == name
    assert error.hook == hook
    assert "kaput" in str(error) or isinstance(error, ValidationError)


def test_collector_that_raises_is_named() -> None:
    def detect(doc: Document) -> None:
        _raise()

    pipeline = Pipeline(
        plugins=[bracket_detector(), plugin("boom", quoteattr_detect_quotes=detect)],
        load_entrypoints=False,
    )
    with pytest.raises(PluginError) as info:
        pipeline.attribute("⟦x⟧")
    _assert_names(info.value, "boom", "quoteattr_detect_quotes")
    assert isinstance(info.value.__cause__, RuntimeError)


def test_mention_finder_that_raises_is_named() -> None:
    def find(doc: Document, quotes: Any) -> None:
        _raise()

    pipeline = Pipeline(plugins=[plugin("boom", quoteattr_find_mentions=find)],
                        load_entrypoints=False)
    with pytest.raises(PluginError) as info:
        pipeline.attribute("Anything at all.")
    _assert_names(info.value, "boom", "quoteattr_find_mentions")


def test_sieve_that_raises_is_named() -> None:
    @hookimpl(trylast=True)
    def resolve(doc: Document, quote: Quote, context: ResolutionContext) -> None:
        _raise()

    pipeline = Pipeline(
        plugins=[bracket_detector(), plugin("boom-sieve", quoteattr_resolve_speaker=resolve)],
        load_entrypoints=False,
    )
    with pytest.raises(PluginError) as info:
        pipeline.attribute("⟦nobody said this⟧")
    _assert_names(info.value, "boom-sieve", "quoteattr_resolve_speaker")


def test_format_registration_that_raises_is_named() -> None:
    def register_formats(register: Any) -> None:
        _raise()

    pipeline = Pipeline(
        plugins=[plugin("boom-format", quoteattr_register_formats=register_formats)],
        load_entrypoints=False,
    )
    with pytest.raises(PluginError) as info:
        pipeline.formats  # noqa: B018
    _assert_names(info.value, "boom-format", "quoteattr_register_formats")


def test_wrong_type_from_a_collector_is_a_validation_error() -> None:
    def detect(doc: Document) -> list[object]:
        return [doc.span(0, 3)]  # a Span, not a Quote

    pipeline = Pipeline(plugins=[plugin("sloppy", quoteattr_detect_quotes=detect)],
                        load_entrypoints=False)
    with pytest.raises(ValidationError) as info:
        pipeline.attribute("abc def")
    _assert_names(info.value, "sloppy", "quoteattr_detect_quotes")
    assert "expected Quote" in str(info.value)


def test_non_iterable_from_a_collector_is_a_validation_error() -> None:
    def detect(doc: Document) -> int:
        return 42

    pipeline = Pipeline(plugins=[plugin("sloppy", quoteattr_detect_quotes=detect)],
                        load_entrypoints=False)
    with pytest.raises(ValidationError) as info:
        pipeline.attribute("abc def")
    _assert_names(info.value, "sloppy", "quoteattr_detect_quotes")


@pytest.mark.parametrize(
    "span",
    [Span(100, 105, "hello"), Span(0, 5, "hello")],
    ids=["out-of-bounds", "wrong-text"],
)
def test_span_not_matching_the_text_is_a_validation_error(span: Span) -> None:
    def detect(doc: Document) -> list[Quote]:
        return [Quote(span)]

    pipeline = Pipeline(plugins=[plugin("offset", quoteattr_detect_quotes=detect)],
                        load_entrypoints=False)
    with pytest.raises(ValidationError) as info:
        pipeline.attribute("short text")
    _assert_names(info.value, "offset", "quoteattr_detect_quotes")
    assert f"[{span.start}, {span.end})" in str(info.value)


def test_validation_blames_the_right_collector_when_others_return_none() -> None:
    """pluggy drops ``None`` results, so results cannot be matched to plugins by position."""

    def nothing(doc: Document) -> None:
        return None

    def detect(doc: Document) -> list[object]:
        return ["not a quote"]

    plugins = [
        plugin("sloppy", quoteattr_detect_quotes=detect),
        plugin("quiet", quoteattr_detect_quotes=nothing),
    ]
    pipeline = Pipeline(plugins=plugins, builtins=False, load_entrypoints=False)
    with pytest.raises(ValidationError) as info:
        pipeline.attribute("abc")
    _assert_names(info.value, "sloppy", "quoteattr_detect_quotes")


def _assert_the_sieve_is_blamed(name: str, resolve: Any, text: str = "⟦x⟧") -> None:
    """Attributing ``text`` with the sieve ``resolve`` first fails, naming ``name``."""
    pipeline = Pipeline(
        plugins=[bracket_detector(), plugin(name, quoteattr_resolve_speaker=resolve)],
        load_entrypoints=False,
    )
    with pytest.raises(ValidationError) as info:
        pipeline.attribute(text)
    _assert_names(info.value, name, "quoteattr_resolve_speaker")


def test_wrong_type_from_a_sieve_is_a_validation_error() -> None:
    @hookimpl(tryfirst=True)
    def resolve(quote: Quote) -> str:
        return "Ana"

    _assert_the_sieve_is_blamed("lazy-sieve", resolve)


def test_bad_span_from_a_later_sieve_blames_that_sieve() -> None:
    """The plugin is named, not the sieve label it put in ``Resolution.sieve``."""

    @hookimpl(tryfirst=True)
    def abstain(quote: Quote) -> None:
        return None

    @hookimpl(tryfirst=True)
    def resolve(quote: Quote) -> Resolution:
        return Resolution(Mention(Span(50, 53, "Ana")), sieve="my-label")

    plugins = [
        bracket_detector(),
        plugin("off-sieve", quoteattr_resolve_speaker=resolve),
        plugin("abstainer", quoteattr_resolve_speaker=abstain),  # asked first
    ]
    pipeline = Pipeline(plugins=plugins, load_entrypoints=False)
    with pytest.raises(ValidationError) as info:
        pipeline.attribute("⟦x⟧")
    _assert_names(info.value, "off-sieve", "quoteattr_resolve_speaker")


def test_a_cue_span_with_the_wrong_text_blames_its_sieve() -> None:
    @hookimpl(tryfirst=True)
    def resolve(doc: Document, quote: Quote) -> Resolution:
        # in bounds, but "⟦x" is not "say"
        return Resolution(Mention(doc.span(4, 7)), Cue(Span(0, 2, "sa"), "say"))

    _assert_the_sieve_is_blamed("cue-sieve", resolve, "⟦x⟧ Ana said")


def test_an_entity_span_with_the_wrong_text_blames_the_linker() -> None:
    @hookimpl(tryfirst=True)
    def link(doc: Document, mentions: list[Mention]) -> list[Entity]:
        return [Entity("E1", "Ana", "person", None, [Span(0, 3, "Bob")])]

    pipeline = Pipeline(plugins=[plugin("bad-linker", quoteattr_link_entities=link)],
                        load_entrypoints=False)
    with pytest.raises(ValidationError) as info:
        pipeline.attribute(YES)
    _assert_names(info.value, "bad-linker", "quoteattr_link_entities")


def test_misspelled_hook_fails_at_manager_build() -> None:
    typo = plugin("typo", quoteattr_detect_quote=detect_brackets)
    with pytest.raises(PluginError, match='Error in plugin "typo"') as info:
        Pipeline(plugins=[typo], load_entrypoints=False)
    assert info.value.plugin == "typo"
    assert "quoteattr_detect_quote" in str(info.value)


def test_hookimpl_with_an_unknown_argument_fails_at_registration() -> None:
    def detect(document: Document) -> None:  # the spec calls it ``doc``
        return None

    with pytest.raises(PluginError, match='Error in plugin "wrong-arg"') as info:
        Pipeline(plugins=[plugin("wrong-arg", quoteattr_detect_quotes=detect)],
                 load_entrypoints=False)
    assert info.value.plugin == "wrong-arg"
    assert "document" in str(info.value)


def test_a_hook_without_its_marker_is_refused_not_ignored() -> None:
    class Unmarked:  # the marker forgotten: pluggy alone would register the plugin, hookless
        def quoteattr_detect_quotes(self, doc: Document) -> list[Quote]:
            return list(detect_brackets(doc))

    pm = get_plugin_manager(load_entrypoints=False, builtins=False)
    with pytest.raises(PluginError, match='Error in plugin "unmarked"') as info:
        pm.register_plugin(Unmarked(), "unmarked")
    assert info.value.plugin == "unmarked"
    assert "quoteattr_detect_quotes is not marked with @quoteattr.hookimpl" in str(info.value)
    assert pm.get_plugin("unmarked") is None  # nothing of it stays registered


def test_an_override_that_loses_the_marker_is_refused() -> None:
    class Base:
        @hookimpl
        def quoteattr_detect_quotes(self, doc: Document) -> list[Quote]:
            return []

    class Child(Base):
        def quoteattr_detect_quotes(self, doc: Document) -> list[Quote]:
            return list(detect_brackets(doc))

    with pytest.raises(PluginError, match="not marked"):
        Pipeline(plugins=[Base(), Child()], load_entrypoints=False)


def test_a_marked_hook_that_is_no_plain_function_is_refused() -> None:
    class Detector:  # a callable object: pluggy calls only plain functions and methods
        def __call__(self, doc: Document) -> list[Quote]:
            return list(detect_brackets(doc))

    holder = type("Holder", (), {})()
    holder.quoteattr_detect_quotes = hookimpl(Detector())
    with pytest.raises(PluginError, match="is a Detector, not a plain function") as info:
        Pipeline(plugins=[holder], load_entrypoints=False)
    assert "quoteattr_detect_quotes is marked as a hook implementation" in str(info.value)


def test_a_hook_registered_under_another_hooks_name_is_not_refused() -> None:
    class Renamed:  # pluggy registers the method, as the hook its ``specname`` names
        @hookimpl(specname="quoteattr_detect_quotes")
        def quoteattr_register_formats(self, doc: Document) -> list[Quote]:
            return list(detect_brackets(doc))

    pm = get_plugin_manager(load_entrypoints=False, builtins=False)
    pm.register_plugin(Renamed(), "renamed")
    assert pm.plugin_hooks("renamed") == ["quoteattr_detect_quotes"]


def test_a_refused_object_is_named_by_its_type_not_its_id() -> None:
    class Unmarked:
        def quoteattr_detect_quotes(self, doc: Document) -> list[Quote]:
            return []

    with pytest.raises(PluginError, match='Error in plugin "Unmarked"') as info:
        Pipeline(plugins=[Unmarked()], load_entrypoints=False)
    assert info.value.plugin == "Unmarked"


def test_the_plugin_helper_wants_plain_functions() -> None:
    import functools

    with pytest.raises(TypeError, match=r"must be a plain function .* got partial"):
        plugin("partial", quoteattr_detect_quotes=functools.partial(detect_brackets))


def test_other_attributes_named_like_the_project_are_left_alone() -> None:
    quiet = plugin("quiet", quoteattr_detect_quotes=detect_brackets)
    quiet.quoteattr_helper = lambda: None  # no hook has this name: not a hook implementation
    quiet.quoteattr_version = "1.0"
    pipeline = Pipeline(plugins=[quiet], load_entrypoints=False)
    assert pipeline.pm.plugin_hooks("quiet") == ["quoteattr_detect_quotes"]


# --------------------------------------------------------------------------------------------
# the top-level API and batches


def test_attribute_function_returns_a_result() -> None:
    result = quoteattr.attribute("No quotes here.", doc_id="plain")
    assert isinstance(result, Result)
    assert result.doc_id == "plain"
    assert list(result) == []


def test_attribute_function_finds_a_direct_quote() -> None:
    """Needs the built-in detector, sieves and linker."""
    text = "“It is over,” the minister said."
    result = quoteattr.attribute(text)
    assert_spans_match(result, text)
    assert [(a.type, a.text) for a in result] == [("direct", "“It is over,”")]
    [attribution] = result
    assert attribution.speaker is not None
    assert attribution.speaker.mention.text == "the minister"
    assert attribution.sieve != "none"
    assert 0.0 < attribution.confidence <= 1.0


def _booming() -> Any:
    def detect(doc: Document) -> list[Quote]:
        if "BOOM" in doc.text:
            _raise()
        return list(detect_brackets(doc))

    return plugin("boomer", quoteattr_detect_quotes=detect)


def test_generator_detector_that_raises_while_iterated_is_named() -> None:
    """A generator hookimpl raises only when the pipeline iterates it, after the hook call."""

    def detect(doc: Document) -> Iterator[Quote]:
        yield from detect_brackets(doc)
        _raise()

    pipeline = Pipeline(plugins=[plugin("lazy-boom", quoteattr_detect_quotes=detect)],
                        load_entrypoints=False)
    with pytest.raises(PluginError) as info:
        pipeline.attribute("⟦x⟧")
    _assert_names(info.value, "lazy-boom", "quoteattr_detect_quotes")
    [record] = pipeline.attribute_many(["⟦x⟧"])
    assert isinstance(record, ErrorRecord) and record.plugin == "lazy-boom"


def test_attribute_many_records_a_failure_and_continues_in_order() -> None:
    pipeline = Pipeline(plugins=[_booming()], load_entrypoints=False)
    docs: list[Any] = [
        ("one", "⟦first⟧"),
        {"doc_id": "two", "text": "BOOM ⟦second⟧"},
        Document("⟦third⟧", "three"),
        "⟦fourth⟧",
    ]
    records = list(pipeline.attribute_many(docs))
    assert [r.doc_id for r in records] == ["one", "two", "three", None]
    assert [type(r) for r in records] == [Result, ErrorRecord, Result, Result]
    error = records[1]
    assert isinstance(error, ErrorRecord)
    assert error.plugin == "boomer"
    assert error.type == "PluginError"
    assert 'Error in plugin "boomer"' in error.message
    assert error.to_dict()["error"]["plugin"] == "boomer"
    texts = [[a.text for a in r if a.rule == "bracket"] for r in records if isinstance(r, Result)]
    assert texts == [["⟦first⟧"], ["⟦third⟧"], ["⟦fourth⟧"]]


def test_attribute_many_raise_mode_stops() -> None:
    pipeline = Pipeline(plugins=[_booming()], load_entrypoints=False)
    records = pipeline.attribute_many(["⟦ok⟧", "BOOM", "⟦never⟧"], errors="raise")
    assert isinstance(next(records), Result)
    with pytest.raises(PluginError, match="boomer"):
        next(records)


def test_attribute_many_rejects_unknown_error_mode() -> None:
    pipeline = Pipeline(builtins=False, load_entrypoints=False)
    with pytest.raises(ValueError, match="errors"):
        list(pipeline.attribute_many(["x"], errors="ignore"))


def test_attribute_many_streams_lazily() -> None:
    pulled: list[int] = []

    def source() -> Iterator[str]:
        for i in range(1000):
            pulled.append(i)
            yield f"⟦doc {i}⟧" if i != 1 else "BOOM"

    pipeline = Pipeline(plugins=[_booming()], load_entrypoints=False)
    records = pipeline.attribute_many(source())
    assert pulled == []  # nothing happens before the first record is asked for
    first = next(records)
    assert pulled == [0]
    assert isinstance(first, Result)
    second = next(records)
    assert pulled == [0, 1]
    assert isinstance(second, ErrorRecord)
    third = next(records)
    assert pulled == [0, 1, 2]
    assert isinstance(third, Result)
    assert [a.text for a in third if a.rule == "bracket"] == ["⟦doc 2⟧"]


def test_unreadable_item_becomes_an_error_record() -> None:
    pipeline = Pipeline(builtins=False, load_entrypoints=False)
    items: list[Any] = [{"doc_id": "x"}, 42, "fine"]
    records = list(pipeline.attribute_many(items))
    assert [type(r).__name__ for r in records] == ["ErrorRecord", "ErrorRecord", "Result"]
    assert records[0].doc_id == "x"


# --------------------------------------------------------------------------------------------
# the garbage collector while a document is attributed


def _gc_watcher(seen: list[bool]) -> Any:
    import gc

    def watch(doc: Document) -> list[Quote]:
        seen.append(gc.isenabled())
        return []

    return plugin("gc-watcher", quoteattr_detect_quotes=watch)


@pytest.mark.parametrize("enabled", [True, False], ids=["enabled", "disabled"])
def test_the_collector_is_paused_for_a_document_and_restored(enabled: bool) -> None:
    import gc

    seen: list[bool] = []
    pipeline = Pipeline(plugins=[_gc_watcher(seen)])
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        pipeline.attribute(YES)
        list(pipeline.attribute_many([YES, YES]))
        assert seen == [False, False, False]
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_the_collector_is_restored_after_a_failing_document() -> None:
    import gc

    def boom(doc: Document) -> list[Quote]:
        raise RuntimeError("boom")

    pipeline = Pipeline(plugins=[plugin("boom", quoteattr_detect_quotes=boom)])
    assert gc.isenabled()
    [record] = list(pipeline.attribute_many([YES]))
    assert isinstance(record, ErrorRecord)
    assert gc.isenabled()


def test_the_collector_is_left_alone_while_other_threads_run() -> None:
    """Overlapping documents in several threads must not keep it off for good."""
    import gc
    import threading

    seen: list[bool] = []
    pipeline = Pipeline(plugins=[_gc_watcher(seen)])
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        pipeline.attribute(YES)
    finally:
        stop.set()
        other.join()
    assert seen == [True] and gc.isenabled()


def test_a_pause_inside_a_pause_leaves_it_to_the_outer_one() -> None:
    import gc

    from quoteattr.pipeline import gc_paused

    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block did not turn it on under the outer one
    assert gc.isenabled()


def test_a_time_budget_and_the_pause_end_with_the_collector_on() -> None:
    import gc

    seen: list[bool] = []
    pipeline = Pipeline(plugins=[_gc_watcher(seen)])
    records = list(pipeline.attribute_many([YES, YES], max_seconds=5))
    assert all(isinstance(r, Result) for r in records)
    assert seen == [False, False] and gc.isenabled()
