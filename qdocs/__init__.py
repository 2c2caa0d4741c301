"""qdocs: YAML content → GB/T 9704-2012 official documents as PDF, DOCX and HTML."""

__version__ = "0.1.0"
