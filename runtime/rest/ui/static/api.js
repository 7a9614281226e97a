/* global fetch */
// The worker's REST API as the console calls it: JSON in and out, the tab's credentials, sign-in on 401.
import { showSignIn } from './session.js';
import { state } from './state.js';

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(method, path, body) {
  // X-Requested-With: the worker then answers 401 without a Basic challenge, so the browser shows no login dialog of its own.
  const headers = { accept: 'application/json', 'x-requested-with': 'tributary-console' };
  if (state.auth) headers.authorization = state.auth;
  const init = { method, headers, credentials: 'same-origin' };
  // Kafka Connect's API takes JSON only; a request without a body sends no content type at all.
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let json;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.status === 401) {
    showSignIn();
    throw new ApiError(401, 'Sign in: the worker asks for credentials.');
  }
  if (!res.ok) throw new ApiError(res.status, (json && json.message) || `${method} ${path}: HTTP ${res.status}`);
  return json;
}
