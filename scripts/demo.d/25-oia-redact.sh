# Redact one marked-up original of the example release into each format, then check
# that no word found only in its withheld passages survives in any of them.
set -euo pipefail
src=examples/macip-release/originals/01-rcoi-macip-briefing.md
for fmt in md html docx; do
  macip-gov oia redact "$src" -o "out/redact/01-rcoi-macip-briefing.$fmt"
done
macip-gov oia redact "$src" -o out/redact/01-rcoi-macip-briefing.styled.md \
  --style "[Withheld under {sections} of the OIA]"
python - "$src" out/redact/01-rcoi-macip-briefing <<'PY'
import sys, zipfile
from html.parser import HTMLParser
from xml.etree import ElementTree


class Visible(HTMLParser):
    """Text, the title and attribute values of a page; not the style sheet."""

    def __init__(self):
        super().__init__()
        self.parts, self.in_style = [], False

    def handle_starttag(self, tag, attrs):
        self.in_style = tag == "style"
        self.parts.extend(v for _, v in attrs if v)

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if not self.in_style:
            self.parts.append(data)

    def handle_comment(self, data):
        self.parts.append(data)


from macip_gov.oia.markup import parse_markup
src, stem = sys.argv[1], sys.argv[2]
doc = parse_markup(open(src, encoding="utf-8").read(), src)
withheld = "".join(doc.text[r.start:r.end] for r in doc.regions)
released = doc.text
for r in reversed(doc.regions):
    released = released[:r.start] + released[r.end:]
words = {w for w in withheld.replace("(", " ").replace(")", " ").split() if len(w) >= 6 and w.isalpha()}
secret = {w for w in words if w not in released}
page = Visible()
page.feed(open(f"{stem}.html", encoding="utf-8").read())
outputs = {f"{stem}.md": open(f"{stem}.md", encoding="utf-8").read(), f"{stem}.html": "\n".join(page.parts)}
with zipfile.ZipFile(f"{stem}.docx") as docx:
    for name in docx.namelist():
        if name.endswith((".xml", ".rels")):  # the text and attribute values of every XML part
            root = ElementTree.fromstring(docx.read(name))
            values = [v for e in root.iter() for v in (e.text, e.tail, *e.attrib.values()) if v]
            outputs[f"{stem}.docx:{name}"] = "\n".join(values)
leaks = sorted((w, name) for w in secret for name, text in outputs.items() if w in text)
if leaks:
    sys.exit(f"withheld text found in a release: {leaks[:5]}")
print(f"checked {len(secret)} withheld words against {len(outputs)} files and DOCX parts: none released")
PY
