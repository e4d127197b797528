"""Shared helpers for sdkforge's tests: spec request validation, Prism, generation into tmp."""
