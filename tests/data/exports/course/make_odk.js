// ODK Central's CSV exports of the course test's submissions, made by Central's own code.
//
// node make_odk.js CENTRAL_DIR FORM.xml RECORDS.json RECORDS_BAD.json OUT_DIR
//
// As ../make_odk.js (lib/data/schema.js reads the form's fields, lib/data/briefcase.js
// writes the CSV files, lib/util/zip.js the .csv.zip, as the /submissions.csv(.zip)
// endpoints do). RECORDS*.json come from `python3 course_submissions.py VERSION [bad]`.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { Readable } = require('node:stream');

const [central, formPath, recordsPath, badPath, outDir] = process.argv.slice(2);
const { getFormFields } = require(path.join(central, 'lib/data/schema'));
const { streamBriefcaseCsvs } = require(path.join(central, 'lib/data/briefcase'));
const { zipStreamFromParts } = require(path.join(central, 'lib/util/zip'));

const FORM = 'musow_course_genre-maintien-paix-induction';

class Field {
  constructor(data) { Object.assign(this, data); }
  with(other) { return new Field({ ...this, ...other }); }
  isStructural() { return this.type === 'structure' || this.type === 'repeat'; }
}

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

const write = (stream, file) => new Promise((resolve, reject) => {
  const out = fs.createWriteStream(path.join(outDir, file));
  stream.on('error', reject);
  out.on('error', reject);
  out.on('finish', resolve);
  stream.pipe(out);
});

const csvZip = (fields, records, options) => zipStreamFromParts(
  streamBriefcaseCsvs(Readable.from(records.map(row)), fields, FORM, null, null, false, options)
);

const csvOnly = (fields, records, options) => streamBriefcaseCsvs(
  Readable.from(records.map(row)), fields, FORM, null, null, true, options
).pipeline((err) => { if (err) throw err; });

(async () => {
  const xml = fs.readFileSync(formPath, 'utf8');
  const fields = (await getFormFields(xml)).map((f) => new Field(f));
  const records = JSON.parse(fs.readFileSync(recordsPath, 'utf8'));
  const bad = JSON.parse(fs.readFileSync(badPath, 'utf8'));
  // "Download all data" with the export screen's defaults, and the main table alone.
  await write(csvZip(fields, records, { groupPaths: true }), 'odk-course.csv.zip');
  await write(csvOnly(fields, records, { groupPaths: true }), 'odk-course.csv');
  await write(csvZip(fields, bad, { groupPaths: true }), 'odk-course-bad.csv.zip');
})().catch((err) => { console.error(err); process.exit(1); });
