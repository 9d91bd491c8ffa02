"""Shared fixtures: a plugin manager without third-party plugins, inline registration that
always cleans up after itself, and the Hypothesis profiles.

Hypothesis profiles: ``ci`` (the default, 100 examples) and ``deep`` (10 000 examples), chosen
with the ``HYPOTHESIS_PROFILE`` environment variable::

    HYPOTHESIS_PROFILE=deep python -m pytest tests/test_properties.py
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from hypothesis import HealthCheck, settings

from quoteattr import Pipeline, PluginManager, get_plugin_manager
from quoteattr.testing import registered

settings.register_profile("ci", max_examples=100, deadline=None)
settings.register_profile(
    "deep",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def pm() -> PluginManager:
    """A fresh manager with the built-in plugins and no third-party entry points."""
    return get_plugin_manager(load_entrypoints=False)


Register = Callable[..., list[str]]


@pytest.fixture
def register(pm: PluginManager) -> Iterator[Register]:
    """Register inline plugins on ``pm``: ``register(plugin, ..., names=[...])``.

    Returns the registered names. Everything registered is unregistered at teardown, even when
    the test fails, so no plugin leaks into another test.
    """
    with ExitStack() as stack:

        def _register(*plugins: object, names: tuple[str | None, ...] = ()) -> list[str]:
            return stack.enter_context(registered(pm, *plugins, names=names))

        yield _register


@pytest.fixture
def pipeline(pm: PluginManager) -> Pipeline:
    """A pipeline on ``pm``: plugins added with ``register`` take part in it."""
    return Pipeline(pm=pm)
