// The page's state, shared by its modules: the open database, and the signed-in session (or null).
// Modules read app.session when they act rather than keep it, since signing out or in replaces it.

export const app = { store: null, session: null };
window.parley = app; // for the curious and the end-to-end tests
