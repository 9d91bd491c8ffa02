"""The pipeline's own bookkeeping: when a document's objects are freed, and the fast paths of
its merging and checking, held equal to the plain definitions they replace."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest

from quoteattr import Document, Pipeline, Quote
from quoteattr.testing import plugin

YES = "“Yes,” she said."


def _doc_watcher(freed: list[bool], docs: list[Any]) -> Any:
    def watch(doc: Document) -> list[Quote]:
        # when the document dies, note whether the collector was on
        docs.append(weakref.ref(doc, lambda _: freed.append(gc.isenabled())))
        return []

    return plugin("doc-watcher", quoteattr_detect_quotes=watch)


@pytest.mark.parametrize("item", [YES, {"text": YES, "doc_id": "d"}, ("d", YES)],
                         ids=["text", "mapping", "pair"])
def test_a_document_made_by_attribute_many_is_freed_before_the_collector_is_on(item: Any) -> None:
    """A collection due at the end of a document then finds none of its objects alive."""
    freed: list[bool] = []
    docs: list[Any] = []
    pipeline = Pipeline(plugins=[_doc_watcher(freed, docs)])
    assert gc.isenabled()
    for _record in pipeline.attribute_many([item, item]):
        assert gc.isenabled()  # the caller runs with the collector on
        assert docs[-1]() is None  # the document is gone before its record is handed out
    assert freed == [False, False]


def test_a_failing_document_is_recorded_and_the_caller_runs_with_the_collector_on() -> None:
    def boom(doc: Document) -> list[Quote]:
        raise RuntimeError("boom")

    pipeline = Pipeline(plugins=[plugin("boom", quoteattr_detect_reported_speech=boom)])
    records = []
    for record in pipeline.attribute_many([YES, YES]):
        assert gc.isenabled()
        records.append(record)
    assert [r.plugin for r in records] == ["boom", "boom"]  # type: ignore[union-attr]
    with pytest.raises(Exception, match="boom"):
        list(pipeline.attribute_many([YES], errors="raise"))
    assert gc.isenabled()
