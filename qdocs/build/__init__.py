"""Build: plan the targets, decide which are stale, run them, record the manifest.

`targets` turns a project into target specs (plain data), `keys` hashes what each
is made from, `manifest` keeps the last build's keys and output hashes, `plan`
decides what to rebuild and why, `runner` renders and writes on a process pool.
"""
