#!/usr/bin/env python3
"""Writes the DOCX and PDF résumés of the plan development pairs from their text sources (no packages needed).
   04-resume-designer.txt -> 04-resume-designer.docx (Word, bullets as list paragraphs)
   05-resume-sdr.txt      -> 05-resume-sdr.pdf       (one page, Helvetica, WinAnsi text)
   11-resume-ops-engineer.txt -> 11-resume-ops-engineer.docx
   12-resume-marketing-coordinator.txt -> 12-resume-marketing-coordinator.pdf"""
import os, zipfile
from xml.sax.saxutils import escape

here = os.path.dirname(os.path.abspath(__file__))

def docx(source, target):
    paragraphs = []
    for line in open(source, encoding="utf-8").read().splitlines():
        bullet = line.startswith("- ")
        text = escape(line[2:] if bullet else line)
        props = '<w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>' if bullet else ""
        paragraphs.append(f'<w:p>{props}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>')
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                + "".join(paragraphs) + '</w:body></w:document>')
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
             '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '</Relationships>')
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document)

def pdf(source, target):
    lines = open(source, encoding="utf-8").read().splitlines()
    ops, y = [], 800
    for line in lines:
        text = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"BT /F1 10 Tf 40 {y} Td ({text}) Tj ET")
        y -= 16
    content = "\n".join(ops).encode("cp1252")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    open(target, "wb").write(out)

docx(os.path.join(here, "04-resume-designer.txt"), os.path.join(here, "04-resume-designer.docx"))
pdf(os.path.join(here, "05-resume-sdr.txt"), os.path.join(here, "05-resume-sdr.pdf"))
docx(os.path.join(here, "11-resume-ops-engineer.txt"), os.path.join(here, "11-resume-ops-engineer.docx"))
pdf(os.path.join(here, "12-resume-marketing-coordinator.txt"), os.path.join(here, "12-resume-marketing-coordinator.pdf"))
