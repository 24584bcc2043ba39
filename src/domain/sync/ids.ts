// Ids that are unique across devices without asking a server: a random device id, and log
// rows named by device, time and a counter. Apart from the rest of sync, for the database's
// upgrade, which runs on the first screen.

/** Letters and digits only, so that a clock or a log-row id splits on '-'. */
export function newDeviceId(random: () => number = Math.random): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += Math.floor(random() * 36).toString(36);
  return id;
}

/** A log row's id across devices: the device, the time and a counter. */
export function logRowUid(deviceId: string, reviewedAtMs: number, counter: number): string {
  return `${deviceId}-${reviewedAtMs.toString(36)}-${counter.toString(36)}`;
}
