"""`python -m qdocs.reference [FILE]`: write the content reference (default docs/content.md)."""

import sys
from pathlib import Path

from qdocs.reference.markdown import write_reference

target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/content.md")
write_reference(target)
print(f"wrote {target}")
