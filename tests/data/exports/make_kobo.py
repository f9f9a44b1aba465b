"""KoboToolbox's exports of the three submissions, made by KoboToolbox's own code.

    python make_kobo.py KPI_DIR FORM.xlsx OUT_DIR

Run it in a throwaway virtualenv holding kobotoolbox/formpack and its requirements
(pyxform 3.0.0, as KPI pins it); KPI_DIR is a checkout of kobotoolbox/kpi. Nothing of
either project is copied here; this script drives them:

- the form: read as KPI imports an XLSForm (pyxform's `xls_to_dict`, then formpack's
  `expand_content` and `replace_aliases`, as `Asset.adjust_content_on_save` does);
- the stored submissions: each XML instance (`submissions.py`) goes through KoboCAT's
  parser (`_xml_node_to_dict`, `_flatten_dict_nest_repeats`, loaded from KPI_DIR's
  `kobo/apps/openrosa/apps/logger/xform_instance_parser.py`), then gets the metadata
  `ParsedInstance.to_dict_for_mongo` adds and the changes the v2 API makes before
  answering (`_inject_properties`);
- the API JSON: the `/api/v2/assets/<uid>/data/?format=json` page shape;
- the XLSX and CSV files: formpack's `Export.to_xlsx` / `to_csv` with the options
  `SubmissionExportTask._build_export_options` builds from the export screen's choices
  (defaults of `jsapp/js/components/projectDownloads/exportsConstants.ts`).
"""

from __future__ import annotations

import ast
import copy
import json
import sys
from collections import OrderedDict
from datetime import UTC, datetime
from pathlib import Path
from xml.dom import Node, minidom

import formpack
from formpack.constants import UNSPECIFIED_TRANSLATION
from formpack.schema.fields import (
    IdCopyField,
    NotesCopyField,
    SubmissionTimeCopyField,
    TagsCopyField,
    ValidationStatusCopyField,
)
from formpack.utils.expand_content import expand_content
from formpack.utils.replace_aliases import replace_aliases
from pyxform import xls2json_backends

sys.path.insert(0, str(Path(__file__).resolve().parent))
from submissions import SUBMISSIONS, edited, instance_xml  # noqa: E402

ASSET_UID = "aJ7mQk2wXp9sLr4Tn6Vb3c"  # a KPI asset uid (the deployed form's id_string)
VERSION_UID = "vR5tHc8mWq2LzN4pYs7Kd9"  # a KPI asset version uid (the `__version__` field)
FORMHUB_UUID = "4c1d2e3f5a6b4c7d8e9f0a1b2c3d4e5f"
SERVER = "https://kf.kobotoolbox.org"
FIRST_ID = 401523871  # Mongo/PostgreSQL ids of the submissions
VALIDATION = {
    # kobo/apps/openrosa/apps/logger/utils/instance.py get_validation_status
    "approved": {
        "timestamp": 1417699200,
        "uid": "validation_status_approved",
        "by_whom": "unite_genre",
        "label": "Approved",
    }
}
# kpi/models/import_export_task.py SubmissionExportTaskBase.COPY_FIELDS
COPY_FIELDS = (
    IdCopyField,
    "_uuid",
    SubmissionTimeCopyField,
    ValidationStatusCopyField,
    NotesCopyField,
    "_status",
    "_submitted_by",
    "__version__",
    TagsCopyField,
    "meta/rootUuid",
)
INFERRED_VERSION_ID_KEY = "__inferred_version__"  # kobo/apps/reports/constants.py


def kobocat_parser(kpi: Path) -> dict:
    """KoboCAT's XML → stored-submission functions, loaded from the KPI checkout."""
    source = (kpi / "kobo/apps/openrosa/apps/logger/xform_instance_parser.py").read_text()
    wanted = {
        "_xml_node_to_dict",
        "_flatten_dict_nest_repeats",
        "_gather_parent_node_list",
        "xpath_from_xml_node",
    }
    tree = ast.parse(source)
    module = ast.Module(
        body=[n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in wanted],
        type_ignores=[],
    )
    namespace: dict = {"Node": Node}
    exec(compile(module, "xform_instance_parser.py", "exec"), namespace)  # noqa: S102
    return namespace


def stored(parser: dict, sub: dict, number: int) -> dict:
    """The submission as KoboCAT stores it and the v2 API returns it."""
    xml = instance_xml(
        sub,
        root=ASSET_UID,
        form_id=ASSET_UID,
        version=VERSION_UID,
        head=f"<formhub><uuid>{FORMHUB_UUID}</uuid></formhub>",
        tail=f"<__version__>{VERSION_UID}</__version__>",
        root_uuid=True,
    )
    root = minidom.parseString(xml).documentElement
    nested = parser["_xml_node_to_dict"](root, ["attendees"])
    doc: dict = {}
    for path, value in parser["_flatten_dict_nest_repeats"](nested, []):
        doc["/".join(path[1:])] = value
    doc["_xform_id_string"] = ASSET_UID
    received = datetime.fromisoformat(sub["received"].replace("Z", "+00:00"))
    root_uuid = sub.get("root", sub["uuid"])
    # ParsedInstance.to_dict_for_mongo
    doc.update(
        {
            "_uuid": sub["uuid"],
            "meta/rootUuid": f"uuid:{root_uuid}",
            "_id": FIRST_ID + number,
            "_attachments": [],
            "_status": "submitted_via_web",
            "_geolocation": [None, None],
            "_submission_time": received.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "_validation_status": copy.deepcopy(VALIDATION.get(sub["review"] or "", {})),
            "_submitted_by": sub["submitter"],
        }
    )
    # BaseDeploymentBackend._inject_properties
    doc["_validation_status"] = doc.get("_validation_status") or {}
    doc.pop("_tags", None)
    doc.pop("_notes", None)
    return doc


def content_of(form: Path) -> dict:
    """The asset's content, as KPI makes it from an uploaded XLSForm."""
    with open(form, "rb") as fh:  # _b64_xls_to_dict: xlsx_to_dict for an .xlsx
        content = xls2json_backends.xlsx_to_dict(fh)
    content = {k: v for k, v in content.items() if not k.endswith("_header")}
    settings = {}
    for item in content.get("settings", []):
        settings.update(item)
    content["settings"] = settings
    expand_content(content, in_place=True)
    replace_aliases(content, in_place=True)
    for row in content["survey"]:
        if "name" in row:
            row["$autoname"] = row["name"]
    content["survey"] = [r for r in content["survey"] if r.get("name") != "__version__"]
    settings.pop("version", None)
    return content


def pack_of(content: dict) -> formpack.FormPack:
    title = content["settings"].pop("form_title", "musow")
    schema = {"content": content, "version": VERSION_UID, "version_id_key": INFERRED_VERSION_ID_KEY}
    return formpack.FormPack(versions=[schema], title=title, id_string=ASSET_UID)


def export_options(pack: formpack.FormPack, **chosen: object) -> dict:
    """SubmissionExportTaskBase._build_export_options for the export screen's choices."""
    data = {
        # exportsConstants.ts DEFAULT_EXPORT_SETTINGS, and the form's default language
        "lang": next(iter(pack.available_translations)),
        "group_sep": "/",
        "multiple_select": "both",
        "hierarchy_in_labels": False,
        "fields_from_all_versions": True,
        "xls_types_as_text": False,
        "include_media_url": True,
    }
    data.update(chosen)
    lang = {"_default": None, "_xml": UNSPECIFIED_TRANSLATION}.get(data["lang"], data["lang"])
    return {
        "versions": pack.versions.keys(),
        "group_sep": data["group_sep"],
        "multiple_select": data["multiple_select"],
        "lang": lang,
        "hierarchy_in_labels": data["hierarchy_in_labels"],
        "copy_fields": COPY_FIELDS,
        "force_index": True,
        "tag_cols_for_header": ["hxl"],
        "filter_fields": [],
        "xls_types_as_text": data["xls_types_as_text"],
        "include_media_url": data["include_media_url"],
    }


def stream(docs: list[dict]) -> list[dict]:
    """build_formpack's submission stream: each submission gets its inferred version."""
    result = []
    for doc in docs:
        doc = copy.deepcopy(doc)
        doc[INFERRED_VERSION_ID_KEY] = VERSION_UID
        result.append(doc)
    return result


def api_page(docs: list[dict], limit: int = 100, start: int = 0) -> dict:
    base = f"{SERVER}/api/v2/assets/{ASSET_UID}/data/?format=json"
    nxt = f"{base}&limit={limit}&start={start + limit}" if start + limit < len(docs) else None
    prev = None
    if start:
        prev = f"{base}&limit={limit}" + (f"&start={start - limit}" if start > limit else "")
    return OrderedDict(
        [
            ("count", len(docs)),
            ("next", nxt),
            ("previous", prev),
            ("results", docs[start : start + limit]),
        ]
    )


def main() -> None:
    kpi, form, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    parser = kobocat_parser(kpi)
    before = [stored(parser, s, n) for n, s in enumerate(SUBMISSIONS)]
    after = [stored(parser, s, n) for n, s in enumerate(edited(SUBMISSIONS))]
    pack = pack_of(content_of(form))
    langs = list(pack.available_translations)

    def xlsx(name: str, docs: list[dict], **chosen: object) -> None:
        export = pack.export(**export_options(pack, **chosen))
        export.to_xlsx(str(out / name), stream(docs))

    def csv(name: str, docs: list[dict], **chosen: object) -> None:
        export = pack.export(**export_options(pack, **chosen))
        with open(out / name, "wb") as fh:
            for line in export.to_csv(stream(docs)):
                fh.write((line + "\r\n").encode("utf-8"))

    def api(name: str, page: dict) -> None:
        text = json.dumps(page, ensure_ascii=False, separators=(",", ":"))
        (out / name).write_text(text, encoding="utf-8")

    # The export screen's defaults: XLS, labels in the form's default language (French),
    # groups not in the headers, multiple choices "single and separate columns".
    xlsx("kobo-labels-fr.xlsx", before)
    xlsx("kobo-labels-en.xlsx", before, lang=langs[1])
    xlsx("kobo-xml-groups.xlsx", before, lang="_xml", hierarchy_in_labels=True)
    xlsx("kobo-xml-details.xlsx", before, lang="_xml", multiple_select="details")
    xlsx("kobo-labels-dot.xlsx", before, hierarchy_in_labels=True, group_sep=".")
    csv("kobo-labels-fr.csv", before)
    api("kobo-api.json", api_page(before))
    api("kobo-api-page1.json", api_page(before, limit=2))
    # After the edit on the server.
    xlsx("kobo-edited-labels-fr.xlsx", after)
    api("kobo-edited-api.json", api_page(after))


if __name__ == "__main__":
    main()
