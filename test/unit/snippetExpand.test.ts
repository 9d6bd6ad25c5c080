/**
 * The snippet expander (test/unit/snippetExpand.ts) against VS Code's snippet rules. The snippet
 * tests trust its output as "what VS Code inserts", so each rule they rely on is pinned here.
 */
import * as assert from 'assert';
import { choicesOf, expandSnippet, parseSnippet, tabstopReadingOrder } from './snippetExpand';

const text = (body: string | string[], options = {}) => expandSnippet(body, options).text;

describe('snippet expander', () => {
  describe('tab stops and placeholders', () => {
    it('passes plain text through and joins an array body with newlines', () => {
      assert.strictEqual(text('print("hi")'), 'print("hi")');
      assert.strictEqual(text(['a', '    b', '']), 'a\n    b\n');
    });

    it('inserts nothing for $1, ${1} and $0', () => {
      assert.strictEqual(text('a$1b${2}c$0d'), 'abcd');
    });

    it('inserts the default of ${1:default}, with nested placeholders and variables', () => {
      assert.strictEqual(text('${1:outer ${2:inner} end}'), 'outer inner end');
      assert.strictEqual(text('${1:file ${TM_FILENAME_BASE:untitled}}'), 'file untitled');
    });

    it('mirrors: every occurrence shows the first default, even one written before it', () => {
      assert.strictEqual(text('${1:x} = $1 + 1'), 'x = x + 1');
      assert.strictEqual(text('$1 -> ${1:late}'), 'late -> late');
      // A later occurrence with its own default still mirrors the first one (VS Code's rule).
      assert.strictEqual(text('${1:first} ${1:second}'), 'first first');
    });

    it('mirrors inside another default follow the mirrored tab stop', () => {
      assert.strictEqual(text('def ${1:f}(${2:n}): ${3:return $2 * 2}'), 'def f(n): return n * 2');
      assert.strictEqual(text('def ${1:f}(${2:n}): ${3:return $2 * 2}', { values: { 2: 'k' } }), 'def f(k): return k * 2');
    });

    it('typed values replace the default in every mirror', () => {
      assert.strictEqual(text('${1:a}-$1', { values: { 1: 'zz' } }), 'zz-zz');
    });

    it('$0 is the final cursor: empty unless a value is typed there, and ${0:x} keeps x', () => {
      const e = expandSnippet('ab$0cd');
      assert.strictEqual(e.text, 'abcd');
      assert.strictEqual(e.finalOffset, 2);
      assert.strictEqual(text('ab$0cd', { values: { 0: 'XY' } }), 'abXYcd');
      assert.strictEqual(text('a${0:tail}'), 'atail');
    });

    it('without $0 the final cursor is the end of the text', () => {
      assert.strictEqual(expandSnippet('${1:abc}def').finalOffset, 6);
    });

    it('reports the offset and length of every occurrence, in document order', () => {
      const e = expandSnippet('x${1:ab} $1 ${2:c}$0');
      assert.deepStrictEqual(e.tabstops, [
        { index: 1, offset: 1, length: 2 },
        { index: 1, offset: 4, length: 2 },
        { index: 2, offset: 7, length: 1 },
        { index: 0, offset: 8, length: 0 },
      ]);
    });

    it('gives tab stops in reading order of their first occurrence', () => {
      assert.deepStrictEqual(tabstopReadingOrder('${2:b} ${1:a} $2 ${3:c}$0'), [2, 1, 3]);
    });
  });

  describe('choices', () => {
    it('inserts the first option by default, another when asked, and mirrors it', () => {
      const body = 'ctx("${1|spawn,fork,forkserver|}") # $1';
      assert.strictEqual(text(body), 'ctx("spawn") # spawn');
      assert.strictEqual(text(body, { choices: { 1: 2 } }), 'ctx("forkserver") # forkserver');
      assert.deepStrictEqual([...choicesOf(body)], [[1, ['spawn', 'fork', 'forkserver']]]);
    });

    it('unescapes \\, \\| and \\\\ inside options', () => {
      assert.deepStrictEqual(choicesOf('${1|a\\,b,c\\|d,e\\\\f|}').get(1), ['a,b', 'c|d', 'e\\f']);
    });

    it('treats a malformed choice (empty option, missing |}) as text', () => {
      assert.strictEqual(text('${1|a,,b|}'), '${1|a,,b|}');
      assert.strictEqual(text('${1|a,b|'), '${1|a,b|');
    });

    it('rejects a choice index that does not exist', () => {
      assert.throws(() => expandSnippet('${1|a,b|}', { choices: { 1: 2 } }), /no choice 2/);
    });
  });

  describe('variables', () => {
    const vars = { TM_FILENAME: 'jobs.py', TM_FILENAME_BASE: 'jobs', CURRENT_YEAR: '2031', TM_DIRECTORY: '' };

    it('inserts known variables, written $NAME or ${NAME}', () => {
      assert.strictEqual(text('# $TM_FILENAME (${TM_FILENAME_BASE}) $CURRENT_YEAR', { variables: vars }), '# jobs.py (jobs) 2031');
    });

    it('falls back to the default when the variable is unresolved, to nothing without one', () => {
      assert.strictEqual(text('${TM_SELECTED_TEXT:pass}|$CLIPBOARD|', { variables: vars }), 'pass||');
    });

    it('keeps an empty resolved value instead of the default, as VS Code does', () => {
      assert.strictEqual(text('[${TM_DIRECTORY:dir}]', { variables: vars }), '[]');
    });

    it('turns an unknown variable without default into a placeholder showing its name', () => {
      const e = expandSnippet('${1:a} $NOT_A_VARIABLE $NOT_A_VARIABLE');
      assert.strictEqual(e.text, 'a NOT_A_VARIABLE NOT_A_VARIABLE');
      // It gets the next free index, shared by both occurrences.
      assert.deepStrictEqual(e.tabstops.filter((t) => t.index === 2).map((t) => t.offset), [2, 17]);
    });

    it('keeps the default of an unknown variable that has one', () => {
      assert.strictEqual(text('${NOT_KNOWN:fallback}'), 'fallback');
    });
  });

  describe('escapes and literal text', () => {
    it('makes \\$, \\} and \\\\ literal, and keeps any other backslash', () => {
      assert.strictEqual(text('cost: \\$1'), 'cost: $1');
      assert.strictEqual(text('${1:f"{x\\}"}'), 'f"{x}"');
      assert.strictEqual(text('a\\\\b'), 'a\\b');
      assert.strictEqual(text('"\\n"'), '"\\n"');
    });

    it('treats a lone $, ${ and } outside placeholders as text', () => {
      assert.strictEqual(text('$ ${ } {x}'), '$ ${ } {x}');
      assert.strictEqual(text('f"{i}"'), 'f"{i}"');
    });

    it('keeps an unterminated ${1: as text followed by what was parsed after it', () => {
      assert.strictEqual(text('x = ${1:abc'), 'x = ${1:abc');
      assert.strictEqual(text('${1:a ${2:b} c'), '${1:a b c');
    });

    it('rejects transforms instead of expanding them wrongly', () => {
      assert.throws(() => parseSnippet('${TM_FILENAME/(.*)/${1:/upcase}/}'), /transforms are not supported/);
    });
  });
});
