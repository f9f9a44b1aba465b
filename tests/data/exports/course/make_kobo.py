"""KoboToolbox's exports of the course test's submissions, made by KoboToolbox's own code.

    python make_kobo.py KPI_DIR FORM.xlsx OUT_DIR

As ../make_kobo.py (whose functions it uses: the form read as KPI imports an XLSForm,
each XML instance through KoboCAT's parser, formpack's `Export.to_xlsx` / `to_csv`
with the options of KPI's export screen), for the five submissions of
`course_submissions.py`, and the two refused ones (`BAD`).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from xml.dom import minidom

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from course_submissions import BAD, SUBMISSIONS, instance_xml  # noqa: E402

_spec = importlib.util.spec_from_file_location("activity_kobo", HERE.parent / "make_kobo.py")
assert _spec and _spec.loader
kobo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kobo)


def stored(parser: dict, sub: dict, number: int) -> dict:
    xml = instance_xml(
        sub,
        root=kobo.ASSET_UID,
        form_id=kobo.ASSET_UID,
        version=kobo.VERSION_UID,
        head=f"<formhub><uuid>{kobo.FORMHUB_UUID}</uuid></formhub>",
        tail=f"<__version__>{kobo.VERSION_UID}</__version__>",
    )
    root = minidom.parseString(xml).documentElement
    nested = parser["_xml_node_to_dict"](root, [])
    doc: dict = {}
    for path, value in parser["_flatten_dict_nest_repeats"](nested, []):
        doc["/".join(path[1:])] = value
    doc["_xform_id_string"] = kobo.ASSET_UID
    sub = {**sub, "review": None}
    # ParsedInstance.to_dict_for_mongo and _inject_properties, as ../make_kobo.py does.
    doc.update(
        {
            "_uuid": sub["uuid"],
            "meta/rootUuid": f"uuid:{sub['uuid']}",
            "_id": kobo.FIRST_ID + 100 + number,
            "_attachments": [],
            "_status": "submitted_via_web",
            "_geolocation": [None, None],
            "_submission_time": sub["received"][:19],
            "_validation_status": {},
            "_submitted_by": sub["submitter"],
        }
    )
    return doc


def main() -> None:
    kpi, form, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    parser = kobo.kobocat_parser(kpi)
    good = [stored(parser, s, n) for n, s in enumerate(SUBMISSIONS)]
    bad = [stored(parser, s, n) for n, s in enumerate(BAD)]
    pack = kobo.pack_of(kobo.content_of(form))
    langs = list(pack.available_translations)

    def xlsx(name: str, docs: list[dict], **chosen: object) -> None:
        export = pack.export(**kobo.export_options(pack, **chosen))
        export.to_xlsx(str(out / name), kobo.stream(docs))

    def csv(name: str, docs: list[dict], **chosen: object) -> None:
        export = pack.export(**kobo.export_options(pack, **chosen))
        with open(out / name, "wb") as fh:
            for line in export.to_csv(kobo.stream(docs)):
                fh.write((line + "\r\n").encode("utf-8"))

    # The export screen's defaults (XLS, labels in French, the form's default language).
    xlsx("kobo-course-labels-fr.xlsx", good)
    xlsx("kobo-course-labels-en.xlsx", good, lang=langs[1])
    xlsx("kobo-course-xml.xlsx", good, lang="_xml")
    csv("kobo-course-labels-fr.csv", good)
    csv("kobo-course-xml.csv", good, lang="_xml")
    xlsx("kobo-course-bad-labels-fr.xlsx", bad)


if __name__ == "__main__":
    main()
