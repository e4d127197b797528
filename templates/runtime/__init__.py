"""The static runtime of the generated SDK (HTTP engine, models, errors, streaming, pagination).

Generated code imports from the submodules directly; see ``_runtime/README.md`` in sdkforge.
"""
