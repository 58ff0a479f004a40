// Small DOM helpers: h() builds an element from a tag, attributes and children. No framework:
// views rebuild their subtree when data arrives. Never sets inline styles or HTML strings
// (the node's CSP is default-src 'self', and text is always inserted as text).

export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (ev: Event) => void;
export type Attrs = Record<string, string | number | boolean | Handler | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'class') {
      el.className = String(value);
    } else if (name === 'value' && 'value' in el) {
      (el as HTMLInputElement).value = String(value);
    } else if (name === 'checked' && 'checked' in el) {
      (el as HTMLInputElement).checked = Boolean(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let ids = 0;
export function uid(prefix = 'f'): string {
  return `${prefix}-${++ids}`;
}

// UTC: the ledger's dates are UTC midnights. `time`: 'minutes' or 'seconds' adds the time.
export function formatTime(ms: number | undefined | null, time: false | 'minutes' | 'seconds' = false): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '—';
  const iso = new Date(ms).toISOString();
  if (!time) return iso.slice(0, 10);
  return `${iso.slice(0, 10)} ${iso.slice(11, time === 'seconds' ? 19 : 16)} UTC`;
}

export function short(hex: string | undefined, n = 10): string {
  if (!hex) return '—';
  return hex.length > n ? `${hex.slice(0, n)}…` : hex;
}

export async function readFileText(input: HTMLInputElement): Promise<string | null> {
  const file = input.files?.[0];
  return file ? file.text() : null;
}
