/** The longest display name of a token, model, report or dashboard (the server checks it, the admin's fields cap it). */
export const NAME_MAX_LENGTH = 100;

/** A subscription's mail subject. */
export const SUBJECT_MAX_LENGTH = 200;

/** A subscription's mail message. */
export const MESSAGE_MAX_LENGTH = 5000;
