"""Readers: from a file's bytes (or the clipboard) to rows and paragraphs.

Every reader gives the same thing — ``text_rows.Item``s in reading order: table rows
(cells, a merged cell's text in its first row and column, the covered cells empty)
and paragraphs — so that segmentation, the form families and assembly are the same
whatever the file: ``text`` (plain text in its several copied shapes), ``html``
(a web page or the clipboard's text/html), ``docx`` (python-docx), ``pdf``
(pdfplumber), ``office`` (.doc/.wps/.et/.xls through LibreOffice when installed).
"""
