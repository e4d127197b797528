"""Target languages: each package here lowers the language-neutral IR into one language's plan and files.

`typescript/` lowers the IR into a TypeScript SDK (names, types, layout, docs) and renders it with the
templates under `templates/typescript/`; its runtime is real `.ts` source copied into each SDK.
"""
