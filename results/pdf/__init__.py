"""PDF documents of the results: award certificates (read from a publication's
snapshot) and a stage's minutes (berita acara), with embedded fonts, numbers for
the active language and the contest's numbering, place, date and signatories
(results.documents). ReportLab is imported inside the functions."""

from results.pdf.certificate import certificate_pdf
from results.pdf.minutes import minutes_pdf

__all__ = ["certificate_pdf", "minutes_pdf"]
