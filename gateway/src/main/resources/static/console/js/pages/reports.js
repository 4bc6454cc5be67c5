// SOC 2 report download. The report is built by the admin API from the verified ledger; the links below are
// plain downloads of that endpoint (the session cookie authenticates them), with the signed manifest beside it.

import {h, field, input, select, values, day} from '../dom.js';
import {apiUrl} from '../api.js';

const FORMATS = [['pdf', 'PDF'], ['csv', 'CSV'], ['json', 'JSON']];

export async function render(main) {
  const now = new Date();
  const form = h('form', {class: 'filters', 'data-testid': 'report-form'},
      field('From', input('from', {type: 'date', required: true, testid: 'report-from',
        value: day(new Date(now.getFullYear(), now.getMonth(), 1))})),
      field('To (exclusive)', input('to', {type: 'date', required: true, testid: 'report-to',
        value: day(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1))})),
      field('Format', select('format', FORMATS, {testid: 'report-format'})),
      field('Organisation', input('org', {placeholder: 'shown on the report', maxlength: 200, testid: 'report-org'})));
  const download = h('a', {class: 'button primary', 'data-testid': 'report-download', download: ''}, 'Download report');
  const manifest = h('a', {class: 'button', 'data-testid': 'report-manifest', download: ''}, 'Download signed manifest');
  const problem = h('p', {class: 'error-text', role: 'status', 'data-testid': 'report-problem'});

  function update() {
    const v = values(form);
    const valid = v.from && v.to && v.to > v.from;
    problem.textContent = valid ? '' : 'Choose a period: "to" must be after "from".';
    for (const [link, part] of [[download, 'report'], [manifest, 'manifest']]) {
      if (valid) {
        link.href = apiUrl('reports/soc2', {from: v.from, to: v.to, format: v.format, org: v.org,
          part: part === 'report' ? '' : part});
        link.removeAttribute('aria-disabled');
      } else {
        link.removeAttribute('href');
        link.setAttribute('aria-disabled', 'true');
      }
    }
  }
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', event => event.preventDefault());
  update();

  main.append(
      h('p', {}, 'A SOC 2 period report built from the audit ledger after verifying it: scope, verification, '
          + 'access activity, failed authentications, privileged changes, access review, guardrail events, spend and '
          + 'retention. The same period always gives the same bytes.'),
      form, h('div', {class: 'actions'}, download, manifest), problem,
      h('section', {class: 'panel'}, h('h2', {}, 'Verify it offline'),
          h('p', {}, 'The manifest carries the report\'s SHA-256 and the ledger heads, signed with the ledger key. An '
              + 'auditor checks both without access to the gateway:'),
          h('pre', {}, 'bin/warden report verify --report soc2-FROM-TO.pdf \\\n'
              + '    --manifest soc2-FROM-TO.pdf.manifest.json --public-key ledger-public.pem'),
          h('p', {class: 'muted'}, 'A report over a tampered or truncated ledger says FAIL on its first page; it is '
              + 'never a clean report over a broken chain.')));
}
