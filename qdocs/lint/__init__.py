"""Content text → findings against the writing norms of 公文 (`qdocs lint`).

GB/T 9704 lays out a document; it does not proofread it. This stage reads every
text field of every content file and reports what a clerk would send back:
half-width punctuation in Chinese text, unpaired quotes, a year span without its
一字线, a 发文字号 with 第, a department misspelt. Each rule is one row of
`rules.RULES`; mechanical fixes are applied by `fix.fix_project` with a ruamel.yaml
round trip, so comments and layout survive.
"""

from qdocs.lint.run import Finding, lint_project

__all__ = ["Finding", "lint_project"]
