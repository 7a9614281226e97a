/* global sessionStorage */
// The console's state (what the worker last said, what the user selected) and the caller's role check.

const ROLES = ['read', 'operate', 'admin'];

export const state = {
  auth: sessionStorage.getItem('tributary.auth'),
  principal: null,
  view: 'connectors',
  selected: null,
  connectors: {},
  overview: null,
  history: null,
  topic: null,
  pollTimer: undefined,
  readError: false,
  detail: null,
};

export function can(role) {
  const mine = state.principal ? state.principal.role : 'admin';
  return ROLES.indexOf(mine) >= ROLES.indexOf(role);
}
