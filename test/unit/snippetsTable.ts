/**
 * Reads snippets/python.json and renders the README's snippet table from it, so the table can
 * never drift from the file: a unit test compares the README with `renderSnippetsTable`.
 *
 *   node out/test/unit/snippetsTable.js           prints the table
 *   node out/test/unit/snippetsTable.js --write   rewrites it in README.md, between the markers
 */
import * as fs from 'fs';
import * as path from 'path';
import type { SnippetBody } from './snippetExpand';

export const REPO = path.resolve(__dirname, '..', '..', '..'); // out/test/unit -> repo
export const SNIPPETS_FILE = path.join(REPO, 'snippets', 'python.json');
export const README_FILE = path.join(REPO, 'README.md');
export const TABLE_START = '<!-- snippets-table:start -->';
export const TABLE_END = '<!-- snippets-table:end -->';

export interface SnippetEntry {
  /** The JSON key: what `editor.action.insertSnippet` calls `name`. */
  name: string;
  prefixes: string[];
  body: SnippetBody;
  description: string;
}

/** The raw JSON of a snippet file (a map of name -> definition), before any validation. */
export type SnippetFile = Record<string, { prefix?: unknown; body?: unknown; description?: unknown }>;

export function readSnippetFile(file = SNIPPETS_FILE): SnippetFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SnippetFile;
}

/** Snippets in file order, with `prefix` normalised to an array. Throws on a malformed entry. */
export function readSnippets(file = SNIPPETS_FILE): SnippetEntry[] {
  return Object.entries(readSnippetFile(file)).map(([name, s]) => {
    const prefixes = typeof s.prefix === 'string' ? [s.prefix] : s.prefix;
    if (!Array.isArray(prefixes) || !prefixes.every((p) => typeof p === 'string')) {
      throw new Error(`snippet "${name}": prefix must be a string or an array of strings`);
    }
    const body = s.body;
    const bodyOk = typeof body === 'string' || (Array.isArray(body) && body.every((l) => typeof l === 'string'));
    if (!bodyOk) throw new Error(`snippet "${name}": body must be a string or an array of strings`);
    if (typeof s.description !== 'string') throw new Error(`snippet "${name}": description must be a string`);
    return { name, prefixes: prefixes as string[], body: body as SnippetBody, description: s.description };
  });
}

/** Markdown table cell: pipes would end the cell, newlines the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** The table between the README markers (without the markers). */
export function renderSnippetsTable(snippets: readonly SnippetEntry[]): string {
  const rows = snippets.map(
    (s) => `| ${s.prefixes.map((p) => '`' + p + '`').join(' ')} | ${cell(s.name)} | ${cell(s.description)} |`,
  );
  return ['| Prefix | Name | What it inserts |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The text currently between the markers in `readme`, trimmed; throws if a marker is missing. */
export function readmeTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks ${TABLE_START} ... ${TABLE_END}`);
  return readme.slice(start + TABLE_START.length, end).trim();
}

/** `readme` with the text between the markers replaced by `table`; nothing else changes. */
export function withReadmeTable(readme: string, table: string): string {
  readmeTable(readme); // validates the markers
  const start = readme.indexOf(TABLE_START) + TABLE_START.length;
  const end = readme.indexOf(TABLE_END);
  return `${readme.slice(0, start)}\n${table}\n${readme.slice(end)}`;
}

if (require.main === module) {
  const table = renderSnippetsTable(readSnippets());
  if (process.argv.includes('--write')) {
    const readme = fs.readFileSync(README_FILE, 'utf8');
    fs.writeFileSync(README_FILE, withReadmeTable(readme, table));
    console.log(`README.md: snippet table rewritten (${readSnippets().length} snippets)`);
  } else {
    console.log(table);
  }
}
