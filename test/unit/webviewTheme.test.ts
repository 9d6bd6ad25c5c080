/** Theme colours: parsing CSS colours and packing them for the ImageData buffer. */
import * as assert from 'assert';
import { blend, buildPalette, packAbgr, parseColor } from '../../webview/theme';

describe('webview theme', () => {
  it('parses the colour syntaxes VS Code variables and canvas fillStyle produce', () => {
    assert.deepStrictEqual(parseColor('#89d185'), { r: 0x89, g: 0xd1, b: 0x85, a: 1 });
    assert.deepStrictEqual(parseColor('#fff'), { r: 255, g: 255, b: 255, a: 1 });
    assert.deepStrictEqual(parseColor('#ff000080'), { r: 255, g: 0, b: 0, a: 128 / 255 });
    assert.deepStrictEqual(parseColor('rgba(10, 20, 30, 0.5)'), { r: 10, g: 20, b: 30, a: 0.5 });
    assert.deepStrictEqual(parseColor('rgb(10 20 30 / 50%)'), { r: 10, g: 20, b: 30, a: 0.5 });
    assert.strictEqual(parseColor('var(--x)'), null);
    assert.strictEqual(parseColor('#12345'), null);
  });

  it('packs little-endian ABGR words', () => {
    assert.strictEqual(packAbgr({ r: 0x11, g: 0x22, b: 0x33, a: 1 }), 0xff332211);
  });

  it('blends translucent colours over the background', () => {
    assert.deepStrictEqual(blend({ r: 255, g: 0, b: 0, a: 0.5 }, { r: 0, g: 0, b: 255, a: 1 }), { r: 128, g: 0, b: 128, a: 1 });
  });

  it('builds the palette from the theme variables, falling back per variable', () => {
    const p = buildPalette({ running: '#00ff00', background: '#000000', blocked: 'nonsense' }, (c) => c, {
      highContrast: false,
      dark: true,
      font: 'sans-serif',
      fontSize: 13,
    });
    assert.strictEqual(p.stateWords[0], packAbgr({ r: 0, g: 255, b: 0, a: 1 }));
    assert.strictEqual(p.word.background, 0xff000000);
    // An unparseable value falls back to the default red.
    assert.strictEqual(p.stateWords[1], packAbgr(parseColor('#e51400')!));
    // The exited tint is softer than the exited colour itself outside high contrast.
    assert.notStrictEqual(p.exitedWord, p.word.exited);
  });
});
