"""sdkforge: generate typed Python SDKs and Markdown docs from OpenAPI specs."""

__version__ = "0.1.0"
