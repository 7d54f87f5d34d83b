/** "1 organization", "2 organizations": a count with its noun, for messages. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
