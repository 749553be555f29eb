/** The longest display name of a token, model, report or dashboard (the server checks it, the admin's fields cap it). */
export const NAME_MAX_LENGTH = 100;
