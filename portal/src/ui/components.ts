// Shared pieces of every view: state badges, reason lists in words, error panels, tables,
// labelled fields, modal forms (<dialog>, keyboard-operable, Esc closes) and the status line.

import { ApiError } from '../lib/api.js';
import { KeyFileError } from '../lib/keyfile.js';
import type { MessageKey } from '../i18n/en.js';
import { lang, t } from '../i18n/i18n.js';
import { reasonWords } from '../i18n/reasons.js';
import { stateTone, stateWords } from '../i18n/states.js';
import { h, replace, uid, type Child } from './dom.js';

export function badge(state: string | undefined): HTMLElement {
  return h('span', { class: `badge badge-${stateTone(state)}` }, stateWords(state, lang()));
}

// Each code with its meaning in words.
export function reasonList(codes: string[] | undefined): HTMLElement | string {
  if (!codes || codes.length === 0) return '';
  return h(
    'ul',
    { class: 'reasons' },
    codes.map((c) => h('li', null, h('code', null, c), ' ', h('span', null, reasonWords(c, lang())))),
  );
}

export function errorCodes(err: unknown): string[] {
  if (err instanceof ApiError) return err.reasons.length ? err.reasons : [err.code];
  if (err instanceof KeyFileError) return [err.code];
  if (err instanceof Error && /^[A-Z][A-Z0-9_]+$/.test(err.message)) return [err.message];
  return ['INTERNAL'];
}

// role=alert: read out at once. Shows the HTTP status when there is one.
export function errorPanel(err: unknown, title: MessageKey = 'error.refused'): HTMLElement {
  const status = err instanceof ApiError && err.status >= 400 ? ` (HTTP ${err.status})` : '';
  return h(
    'div',
    { class: 'error-panel', role: 'alert' },
    h('p', { class: 'error-title' }, t(title) + status),
    reasonList(errorCodes(err)),
  );
}

export function table(caption: string, headers: string[], rows: Child[][], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c))))),
    ),
  );
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

// A label bound to its control, an optional hint (aria-describedby) and an error slot.
export function field(label: string, control: Control, hint?: string): HTMLElement {
  control.id ||= uid();
  const hintId = hint ? `${control.id}-hint` : '';
  if (hint) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, label, control.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : ''),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : '',
    control,
  );
}

export function input(name: string, attrs: Record<string, string | boolean | number> = {}): HTMLInputElement {
  return h('input', { name, type: 'text', autocomplete: 'off', ...attrs });
}

export function select(name: string, options: Array<[string, string]>, value = ''): HTMLSelectElement {
  return h('select', { name }, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

export function checkbox(name: string, label: string, checked = false, value = 'on'): HTMLElement {
  const box = h('input', { type: 'checkbox', name, value, id: uid(), checked });
  return h('div', { class: 'check' }, box, h('label', { for: box.id }, label));
}

export function button(label: string, onClick: (ev: Event) => void, kind = 'secondary'): HTMLButtonElement {
  return h('button', { type: 'button', class: `btn btn-${kind}`, onclick: onClick }, label);
}

// A row's action buttons and links, each named with the record it acts on for screen
// readers ("Revoke: DEL-1"); the visible label stays short and starts the accessible name.
export function rowActions(record: string, actions: Child[]): HTMLElement {
  const box = h('div', { class: 'row-actions' }, actions);
  box.querySelectorAll('button, a').forEach((el) => el.setAttribute('aria-label', `${el.textContent}: ${record}`));
  return box;
}

let statusEl: HTMLElement | null = null;
export function statusRegion(): HTMLElement {
  statusEl = h('div', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  return statusEl;
}

// A short confirmation in the live region (e.g. "Committed at height 12").
export function notify(text: string): void {
  if (!statusEl) return;
  replace(statusEl, h('span', null, text));
  statusEl.classList.add('visible');
}

// Opens a modal form. `submit` returns the confirmation text or throws; a thrown error is
// shown inside the dialog with its reason codes in words and the dialog stays open.
export function openDialog(
  title: string,
  fields: Child[],
  submitLabel: string,
  submit: (form: HTMLFormElement) => Promise<string>,
  onDone: () => void,
): HTMLDialogElement {
  const titleId = uid('dlg');
  const errors = h('div', { class: 'dialog-errors' });
  const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary' }, submitLabel);
  const form = h('form', { novalidate: true }, fields, errors);
  const dialog = h(
    'dialog',
    { 'aria-labelledby': titleId, class: 'dialog' },
    h('h2', { id: titleId }, title),
    form,
  );
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  form.append(
    h('div', { class: 'actions' }, submitBtn, button(t('action.cancel'), close)),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!form.reportValidity()) return;
    submitBtn.disabled = true;
    submitBtn.textContent = t('action.working');
    replace(errors);
    try {
      const message = await submit(form);
      close();
      notify(message);
      onDone();
    } catch (err) {
      replace(errors, errorPanel(err));
      submitBtn.disabled = false;
      submitBtn.textContent = submitLabel;
    }
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

export function formValue(form: HTMLFormElement, name: string): string {
  const v = new FormData(form).get(name);
  return typeof v === 'string' ? v.trim() : '';
}

export function formValues(form: HTMLFormElement, name: string): string[] {
  return new FormData(form).getAll(name).map(String);
}

// "a, b c" -> ["a", "b", "c"]
export function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}

export function section(titleKey: MessageKey, ...children: Child[]): HTMLElement {
  const id = uid('sec');
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, t(titleKey)), children);
}

export function loading(): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}
