"""Tests of the static runtime (templates/runtime/)."""
