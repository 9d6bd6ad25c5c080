/**
 * Expands a VS Code snippet body into the text VS Code inserts, so tests can compile and run
 * snippets exactly as a user gets them without starting an editor.
 *
 * Follows the TextMate/VS Code snippet grammar as VS Code's SnippetParser implements it:
 * - `$1`, `${1}`, `${1:default}` (defaults may nest tab stops and variables);
 * - mirrors: every occurrence of a tab stop shows the default of the first occurrence (in
 *   document order, depth first) that has one, or the value `values[n]` the "user typed";
 * - `${1|a,b|}` choices insert one option (the first unless `choices[n]` picks another);
 * - `$0` / `${0}` is the final cursor (empty unless `values[0]` is given);
 * - `$NAME`, `${NAME}`, `${NAME:default}`: a known variable takes its value from `variables`,
 *   or its default when that value is undefined; an unknown variable without a default
 *   becomes a placeholder showing its own name (VS Code's rule for "bogus" variables);
 * - `\$`, `\}` and `\\` are literal; any other backslash is kept as is; inside choices `\,`
 *   `\|` and `\\` are literal too;
 * - text that does not complete a construct (`${1:` without `}`, `${`) is literal text.
 * Transforms (`${1/re/fmt/}`) are rejected with an error: no snippet here uses them, and a
 * partial implementation would silently diverge from VS Code.
 */

/** Variable names VS Code resolves itself (snippetVariables.ts); others are "unknown". */
export const KNOWN_VARIABLES: ReadonlySet<string> = new Set([
  'CURRENT_YEAR', 'CURRENT_YEAR_SHORT', 'CURRENT_MONTH', 'CURRENT_DATE', 'CURRENT_HOUR',
  'CURRENT_MINUTE', 'CURRENT_SECOND', 'CURRENT_MILLISECOND', 'CURRENT_DAY_NAME',
  'CURRENT_DAY_NAME_SHORT', 'CURRENT_MONTH_NAME', 'CURRENT_MONTH_NAME_SHORT',
  'CURRENT_SECONDS_UNIX', 'CURRENT_MILLISECONDS_UNIX', 'CURRENT_TIMEZONE_OFFSET',
  'CURRENT_TIMEZONE_NAME', 'SELECTION', 'CLIPBOARD', 'TM_SELECTED_TEXT', 'TM_CURRENT_LINE',
  'TM_CURRENT_WORD', 'TM_LINE_INDEX', 'TM_LINE_NUMBER', 'TM_FILENAME', 'TM_FILENAME_BASE',
  'TM_DIRECTORY', 'TM_DIRECTORY_BASE', 'TM_FILEPATH', 'CURSOR_INDEX', 'CURSOR_NUMBER',
  'RELATIVE_FILEPATH', 'REVERSE_RELATIVE_FILEPATH', 'BLOCK_COMMENT_START', 'BLOCK_COMMENT_END',
  'LINE_COMMENT', 'WORKSPACE_NAME', 'WORKSPACE_FOLDER', 'RANDOM', 'RANDOM_HEX', 'UUID',
]);

export type SnippetNode = TextNode | TabstopNode | VariableNode;

export interface TextNode {
  kind: 'text';
  value: string;
}

export interface TabstopNode {
  kind: 'tabstop';
  index: number;
  children: SnippetNode[];
  /** Present for `${n|a,b|}`. */
  choices?: string[];
}

export interface VariableNode {
  kind: 'variable';
  name: string;
  children: SnippetNode[];
}

export interface ExpandOptions {
  /** Values of known variables; an absent or empty value falls back to the default. */
  variables?: Readonly<Record<string, string | undefined>>;
  /** Tab stop index -> option index for choice tab stops (default 0: the first option). */
  choices?: Readonly<Record<number, number>>;
  /** Tab stop index -> text typed there by the user (all mirrors show it). 0 is the final cursor. */
  values?: Readonly<Record<number, string>>;
}

export interface TabstopSpan {
  index: number;
  /** Offset of this occurrence in the expanded text. */
  offset: number;
  length: number;
}

export interface Expansion {
  text: string;
  /** Every occurrence of every tab stop (including $0), in document order. */
  tabstops: TabstopSpan[];
  /** Offset of the final cursor: `$0`, or the end of the text when the body has none. */
  finalOffset: number;
}

/** A snippet body as package.json snippet files hold it: a string or an array of lines. */
export type SnippetBody = string | readonly string[];

export function bodyText(body: SnippetBody): string {
  return typeof body === 'string' ? body : body.join('\n');
}

// ---------------------------------------------------------------------------------- parsing

/** Parses a body into nodes. Mirrors are not resolved yet (see `expandSnippet`). */
export function parseSnippet(body: SnippetBody): SnippetNode[] {
  const parser = new Parser(bodyText(body));
  return rewriteUnknownVariables(parser.parseUntil(false).nodes);
}

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  /**
   * Parses nodes until the end of input or, when `inside` is true, until an unescaped `}` that
   * closes the enclosing construct. `closed` tells whether that `}` was found.
   */
  parseUntil(inside: boolean): { nodes: SnippetNode[]; closed: boolean } {
    const nodes: SnippetNode[] = [];
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (inside && ch === '}') {
        this.pos++;
        return { nodes, closed: true };
      }
      if (ch === '\\') {
        const next = this.src[this.pos + 1];
        if (next === '$' || next === '}' || next === '\\') {
          pushText(nodes, next);
          this.pos += 2;
        } else {
          pushText(nodes, '\\');
          this.pos++;
        }
        continue;
      }
      if (ch === '$') {
        const parsed = this.parseDollar();
        if (parsed) {
          for (const node of parsed) pushNode(nodes, node);
          continue;
        }
      }
      pushText(nodes, ch);
      this.pos++;
    }
    return { nodes, closed: false };
  }

  /**
   * At a `$`: returns the nodes of the construct it starts, or null (position unchanged) when
   * it starts none and the `$` is plain text.
   */
  private parseDollar(): SnippetNode[] | null {
    const start = this.pos;
    const rest = this.src.slice(start + 1);
    let m = /^(\d+)/.exec(rest);
    if (m) {
      this.pos = start + 1 + m[1].length;
      return [{ kind: 'tabstop', index: Number(m[1]), children: [] }];
    }
    m = /^([_a-zA-Z][_a-zA-Z0-9]*)/.exec(rest);
    if (m) {
      this.pos = start + 1 + m[1].length;
      return [{ kind: 'variable', name: m[1], children: [] }];
    }
    m = /^\{(\d+)/.exec(rest) ?? /^\{([_a-zA-Z][_a-zA-Z0-9]*)/.exec(rest);
    if (!m) return null;
    const key = m[1];
    const isTabstop = /^\d/.test(key);
    const after = start + 1 + m[0].length;
    const next = this.src[after];
    const make = (children: SnippetNode[]): SnippetNode =>
      isTabstop
        ? { kind: 'tabstop', index: Number(key), children }
        : { kind: 'variable', name: key, children };

    if (next === '}') {
      this.pos = after + 1;
      return [make([])];
    }
    if (next === ':') {
      this.pos = after + 1;
      const { nodes, closed } = this.parseUntil(true);
      if (closed) return [make(nodes)];
      // Never closed: VS Code keeps the opening `${n:` as text, followed by what it parsed.
      return [{ kind: 'text', value: '${' + key + ':' }, ...nodes];
    }
    if (next === '|' && isTabstop && Number(key) > 0) {
      const choice = this.parseChoices(after + 1);
      if (!choice) return null;
      this.pos = choice.end;
      return [{ kind: 'tabstop', index: Number(key), children: [], choices: choice.options }];
    }
    if (next === '/') {
      throw new Error(`snippet transforms are not supported (at offset ${start})`);
    }
    return null;
  }

  /** Parses `a,b|}` from `from`; null unless it ends with `|}` and has at least one option. */
  private parseChoices(from: number): { options: string[]; end: number } | null {
    const options: string[] = [];
    let current = '';
    let i = from;
    while (i < this.src.length) {
      const ch = this.src[i];
      if (ch === '\\' && [',', '|', '\\'].includes(this.src[i + 1])) {
        current += this.src[i + 1];
        i += 2;
      } else if (ch === ',' || ch === '|') {
        if (current === '') return null; // VS Code rejects empty options
        options.push(current);
        current = '';
        i++;
        if (ch === '|') {
          return this.src[i] === '}' ? { options, end: i + 1 } : null;
        }
      } else {
        current += ch;
        i++;
      }
    }
    return null;
  }
}

function pushText(nodes: SnippetNode[], value: string): void {
  pushNode(nodes, { kind: 'text', value });
}

/** Appends a node, merging adjacent text so the tree stays canonical (as VS Code's does). */
function pushNode(nodes: SnippetNode[], node: SnippetNode): void {
  const last = nodes[nodes.length - 1];
  if (node.kind === 'text' && last && last.kind === 'text') last.value += node.value;
  else nodes.push(node.kind === 'text' ? { ...node } : node);
}

/** `${foo}` / `$foo` with an unknown name and no default becomes `${N:foo}` (VS Code's rule). */
function rewriteUnknownVariables(nodes: SnippetNode[]): SnippetNode[] {
  let max = 0;
  walk(nodes, (n) => {
    if (n.kind === 'tabstop') max = Math.max(max, n.index);
  });
  const assigned = new Map<string, number>();
  const rewrite = (list: SnippetNode[]): SnippetNode[] =>
    list.map((n) => {
      if (n.kind === 'variable' && n.children.length === 0 && !KNOWN_VARIABLES.has(n.name)) {
        let index = assigned.get(n.name);
        if (index === undefined) {
          index = ++max;
          assigned.set(n.name, index);
        }
        return { kind: 'tabstop', index, children: [{ kind: 'text', value: n.name }] };
      }
      if (n.kind === 'text') return n;
      return { ...n, children: rewrite(n.children) };
    });
  return rewrite(nodes);
}

/** Depth-first, pre-order: the order VS Code uses to pick the defining occurrence of a tab stop. */
function walk(nodes: readonly SnippetNode[], visit: (n: SnippetNode) => void): void {
  for (const n of nodes) {
    visit(n);
    if (n.kind !== 'text') walk(n.children, visit);
  }
}

// -------------------------------------------------------------------------------- expanding

/** Expands a body to the text VS Code inserts at column 0 of an empty document. */
export function expandSnippet(body: SnippetBody, options: ExpandOptions = {}): Expansion {
  const nodes = parseSnippet(body);

  // The first occurrence (pre-order) with a default or choices defines every mirror's value.
  const defining = new Map<number, TabstopNode>();
  walk(nodes, (n) => {
    if (n.kind === 'tabstop' && n.index !== 0 && !defining.has(n.index)) {
      if (n.children.length > 0 || n.choices) defining.set(n.index, n);
    }
  });

  let text = '';
  const tabstops: TabstopSpan[] = [];
  const active = new Set<number>(); // guards against `${1:${1}}`-style self reference

  const renderTabstop = (n: TabstopNode): void => {
    const offset = text.length;
    const typed = options.values?.[n.index];
    if (typed !== undefined) {
      text += typed;
    } else if (n.index === 0) {
      renderAll(n.children); // `${0:x}` keeps its own text
    } else {
      const def = defining.get(n.index) ?? n;
      if (def.choices) {
        const pick = options.choices?.[n.index] ?? 0;
        if (pick < 0 || pick >= def.choices.length) {
          throw new Error(`tab stop ${n.index} has no choice ${pick}`);
        }
        text += def.choices[pick];
      } else if (!active.has(n.index)) {
        active.add(n.index);
        renderAll(def.children);
        active.delete(n.index);
      }
    }
    tabstops.push({ index: n.index, offset, length: text.length - offset });
  };

  const renderAll = (list: readonly SnippetNode[]): void => {
    for (const n of list) {
      if (n.kind === 'text') text += n.value;
      else if (n.kind === 'tabstop') renderTabstop(n);
      else {
        // As in VS Code, only "unresolved" (undefined) falls back to the default: a resolver
        // that answers '' (e.g. TM_DIRECTORY of an untitled file) inserts ''. VS Code reports
        // an empty selection, clipboard or current word as undefined, so pass undefined there.
        const value = options.variables?.[n.name];
        if (value !== undefined) text += value;
        else renderAll(n.children);
      }
    }
  };

  renderAll(nodes);
  tabstops.sort((a, b) => a.offset - b.offset || a.index - b.index);
  const final = tabstops.find((t) => t.index === 0);
  return { text, tabstops, finalOffset: final ? final.offset : text.length };
}

/** Tab stop indexes (without 0) in the order their first occurrence appears in the text. */
export function tabstopReadingOrder(body: SnippetBody): number[] {
  const seen: number[] = [];
  for (const t of expandSnippet(body).tabstops) {
    if (t.index !== 0 && !seen.includes(t.index)) seen.push(t.index);
  }
  return seen;
}

/** Choice tab stops: index -> options. */
export function choicesOf(body: SnippetBody): Map<number, string[]> {
  const out = new Map<number, string[]>();
  walk(parseSnippet(body), (n) => {
    if (n.kind === 'tabstop' && n.choices && !out.has(n.index)) out.set(n.index, n.choices);
  });
  return out;
}
