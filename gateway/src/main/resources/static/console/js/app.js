// The console shell: who is signed in, the navigation, and a hash router (#/keys, #/usage?group_by=key, …).
// Each page is a module with render(main, ctx); ctx carries the signed-in principal and its permissions, the
// route's query parameters, and current() to tell whether the page is still the one on screen after an await.

import {h, clear, notify, clearAlerts} from './dom.js';
import {get, signOut} from './api.js';
import * as overview from './pages/overview.js';
import * as keys from './pages/keys.js';
import * as orgs from './pages/orgs.js';
import * as usage from './pages/usage.js';
import * as audit from './pages/audit.js';
import * as reports from './pages/reports.js';
import * as erasure from './pages/erasure.js';

const PAGES = [
  {id: 'overview', title: 'Overview', needs: null, page: overview},
  {id: 'keys', title: 'Keys', needs: 'keys:read', page: keys},
  {id: 'teams', title: 'Teams & customers', needs: 'teams:read', page: orgs},
  {id: 'usage', title: 'Usage', needs: 'usage:read', page: usage},
  {id: 'audit', title: 'Audit log', needs: 'audit:read', page: audit},
  {id: 'guardrails', title: 'Guardrails', needs: 'audit:read', page: audit, preset: 'guardrail_verdict'},
  {id: 'reports', title: 'Reports', needs: 'reports:read', page: reports},
  {id: 'erasure', title: 'Erasure', needs: 'erasure:write', page: erasure},
];

const main = document.getElementById('main');
let me = null;
let generation = 0;

const can = permission => !permission || (me && me.permissions.includes(permission));

function navigation() {
  const nav = clear(document.getElementById('nav'));
  for (const page of PAGES.filter(p => can(p.needs))) {
    nav.append(h('li', {}, h('a', {href: '#/' + page.id, 'data-testid': 'nav-' + page.id, 'data-page': page.id},
        page.title)));
  }
}

async function route() {
  const hash = location.hash;
  if (!hash.startsWith('#/')) {
    // "#main" (the skip link) is not a route; an empty hash is the overview.
    if (!hash) location.replace('#/overview');
    return;
  }
  const [path, query] = hash.substring(2).split('?');
  const entry = PAGES.find(p => p.id === path);
  const mine = ++generation;
  clearAlerts();
  clear(main);
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!entry) {
    main.append(h('h1', {}, 'Not found'), h('p', {}, 'There is no console page ', h('code', {}, hash), '.'));
    return;
  }
  document.title = `${entry.title} · Warden`;
  main.append(h('h1', {'data-testid': 'page-title'}, entry.title));
  if (!can(entry.needs)) {
    main.append(h('p', {class: 'empty'}, `Your roles do not include ${entry.needs}; ask an administrator.`));
    return;
  }
  const ctx = {
    me, can, preset: entry.preset || null, route: path,
    params: new URLSearchParams(query || ''),
    current: () => mine === generation,
    navigate: (params) => {
      const text = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null)).toString();
      location.hash = '#/' + path + (text ? '?' + text : '');
    },
  };
  main.setAttribute('aria-busy', 'true');
  try {
    await entry.page.render(main, ctx);
  } catch (error) {
    if (ctx.current()) notify(error.message || String(error));
  } finally {
    if (ctx.current()) main.removeAttribute('aria-busy');
  }
}

async function start() {
  try {
    me = await get('me');
  } catch (error) {
    clear(main).append(h('h1', {}, 'Warden console'), h('p', {class: 'empty'}, 'The console could not load.'));
    notify(error.message);
    return;
  }
  const who = document.getElementById('user');
  clear(who).append(h('span', {class: 'name', 'data-testid': 'user-name', title: me.subject}, me.name || me.subject),
      h('span', {class: 'roles'}, (me.roles || []).join(', ') || 'no role'));
  const button = document.getElementById('sign-out');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await signOut();
      location.assign(new URL('../login?logout', document.baseURI).toString());
    } catch (error) {
      notify(error.message);
      button.disabled = false;
    }
  });
  navigation();
  window.addEventListener('hashchange', () => {
    route();
    main.focus({preventScroll: true});
  });
  await route();
}

start();
