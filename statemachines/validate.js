// Validates every *.asl.json in this folder with asl-validator; exits non-zero naming each invalid file.
// Run by the Maven build (root pom.xml, validate phase) after `npm ci`.
const fs = require('fs');
const path = require('path');
const { default: aslValidator } = require('asl-validator');
const validate = typeof aslValidator === 'function' ? aslValidator : require('asl-validator');

const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.asl.json')).sort();
if (files.length === 0) {
  console.error('no *.asl.json files found in ' + __dirname);
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  let definition;
  try {
    definition = JSON.parse(fs.readFileSync(path.join(__dirname, file), 'utf8'));
  } catch (e) {
    console.error(`✗ ${file}: not valid JSON: ${e.message}`);
    failed++;
    continue;
  }
  const { isValid, errors } = validate(definition);
  if (isValid) {
    console.log(`✓ ${file} is valid`);
  } else {
    failed++;
    console.error(`✗ ${file}:`);
    for (const error of errors) console.error('  ' + JSON.stringify(error));
  }
}
process.exit(failed === 0 ? 0 : 1);
