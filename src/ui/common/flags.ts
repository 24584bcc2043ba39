/** Anki's flags 1-7, with 0 for none; shared by the review screen and the card actions. */
export const flagNames = ['No flag', 'Red', 'Orange', 'Green', 'Blue', 'Pink', 'Turquoise', 'Purple'];
