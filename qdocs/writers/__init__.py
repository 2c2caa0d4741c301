"""Writers: semantic HTML → PDF, DOCX and HTML files."""
