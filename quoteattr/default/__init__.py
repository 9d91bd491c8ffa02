"""quoteattr's built-in plugins.

Each plugin is registered through the ``quoteattr`` entry-point group exactly as a third-party
plugin is, so each can be listed with ``quoteattr plugins``, blocked with ``--block NAME`` and
replaced. The rule plugins are the objects of :mod:`quoteattr.default.plugins`, each calling
the module that holds its rules (``quotes``, ``reported``, ``attitudes``, ``mentions``,
``coref``, ``sieves``: modules that may be compiled, see there); the output formats are the
modules ``formats``, ``html`` and ``brat_format``.
"""
