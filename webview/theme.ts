/**
 * Colours come from VS Code's theme CSS variables (through our --tl-* variables in
 * timeline.css, which name the VS Code variable and a fallback), so the timeline follows light,
 * dark and high-contrast themes. The canvas writes pixels straight into a Uint32 ImageData
 * buffer, so every colour is also packed as an opaque little-endian ABGR word, with any alpha
 * already blended over the background.
 */

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Parses #rgb, #rgba, #rrggbb, #rrggbbaa, rgb() and rgba() (what canvas fillStyle and CSS return). */
export function parseColor(text: string): Rgba | null {
  const s = text.trim().toLowerCase();
  if (s.startsWith('#')) {
    const h = s.slice(1);
    if (!/^[0-9a-f]+$/.test(h)) return null;
    if (h.length === 3 || h.length === 4) {
      const v = [...h].map((c) => parseInt(c + c, 16));
      return { r: v[0], g: v[1], b: v[2], a: h.length === 4 ? v[3] / 255 : 1 };
    }
    if (h.length === 6 || h.length === 8) {
      const v = [0, 2, 4, 6].map((i) => parseInt(h.slice(i, i + 2), 16));
      return { r: v[0], g: v[1], b: v[2], a: h.length === 8 ? v[3] / 255 : 1 };
    }
    return null;
  }
  const m = /^rgba?\(\s*([^)]*)\)$/.exec(s);
  if (!m) return null;
  const parts = m[1].split(/[\s,/]+/).filter((p) => p.length > 0);
  if (parts.length < 3) return null;
  const chan = (p: string) => (p.endsWith('%') ? (parseFloat(p) * 255) / 100 : parseFloat(p));
  const r = chan(parts[0]);
  const g = chan(parts[1]);
  const b = chan(parts[2]);
  let a = 1;
  if (parts.length >= 4) a = parts[3].endsWith('%') ? parseFloat(parts[3]) / 100 : parseFloat(parts[3]);
  if ([r, g, b, a].some((x) => !Number.isFinite(x))) return null;
  const clamp = (x: number) => Math.max(0, Math.min(255, Math.round(x)));
  return { r: clamp(r), g: clamp(g), b: clamp(b), a: Math.max(0, Math.min(1, a)) };
}

/** Blends c over an opaque background. */
export function blend(c: Rgba, bg: Rgba, alpha = c.a): Rgba {
  const mix = (x: number, y: number) => Math.round(x * alpha + y * (1 - alpha));
  return { r: mix(c.r, bg.r), g: mix(c.g, bg.g), b: mix(c.b, bg.b), a: 1 };
}

/** Opaque ABGR word for a little-endian Uint32Array view of ImageData. */
export function packAbgr(c: Rgba): number {
  return ((255 << 24) | (c.b << 16) | (c.g << 8) | c.r) >>> 0;
}

export function cssRgb(c: Rgba): string {
  return `rgb(${c.r}, ${c.g}, ${c.b})`;
}

/** Relative luminance (WCAG), to pick readable text over a fill. */
export function luminance(c: Rgba): number {
  const ch = (v: number) => {
    const x = v / 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
}

/** The variables timeline.css defines; the renderer reads them in this order. */
export const THEME_VARS = {
  background: '--tl-bg',
  foreground: '--tl-fg',
  muted: '--tl-muted',
  grid: '--tl-grid',
  border: '--tl-border',
  running: '--tl-running',
  blocked: '--tl-blocked',
  waiting: '--tl-waiting',
  sleeping: '--tl-sleeping',
  exited: '--tl-exited',
  held: '--tl-held',
  counter: '--tl-counter',
  instant: '--tl-instant',
  error: '--tl-error',
  processBand: '--tl-process-band',
  selection: '--tl-selection',
  flow: '--tl-flow',
} as const;
export type ThemeKey = keyof typeof THEME_VARS;

export interface Palette {
  css: Record<ThemeKey, string>;
  rgba: Record<ThemeKey, Rgba>;
  /** Opaque ABGR words, blended over the background. */
  word: Record<ThemeKey, number>;
  /** State colours by ThreadState value: running, blocked, waiting, sleeping. */
  stateWords: Uint32Array;
  /** Hold spans, two shades alternating with the holder. */
  holdWords: Uint32Array;
  /** The exited tint drawn after a thread's end, softer than a state. */
  exitedWord: number;
  /** The area under a counter's step line. */
  counterFillWord: number;
  processBandWord: number;
  highContrast: boolean;
  dark: boolean;
  font: string;
  fontSize: number;
}

const FALLBACKS: Record<ThemeKey, string> = {
  background: '#ffffff',
  foreground: '#333333',
  muted: '#777777',
  grid: '#e5e5e5',
  border: '#cccccc',
  running: '#388a34',
  blocked: '#e51400',
  waiting: '#bf8803',
  sleeping: '#1a85ff',
  exited: '#999999',
  held: '#652d90',
  counter: '#1a85ff',
  instant: '#d18616',
  error: '#e51400',
  processBand: '#eeeeee',
  selection: '#0090f1',
  flow: '#652d90',
};

/**
 * Builds the palette from raw CSS values (already variable-substituted). `normalize` turns any
 * CSS colour into one parseColor understands (the browser uses a canvas's fillStyle for that).
 */
export function buildPalette(
  raw: Partial<Record<ThemeKey, string>>,
  normalize: (css: string) => string,
  opts: { highContrast: boolean; dark: boolean; font: string; fontSize: number },
): Palette {
  const css = {} as Record<ThemeKey, string>;
  const rgba = {} as Record<ThemeKey, Rgba>;
  for (const key of Object.keys(THEME_VARS) as ThemeKey[]) {
    const value = (raw[key] ?? '').trim();
    let c = value ? parseColor(normalize(value)) : null;
    if (!c) c = parseColor(FALLBACKS[key])!;
    css[key] = value || FALLBACKS[key];
    rgba[key] = c;
  }
  const bg: Rgba = { ...rgba.background, a: 1 };
  const word = {} as Record<ThemeKey, number>;
  for (const key of Object.keys(rgba) as ThemeKey[]) word[key] = packAbgr(blend(rgba[key], bg));
  // Grid lines sit under everything: half strength whatever the theme gives (a border colour
  // can be stark in dark themes), full strength in high contrast.
  if (!opts.highContrast) word.grid = packAbgr(blend(blend(rgba.grid, bg), bg, 0.5));
  const stateWords = new Uint32Array([word.running, word.blocked, word.waiting, word.sleeping]);
  const held = blend(rgba.held, bg);
  const holdWords = new Uint32Array([
    packAbgr(held),
    packAbgr(blend(held, bg, opts.highContrast ? 1 : 0.7)),
    packAbgr(held),
    packAbgr(held),
  ]);
  // High contrast themes get solid fills; elsewhere "exited" is a faint tint so states stand out.
  const exitedWord = packAbgr(blend(rgba.exited, bg, opts.highContrast ? 0.6 : 0.28));
  const counterFillWord = packAbgr(blend(rgba.counter, bg, opts.highContrast ? 0.6 : 0.35));
  const processBandWord = packAbgr(blend(rgba.processBand, bg, opts.highContrast ? 1 : Math.min(1, rgba.processBand.a)));
  return {
    css,
    rgba,
    word,
    stateWords,
    holdWords,
    exitedWord,
    counterFillWord,
    processBandWord,
    highContrast: opts.highContrast,
    dark: opts.dark,
    font: opts.font,
    fontSize: opts.fontSize,
  };
}

/** Reads the palette from the document (browser only). */
export function readPalette(doc: Document): Palette {
  const root = doc.documentElement;
  const style = getComputedStyle(root);
  const raw: Partial<Record<ThemeKey, string>> = {};
  for (const [key, name] of Object.entries(THEME_VARS) as [ThemeKey, string][]) {
    raw[key] = style.getPropertyValue(name);
  }
  const probe = doc.createElement('canvas').getContext('2d');
  const normalize = (value: string) => {
    if (!probe) return value;
    // An unparseable value leaves fillStyle unchanged: reset to a sentinel first to detect that.
    probe.fillStyle = '#010203';
    probe.fillStyle = value;
    return String(probe.fillStyle);
  };
  const body = doc.body;
  const bodyStyle = getComputedStyle(body);
  const cls = body.classList;
  return buildPalette(raw, normalize, {
    highContrast: cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light'),
    dark: cls.contains('vscode-dark') || cls.contains('vscode-high-contrast'),
    font: bodyStyle.fontFamily || 'sans-serif',
    fontSize: parseFloat(bodyStyle.fontSize) || 13,
  });
}
