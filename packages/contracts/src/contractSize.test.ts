import { deployedBytecode as settlementCode } from './generated/SubnetSettlement.js';
import { deployedBytecode as subnetCode } from './generated/Subnet.js';
import { deployedBytecode as tokenCode } from './generated/TesseraToken.js';

/** EIP-170: the most runtime bytecode a contract may have, in bytes. */
const MAX_CODE_SIZE = 24_576;

describe('runtime bytecode', () => {
  it.each([
    ['Subnet', subnetCode],
    ['SubnetSettlement', settlementCode],
    ['TesseraToken', tokenCode],
  ])('of %s fits the EIP-170 limit', (_name, code) => {
    expect((code.length - 2) / 2).toBeLessThanOrEqual(MAX_CODE_SIZE);
  });
});
