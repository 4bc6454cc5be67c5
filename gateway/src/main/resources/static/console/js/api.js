// The admin API client. The console has no other server: every page is built from these JSON calls, made with
// the browser's session cookie. State-changing calls carry the CSRF token Spring Security put in the XSRF-TOKEN
// cookie; errors come back as {"error":{"message","type","param"}} and are thrown as ApiError with that message.

const BASE = new URL('../admin/api/', document.baseURI);

export class ApiError extends Error {
  constructor(status, message, param) {
    super(message);
    this.status = status;
    this.param = param || null;
  }
}

/** The absolute URL of an admin API path with query parameters (empty values are left out). */
export function apiUrl(path, params = {}) {
  const url = new URL(path, BASE);
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, value);
  }
  return url.toString();
}

export function csrfToken() {
  const cookie = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN='));
  return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : null;
}

export async function api(method, path, {params, body} = {}) {
  const headers = {accept: 'application/json'};
  if (method !== 'GET') {
    const token = csrfToken();
    if (token) headers['X-XSRF-TOKEN'] = token;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(apiUrl(path, params), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin', cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError(0, `${method} ${path}: the gateway did not answer (${error.message})`);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (response.ok) return json;
  if (response.status === 401) {
    throw new ApiError(401, 'Your session has ended: reload the page to sign in again.');
  }
  const error = json && json.error;
  const message = error && error.message ? error.message
      : response.status === 403 ? 'You are not allowed to do this (403).'
      : `${method} ${path} failed with HTTP ${response.status}`;
  throw new ApiError(response.status, message, error && error.param);
}

export const get = (path, params) => api('GET', path, {params});
export const post = (path, body) => api('POST', path, {body});
export const patch = (path, body) => api('PATCH', path, {body});
export const del = path => api('DELETE', path);

/** Ends the console session. The server answers with a redirect, which is not followed here. */
export async function signOut() {
  const token = csrfToken();
  const response = await fetch(new URL('../logout', document.baseURI), {
    method: 'POST', credentials: 'same-origin', redirect: 'manual',
    headers: token ? {'X-XSRF-TOKEN': token} : {},
  });
  // A redirect (opaque here) means the session is gone; a 403 means the CSRF token was refused.
  if (response.type !== 'opaqueredirect' && !response.ok) {
    throw new ApiError(response.status, `Sign-out failed with HTTP ${response.status}`);
  }
}
