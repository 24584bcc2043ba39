/** In localStorage: the id of the database that holds this device's data (none before the first visit's start). */
export const databaseMarker = 'kubecards:database-id';
