#!/usr/bin/env bash
# Regenerates every fixture from fixtures/seeds and scripts/fixtures/*.
# Needs LibreOffice (soffice), qpdf (with fix-qdf), poppler-utils (pdftoppm,
# pdftocairo, pdfinfo) and python3. Tests never run this: its output is committed.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
GEN="$ROOT/scripts/fixtures"
FIX="$ROOT/fixtures"
BUILD="$(mktemp -d -t rectrace-fixtures.XXXXXX)"
trap 'rm -rf "$BUILD"' EXIT
cd "$ROOT"

for tool in soffice qpdf fix-qdf pdftoppm pdftocairo pdfinfo python3; do
  command -v "$tool" >/dev/null || { echo "make-fixtures: $tool is required" >&2; exit 1; }
done

mkdir -p "$FIX/docx" "$FIX/pdf" "$FIX/html" "$FIX/bad"

echo "== Word"
npx tsx "$GEN/make-docx.ts" "$FIX/docx" "$BUILD"
npx tsx "$GEN/docx-cases.ts"

echo "== PDF (LibreOffice)"
# A private profile, so a desktop LibreOffice or a parallel run cannot interfere.
lo() {
  local tagged="$1" outdir="$2"; shift 2
  soffice --headless --norestore "-env:UserInstallation=file://$BUILD/lo-profile" \
    --convert-to "pdf:writer_pdf_Export:{\"UseTaggedPDF\":{\"type\":\"boolean\",\"value\":\"$tagged\"}}" \
    --outdir "$outdir" "$@" >/dev/null 2>&1
}
lo true "$BUILD/tagged" "$FIX/docx/seed-2022.docx" "$FIX/docx/seed-2023.docx"
lo false "$BUILD/plain" "$FIX/docx/seed-2022.docx" "$FIX/docx/seed-2023.docx" "$FIX/docx/merged-cells.docx" \
  "$BUILD/seed-2022-borderless.docx" "$BUILD/seed-2023-borderless.docx" "$BUILD/running-header.docx" \
  "$FIX/docx/seed-2022-recnumbering.docx"

# post MODE IN OUT: uncompress, edit (fixed dates; rules -> rectangles), recompress.
post() {
  local mode="$1" in="$2" out="$3" q="$BUILD/q.pdf" e="$BUILD/e.pdf" f="$BUILD/f.pdf"
  qpdf --qdf --object-streams=disable "$in" "$q"
  npx tsx "$GEN/pdf-post.ts" "$mode" "$q" "$e"
  fix-qdf "$e" >"$f"
  qpdf --deterministic-id --compress-streams=y --object-streams=generate "$f" "$out"
  echo "wrote $out ($(pdfinfo "$out" | awk '/^Pages:/{p=$2} /^Tagged:/{t=$2} END{print p" pages, tagged: "t}'))"
}
# A tagged table whose last row runs onto the next page, where the struct tree
# repeats the table with text in one cell only (HTML -> Word -> tagged PDF).
soffice --headless --norestore "-env:UserInstallation=file://$BUILD/lo-profile" --convert-to 'docx:MS Word 2007 XML' \
  --outdir "$BUILD/rop" "$FIX/layouts/row-over-page.html" >/dev/null 2>&1
lo true "$BUILD/rop" "$BUILD/rop/row-over-page.docx"
post tidy "$BUILD/rop/row-over-page.pdf" "$FIX/pdf/real-layouts/row-over-page-tagged.pdf"
post tidy "$BUILD/tagged/seed-2022.pdf" "$FIX/pdf/seed-2022-tagged.pdf"
post tidy "$BUILD/tagged/seed-2023.pdf" "$FIX/pdf/seed-2023-tagged.pdf"
post tidy "$BUILD/plain/seed-2022.pdf" "$FIX/pdf/seed-2022-ruled.pdf"
post tidy "$BUILD/plain/seed-2023.pdf" "$FIX/pdf/seed-2023-ruled.pdf"
post rects "$BUILD/plain/seed-2022.pdf" "$FIX/pdf/seed-2022-rects.pdf"
post tidy "$BUILD/plain/seed-2022-borderless.pdf" "$FIX/pdf/seed-2022-borderless.pdf"
post tidy "$BUILD/plain/seed-2023-borderless.pdf" "$FIX/pdf/seed-2023-borderless.pdf"
post tidy "$BUILD/plain/merged-cells.pdf" "$FIX/pdf/merged-header.pdf"
post tidy "$BUILD/plain/running-header.pdf" "$FIX/pdf/running-header.pdf"
# Recommendations as headed paragraphs ("Recommendation N" from Word numbering), no table.
post tidy "$BUILD/plain/seed-2022-recnumbering.pdf" "$FIX/pdf/seed-2022-headed.pdf"
# A borderless table whose short cells are centred against two-line recommendations (HTML → PDF, no borders).
soffice --headless --norestore "-env:UserInstallation=file://$BUILD/lo-profile" --convert-to pdf:writer_web_pdf_Export \
  --outdir "$BUILD/web" "$FIX/layouts/no-header-rag.html" >/dev/null 2>&1
post tidy "$BUILD/web/no-header-rag.pdf" "$FIX/pdf/no-header-rag-borderless.pdf"
# A borderless table split by full-width section rows; a numbered list under a heading (HTML → PDF).
soffice --headless --norestore "-env:UserInstallation=file://$BUILD/lo-profile" --convert-to pdf:writer_web_pdf_Export \
  --outdir "$BUILD/web" "$FIX/layouts/sections-decimal.html" "$FIX/layouts/ombudsman-list.html" >/dev/null 2>&1
post tidy "$BUILD/web/sections-decimal.pdf" "$FIX/pdf/sections-decimal-borderless.pdf"
post tidy "$BUILD/web/ombudsman-list.pdf" "$FIX/pdf/ombudsman-list.pdf"
pdfinfo "$FIX/pdf/seed-2022-tagged.pdf" | grep -q '^Tagged: *yes' || { echo "seed-2022-tagged.pdf is not tagged" >&2; exit 1; }
pdfinfo "$FIX/pdf/seed-2022-ruled.pdf" | grep -q '^Tagged: *no' || { echo "seed-2022-ruled.pdf is tagged" >&2; exit 1; }

echo "== PDF (layouts of published reports, drawn directly)"
npx tsx "$GEN/make-layout-pdfs.ts"

echo "== PDF without a text layer (a scan and glyph outlines, for OCR)"
npx tsx "$GEN/make-scanned.ts" "$FIX" "$BUILD/scanned"

echo "== HTML"
npx tsx "$GEN/make-html.ts" "$FIX"
npx tsx "$GEN/make-detection.ts"

echo "== bad inputs"
pdftoppm -r 60 -gray -f 1 -l 1 -singlefile "$FIX/pdf/seed-2023-ruled.pdf" "$BUILD/page"
npx tsx "$GEN/make-bad.ts" "$FIX" "$BUILD/page.pgm"
npx tsx "$GEN/make-hostile.ts" "$FIX"
rm -f "$FIX/bad/encrypted.pdf"
# AES-128 with qpdf's static id and IV keeps the bytes stable (AES-256 salts are random).
qpdf --static-id --static-aes-iv --encrypt rectrace-user rectrace-owner 128 --use-aes=y -- "$FIX/pdf/seed-2023-ruled.pdf" "$FIX/bad/encrypted.pdf"
echo "wrote $FIX/bad/encrypted.pdf (user password: rectrace-user)"
python3 "$GEN/make-zip-bomb.py" "$FIX/bad/zip-bomb.docx"

echo "== check"
npx tsx "$GEN/check-gold.ts" "$FIX"

echo "== done"
