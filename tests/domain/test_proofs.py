"""Proof files: the references the chat names records by, and which files are taken (by
their bytes, agreeing with their names)."""

from __future__ import annotations

import io
import zipfile

import pytest

from domain.proofs import (
    DOCX,
    PDF,
    XLSX,
    CleanProof,
    ProofProblem,
    ProofRef,
    RecordKind,
    prepare_proof,
    proof_words,
    safe_name,
    sniff,
)
from tests.support.photos import GPS_TEXT, jpeg_with_exif


def _package(*parts: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for part in parts:
            package.writestr(part, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("bevis t-12", ProofRef(RecordKind.TRAINING, 12)),
        ("proof d-7", ProofRef(RecordKind.DOCUMENTATION, 7)),
        ("bevis d - 7", ProofRef(RecordKind.DOCUMENTATION, 7)),
        ("bevis x-7", None),
        ("bevis t-0", None),
        ("bevis t-12 og mere", None),
        ("foto nm-2026-0001", None),
    ],
)
def test_the_words_name_a_record(text: str, ref: ProofRef | None) -> None:
    assert proof_words(text) == ref
    if ref is not None:
        assert str(ref) in ("T-12", "D-7")


def test_the_bytes_decide_the_type() -> None:
    assert sniff(b"%PDF-1.4 ...") == PDF
    assert sniff(_package("[Content_Types].xml", "word/document.xml")) == DOCX
    assert sniff(_package("[Content_Types].xml", "xl/workbook.xml")) == XLSX
    assert sniff(_package("word/document.xml")) is None, "no content types: not Office"
    assert sniff(b"PK\x03\x04 broken") is None
    assert sniff(b"MZ\x90\x00") is None


def test_a_file_is_taken_only_when_its_bytes_and_name_agree() -> None:
    kept = prepare_proof(b"%PDF-1.7 x", "../../etc/Kursus: bevis.PDF", "pdf")
    assert isinstance(kept, CleanProof)
    assert kept.name == "Kursus bevis.pdf" and kept.content_type == PDF
    assert prepare_proof(b"%PDF-1.7 x", "bevis.docx", "docx") is ProofProblem.TYPE
    assert prepare_proof(b"%PDF-1.7 x", "bevis.txt", "txt") is ProofProblem.TYPE
    photo = prepare_proof(jpeg_with_exif(), "foto.jpeg", "jpeg")
    assert isinstance(photo, CleanProof) and GPS_TEXT not in photo.data
    assert photo.name == "foto.jpg"


def test_a_safe_name_is_short_and_ends_in_the_real_extension() -> None:
    assert safe_name("", PDF) == "bevis.pdf"
    assert safe_name("a" * 500 + ".pdf", PDF) == "a" * 196 + ".pdf"
    assert safe_name("rapport.xlsx", DOCX) == "rapport.docx"
