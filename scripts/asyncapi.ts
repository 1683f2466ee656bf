/**
 * Writes the feed's AsyncAPI document (libs/integration/src/asyncapi/asyncapi.json) from the
 * domain's event types; `--check` fails when the file is out of date instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  ASYNCAPI_FILE,
  renderAsyncApiDocument,
} from '@samverkan/integration/asyncapi/generate-asyncapi';

function main(): void {
  const rendered = renderAsyncApiDocument();
  if (process.argv.includes('--check')) {
    if (readFileSync(ASYNCAPI_FILE, 'utf8') !== rendered) {
      process.stderr.write(`${ASYNCAPI_FILE} is out of date: run npm run asyncapi\n`);
      process.exit(1);
    }
    process.stdout.write('asyncapi.json is up to date\n');
    return;
  }
  writeFileSync(ASYNCAPI_FILE, rendered);
  process.stdout.write(`wrote ${ASYNCAPI_FILE}\n`);
}

main();
