"""Render: plain-data contexts → semantic HTML, through Jinja2 templates."""
