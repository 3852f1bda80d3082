import { TOKEN, mined, setupChain } from './_test/fixtures.js';
it('debug', async () => {
  const chain = await setupChain({ params: { minValidatorStake: 100n * TOKEN } });
  const v = await chain.account();
  await chain.fundTokens(v, 300n * TOKEN);
  await mined(chain.subnetAs(v).registerValidator(300n * TOKEN));
  console.log('permit', await chain.subnet.hasValidatorPermit(0));
  console.log('epoch', await chain.subnet.currentEpoch());
  try { await chain.subnetAs(v).commitWeights.staticCall(`0x${'11'.repeat(32)}`); console.log('ok'); } catch (e) { console.log('err', (e as Error).message.slice(0, 300)); }
  const trace = await chain.provider.send('debug_traceCall', [{ from: v.address, to: chain.deployment.subnet, data: chain.subnet.interface.encodeFunctionData('commitWeights', [`0x${'11'.repeat(32)}`]) }, 'latest', {}]).catch((e: Error) => e.message);
  const t = trace as { failed?: boolean; structLogs?: { op: string; pc: number }[]; returnValue?: string; gas?: number };
  console.log('trace', typeof trace === 'string' ? trace : JSON.stringify({ failed: t.failed, gas: t.gas, ret: t.returnValue, last: t.structLogs?.slice(-8).map((s) => s.op) }));
  await chain.stop();
});
