"""Render one target's context to the semantic HTML string."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jinja2
from markupsafe import Markup

from qdocs.profile import Profile


def render_html(env: jinja2.Environment, template: str, context: dict[str, Any],
                stylesheet: str, profile: Profile, sample: bool, created: datetime) -> str:
    """Fill `template` with `context`; the stylesheet is inlined so the HTML stands alone.

    The stylesheet is qdocs' own CSS rendered from the profile (font names in it are
    checked by the Settings model), so it is inserted unescaped.
    """
    from qdocs.render.titles import title_function

    return env.get_template(template).render(
        **context, stylesheet=Markup(stylesheet), sample=sample,
        break_title=title_function(profile),
        sample_mark=profile.sample_mark.text,
        created=created.strftime("%Y-%m-%dT%H:%M:%SZ"))
