"""Measure outputs against GB/T 9704-2012: PDF and DOCX files → check reports.

`qdocs check` reads each PDF itself (glyph boxes and baselines, rules, fonts, ink),
recognises the parts of the 公文, and compares what it measures with the profile;
a DOCX is checked in its XML and, through LibreOffice, as a reader sees it.

Modules: records (a check's record), pdfmeasure and pdfink (reading a PDF),
pdfparts (recognising parts), pdfrules / partrules / footrules / fontrules (the PDF
checks), pdfcheck (one PDF → its checks), docxrules (the DOCX XML), office
(LibreOffice), parity (DOCX vs PDF), report (tables, JSON), command (the CLI's entry).
"""
