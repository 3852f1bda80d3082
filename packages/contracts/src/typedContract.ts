import type {
  AddressLike,
  BaseContract,
  BigNumberish,
  BytesLike,
  ContractRunner,
  ContractTransaction,
  ContractTransactionResponse,
  Overrides,
} from 'ethers';

/** One parameter of a JSON ABI entry. */
export type AbiParameter = {
  readonly name?: string;
  readonly type: string;
  readonly internalType?: string;
  readonly indexed?: boolean;
  readonly components?: readonly AbiParameter[];
};

/** A function entry of a JSON ABI. */
export type AbiFunction = {
  readonly type: 'function';
  readonly name: string;
  readonly inputs: readonly AbiParameter[];
  readonly outputs: readonly AbiParameter[];
  readonly stateMutability: 'pure' | 'view' | 'nonpayable' | 'payable';
};

/** An event entry of a JSON ABI. */
export type AbiEvent = {
  readonly type: 'event';
  readonly name: string;
  readonly inputs: readonly AbiParameter[];
  readonly anonymous?: boolean;
};

/** A JSON ABI, as the generated modules export it (`as const`). */
export type Abi = readonly { readonly type: string; readonly name?: string }[];

/** The element of array parameter `P`, of type `T` (keeps the struct components). */
type WithType<P extends AbiParameter, T extends string> = {
  readonly type: T;
  readonly components: NonNullable<P['components']>;
};

/**
 * The TypeScript type of a value ethers v6 returns for ABI parameter `P`: integers are bigint,
 * addresses, bytes and strings are string, arrays are arrays, structs are objects by field name
 * (ethers' `Result` answers to both names and indexes).
 */
export type AbiOutput<P extends AbiParameter> = P['type'] extends `${infer Inner}[]`
  ? readonly AbiOutput<WithType<P, Inner>>[]
  : P['type'] extends 'tuple'
    ? AbiStructOutput<NonNullable<P['components']>>
    : P['type'] extends `uint${string}` | `int${string}`
      ? bigint
      : P['type'] extends 'bool'
        ? boolean
        : P['type'] extends 'address' | 'string' | `bytes${string}`
          ? string
          : unknown;

/** A struct (tuple) ethers returns, by field name. */
export type AbiStructOutput<Components extends readonly AbiParameter[]> = {
  readonly [C in Components[number] as C['name'] & string]: AbiOutput<C>;
};

/** The TypeScript type ethers v6 accepts for ABI parameter `P`. */
export type AbiInput<P extends AbiParameter> = P['type'] extends `${infer Inner}[]`
  ? readonly AbiInput<WithType<P, Inner>>[]
  : P['type'] extends 'tuple'
    ? { readonly [C in NonNullable<P['components']>[number] as C['name'] & string]: AbiInput<C> }
    : P['type'] extends `uint${string}` | `int${string}`
      ? BigNumberish
      : P['type'] extends 'bool'
        ? boolean
        : P['type'] extends 'address'
          ? AddressLike
          : P['type'] extends `bytes${string}`
            ? BytesLike
            : P['type'] extends 'string'
              ? string
              : unknown;

/** Positional inputs of a function. */
export type AbiInputs<Params extends readonly AbiParameter[]> = {
  -readonly [K in keyof Params]: Params[K] extends AbiParameter ? AbiInput<Params[K]> : never;
};

/** What a call returns: nothing, the single value, or a tuple that also answers to output names. */
export type AbiOutputs<Params extends readonly AbiParameter[]> = Params extends readonly []
  ? void
  : Params extends readonly [infer Only extends AbiParameter]
    ? AbiOutput<Only>
    : { readonly [K in keyof Params]: Params[K] extends AbiParameter ? AbiOutput<Params[K]> : never } & {
        readonly [P in Params[number] as P['name'] & string]: AbiOutput<P>;
      };

/** Overrides a write may carry (`value` only where the function is payable). */
export type CallOverrides<F extends AbiFunction> = F['stateMutability'] extends 'payable'
  ? Overrides & { value?: BigNumberish }
  : Overrides;

type Invoke<Args extends unknown[], Result> = ((...args: Args) => Promise<Result>) &
  ((...args: [...Args, Overrides]) => Promise<Result>);

/** A typed function of a contract: reads return values; writes send a transaction. */
export type TypedMethod<F extends AbiFunction> = (F['stateMutability'] extends 'view' | 'pure'
  ? Invoke<AbiInputs<F['inputs']>, AbiOutputs<F['outputs']>>
  : ((...args: AbiInputs<F['inputs']>) => Promise<ContractTransactionResponse>) &
      ((...args: [...AbiInputs<F['inputs']>, CallOverrides<F>]) => Promise<ContractTransactionResponse>)) & {
  /** Simulates the call and returns what it would return. */
  staticCall: Invoke<AbiInputs<F['inputs']>, AbiOutputs<F['outputs']>>;
  /** Gas the call would use. */
  estimateGas: Invoke<AbiInputs<F['inputs']>, bigint>;
  /** The transaction, unsigned. */
  populateTransaction: Invoke<AbiInputs<F['inputs']>, ContractTransaction>;
};

/**
 * An ethers v6 contract typed from its ABI: one typed member per function, plus the
 * `BaseContract` members (`getAddress`, `queryFilter`, `interface`, ...).
 *
 * @example
 * const subnet = new Contract(address, subnetAbi, signer) as unknown as TypedContract<typeof subnetAbi>;
 * const [found, aggregate] = await subnet.getAggregate(12n);
 */
export type TypedContract<TAbi extends Abi> = Omit<BaseContract, 'connect' | 'attach'> & {
  readonly [F in Extract<TAbi[number], AbiFunction> as F['name']]: TypedMethod<F>;
} & {
  connect(runner: ContractRunner | null): TypedContract<TAbi>;
};

/** Arguments of event `Name` of `TAbi`, by parameter name, as ethers decodes them. */
export type EventArgs<TAbi extends Abi, Name extends string> = AbiStructOutput<
  Extract<TAbi[number], AbiEvent & { readonly name: Name }>['inputs']
>;

/** Names of the events of `TAbi`. */
export type EventName<TAbi extends Abi> = Extract<TAbi[number], AbiEvent>['name'];
