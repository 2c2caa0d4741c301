"""Running the CLI in-process, as the tests of each command do."""

from __future__ import annotations

import pytest

from qdocs.cli import main


def run(argv, capsys):
    """(exit status, stdout, stderr) of the CLI run in-process."""
    with pytest.raises(SystemExit) as info:
        main(argv)
        raise SystemExit(0)
    out = capsys.readouterr()
    return info.value.code, out.out, out.err
