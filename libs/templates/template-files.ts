/** The template files shipped with tminus (libs/templates/data), read from disk once by whoever serves them. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../domain';
import { readTemplate, type CongressTemplate } from './congress-template';

/**
 * The data folder beside this module's source: under ts-jest that is this folder, from the build (`dist/libs/…`)
 * it is the same path in the source tree, which the Dockerfile copies along.
 */
export function templatesDir(): string {
  const candidates = [path.join(__dirname, 'data'), path.join(__dirname, '../../../libs/templates/data')];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`template folder not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Every template in `dir`, checked; a broken file stops the caller with its issues, file and line. */
export function loadTemplates(dir = templatesDir()): CongressTemplate[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const reading = readTemplate(readFileSync(path.join(dir, file), 'utf8'), file);
      if (!reading.template) throw invalidInput(reading.issues.map((i) => ({ ...i, path: `${file}: ${i.path}` })));
      if (reading.template.id !== file.replace(/\.yaml$/, '')) {
        throw invalidInput([
          { path: `${file}: id`, message: `must be "${file.replace(/\.yaml$/, '')}", the file's name` },
        ]);
      }
      return reading.template;
    });
}
