// Sign-in with the participant's key file, pasted or uploaded. The seed is imported as a
// non-extractable WebCrypto key and the text is cleared from the page at once; the node is
// asked who the key belongs to (GET /v1/me, a signed read).

import { t } from '../i18n/i18n.js';
import { importSigner, parseKeyFile } from '../lib/keyfile.js';
import { errorPanel, field } from '../ui/components.js';
import { h, replace } from '../ui/dom.js';
import { signIn } from '../ui/state.js';

export function renderSignIn(main: HTMLElement, done: () => void): void {
  const file = h('input', { type: 'file', name: 'keyfile', accept: '.key,text/plain' });
  const pasted = h('textarea', {
    name: 'keytext', rows: 4, spellcheck: 'false', autocomplete: 'off', class: 'mono',
    placeholder: 'tradeledger-ed25519-key-v1\nseed …\npublic …',
  });
  const errors = h('div');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('signin.submit'));

  const form = h('form', { class: 'panel signin-form', novalidate: true },
    field(t('signin.file'), file, t('signin.fileHint')),
    field(t('signin.paste'), pasted, t('signin.pasteHint')),
    errors,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(errors);
    submit.disabled = true;
    submit.textContent = t('action.working');
    try {
      const text = file.files?.[0] ? await file.files[0].text() : pasted.value;
      const parsed = parseKeyFile(text);
      pasted.value = ''; // the seed text leaves the page as soon as it is parsed
      file.value = '';
      const signer = await importSigner(parsed);
      parsed.seed.fill(0);
      await signIn(signer);
      done();
    } catch (err) {
      pasted.value = '';
      file.value = '';
      replace(errors, errorPanel(err, 'signin.failed'));
      submit.disabled = false;
      submit.textContent = t('signin.submit');
    }
  });

  replace(main,
    h('h1', null, t('signin.title')),
    h('div', { class: 'two-col' },
      form,
      h('aside', { class: 'panel note', 'aria-labelledby': 'signin-how' },
        h('h2', { id: 'signin-how' }, t('signin.howTitle')),
        h('ul', null,
          h('li', null, t('signin.how1')),
          h('li', null, t('signin.how2')),
          h('li', null, t('signin.how3')),
        ),
        h('p', null, h('a', { href: '#/verify' }, t('signin.verifyLink'))),
      ),
    ),
  );
}
