"""Performance harness for qdocs (not part of the test run): `python -m benchmarks`.

Measures, on the bundled example, the cold full build, the no-op rebuild (in-process
and as `qdocs build`), a one-rule edit and the pipeline against WeasyPrint's own time
for the same HTML; then a scale run on synthetic projects of N regions (load, plan,
render stages apart, cards a second, peak memory per worker). Each measured build
runs in a fresh interpreter (`benchmarks.child`); content is generated under a
temporary directory.
"""
