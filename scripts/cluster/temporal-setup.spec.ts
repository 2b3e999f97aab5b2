import { readFileSync } from 'node:fs';
import path from 'node:path';
import { devServerSearchAttributeFlags } from '../../libs/contracts/search-attributes';

/** `Name=Type` pairs from the SEARCH_ATTRIBUTES block of temporal-setup.sh (one `Type Name Name…` line per type). */
function scriptSearchAttributes(): string[] {
  const script = readFileSync(path.join(__dirname, 'temporal-setup.sh'), 'utf8');
  const block = /SEARCH_ATTRIBUTES="([^"]*)"/.exec(script)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((words) => words[0] !== '')
    .flatMap(([type, ...names]) => names.map((name) => `${name}=${type}`));
}

describe('temporal-setup.sh (the admin-tools job and the cluster test)', () => {
  const contract = devServerSearchAttributeFlags().filter((flag) => flag !== '--search-attribute');

  it('registers exactly the search attributes of libs/contracts, with the same types', () => {
    expect(scriptSearchAttributes().sort()).toEqual([...contract].sort());
  });

  it('stays within SQL visibility’s three KeywordList attributes', () => {
    expect(contract.filter((pair) => pair.endsWith('=KeywordList')).length).toBeLessThanOrEqual(3);
  });
});
