"""quoteattr's built-in plugins.

Each module (or, for the sieves, each object) is one plugin, registered through the
``quoteattr`` entry-point group exactly as a third-party plugin is, so each can be listed with
``quoteattr plugins``, blocked with ``--block NAME`` and replaced.
"""
