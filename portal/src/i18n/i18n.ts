// English and Spanish: every string the portal shows is in the two catalogues (en.ts, es.ts,
// reasons.ts). es.ts is typed against en.ts, so a missing translation fails `tsc`.
// The choice is kept in localStorage and set on <html lang>.

import { en, type MessageKey } from './en.js';
import { es } from './es.js';

export type Lang = 'en' | 'es';
const catalogues: Record<Lang, Record<MessageKey, string>> = { en, es };
const listeners: Array<() => void> = [];

let current: Lang = (() => {
  try {
    const saved = localStorage.getItem('tl.lang');
    if (saved === 'en' || saved === 'es') return saved;
  } catch {
    /* storage unavailable */
  }
  return navigator.language?.toLowerCase().startsWith('es') ? 'es' : 'en';
})();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem('tl.lang', next);
  } catch {
    /* storage unavailable */
  }
  document.documentElement.lang = next;
  for (const l of listeners) l();
}

export function onLangChange(fn: () => void): void {
  listeners.push(fn);
}

// `{name}` placeholders are replaced by vars[name].
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text = catalogues[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}
