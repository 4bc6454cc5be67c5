// Subject erasure (GDPR Art. 17): the subject's encryption keys are destroyed and a tombstone is appended to the
// ledger, so the chain still verifies but the subject's data can no longer be read. Irreversible, hence the
// confirmation.

import {h, append, clear, field, input, values, time, busy, notify, confirmDialog} from '../dom.js';
import {post} from '../api.js';

export async function render(main) {
  const result = h('section', {class: 'panel', 'data-testid': 'erasure-result', hidden: true});
  const form = h('form', {'data-testid': 'erasure-form', novalidate: true},
      h('div', {class: 'grid'},
          field('Data subject', input('subject', {required: true, maxlength: 500, testid: 'erasure-subject',
            placeholder: 'e.g. alice@example.com'}), 'the identifier recorded in the ledger (user or end-customer id)'),
          field('Reason', input('reason', {maxlength: 500, testid: 'erasure-reason',
            placeholder: 'e.g. GDPR Art. 17 request #123'}), 'kept in the tombstone entry')),
      h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'danger', 'data-testid': 'erasure-submit'},
          'Erase subject')));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const v = values(form);
    if (!v.subject) return notify('Data subject: enter the identifier to erase.');
    if (!await confirmDialog(`Erase "${v.subject}"? Their recorded prompts and answers become unreadable for good. `
        + 'This cannot be undone.', 'Erase')) return;
    const button = form.querySelector('button[type=submit]');
    const done = await busy(button, () => post('erasures', {subject: v.subject, reason: v.reason}));
    if (!done) return;
    form.reset();
    result.hidden = false;
    append(clear(result), [h('h2', {}, 'Erasure recorded'), h('dl', {class: 'facts'},
        h('dt', {}, 'Subject reference'), h('dd', {}, h('code', {}, done.subject_ref)),
        h('dt', {}, 'Tombstone'), h('dd', {}, `entry ${done.seq} in chain ${done.chain}`),
        h('dt', {}, 'Hash'), h('dd', {}, h('code', {class: 'wrap'}, done.hash)),
        h('dt', {}, 'Time'), h('dd', {}, time(done.time)))]);
    notify('Erasure recorded in the ledger.', 'notice');
  });
  main.append(h('p', {}, 'Crypto-shredding: the subject\'s encryption keys are deleted and a tombstone entry is '
      + 'appended. The ledger still verifies end to end; the erased content cannot be recovered.'), form, result);
}
