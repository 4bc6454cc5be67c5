// Small DOM helpers. Everything the console shows is built with createElement and text nodes: data from the API
// is never parsed as markup, so a key name like "<img onerror=…>" stays text (ConsoleTest rejects HTML sinks).

/**
 * h('button', {type: 'button', class: 'primary', on: {click: fn}}, 'Save') → element.
 * Attribute values are set with setAttribute (never "style": the CSP forbids inline styles); children are nodes,
 * strings (as text), arrays of those, or null/undefined/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    } else if (name === 'value' || name === 'checked' || name === 'selected') {
      el[name] = value;
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A labelled form control; the label wraps the control so no id bookkeeping is needed. */
export function field(label, control, hint) {
  return h('label', {class: 'field'}, h('span', {class: 'label'}, label), control,
      hint ? h('span', {class: 'hint'}, hint) : null);
}

export function input(name, attrs = {}) {
  return h('input', {name, type: 'text', 'data-testid': attrs.testid || null, ...without(attrs, 'testid')});
}

export function select(name, options, attrs = {}) {
  return h('select', {name, 'data-testid': attrs.testid || null, ...without(attrs, 'testid')},
      options.map(([value, label]) => h('option', {value}, label)));
}

function without(object, key) {
  const copy = {...object};
  delete copy[key];
  return copy;
}

/**
 * A data table with a caption and column headers.
 * columns: [{label, value: row => node|string, numeric?}]; rows: array; rowKey: row => string for data-key.
 */
export function table({caption, columns, rows, testid, rowKey, empty = 'Nothing to show.'}) {
  if (!rows.length) return h('p', {class: 'empty', 'data-testid': testid ? testid + '-empty' : null}, empty);
  return h('div', {class: 'table-wrap'}, h('table', {'data-testid': testid},
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, columns.map(c => h('th', {scope: 'col', class: c.numeric ? 'num' : null}, c.label)))),
      h('tbody', {}, rows.map(row => h('tr', {'data-key': rowKey ? rowKey(row) : null},
          columns.map(c => h('td', {class: c.numeric ? 'num' : null}, c.value(row))))))));
}

/** Reads a form's named controls into an object of trimmed strings. */
export function values(form) {
  const result = {};
  for (const [name, value] of new FormData(form)) result[name] = typeof value === 'string' ? value.trim() : value;
  return result;
}

/** Comma- or newline-separated text → array of non-empty strings. */
export function list(text) {
  return (text || '').split(/[\s,]+/).map(s => s.trim()).filter(Boolean);
}

export function usd(value) {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  // Costs per request are fractions of a cent: keep six decimals below a dollar, two above (and for nothing).
  return '$' + (n === 0 || Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(6));
}

export function count(value) {
  return value === null || value === undefined ? '—' : Number(value).toLocaleString('en-US');
}

/** "1 request", "3 requests", "2 entries". */
export function plural(n, one, many = one + 's') {
  return `${count(n)} ${Number(n) === 1 ? one : many}`;
}

export function time(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return h('time', {datetime: iso, title: iso}, date.toLocaleString('en-GB', {dateStyle: 'medium', timeStyle: 'medium'}));
}

/** YYYY-MM-DD of a Date in the browser's time zone. */
export function day(date) {
  const pad = n => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Shows a message in the page's alert region; errors stay until dismissed, notices fade after a while. */
export function notify(message, kind = 'error') {
  const region = document.getElementById('alerts');
  const close = h('button', {type: 'button', class: 'link', 'aria-label': 'Dismiss'}, '×');
  const note = h('div', {class: 'alert ' + kind, 'data-testid': kind === 'error' ? 'error' : 'notice'},
      h('span', {}, message), close);
  close.addEventListener('click', () => note.remove());
  region.append(note);
  if (kind !== 'error') setTimeout(() => note.remove(), 6000);
  return note;
}

export function clearAlerts() {
  clear(document.getElementById('alerts'));
}

/**
 * Runs an action with the button disabled; an error from it is shown, never swallowed. Errors of earlier actions
 * are cleared first, so what is on screen is about this attempt. Returns the result, or undefined when it failed.
 */
export async function busy(button, action) {
  for (const old of document.querySelectorAll('#alerts .alert.error')) old.remove();
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (error) {
    notify(error.message || String(error));
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** A modal confirmation (the native <dialog>); resolves true only when the confirm button is pressed. */
export function confirmDialog(message, confirmLabel, danger = true) {
  return new Promise(resolve => {
    const ok = h('button', {type: 'button', class: danger ? 'danger' : 'primary', 'data-testid': 'confirm-ok'}, confirmLabel);
    const cancel = h('button', {type: 'button', 'data-testid': 'confirm-cancel'}, 'Cancel');
    const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': 'confirm-text', 'data-testid': 'confirm'},
        h('p', {id: 'confirm-text'}, message), h('div', {class: 'actions'}, cancel, ok));
    const done = answer => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    ok.addEventListener('click', () => done(true));
    cancel.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', event => {
      event.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
