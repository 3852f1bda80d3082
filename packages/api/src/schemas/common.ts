import { Type } from '@sinclair/typebox';

/** A token amount or other uint256 value, as a decimal string. */
export const amount = (description = 'Amount in base units (10⁻¹⁸ of a token), as a decimal string.') =>
  Type.String({ pattern: '^[0-9]+$', description, examples: ['1250000000000000000'] });
export const Amount = amount();

/** An address in responses. */
export const address = (description = 'EIP-55 checksummed address.') => Type.String({ description });
export const Address = address();

/** A 32-byte hash. */
export const hash = (description = '0x and 64 hex digits.') => Type.String({ description });
export const Hash = hash();

/** A u32 fraction the chain stores scaled by 1e9, given as a number in [0, 1]. */
export const fraction = (description = 'Share in [0, 1].') =>
  Type.Number({ minimum: 0, maximum: 1, description });
export const Fraction = fraction();

export const blockNumber = (description = 'Block number.') => Type.Integer({ minimum: 0, description });
export const BlockNumber = blockNumber();

/** Nullable helper: the schema or null. */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

// ---------------------------------------------------------------- parameters

/** `:address` — any case; mixed case must carry a valid EIP-55 checksum (checked by the handler). */
export const AddressParam = Type.String({
  pattern: '^0x[0-9a-fA-F]{40}$',
  description: 'an account address: 0x followed by 40 hex digits',
  examples: ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
});

export const UidParam = Type.Integer({
  minimum: 0,
  maximum: 4095,
  description: 'a uid: a whole number from 0 to 4095',
});

export const EpochParam = Type.Integer({
  minimum: 0,
  maximum: 2 ** 53 - 1,
  description: 'an epoch number: a whole number, 0 or more',
});

export const WindowParam = Type.Integer({
  minimum: 0,
  maximum: 2 ** 53 - 1,
  description: 'a window number: a whole number, 0 or more',
});

/** Paging of lists ordered newest first. */
export const PageQuery = Type.Object(
  {
    limit: Type.Integer({
      minimum: 1,
      maximum: 200,
      default: 20,
      description: 'how many items to return: a whole number from 1 to 200',
    }),
    before: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 2 ** 53 - 1,
        description:
          "start below this epoch or window (the previous page's nextBefore): a whole number, 0 or more",
      }),
    ),
  },
  { additionalProperties: false },
);

/** `?role=miner|validator` of the neuron lists: only neurons of that role (a validator holds a permit). */
export const NeuronRoleQuery = Type.Object(
  {
    role: Type.Optional(
      Type.Union([Type.Literal('miner'), Type.Literal('validator')], {
        description: 'only neurons of this role: validator (holds a permit) or miner',
      }),
    ),
  },
  { additionalProperties: false },
);
