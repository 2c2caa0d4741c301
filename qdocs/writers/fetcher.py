"""The only resources WeasyPrint may load: data: URLs and files under allowed folders.

Content is data: a `<img src="http://…">` or `file:///etc/passwd` that reached the
HTML (it cannot through autoescaped templates, but a project template could)
loads nothing: the refusal stops that target's render with a message naming the URL.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher


class ProjectURLFetcher(URLFetcher):
    """A WeasyPrint fetcher that serves data: URLs and files under `allowed_dirs` only."""

    def __init__(self, allowed_dirs: list[Path]):
        # fail_on_errors: a refused URL stops the render instead of becoming a warning.
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False,
                         fail_on_errors=True)
        self.roots = [d.resolve() for d in allowed_dirs]

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if not (any(path.is_relative_to(root) for root in self.roots) and path.is_file()):
                raise PermissionError(self._refusal(url))
        elif parsed.scheme != "data":
            raise PermissionError(self._refusal(url))
        return super().fetch(url, headers)

    def _refusal(self, url: str) -> str:
        return (f"refused to load {url!r}: documents may only use data: URLs and files under "
                + ", ".join(str(r) for r in self.roots))


def make_url_fetcher(allowed_dirs: list[Path]) -> ProjectURLFetcher:
    return ProjectURLFetcher(allowed_dirs)
