// ODK Central's CSV exports of the three submissions, made by Central's own export code.
//
// node make_odk.js CENTRAL_DIR FORM.xml RECORDS.json RECORDS_EDITED.json OUT_DIR
//
// CENTRAL_DIR is a checkout of getodk/central-backend; its lib/data/schema.js reads the
// form's fields, lib/data/submission.js the values of its multiple choices (what Central
// stores at submission time for "split select multiples"), lib/data/briefcase.js writes
// the CSV files and lib/util/zip.js the .csv.zip, exactly as the /submissions.csv(.zip)
// endpoints do (lib/resources/submissions.js). RECORDS*.json come from
// `python3 submissions.py FORM_ID VERSION [edited]`. Nothing here is Central's code.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { Readable } = require('node:stream');

const [central, formPath, recordsPath, editedPath, outDir] = process.argv.slice(2);
const { getFormFields } = require(path.join(central, 'lib/data/schema'));
const { getSelectMultipleResponses } = require(path.join(central, 'lib/data/submission'));
const { streamBriefcaseCsvs } = require(path.join(central, 'lib/data/briefcase'));
const { zipStreamFromParts } = require(path.join(central, 'lib/util/zip'));

// Central stores fields as Form.Field frames; this is the part of them the export uses.
class Field {
  constructor(data) { Object.assign(this, data); }
  with(other) { return new Field({ ...this, ...other }); }
  isStructural() { return this.type === 'structure' || this.type === 'repeat'; }
}

// A database row of Submissions.streamForExport, as briefcase.js reads it.
const row = (r) => ({
  instanceId: r.instanceId,
  createdAt: new Date(r.createdAt),
  reviewState: r.reviewState,
  deviceId: r.deviceId,
  def: { localKey: null },
  xml: r.xml,
  aux: {
    attachment: { present: 0, expected: 0 },
    encryption: {},
    edit: { count: r.edits },
    exports: { formVersion: r.formVersion },
    submitter: { id: r.submitter.id, displayName: r.submitter.name },
  },
});

// Submissions.getSelectMultipleValuesForExport: every value seen, by path, sorted.
const selectValues = async (fields, records) => {
  const multiple = fields.filter((f) => f.selectMultiple === true);
  const seen = {};
  for (const r of records) {
    const values = await getSelectMultipleResponses(multiple, r.xml);
    for (const [p, set] of Object.entries(values)) {
      seen[p] = seen[p] || new Set();
      for (const v of set) seen[p].add(v);
    }
  }
  const result = {};
  for (const p of Object.keys(seen).sort()) result[p] = [...seen[p]].sort();
  return result;
};

const write = (stream, file) => new Promise((resolve, reject) => {
  const out = fs.createWriteStream(path.join(outDir, file));
  stream.on('error', reject);
  out.on('error', reject);
  out.on('finish', resolve);
  stream.pipe(out);
});

const csvZip = (fields, records, values, options) => zipStreamFromParts(
  streamBriefcaseCsvs(Readable.from(records.map(row)), fields, 'musow_activities', values, null, false, options)
);

const csvOnly = (fields, records, values, options) => streamBriefcaseCsvs(
  Readable.from(records.map(row)), fields, 'musow_activities', values, null, true, options
).pipeline((err) => { if (err) throw err; });

(async () => {
  const xml = fs.readFileSync(formPath, 'utf8');
  const fields = (await getFormFields(xml)).map((f) => new Field(f));
  const records = JSON.parse(fs.readFileSync(recordsPath, 'utf8'));
  const edited = JSON.parse(fs.readFileSync(editedPath, 'utf8'));
  const values = await selectValues(fields, records);
  const valuesEdited = await selectValues(fields, edited);
  // The export screen's defaults: group names in the headers, multiple choices in one column.
  await write(csvZip(fields, records, null, { groupPaths: true }), 'odk.csv.zip');
  await write(csvZip(fields, edited, null, { groupPaths: true }), 'odk-edited.csv.zip');
  // The main table alone (…/submissions.csv), with and without group names, split choices.
  await write(csvOnly(fields, records, values, { groupPaths: true }), 'odk-main-split.csv');
  await write(csvOnly(fields, records, null, { groupPaths: false }), 'odk-main-nogroups.csv');
  await write(csvOnly(fields, edited, valuesEdited, { groupPaths: true }), 'odk-main-split-edited.csv');
})().catch((err) => { console.error(err); process.exit(1); });
