/* global document, sessionStorage, btoa, FormData, TextEncoder */
// Signing in and out: the credentials are kept in this tab only (sessionStorage) and sent by api.js.
import { $, notice } from './dom.js';
import { state } from './state.js';

export function showSignIn() {
  clearTimeout(state.pollTimer);
  $('#sign-in').hidden = false;
  document.querySelector('main').hidden = true;
}

/** onSignedIn: reads the worker again with the new credentials. */
export function setupSignIn(onSignedIn) {
  $('#sign-in').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const token = String(f.get('token') || '').trim();
    const user = String(f.get('user') || '');
    const bytes = new TextEncoder().encode(`${user}:${String(f.get('password') || '')}`);
    state.auth = token ? `Bearer ${token}` : `Basic ${btoa(String.fromCharCode(...bytes))}`;
    sessionStorage.setItem('tributary.auth', state.auth);
    ev.target.reset();
    $('#sign-in').hidden = true;
    document.querySelector('main').hidden = false;
    notice('');
    void onSignedIn();
  });
  $('#sign-out').addEventListener('click', () => {
    sessionStorage.removeItem('tributary.auth');
    state.auth = null;
    state.principal = null;
    showSignIn();
  });
}
