/** Asks before a destructive control; the browser's own dialog is keyboard- and screen-reader-friendly. */
export const confirmed = (question: string): boolean => window.confirm(question);
