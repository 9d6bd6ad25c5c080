/**
 * The cookbook's catalog (recipes/catalog.json) as the recipe tests see it: its type, where it
 * is, the seed's sections it must follow, and a validator that lists every problem found.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Recipe, RecipeSection } from '../../extension/host/recipeCatalog';

export type { RecipeSection };

export interface RecipeExpect {
  /** Names of the threads the main process starts besides MainThread, in any order. */
  threads?: string[];
  /** Python programs the run executes, the main one included (default start method). */
  processes?: number;
}

/** A catalog entry: what the extension reads, plus what the tests expect of the run. */
export interface RecipeEntry extends Recipe {
  expect: RecipeExpect;
}

/** The seed's 22 sections in its order: its heading, and the title our recipe shows. */
export const SEED_SECTIONS: ReadonlyArray<{ heading: string; title: string }> = [
  { heading: 'Executing a process from a script', title: 'Executing a process from a script' },
  { heading: 'Defining a thread', title: 'Defining a thread' },
  { heading: 'Determining the current thread', title: 'Determining the current thread' },
  { heading: 'Using thread in subclass', title: 'Using a thread in a subclass' },
  { heading: 'Thread synchronization with lock', title: 'Thread synchronization with a lock' },
  { heading: 'Thread synchronization with Rlock', title: 'Thread synchronization with an RLock' },
  { heading: 'Thread synchronization with semaphores', title: 'Thread synchronization with semaphores' },
  { heading: 'Thread synchronization with a condition', title: 'Thread synchronization with a condition' },
  { heading: 'Thread synchronization with an event', title: 'Thread synchronization with an event' },
  { heading: 'Using the with event', title: 'Using the with statement' },
  { heading: 'Thread communication using a queue', title: 'Thread communication using a queue' },
  {
    heading: 'Evaluating the performance of multithread applications',
    title: 'Evaluating the performance of multithread applications',
  },
  { heading: 'Spawning a process', title: 'Spawning a process' },
  { heading: 'Naming a process', title: 'Naming a process' },
  { heading: 'Running process in the background', title: 'Running a process in the background' },
  { heading: 'Killing a process', title: 'Killing a process' },
  { heading: 'Using a process in a subclass', title: 'Using a process in a subclass' },
  { heading: 'Exchanging objects between processes', title: 'Exchanging objects between processes' },
  { heading: 'Synchronizing processes', title: 'Synchronizing processes' },
  { heading: 'Managing a state between processes', title: 'Managing a state between processes' },
  { heading: 'Using a process pool', title: 'Using a process pool' },
  { heading: 'Using a Thread pool', title: 'Using a thread pool' },
];

export const EXTRA_RECIPES = 5;
export const SECTIONS: ReadonlyArray<RecipeSection> = ['Threads', 'Processes', 'Beyond the seed'];
/** Other code refers to these ids. */
export const REQUIRED_IDS = ['defining-a-thread', 'thread-synchronization-with-a-lock'];

const FIELDS = [
  'id',
  'title',
  'section',
  'file',
  'description',
  'demonstrates',
  'lookFor',
  'seedSection',
  'seedBug',
  'expectsDeadlock',
  'expect',
];

/** The repository root: the nearest directory above `from` that has recipes/catalog.json. */
export function repoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'recipes', 'catalog.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no recipes/catalog.json above ${from}`);
    dir = parent;
  }
}

export function recipesDir(): string {
  return path.join(repoRoot(), 'recipes');
}

/** The catalog as parsed JSON; validate it with `validateCatalog` before trusting its shape. */
export function readCatalog(): unknown {
  return JSON.parse(fs.readFileSync(path.join(recipesDir(), 'catalog.json'), 'utf8'));
}

/** The seed's section headings (## and ###, outside code blocks, the part headings skipped). */
export function seedHeadings(seedFile: string): string[] {
  const text = fs.readFileSync(seedFile, 'utf8');
  const skip = new Set(['Threads', 'Process-Based Parallelism']);
  const out: string[] = [];
  let inCode = false;
  for (const line of text.slice(text.indexOf('<!--te-->')).split(/\r?\n/)) {
    if (line.startsWith('```')) inCode = !inCode;
    const m = /^#{2,3} (.+?)\s*$/.exec(line);
    if (!inCode && m && !skip.has(m[1])) out.push(m[1]);
  }
  return out;
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

function sentences(text: string): number {
  // Sentence ends: ".", "!" or "?" followed by a space or the end (so not "3.10" or "file.py,").
  return (text.match(/[.!?](?=\s+\S|\s*$)/g) ?? []).length;
}

/** Every problem with the catalog, as readable messages; [] when it is right. */
export function validateCatalog(catalog: unknown, dir: string): string[] {
  const errors: string[] = [];
  if (!Array.isArray(catalog)) return ['catalog.json is not an array'];
  const expectedCount = SEED_SECTIONS.length + EXTRA_RECIPES;
  if (catalog.length !== expectedCount) errors.push(`${catalog.length} recipes, expected ${expectedCount}`);
  const ids = new Set<string>();
  const files = new Set<string>();
  catalog.forEach((raw: unknown, i: number) => {
    const at = `recipe #${i}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      errors.push(`${at} is not an object`);
      return;
    }
    const r = raw as Record<string, unknown>;
    const keys = Object.keys(r).sort();
    if (keys.join() !== [...FIELDS].sort().join()) {
      errors.push(`${at} has fields [${keys.join(', ')}], expected [${FIELDS.join(', ')}]`);
    }
    const id = isNonEmptyString(r.id) ? r.id : `#${i}`;
    const where = `recipe ${id}`;
    if (!isNonEmptyString(r.id) || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(r.id)) errors.push(`${where}: id is not kebab-case`);
    else if (ids.has(r.id)) errors.push(`${where}: duplicate id`);
    else ids.add(r.id);
    for (const f of ['title', 'description', 'demonstrates', 'lookFor']) {
      if (!isNonEmptyString(r[f])) errors.push(`${where}: ${f} must be a non-empty string`);
    }
    if (isNonEmptyString(r.description) && /\n/.test(r.description)) errors.push(`${where}: description is not one line`);
    if (isNonEmptyString(r.demonstrates) && (sentences(r.demonstrates) < 1 || sentences(r.demonstrates) > 2)) {
      errors.push(`${where}: demonstrates should be one or two sentences`);
    }
    if (isNonEmptyString(r.lookFor) && (sentences(r.lookFor) < 2 || sentences(r.lookFor) > 3)) {
      errors.push(`${where}: lookFor should be two or three sentences`);
    }
    if (!SECTIONS.includes(r.section as RecipeSection)) errors.push(`${where}: bad section ${JSON.stringify(r.section)}`);
    if (!isNonEmptyString(r.file) || !/^[a-z0-9_/]+\.py$/.test(r.file) || r.file.includes('..')) {
      errors.push(`${where}: file must be a .py path relative to recipes/`);
    } else if (!fs.existsSync(path.join(dir, r.file))) errors.push(`${where}: ${r.file} does not exist`);
    else if (files.has(r.file)) errors.push(`${where}: ${r.file} is used by another recipe`);
    else files.add(r.file);
    if (r.seedSection !== null && !isNonEmptyString(r.seedSection)) errors.push(`${where}: seedSection must be a string or null`);
    if (r.seedBug !== null && !isNonEmptyString(r.seedBug)) errors.push(`${where}: seedBug must be a string or null`);
    if (isNonEmptyString(r.seedBug) && sentences(r.seedBug) !== 1) errors.push(`${where}: seedBug should be one sentence`);
    if (typeof r.expectsDeadlock !== 'boolean') errors.push(`${where}: expectsDeadlock must be a boolean`);
    const e = r.expect;
    if (typeof e !== 'object' || e === null || Array.isArray(e)) errors.push(`${where}: expect must be an object`);
    else {
      const ex = e as Record<string, unknown>;
      for (const k of Object.keys(ex)) if (k !== 'threads' && k !== 'processes') errors.push(`${where}: unknown expect.${k}`);
      if ('threads' in ex) {
        const t = ex.threads;
        if (!Array.isArray(t) || !t.every(isNonEmptyString)) errors.push(`${where}: expect.threads must be an array of names`);
        else if (new Set(t).size !== t.length) errors.push(`${where}: expect.threads has duplicates`);
        else if (t.includes('MainThread')) errors.push(`${where}: expect.threads must not list MainThread`);
      }
      if ('processes' in ex && !(Number.isInteger(ex.processes) && (ex.processes as number) >= 1)) {
        errors.push(`${where}: expect.processes must be an integer >= 1`);
      }
    }
    // The seed's sections first, in the seed's order, with their headings and our titles.
    const seed = SEED_SECTIONS[i];
    if (seed) {
      if (r.seedSection !== seed.heading) errors.push(`${where}: seedSection should be ${JSON.stringify(seed.heading)}`);
      if (r.title !== seed.title) errors.push(`${where}: title should be ${JSON.stringify(seed.title)}`);
      if (r.section === 'Beyond the seed') errors.push(`${where}: a seed recipe cannot be "Beyond the seed"`);
    } else {
      if (r.seedSection !== null) errors.push(`${where}: an extra recipe has seedSection null`);
      if (r.seedBug !== null) errors.push(`${where}: an extra recipe has seedBug null`);
      if (r.section !== 'Beyond the seed') errors.push(`${where}: an extra recipe is in "Beyond the seed"`);
    }
  });
  for (const id of REQUIRED_IDS) if (!ids.has(id)) errors.push(`missing required id ${id}`);
  const deadlocks = catalog.filter((r) => (r as Record<string, unknown>)?.expectsDeadlock === true).length;
  if (deadlocks !== 1) errors.push(`${deadlocks} recipes expect a deadlock, expected exactly 1`);
  return errors;
}
