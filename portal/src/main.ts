// The portal's shell: header (product, navigation, language, who is signed in), the hash
// router (#/signin, #/officer, #/trader, #/rights, #/verify, #/explorer and sub-paths) and
// focus management: after each navigation the view's <h1> takes focus.

import './style.css';
import { lang, onLangChange, setLang, t } from './i18n/i18n.js';
import type { MessageKey } from './i18n/en.js';
import { button, statusRegion } from './ui/components.js';
import { h, replace } from './ui/dom.js';
import { currentUser, hasRole, homeRoute, restore, signOut } from './ui/state.js';
import { renderExplorer } from './views/explorer.js';
import { renderOfficer } from './views/officer.js';
import { renderRights } from './views/rights.js';
import { renderSignIn } from './views/signin.js';
import { renderTrader } from './views/trader.js';
import { renderVerify } from './views/verify.js';

// A view fills `main` and returns; it re-renders itself when its data arrives.
export type View = (main: HTMLElement, path: string[], query: URLSearchParams) => void;

const routes: Record<string, { view: View; label: MessageKey; visible: () => boolean }> = {
  officer: { view: renderOfficer, label: 'nav.officer', visible: () => !!currentUser()?.customs },
  trader: { view: renderTrader, label: 'nav.trader', visible: () => hasRole('IMPORTER', 'EXPORTER', 'PRODUCER', 'BROKER') },
  rights: { view: renderRights, label: 'nav.rights', visible: () => hasRole('RIGHTS_HOLDER', 'LICENSEE') },
  verify: { view: renderVerify, label: 'nav.verify', visible: () => true },
  explorer: { view: renderExplorer, label: 'nav.explorer', visible: () => true },
};

const app = document.getElementById('app')!;
const main = h('main', { id: 'main', tabindex: '-1' });
const header = h('header', { class: 'site-header' });
const status = statusRegion();

function parseHash(): { name: string; path: string[]; query: URLSearchParams } {
  const raw = location.hash.replace(/^#\/?/, '');
  const [pathPart, queryPart = ''] = raw.split('?');
  const path = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  return { name: path[0] ?? '', path: path.slice(1), query: new URLSearchParams(queryPart) };
}

function renderHeader(active: string): void {
  const me = currentUser();
  const links = Object.entries(routes)
    .filter(([, r]) => r.visible())
    .map(([name, r]) =>
      h('li', null, h('a', { href: `#/${name}`, 'aria-current': name === active ? 'page' : null }, t(r.label))),
    );
  if (!me) {
    links.unshift(h('li', null, h('a', { href: '#/signin', 'aria-current': active === 'signin' ? 'page' : null }, t('nav.signin'))));
  }
  const other = lang() === 'en' ? 'es' : 'en';
  replace(
    header,
    h('a', { class: 'skip-link', href: '#main', onclick: skipToMain }, t('nav.skip')),
    h(
      'div',
      { class: 'brand-row' },
      h('a', { class: 'brand', href: me ? homeRoute() : '#/verify' },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'TL'),
        h('span', null, h('span', { class: 'brand-name' }, 'TradeLedger'), h('span', { class: 'brand-sub' }, t('brand.subtitle'))),
      ),
      h(
        'div',
        { class: 'session' },
        me ? h('span', { class: 'who' }, t('session.signedInAs', { org: me.legalName, id: me.orgId })) : '',
        button(other === 'es' ? 'Español' : 'English', () => setLang(other), 'ghost'),
        me ? button(t('action.signOut'), async () => {
          await signOut();
          location.hash = '#/signin';
        }, 'ghost') : '',
      ),
    ),
    h('nav', { 'aria-label': t('nav.label') }, h('ul', null, links)),
  );
  const langBtn = header.querySelector('.session button');
  langBtn?.setAttribute('lang', other);
  langBtn?.setAttribute('aria-label', t('nav.language'));
}

function skipToMain(ev: Event): void {
  ev.preventDefault();
  main.focus();
}

// After a navigation the new view's heading takes focus; after a language switch the switch
// keeps it; on the first load nothing is focused.
type FocusAfter = 'heading' | 'language' | 'none';

function route(focus: FocusAfter = 'heading'): void {
  const { name, path, query } = parseHash();
  const me = currentUser();
  if (!name) {
    location.replace(me ? homeRoute() : '#/signin');
    return;
  }
  const r = routes[name];
  if (name !== 'signin' && !r) {
    location.replace(me ? homeRoute() : '#/signin');
    return;
  }
  renderHeader(name);
  document.title = `${t(name === 'signin' ? 'nav.signin' : r.label)} · TradeLedger`;
  replace(main);
  if (name === 'signin') renderSignIn(main, () => (location.hash = homeRoute()));
  else r.view(main, path, query);
  const h1 = main.querySelector('h1');
  h1?.setAttribute('tabindex', '-1');
  if (focus === 'heading') h1?.focus();
  if (focus === 'language') header.querySelector<HTMLElement>('.session button')?.focus();
}

async function start(): Promise<void> {
  document.documentElement.lang = lang();
  replace(app, header, status, main, h('footer', { class: 'site-footer' }, h('p', null, t('footer.text'))));
  await restore();
  window.addEventListener('hashchange', () => route('heading'));
  onLangChange(() => {
    replace(app.querySelector('footer')!, h('p', null, t('footer.text')));
    route('language');
  });
  route('none');
}

void start();
