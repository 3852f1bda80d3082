/**
 * The BullMQ job id of a miner's evaluation for a window: `w-<window>-uid-<uid>`. Adding a
 * job whose id exists is a no-op, so a restarted validator never enqueues twice. (BullMQ
 * refuses custom ids with colons.)
 *
 * @example
 * evaluationJobId({ window: 12, uid: 3 }); // 'w-12-uid-3'
 */
export function evaluationJobId(parameters: { window: number; uid: number }): string {
  return `w-${parameters.window}-uid-${parameters.uid}`;
}
